"""Each resident page, against OpenRegie's casemanagement module AND a deliberately
different in-memory provider: overview, plan (filter, update, 409, proposals, versions),
contact moments and appointments, documents (download, upload refusals), personal data,
who looked; and that nothing of another household is reachable (404)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from openregie_sdk.testing.conformance.casemanagement import pdf_bytes

pytestmark = pytest.mark.parametrize("provider_kind", ["ours", "fake"])

_spec = importlib.util.spec_from_file_location(
    "openregie_portal_test_login", Path(__file__).with_name("test_login.py")
)
_login = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_login)
csrf, mock_login = _login.csrf, _login.mock_login


@pytest.fixture
def parent(client, world) -> Any:
    mock_login(client, world.parent.bsn)
    return client


def _page(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True)


def test_the_overview_shows_case_manager_plan_and_what_needs_attention(parent, world):
    text_ = _page(parent, "/mijn/")
    assert "Mira Regie" in text_
    assert "Wij willen rust in onze financiën." in text_
    assert "Alle post in één map verzamelen." in text_  # an open action assigned to Anna
    assert "Aanmelden bij de schuldhulpverlening." not in text_  # the professional's


def test_the_plan_shows_goals_and_actions_and_filters_mine(parent, world):
    base = f"/mijn/casus/{world.case_id}/plan"
    everything = _page(parent, base)
    assert "Alle post in één map verzamelen." in everything
    assert "Aanmelden bij de schuldhulpverlening." in everything
    mine = _page(parent, base + "?filter=mijn")
    assert "Alle post in één map verzamelen." in mine
    assert "Aanmelden bij de schuldhulpverlening." not in mine


def _update(client, world, version: int, status: str = "done", comment: str = "") -> Any:
    page = _page(client, f"/mijn/casus/{world.case_id}/plan")
    return client.post(
        f"/mijn/casus/{world.case_id}/acties/{world.action_id}",
        data={"csrf_token": csrf(page), "version": version, "status": status, "comment": comment},
    )


def test_a_resident_marks_their_action_done_with_a_comment(parent, world):
    answer = _update(parent, world, 1, "done", "Map ligt klaar.")
    assert answer.status_code == 303
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    assert "Map ligt klaar." in page
    assert "De actie is bijgewerkt." in page


def test_an_update_on_an_old_version_gets_409_and_changes_nothing(parent, world):
    assert _update(parent, world, 1, "in_progress", "eerste").status_code == 303
    answer = _update(parent, world, 1, "done", "tweede")
    assert answer.status_code == 409
    assert "Tegelijk gewijzigd" in answer.get_data(as_text=True)
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    assert "eerste" in page and "tweede" not in page


def test_a_status_residents_may_not_give_is_refused_naming_the_field(parent, world):
    answer = _update(parent, world, 1, "cancelled")
    assert answer.status_code == 400
    assert 'id="status-' in answer.get_data(as_text=True)
    assert "aria-invalid" in answer.get_data(as_text=True)


def test_the_professionals_action_cannot_be_updated_by_the_resident(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    answer = parent.post(
        f"/mijn/casus/{world.case_id}/acties/{world.pro_action_id}",
        data={"csrf_token": csrf(page), "version": 1, "status": "done"},
    )
    assert answer.status_code == 400


def test_a_resident_proposes_a_goal_and_an_action_in_their_own_words(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    token = csrf(page)
    goal = parent.post(
        f"/mijn/casus/{world.case_id}/doelen",
        data={"csrf_token": token, "life_domain": "finances", "text": "Elke maand sparen."},
    )
    assert goal.status_code == 303
    action = parent.post(
        f"/mijn/casus/{world.case_id}/acties",
        data={"csrf_token": token, "goal_id": str(world.goal_id), "description": "Budget maken."},
    )
    assert action.status_code == 303
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    assert "Elke maand sparen." in page and "Budget maken." in page
    assert "Uw voorstel, nog niet besproken" in page


def test_an_empty_goal_proposal_is_refused_naming_the_field(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    answer = parent.post(
        f"/mijn/casus/{world.case_id}/doelen",
        data={"csrf_token": csrf(page), "life_domain": "finances", "text": ""},
    )
    assert answer.status_code == 400
    assert "Beschrijf uw doel." in answer.get_data(as_text=True)


def test_an_earlier_agreed_version_can_be_read(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    assert f"/mijn/casus/{world.case_id}/plan/versies/1" in page
    version = _page(parent, f"/mijn/casus/{world.case_id}/plan/versies/1")
    assert "Versie 1 van het plan" in version
    assert parent.get(f"/mijn/casus/{world.case_id}/plan/versies/99").status_code == 404


def test_only_visible_contact_moments_are_shown(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/contact")
    assert "Kennismaking thuis" in page
    assert "Intern overleg met de school." not in page


def test_a_resident_requests_an_appointment(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/contact")
    answer = parent.post(
        f"/mijn/casus/{world.case_id}/afspraak",
        data={
            "csrf_token": csrf(page),
            "subject": "Brief van de woningcorporatie",
            "channel": "phone",
            "preferred_moments": "dinsdagochtend",
        },
    )
    assert answer.status_code == 303
    page = _page(parent, f"/mijn/casus/{world.case_id}/contact")
    assert "Brief van de woningcorporatie" in page


def test_an_appointment_without_subject_is_refused_naming_the_field(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/contact")
    answer = parent.post(
        f"/mijn/casus/{world.case_id}/afspraak",
        data={
            "csrf_token": csrf(page),
            "subject": "",
            "channel": "phone",
            "preferred_moments": "x",
        },
    )
    assert answer.status_code == 400
    assert "Vul een onderwerp in." in answer.get_data(as_text=True)


def test_shared_documents_download_and_unshared_ones_do_not_exist(parent, world):
    page = _page(parent, f"/mijn/casus/{world.case_id}/documenten")
    assert "plan.pdf" in page and "intern-verslag.pdf" not in page
    download = parent.get(f"/mijn/casus/{world.case_id}/documenten/{world.shared_document_id}")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF-")
    assert "attachment" in download.headers["Content-Disposition"]
    hidden = parent.get(f"/mijn/casus/{world.case_id}/documenten/{world.unshared_document_id}")
    assert hidden.status_code == 404


def test_a_resident_uploads_a_document(parent, world):
    from io import BytesIO

    page = _page(parent, f"/mijn/casus/{world.case_id}/documenten")
    answer = parent.post(
        f"/mijn/casus/{world.case_id}/documenten",
        data={"csrf_token": csrf(page), "file": (BytesIO(pdf_bytes("mijn brief")), "brief.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303
    assert "brief.pdf" in _page(parent, f"/mijn/casus/{world.case_id}/documenten")


@pytest.mark.parametrize(
    ("content", "name"), [(b"", "leeg.pdf"), (b"MZ\x90\x00 not a document", "virus.exe")]
)
def test_a_refused_upload_names_the_file_field(parent, world, content, name):
    from io import BytesIO

    page = _page(parent, f"/mijn/casus/{world.case_id}/documenten")
    answer = parent.post(
        f"/mijn/casus/{world.case_id}/documenten",
        data={"csrf_token": csrf(page), "file": (BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert 'id="file-error"' in body
    assert name not in re.sub(r'value="[^"]*"', "", body.split("Een document toevoegen")[0])


def test_another_households_case_is_404_everywhere(parent, world):
    other = world.other_case_id
    for url in (
        f"/mijn/casus/{other}/plan",
        f"/mijn/casus/{other}/contact",
        f"/mijn/casus/{other}/documenten",
        f"/mijn/casus/{other}/plan/versies/1",
        f"/mijn/casus/{world.case_id}/documenten/{world.unshared_document_id}",
    ):
        assert parent.get(url).status_code == 404, url
    page = _page(parent, f"/mijn/casus/{world.case_id}/plan")
    posted = parent.post(
        f"/mijn/casus/{other}/afspraak",
        data={
            "csrf_token": csrf(page),
            "subject": "x",
            "channel": "phone",
            "preferred_moments": "x",
        },
    )
    assert posted.status_code == 404


def test_personal_data_is_shown_and_the_read_audited(parent, world, app):
    page = _page(parent, "/mijn/gegevens")
    assert "Anna Jansen" in page and "anna@example.org" in page


def test_who_looked_lists_access_by_organisation_and_role(parent, world):
    _page(parent, "/mijn/gegevens")
    page = _page(parent, "/mijn/wie-keek")
    assert "Wie keek in mijn gegevens" in page
    assert "inwoner (u of uw vertegenwoordiger)" in page


def test_every_resident_request_is_audited_with_on_whose_behalf(parent, world, app):
    _page(parent, f"/mijn/casus/{world.case_id}/plan")
    _page(parent, "/mijn/gegevens")
    engine = app.extensions["openregie"].engine
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select actor_kind, actor_id, on_behalf_of from core_audit_security "
                "where actor_kind = 'resident'"
            )
        ).all()
    assert rows
    assert all(str(row.on_behalf_of).replace("-", "") == world.parent.id.hex for row in rows)


@pytest.fixture
def app(make_app, provider_kind, request):
    """As conftest's, with a low upload limit so that the limit can be tested."""
    config = {"portal": {"upload_limit": "2 per hour"}}
    if provider_kind == "fake":
        request.getfixturevalue("fake_distribution")
        return make_app(["portal", "fakecases"], module_config=config)
    return make_app(["portal", "casemanagement"], module_config=config)


def test_uploads_are_rate_limited_per_resident(parent, world):
    from io import BytesIO

    page = _page(parent, f"/mijn/casus/{world.case_id}/documenten")
    codes = [
        parent.post(
            f"/mijn/casus/{world.case_id}/documenten",
            data={"csrf_token": csrf(page), "file": (BytesIO(pdf_bytes(str(n))), f"{n}.pdf")},
            content_type="multipart/form-data",
        ).status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 429]
