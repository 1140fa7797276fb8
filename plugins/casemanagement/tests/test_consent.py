"""With the consent module, a professional involved in a case from outside its team sees
the case only while the residents' consent is in force (or under an audited override);
a withdrawal hides it on every read path from the next request. Without the module,
nothing changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, text

from openregie_casemanagement import access
from openregie_casemanagement.models import Case, Involvement
from openregie_casemanagement.services import records
from openregie_sdk import capability
from openregie_sdk.registry import LegalRepresentation, Membership
from openregie_sdk.testing.plugin import create_test_user, csrf_token_in, personal_token

API = "/api/v1/casemanagement"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SCOPES = ("casemanagement.case.read", "core.person.read")


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["casemanagement", "consent"]


@pytest.fixture
def school(app: Any, db: Any, world: SimpleNamespace) -> Any:
    """Sanne, a professional of the partner organisation (world.organisation) seconded to
    team Zuid: not a member of the Noord case's team."""
    user = create_test_user(app, "professional", roles=[], display_name="Sanne School")
    db.add(
        Membership(
            user_id=user.id,
            team_id=world.zuid.id,
            role="professional",
            home_organisation_id=world.organisation.id,
            start_on=dt.date(2020, 1, 1),
        )
    )
    # Anna has parental authority over Tim (12), so both give consent for him.
    db.add(
        LegalRepresentation(
            representative_id=world.anna.id,
            represented_id=world.tim.id,
            kind="parental_authority",
            start_on=dt.date(2014, 6, 1),
        )
    )
    db.commit()
    return user


@pytest.fixture
def shared_case(db: Any, world: SimpleNamespace, new_case: Any, school: Any, actor_of: Any) -> Any:
    """A Noord case (evaluation due today, one document) in which Sanne is involved."""
    case = new_case(title="Zorgen om Tim", evaluation_due_on=dt.date.today())
    db.add(
        Involvement(
            case_id=case.id, kind="professional", user_id=school.id, name="Sanne School", role="IB"
        )
    )
    document = records.upload_document(
        actor_of(world.manager), case.id, filename="verslag.pdf", content=PDF
    )
    db.commit()
    return SimpleNamespace(case=case, document=document)


def _consent(db: Any, world: SimpleNamespace, status: str = "given", **fields: Any) -> None:
    consent = capability("consent")
    for person, by in ((world.anna, [world.anna.id]), (world.tim, [world.tim.id, world.anna.id])):
        consent.record(
            person.id,
            purpose="team_partner",
            recipient_id=world.organisation.id,
            recipient_kind="organisation",
            status=status,
            given_by_person_ids=by if status != "withdrawn" else [world.anna.id],
            obtained="written",
            recorded_by_user_id=world.manager.id,
            **fields,
        )
    db.commit()


def _every_read_path(app: Any, client: Any, world: SimpleNamespace, shared: Any, user: Any) -> dict:
    """What `user` gets on each read path of the case and its persons."""
    case, document = shared.case, shared.document
    api = app.test_client()
    headers = personal_token(app, user, SCOPES)
    return {
        "detail": client.get(f"/casussen/{case.id}").status_code,
        "worklist": "Zorgen om Tim" in client.get("/casussen/?kind=evaluations_due").get_data(True),
        "search": "Tim" in client.get("/personen/?naam=jansen").get_data(as_text=True),
        "person": client.get(f"/personen/{world.tim.id}").status_code,
        "household": client.get(f"/huishoudens/{world.household.id}").status_code,
        "download": client.get(f"/casussen/{case.id}/documenten/{document.id}/bestand").status_code,
        "api": api.get(f"{API}/cases/{case.id}", headers=headers).status_code,
        "api_list": api.get(
            f"{API}/cases?kind=evaluations_due&status=all", headers=headers
        ).get_json()["total"],
        "api_download": api.get(
            f"{API}/documents/{document.id}/content", headers=headers
        ).status_code,
    }


SEES = {
    "detail": 200,
    "worklist": True,
    "search": True,
    "person": 200,
    "household": 200,
    "download": 200,
    "api": 200,
    "api_list": 1,
    "api_download": 200,
}
BLOCKED = {
    "detail": 403,
    "worklist": False,
    "search": False,
    "person": 404,
    "household": 404,
    "download": 404,
    "api": 404,
    "api_list": 0,
    "api_download": 404,
}


def test_withdrawn_consent_hides_the_case_from_the_partner_organisation_everywhere(
    app, db, client, act_as, world, school, shared_case
):
    act_as(school)
    assert _every_read_path(app, client, world, shared_case, school) == BLOCKED
    _consent(db, world)
    assert _every_read_path(app, client, world, shared_case, school) == SEES
    _consent(db, world, "withdrawn")
    assert _every_read_path(app, client, world, shared_case, school) == BLOCKED


def test_consent_of_only_one_person_of_the_case_is_not_enough(
    app, db, client, act_as, world, school, shared_case
):
    capability("consent").record(
        world.anna.id,
        purpose="team_partner",
        recipient_id=world.organisation.id,
        recipient_kind="organisation",
        status="given",
        given_by_person_ids=[world.anna.id],
        obtained="verbal",
    )
    db.commit()
    act_as(school)
    assert client.get(f"/casussen/{shared_case.case.id}").status_code == 403


def test_an_expired_consent_hides_the_case_from_the_next_request(
    app, db, client, act_as, world, school, shared_case
):
    _consent(db, world)
    act_as(school)
    assert client.get(f"/casussen/{shared_case.case.id}").status_code == 200
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.execute(text("UPDATE consent_record SET valid_until = :past"), {"past": past})
    db.commit()
    assert client.get(f"/casussen/{shared_case.case.id}").status_code == 403


def test_members_of_the_cases_team_need_no_consent(app, db, client, act_as, world, shared_case):
    act_as(world.colleague)
    assert client.get(f"/casussen/{shared_case.case.id}").status_code == 200


def test_the_override_shows_the_case_is_audited_and_flagged_for_the_team_lead(
    app, db, client, act_as, world, school, shared_case
):
    case = shared_case.case
    act_as(school)
    page = client.get(f"/casussen/{case.id}")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "Toestemming doorbreken" in html and "Zorgen om Tim" not in html
    refused = client.post(
        f"/casussen/{case.id}/doorbreken",
        data={"csrf_token": csrf_token_in(html), "reason": "", "hours": "4"},
    )
    assert refused.status_code == 400
    assert "utrecht-form-field-error-message" in refused.get_data(as_text=True)
    done = client.post(
        f"/casussen/{case.id}/doorbreken",
        data={
            "csrf_token": csrf_token_in(html),
            "reason": "Melding van school over de veiligheid van Tim",
            "hours": "4",
        },
    )
    assert done.status_code == 303
    assert client.get(f"/casussen/{case.id}").status_code == 200
    db.expire_all()
    overrides = db.execute(text("SELECT subject_id, review_team_id FROM consent_override")).all()
    assert {str(r.subject_id).replace("-", "") for r in overrides} == {
        world.anna.id.hex,
        world.tim.id.hex,
    }
    audited = db.execute(
        text("SELECT data_subject_id FROM core_audit_record WHERE action = 'override'")
    ).all()
    assert {r.data_subject_id for r in audited} == {str(world.anna.id), str(world.tim.id)}
    # The team lead of Noord sees it on the review list and marks it reviewed.
    act_as(world.lead)
    review = client.get("/toestemming/doorbrekingen")
    assert review.status_code == 200
    review_html = review.get_data(as_text=True)
    assert "Melding van school over de veiligheid van Tim" in review_html
    override_id = uuid.UUID(str(db.execute(text("SELECT id FROM consent_override")).scalar()))
    marked = client.post(
        f"/toestemming/doorbrekingen/{override_id}/beoordeeld",
        data={"csrf_token": csrf_token_in(review_html), "review_note": "Terecht"},
    )
    assert marked.status_code == 303
    assert "Er zijn geen doorbrekingen te beoordelen." in client.get(
        "/toestemming/doorbrekingen"
    ).get_data(as_text=True)
    reviewed = db.execute(
        text("SELECT count(*) FROM consent_override WHERE reviewed_at IS NOT NULL")
    )
    assert reviewed.scalar() == 2  # one doorbreking, both residents of the case
    # Another team's lead does not.
    zuid_lead = create_test_user(app, "professional", roles=[], display_name="Zuid Leider")
    db.add(
        Membership(
            user_id=zuid_lead.id,
            team_id=world.zuid.id,
            role="team_lead",
            start_on=dt.date(2020, 1, 1),
        )
    )
    db.commit()
    act_as(zuid_lead)
    assert "Melding van school" not in client.get("/toestemming/doorbrekingen").get_data(True)


def test_only_holders_of_the_override_permission_may_break_through(
    app, db, client, act_as, world, shared_case
):
    act_as(world.policy)
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    refused = client.post(
        f"/casussen/{shared_case.case.id}/doorbreken",
        data={"csrf_token": token, "reason": "Ik wil het graag zien", "hours": "4"},
    )
    assert refused.status_code == 403
    assert db.execute(text("SELECT count(*) FROM consent_override")).scalar() == 0


def test_the_case_page_warns_before_sharing_with_a_professional_without_consent(
    app, db, client, act_as, world, school, shared_case
):
    act_as(world.manager)
    html = client.get(f"/casussen/{shared_case.case.id}?zoek=Sanne").get_data(as_text=True)
    assert "u staat op het punt gegevens te delen zonder toestemming" in html
    assert "Sanne School — geen toestemming van de inwoners" in html
    assert "ziet deze casus niet" in html
    _consent(db, world)
    html = client.get(f"/casussen/{shared_case.case.id}?zoek=Sanne").get_data(as_text=True)
    assert "zonder toestemming" not in html and "ziet deze casus niet" not in html


class TestWithoutTheConsentModule:
    @pytest.fixture
    def openregie_modules(self) -> list[str]:
        return ["casemanagement"]

    def test_an_involved_professional_sees_the_case_as_before(
        self, app, db, client, act_as, world, school, shared_case
    ):
        assert capability("consent") is None
        act_as(school)
        assert _every_read_path(app, client, world, shared_case, school) == SEES
        html = client.get(f"/casussen/{shared_case.case.id}").get_data(as_text=True)
        assert "toestemming" not in html.lower()


def _visible_ids(db: Any, predicate: Any) -> set:
    return set(db.scalars(select(Case.id).where(predicate)))


def test_the_predicate_is_built_once_per_actor_and_takes_its_moment_at_execution(
    app, db, world, school, shared_case, actor_of, monkeypatch
):
    now = dt.datetime.now(dt.UTC)
    _consent(db, world, valid_until=now + dt.timedelta(days=1))
    sanne = actor_of(school)
    predicate = access.visible_cases(sanne)
    # The same object on the next call (the next request): not rebuilt.
    assert access.visible_cases(sanne) is predicate
    assert access.persons_related(sanne) is access.persons_related(sanne)
    assert _visible_ids(db, predicate) == {shared_case.case.id}
    # Two days later the consent has expired: the very same predicate now hides the case,
    # because "now" is a bind parameter taken when the statement executes.
    monkeypatch.setattr(access, "utcnow", lambda: now + dt.timedelta(days=2))
    assert access.visible_cases(sanne) is predicate
    assert _visible_ids(db, predicate) == set()


def test_grants_and_consent_settings_are_part_of_the_predicates_key(
    app, db, world, school, actor_of
):
    sanne = actor_of(school)
    other = actor_of(world.colleague)
    assert access.visible_cases(sanne) is not access.visible_cases(other)
    assert access.visible_cases(sanne) is not access.visible_cases(sanne, consent=False)
    # A grant more or less is another actor, so another key (it cannot see a stale rule).
    assert access.visible_cases(sanne) is not access.visible_cases(
        dataclasses.replace(sanne, grants=sanne.grants[:-1])
    )
    assert access.visible_cases(sanne) is not access.visible_cases(sanne, access.WRITE)


def test_a_consent_provider_older_than_1_2_gets_a_predicate_built_per_call(
    app, db, world, school, shared_case, actor_of, monkeypatch
):
    real = capability("consent")

    class Provider11:
        """A 1.1 provider: no `condition_key`, `shared_condition` wants a datetime."""

        def gated_purposes(self, relation: str) -> Any:
            return real.gated_purposes(relation)

        def shared_condition(self, relation, subject_id, recipients, at, *, actor_id=None):
            assert isinstance(at, dt.datetime)
            return real.shared_condition(relation, subject_id, recipients, at, actor_id=actor_id)

    monkeypatch.setattr(access, "consent_provider", Provider11)
    sanne = actor_of(school)
    assert access.visible_cases(sanne) is not access.visible_cases(sanne)
    assert _visible_ids(db, access.visible_cases(sanne)) == set()
    _consent(db, world)
    assert _visible_ids(db, access.visible_cases(sanne)) == {shared_case.case.id}
