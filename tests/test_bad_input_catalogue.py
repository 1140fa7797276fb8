"""The bad-input catalogue (issue 10): each kind of bad input gets a clear 4xx naming the
field, on the web and in the API where both take it, and leaves nothing half-written (each
test looks in the database afterwards).

Items already proven elsewhere are referenced, not repeated (file, then test):
- invalid BSN — the API: core/tests/test_api_registry.py
    test_create_refuses_bad_input_naming_each_field
  the 11-proef itself: core/tests/test_registry.py
    test_invalid_bsns_are_refused_naming_the_field
  the portal's login: plugins/portal/tests/test_login.py
    test_an_invalid_or_unknown_bsn_gets_the_same_page_and_no_session
  (core has no web form that takes a BSN; a change through the API is tested below).
- wrong magic bytes on the page: plugins/casemanagement/tests/test_documents.py
    test_a_bad_upload_on_the_page_is_a_400_naming_the_file
    test_an_upload_that_is_not_an_allowed_document_is_refused_on_the_file
  and in the SDK's check: core/tests/test_files.py (zip bombs there too).
- a missing CSRF token on every form: core/tests/test_identity.py
    test_every_form_post_without_csrf_token_is_refused
- a stale version (409): core/tests/test_api_registry.py
    test_change_updates_given_fields_and_refuses_a_stale_version
  plugins/casemanagement/tests/test_cases.py
    test_a_stale_edit_gets_409_keeps_the_input_and_changes_nothing
  plugins/casemanagement/tests/test_plan.py
    test_api_creates_goals_and_actions_agrees_and_answers_409_on_a_stale_patch
  plugins/portal/tests/test_pages.py
    test_an_update_on_an_old_version_gets_409_and_changes_nothing
- another tenant's person in the API: core/tests/test_api_registry.py
    test_detail_is_404_unless_visible_and_is_audited
  another team's case pages: plugins/casemanagement/tests/test_access.py
    test_a_professional_of_another_team_gets_404_everywhere
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import pytest
from sqlalchemy import func, select

from openregie_casemanagement.models import Case, CasePerson, ContactMoment, Document, Note
from openregie_core.auth.tokens import create_client
from openregie_sdk.registry import (
    Household,
    HouseholdMember,
    Membership,
    Municipality,
    Person,
    Team,
)
from openregie_sdk.testing.plugin import create_test_user, csrf_token_in, personal_token

PERSONS = "/api/v1/core/persons"
CASES_API = "/api/v1/casemanagement/cases"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CASE_SCOPES = ("casemanagement.case.read", "casemanagement.case.write")
REGISTRY_SCOPES = ("core.person.read", "core.registry.manage")


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["casemanagement"]


@dataclass
class World:
    zutphen: Municipality
    lochem: Municipality
    team: Team
    other_team: Team
    parent: Person
    away: Person  # lives in Lochem, in no household of ours
    household: Household
    case: Case
    other_case: Case  # of the other team
    member: Any  # a professional of `team`


def _person(db: Any, name: str, municipality: Municipality, **fields: Any) -> Person:
    person = Person(
        voornamen="Test",
        geslachtsnaam=name,
        search_name=name.lower(),
        birth_date=dt.date(1990, 1, 1),
        municipality_id=municipality.id,
        **fields,
    )
    db.add(person)
    return person


@pytest.fixture
def world(app: Any, db: Any) -> World:
    member = create_test_user(app, "professional", roles=[], display_name="Mira Manager")
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    lochem = Municipality(cbs_code="GM0262", name="Lochem")
    team, other_team = Team(name="Team Noord", kind="integral"), Team(name="Zuid", kind="integral")
    db.add_all([zutphen, lochem, team, other_team])
    db.flush()
    parent = _person(db, "Aalders", zutphen, bsn="111222333")
    away = _person(db, "Bakker", lochem, bsn="123456782")
    household, other_household = Household(name="Gezin Aalders"), Household(name="Gezin Bakker")
    db.add_all([household, other_household])
    db.flush()
    db.add(
        HouseholdMember(
            household_id=household.id,
            person_id=parent.id,
            role="parent",
            start_on=dt.date(2020, 1, 1),
        )
    )
    db.add(
        HouseholdMember(
            household_id=other_household.id,
            person_id=away.id,
            role="parent",
            start_on=dt.date(2020, 1, 1),
        )
    )
    db.add(
        Membership(
            user_id=member.id, team_id=team.id, role="professional", start_on=dt.date(2020, 1, 1)
        )
    )
    cases = []
    for owner, home, who in ((team, household, parent), (other_team, other_household, away)):
        case = Case(
            household_id=home.id,
            team_id=owner.id,
            case_manager_id=member.id if owner is team else None,
            title="Steun",
            status="intake",
            opened_on=dt.date.today() - dt.timedelta(days=10),
        )
        db.add(case)
        db.flush()
        db.add(CasePerson(case_id=case.id, person_id=who.id))
        cases.append(case)
    db.commit()
    return World(zutphen, lochem, team, other_team, parent, away, household, *cases, member)


@pytest.fixture
def registry(app: Any, db: Any, world: World) -> dict[str, str]:
    """Headers of an API client that manages Zutphen's registry."""
    _, token = create_client(
        db,
        name="Koppeling",
        scopes=REGISTRY_SCOPES,
        known_permissions=app.extensions["openregie"].permissions,
        municipality_id=world.zutphen.id,
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def member_api(app: Any, world: World) -> dict[str, str]:
    return personal_token(app, world.member, CASE_SCOPES)


@pytest.fixture
def member_web(app: Any, world: World) -> Any:
    """A test client logged in as the team's professional."""
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.permanent = True
        cookie["user_id"] = str(world.member.id)
        cookie["session_version"] = world.member.session_version
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()
    return client


def _fields(response: Any) -> list[str]:
    return sorted(problem["field"] for problem in response.get_json()["error"]["fields"])


def _count(db: Any, model: Any, *where: Any) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model).where(*where))


def _new_person(world: World, **fields: Any) -> dict[str, Any]:
    body = {
        "voornamen": "Jan",
        "geslachtsnaam": "Catalogus",
        "birth_date": "1980-05-01",
        "municipality_id": str(world.zutphen.id),
    }
    body.update(fields)
    return {name: value for name, value in body.items() if value is not ...}


def _post_form(client: Any, page: str, data: dict[str, Any], **options: Any) -> Any:
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    return client.post(page, data={"csrf_token": token, **data}, **options)


def _contact(**fields: Any) -> dict[str, Any]:
    body = {
        "occurred_at": "2026-01-05T10:00:00+01:00",
        "channel": "phone",
        "summary": "Gebeld",
    }
    body.update(fields)
    return body


# -- invalid BSN ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bsn", ["123456789", "12345678X", "000000000", "1112223334", "１１１２２２３３３"]
)
def test_an_invalid_bsn_in_a_change_is_a_400_naming_bsn_and_changes_nothing(
    app, db, world, registry, bsn
):
    person = world.parent
    answer = app.test_client().patch(
        f"{PERSONS}/{person.id}", json={"version": 1, "bsn": bsn}, headers=registry
    )
    assert answer.status_code == 400 and _fields(answer) == ["bsn"]
    db.expire_all()
    assert db.get(Person, person.id).bsn == "111222333"


# -- impossible dates -------------------------------------------------------------------------


@pytest.mark.parametrize("birth_date", ["2023-02-30", "2023-13-01", "0000-01-01", "1990-1-1x"])
def test_an_impossible_birth_date_is_a_400_naming_it_and_registers_no_one(
    app, db, world, registry, birth_date
):
    answer = app.test_client().post(
        PERSONS, json=_new_person(world, birth_date=birth_date), headers=registry
    )
    assert answer.status_code == 400 and _fields(answer) == ["birth_date"]
    assert _count(db, Person, Person.geslachtsnaam == "Catalogus") == 0


def test_a_birth_date_in_the_future_is_refused(app, db, world, registry):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    answer = app.test_client().post(
        PERSONS, json=_new_person(world, birth_date=tomorrow), headers=registry
    )
    assert answer.status_code == 400 and _fields(answer) == ["birth_date"]
    assert _count(db, Person, Person.geslachtsnaam == "Catalogus") == 0


@pytest.mark.parametrize("moment", ["2026-02-30T10:00:00+01:00", "2026-01-05T25:00:00+01:00"])
def test_an_impossible_contact_moment_is_a_400_in_the_api(app, db, world, member_api, moment):
    answer = app.test_client().post(
        f"{CASES_API}/{world.case.id}/contact-moments",
        json=_contact(occurred_at=moment),
        headers=member_api,
    )
    assert answer.status_code == 400 and _fields(answer) == ["occurred_at"]
    assert _count(db, ContactMoment) == 0


@pytest.mark.parametrize("moment", ["2026-02-30T10:00", "2026-01-05T25:00", "gisteren"])
def test_an_impossible_contact_moment_is_a_400_on_the_page(app, db, world, member_web, moment):
    page = f"/casussen/{world.case.id}/contacten"
    answer = _post_form(
        member_web, page, {"occurred_at": moment, "channel": "phone", "summary": "Gebeld"}
    )
    assert answer.status_code == 400
    assert 'aria-invalid="true"' in answer.get_data(as_text=True)
    assert _count(db, ContactMoment) == 0


# -- oversized fields -------------------------------------------------------------------------


def test_an_oversized_name_is_a_400_naming_it_and_registers_no_one(app, db, world, registry):
    answer = app.test_client().post(
        PERSONS, json=_new_person(world, geslachtsnaam="x" * 201), headers=registry
    )
    assert answer.status_code == 400 and _fields(answer) == ["geslachtsnaam"]
    assert _count(db, Person, Person.voornamen == "Jan") == 0


def test_an_oversized_summary_is_a_400_in_the_api_and_on_the_page(
    app, db, world, member_api, member_web
):
    huge = "x" * 100_000
    answer = app.test_client().post(
        f"{CASES_API}/{world.case.id}/contact-moments",
        json=_contact(summary=huge),
        headers=member_api,
    )
    assert answer.status_code == 400 and _fields(answer) == ["summary"]
    page = f"/casussen/{world.case.id}/contacten"
    on_page = _post_form(
        member_web, page, {"occurred_at": "2026-01-05T10:00", "channel": "phone", "summary": huge}
    )
    assert on_page.status_code == 400
    assert _count(db, ContactMoment) == 0


def test_a_request_body_over_the_limit_is_a_413_and_writes_nothing(app, db, world, registry):
    body = b'{"voornamen": "' + b"x" * (26 * 1024 * 1024) + b'"}'
    answer = app.test_client().post(
        PERSONS, data=body, content_type="application/json", headers=registry
    )
    assert answer.status_code == 413
    assert _count(db, Person, Person.municipality_id == world.zutphen.id) == 1


# -- HTML and script payloads -----------------------------------------------------------------

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_payloads_are_stored_as_text_and_escaped_on_every_page_showing_them(
    app, db, world, registry, member_api, member_web, payload
):
    api = app.test_client()
    person = api.patch(
        f"{PERSONS}/{world.parent.id}",
        json={"version": 1, "voornamen": payload, "city": payload},
        headers=registry,
    )
    assert person.status_code == 200, person.get_json()
    moment = api.post(
        f"{CASES_API}/{world.case.id}/contact-moments",
        json=_contact(summary=payload, participants=payload),
        headers=member_api,
    )
    assert moment.status_code == 201, moment.get_json()
    note = api.post(
        f"{CASES_API}/{world.case.id}/notes",
        json={"text": payload, "confidentiality": "case_team"},
        headers=member_api,
    )
    assert note.status_code == 201, note.get_json()
    case = db.get(Case, world.case.id)
    case.title = payload[:200]
    db.commit()
    pages = [
        f"/personen/{world.parent.id}",
        f"/huishoudens/{world.household.id}",
        f"/casussen/{world.case.id}",
        f"/casussen/{world.case.id}/contacten",
        f"/casussen/{world.case.id}/notities",
        "/casussen/",
    ]
    for page in pages:
        answer = member_web.get(page)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, page
        assert payload not in html, page
        assert "alert(1)" not in html or "&lt;" in html, page


# -- SQL-like strings -------------------------------------------------------------------------

SQL_LIKE = ("' OR '1'='1", "Robert'); DROP TABLE core_person;--", "%_\\", "1; SELECT pg_sleep(5)")


@pytest.mark.parametrize("text", SQL_LIKE)
def test_sql_like_strings_are_data_searched_and_stored_literally(app, db, world, registry, text):
    api = app.test_client()
    found = api.get(PERSONS, query_string={"name": text}, headers=registry)
    assert found.status_code == 200 and found.get_json()["items"] == []
    created = api.post(PERSONS, json=_new_person(world, geslachtsnaam=text), headers=registry)
    assert created.status_code == 201, created.get_json()
    db.expire_all()
    assert db.get(Person, uuid.UUID(created.get_json()["id"])).geslachtsnaam == text
    # the table is all there: the people of the fixture and the new one
    assert _count(db, Person) == 3


# -- Unicode edge cases -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field"),
    [("Jan\x00", "voornamen"), ("\x00", "geslachtsnaam"), ("Ja\x1bn", "voornamen")],
)
def test_nul_and_control_characters_are_a_400_naming_the_field(
    app, db, world, registry, text, field
):
    answer = app.test_client().post(
        PERSONS, json=_new_person(world, **{field: text}), headers=registry
    )
    assert answer.status_code == 400 and _fields(answer) == [field]
    assert _count(db, Person) == 2


def test_nul_in_a_summary_is_a_400_in_the_api_and_on_the_page(
    app, db, world, member_api, member_web
):
    answer = app.test_client().post(
        f"{CASES_API}/{world.case.id}/contact-moments",
        json=_contact(summary="Gebeld\x00"),
        headers=member_api,
    )
    assert answer.status_code == 400 and _fields(answer) == ["summary"]
    page = f"/casussen/{world.case.id}/contacten"
    on_page = _post_form(
        member_web,
        page,
        {"occurred_at": "2026-01-05T10:00", "channel": "phone", "summary": "Gebeld\x00"},
    )
    assert on_page.status_code == 400
    assert _count(db, ContactMoment) == 0


@pytest.mark.parametrize(
    "name",
    ["Zoë", "Zoe\u0308", "Çelik\u0327\u0301", "𝒜lice", "李\U00020000", "אבי"],
)
def test_combining_marks_astral_and_rtl_names_round_trip(app, db, world, registry, name):
    answer = app.test_client().post(
        PERSONS, json=_new_person(world, geslachtsnaam=name), headers=registry
    )
    assert answer.status_code == 201, answer.get_json()
    read = app.test_client().get(f"{PERSONS}/{answer.get_json()['id']}", headers=registry)
    assert read.get_json()["geslachtsnaam"] == name


def test_a_bidi_override_is_refused_in_a_name(app, db, world, registry):
    answer = app.test_client().post(
        PERSONS, json=_new_person(world, geslachtsnaam="Jan\u202efdp.exe"), headers=registry
    )
    assert answer.status_code == 400 and _fields(answer) == ["geslachtsnaam"]
    assert _count(db, Person) == 2


# -- uploads ----------------------------------------------------------------------------------


def _documents(db: Any) -> int:
    return _count(db, Document)


def _stored_files(app: Any) -> list[Any]:
    root = app.extensions["openregie"].settings.instance_path / "files"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _api_upload(app: Any, world: World, headers: dict[str, str], name: str, content: bytes) -> Any:
    return app.test_client().post(
        f"{CASES_API}/{world.case.id}/documents",
        data={"file": (io.BytesIO(content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _web_upload(client: Any, world: World, name: str, content: bytes) -> Any:
    return _post_form(
        client,
        f"/casussen/{world.case.id}/documenten",
        {"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _zip_bomb(inner_name: str, size: int = 64 * 1024 * 1024) -> bytes:
    """A small archive that inflates to `size` bytes of zeros (plus what a .docx needs)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(inner_name, "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


UPLOADS = {
    "wrong magic bytes": ("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 64),
    "script named pdf": ("brief.pdf", b"<html><script>alert(1)</script></html>"),
    "empty": ("leeg.pdf", b""),
}


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_a_refused_upload_is_a_400_naming_the_file_in_the_api_and_on_the_page(
    app, db, world, member_api, member_web, kind
):
    name, content = UPLOADS[kind]
    answer = _api_upload(app, world, member_api, name, content)
    assert answer.status_code == 400 and _fields(answer) == ["file"]
    assert _web_upload(member_web, world, name, content).status_code == 400
    assert _documents(db) == 0 and _stored_files(app) == []


def test_an_upload_over_the_module_maximum_is_a_400_in_both(
    app, db, world, member_api, member_web, monkeypatch
):
    from openregie_casemanagement.services import records

    monkeypatch.setattr(records, "max_upload_bytes", lambda: 1024)
    big = PDF + b"0" * 4096
    answer = _api_upload(app, world, member_api, "groot.pdf", big)
    assert answer.status_code == 400 and _fields(answer) == ["file"]
    assert _web_upload(member_web, world, "groot.pdf", big).status_code == 400
    assert _documents(db) == 0 and _stored_files(app) == []


def test_an_upload_over_the_request_limit_is_a_413(app, db, world, member_api):
    huge = PDF + b"0" * (26 * 1024 * 1024)
    assert _api_upload(app, world, member_api, "enorm.pdf", huge).status_code == 413
    assert _documents(db) == 0 and _stored_files(app) == []


@pytest.mark.parametrize(
    ("name", "inner"), [("archief.zip", "nullen.bin"), ("brief.docx", "word/document.xml")]
)
def test_a_zip_bomb_is_refused_without_being_inflated(
    app, db, world, member_api, member_web, name, inner
):
    bomb = _zip_bomb(inner)
    assert len(bomb) < 1024 * 1024
    answer = _api_upload(app, world, member_api, name, bomb)
    assert answer.status_code == 400 and _fields(answer) == ["file"]
    assert _web_upload(member_web, world, name, bomb).status_code == 400
    assert _documents(db) == 0 and _stored_files(app) == []


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd.pdf", "..\\..\\windows\\brief.pdf", "/srv/x/../brief.pdf"]
)
def test_a_path_traversal_name_is_reduced_to_its_last_part_and_stored_inside_the_store(
    app, db, world, member_api, name
):
    answer = _api_upload(app, world, member_api, name, PDF)
    assert answer.status_code == 201, answer.get_json()
    stored = db.scalar(select(Document))
    # one plain name, whatever the client sent: no folder part on any system
    assert PurePosixPath(stored.filename).name == stored.filename
    assert PureWindowsPath(stored.filename).name == stored.filename
    assert stored.filename not in (".", "..")
    root = app.extensions["openregie"].settings.instance_path / "files"
    assert [path.resolve().is_relative_to(root.resolve()) for path in _stored_files(app)] == [True]


# -- CSRF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["", "forged-token", "IjEyMyI.Zz9xYQ.forged"])
def test_a_missing_or_forged_csrf_token_is_a_400_and_writes_nothing(
    app, db, world, member_web, token
):
    page = f"/casussen/{world.case.id}/contacten"
    member_web.get(page)  # the session holds a real token; the form sends another
    answer = member_web.post(
        page,
        data={
            "csrf_token": token,
            "occurred_at": "2026-01-05T10:00",
            "channel": "phone",
            "summary": "Gebeld",
        },
    )
    assert answer.status_code == 400
    assert _count(db, ContactMoment) == 0 and _count(db, Note) == 0


# -- another tenant's identifiers ---------------------------------------------------------------


def test_another_teams_case_is_a_404_identical_to_an_unknown_id_in_the_api(
    app, db, world, member_api
):
    api = app.test_client()
    for suffix in ("", "/contact-moments", "/notes", "/documents", "/plan"):
        other = api.get(f"{CASES_API}/{world.other_case.id}{suffix}", headers=member_api)
        unknown = api.get(f"{CASES_API}/{uuid.uuid4()}{suffix}", headers=member_api)
        assert other.status_code == unknown.status_code == 404, suffix
        assert other.get_json() == unknown.get_json(), suffix
    written = api.post(
        f"{CASES_API}/{world.other_case.id}/contact-moments", json=_contact(), headers=member_api
    )
    assert written.status_code == 404
    assert _count(db, ContactMoment) == 0


def test_another_municipalitys_person_cannot_be_changed_and_is_not_hinted_at(
    app, db, world, registry
):
    api = app.test_client()
    other = api.patch(
        f"{PERSONS}/{world.away.id}", json={"version": 1, "voornamen": "X"}, headers=registry
    )
    unknown = api.patch(
        f"{PERSONS}/{uuid.uuid4()}", json={"version": 1, "voornamen": "X"}, headers=registry
    )
    assert other.status_code == unknown.status_code == 404
    assert other.get_json() == unknown.get_json()
    db.expire_all()
    assert db.get(Person, world.away.id).voornamen == "Test"


def test_another_teams_case_page_is_a_404_identical_to_an_unknown_one(app, world, member_web):
    other = member_web.get(f"/casussen/{world.other_case.id}")
    unknown = member_web.get(f"/casussen/{uuid.uuid4()}")
    assert other.status_code == unknown.status_code == 404
    assert other.get_data(as_text=True).replace(str(world.other_case.id), "") == unknown.get_data(
        as_text=True
    ).replace(unknown.request.path.rsplit("/", 1)[-1], "")
