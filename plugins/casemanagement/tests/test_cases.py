"""Cases: opening one, the status workflow (service, pages and API agree on what is allowed),
closing with a reason, reopening, transfer, involved parties, optimistic locking and the
audit log per data subject."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import select, text

from openregie_casemanagement.models import Case, Involvement, Transition
from openregie_casemanagement.services import cases as service
from openregie_sdk import db_session
from openregie_sdk.capabilities.casemanagement import NotFound, Refused, Stale
from openregie_sdk.testing.plugin import csrf_token_in, personal_token

API = "/api/v1/casemanagement"
SCOPES = (
    "casemanagement.case.read",
    "casemanagement.case.write",
    "casemanagement.case.transfer",
    "core.person.read",
)


@contextmanager
def acting(app, db, actor_of, user):
    """Run services as `user` inside a request; commits at the end."""
    actor = actor_of(user)
    db.commit()
    with app.test_request_context():
        g.openregie_actor = actor
        yield actor
        db_session().commit()


def bearer(app, user):
    """A personal API token of `user` (acting as them) as a request header."""
    return personal_token(app, user, SCOPES)


def fresh(db, case_id) -> Case:
    db.expire_all()
    return db.get(Case, case_id)


def audit_rows(db, activity=None):
    db.commit()
    query = "SELECT action, processing_activity, data_subject_id FROM core_audit_record"
    rows = db.execute(text(query)).all()
    return [r for r in rows if activity is None or r.processing_activity == activity]


def fields_of(response) -> list[str]:
    return [f["field"] for f in response.get_json()["error"]["fields"]]


# -- the workflow through the service --------------------------------------------------------


def test_allowed_transitions_are_taken_and_each_is_kept_in_the_history(
    app, db, actor_of, world, new_case
):
    case = new_case(status="aanmelding")
    with acting(app, db, actor_of, world.manager) as actor:
        for step in ("intake", "plan", "uitvoering", "evaluatie", "plan"):
            service.transition(actor, case.id, step)
    assert fresh(db, case.id).status == "plan"
    steps = db.scalars(
        select(Transition).where(Transition.case_id == case.id).order_by(Transition.at)
    ).all()
    assert [(t.from_status, t.to_status) for t in steps] == [
        ("aanmelding", "intake"),
        ("intake", "plan"),
        ("plan", "uitvoering"),
        ("uitvoering", "evaluatie"),
        ("evaluatie", "plan"),
    ]
    assert {t.by_user_id for t in steps} == {world.manager.id}


@pytest.mark.parametrize(
    ("start", "target"),
    [("aanmelding", "plan"), ("intake", "evaluatie"), ("plan", "intake"), ("afgesloten", "intake")],
)
def test_a_transition_the_workflow_does_not_allow_is_refused_naming_status(
    app, db, actor_of, world, new_case, start, target
):
    case = new_case(status=start)
    with acting(app, db, actor_of, world.manager) as actor, pytest.raises(Refused) as refused:
        service.transition(actor, case.id, target)
    assert refused.value.field == "status"
    assert fresh(db, case.id).status == start


def test_closing_needs_a_closure_reason_and_records_it(app, db, actor_of, world, new_case):
    case = new_case(status="uitvoering")
    with acting(app, db, actor_of, world.manager) as actor:
        with pytest.raises(Refused) as missing:
            service.transition(actor, case.id, "afgesloten")
        assert missing.value.field == "closure_reason"
        with pytest.raises(Refused) as unknown:
            service.transition(actor, case.id, "afgesloten", closure_reason="zomaar")
        assert unknown.value.field == "closure_reason"
        with pytest.raises(Refused) as unexplained:
            service.transition(actor, case.id, "afgesloten", closure_reason="anders")
        assert unexplained.value.field == "reason"
        service.transition(actor, case.id, "afgesloten", closure_reason="doelen_bereikt")
    closed = fresh(db, case.id)
    assert (closed.status, closed.closure_reason) == ("afgesloten", "doelen_bereikt")
    assert closed.closed_on is not None


def test_reopening_a_closed_case_goes_back_to_intake_with_a_reason(
    app, db, actor_of, world, new_case
):
    case = new_case(status="afgesloten", closure_reason="verhuisd")
    with acting(app, db, actor_of, world.manager) as actor:
        with pytest.raises(Refused) as no_reason:
            service.reopen(actor, case.id, "  ")
        assert no_reason.value.field == "reason"
        service.reopen(actor, case.id, "Terugverhuisd naar de wijk")
    reopened = fresh(db, case.id)
    assert (reopened.status, reopened.closure_reason, reopened.closed_on) == ("intake", None, None)
    last = db.scalars(select(Transition).where(Transition.case_id == case.id)).all()[-1]
    assert (last.kind, last.reason) == ("reopen", "Terugverhuisd naar de wijk")


def test_only_a_closed_case_can_be_reopened(app, db, actor_of, world, new_case):
    case = new_case(status="plan")
    with acting(app, db, actor_of, world.manager) as actor, pytest.raises(Refused) as refused:
        service.reopen(actor, case.id, "waarom niet")
    assert refused.value.field == "status"


# -- opening a case ----------------------------------------------------------------------------


def _new(actor, world, **overrides):
    values = {
        "household_id": world.household.id,
        "team_id": world.noord.id,
        "title": "Schulden",
        "person_ids": [world.anna.id],
        "referral_source": "gp",
        "referral_reason": "Huisarts maakt zich zorgen",
        "urgency": "high",
        "life_domains": ["finances", "housing"],
    }
    values.update(overrides)
    return service.create_case(actor, **values)


def test_a_household_the_actor_cannot_see_gets_no_case(app, db, actor_of, world, new_case):
    # no relation to the household yet
    with acting(app, db, actor_of, world.colleague) as actor, pytest.raises(NotFound) as unseen:
        _new(actor, world)
    assert unseen.value.field == "household_id"


def test_opening_a_case_makes_the_creator_case_manager_and_starts_at_aanmelding(
    app, db, actor_of, world, new_case
):
    new_case(status="afgesloten")  # an earlier case of Noord: the team knows the household
    with acting(app, db, actor_of, world.colleague) as actor:
        case_id = _new(actor, world).id
    case = fresh(db, case_id)
    assert (case.status, case.case_manager_id, case.team_id) == (
        "aanmelding",
        world.colleague.id,
        world.noord.id,
    )
    with acting(app, db, actor_of, world.colleague):
        assert [p.id for p in service.case_persons(case)] == [world.anna.id]
        assert service.case_life_domains(case) == ["finances", "housing"]
    creates = [r for r in audit_rows(db) if r.action == "create"]
    assert [r.data_subject_id for r in creates] == [str(world.anna.id)]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"title": " "}, "title"),
        ({"referral_source": "buurman"}, "referral_source"),
        ({"urgency": "morgen"}, "urgency"),
        ({"life_domains": ["astrologie"]}, "life_domains"),
        ({"person_ids": []}, "person_ids"),
        ({"person_ids": [uuid.uuid4()]}, "person_ids"),
        ({"referral_reason": ""}, "referral_reason"),
    ],
)
def test_bad_input_for_a_new_case_is_refused_naming_the_field(
    app, db, actor_of, world, new_case, override, field
):
    new_case(status="afgesloten")
    with acting(app, db, actor_of, world.manager) as actor, pytest.raises(Refused) as refused:
        _new(actor, world, **override)
    assert refused.value.field == field


def test_a_case_can_only_be_opened_for_ones_own_team_with_a_member_as_case_manager(
    app, db, actor_of, world, new_case
):
    new_case(status="afgesloten")
    with acting(app, db, actor_of, world.manager) as actor:
        with pytest.raises(Refused) as other_team:
            _new(actor, world, team_id=world.zuid.id)
        assert other_team.value.field == "team_id"
        with pytest.raises(Refused) as not_a_member:
            _new(actor, world, case_manager_id=world.outsider.id)
        assert not_a_member.value.field == "case_manager_id"


# -- transfer ----------------------------------------------------------------------------------


def test_team_lead_transfers_a_case_to_another_team_and_case_manager(
    app, db, actor_of, world, new_case
):
    case = new_case(status="uitvoering")
    with acting(app, db, actor_of, world.lead) as actor:
        with pytest.raises(Refused) as not_member:
            service.transfer(
                actor,
                case.id,
                team_id=world.zuid.id,
                case_manager_id=world.colleague.id,
                reason="Verhuisd naar Zuid",
            )
        assert not_member.value.field == "case_manager_id"
        service.transfer(
            actor,
            case.id,
            team_id=world.zuid.id,
            case_manager_id=world.outsider.id,
            reason="Verhuisd naar Zuid",
        )
    moved = fresh(db, case.id)
    assert (moved.team_id, moved.case_manager_id) == (world.zuid.id, world.outsider.id)
    last = db.scalars(select(Transition).where(Transition.case_id == case.id)).all()[-1]
    assert (last.kind, last.from_team_id, last.to_team_id) == (
        "transfer",
        world.noord.id,
        world.zuid.id,
    )
    assert "Mira Manager → Otto Buiten" in last.reason


def test_a_professional_may_not_transfer_a_case(app, db, actor_of, world, new_case):
    case = new_case(status="uitvoering")
    with acting(app, db, actor_of, world.manager) as actor, pytest.raises(Refused):
        service.transfer(
            actor,
            case.id,
            team_id=world.noord.id,
            case_manager_id=world.colleague.id,
            reason="Vakantie",
        )
    assert fresh(db, case.id).case_manager_id == world.manager.id


def test_a_professional_is_refused_the_transfer_page_and_api(
    app, db, client, act_as, world, new_case
):
    case = new_case(status="uitvoering")
    act_as(world.manager)
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Casus overdragen" not in html
    response = client.post(
        f"/casussen/{case.id}/overdragen",
        data={"csrf_token": csrf_token_in(html), "team": str(world.noord.id)},
    )
    assert response.status_code == 403
    api = app.test_client().post(
        f"{API}/cases/{case.id}/transfer",
        json={
            "team_id": str(world.noord.id),
            "case_manager_id": str(world.colleague.id),
            "reason": "x",
        },
        headers=bearer(app, world.manager),
    )
    assert api.status_code == 403


def test_team_lead_transfers_through_the_page(app, db, client, act_as, world, new_case):
    case = new_case(status="plan")
    act_as(world.lead)
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Casus overdragen" in html
    response = client.post(
        f"/casussen/{case.id}/overdragen",
        data={
            "csrf_token": csrf_token_in(html),
            "version": str(case.version),
            "team": str(world.noord.id),
            "case_manager": str(world.colleague.id),
            "reason": "Werkverdeling",
        },
    )
    assert response.status_code == 303
    assert fresh(db, case.id).case_manager_id == world.colleague.id


# -- involved parties ----------------------------------------------------------------------------


def test_involved_parties_are_added_and_deactivated(app, db, actor_of, world, new_case):
    case = new_case()
    with acting(app, db, actor_of, world.manager) as actor:
        pro = service.add_involvement(
            actor, case.id, kind="professional", user_id=world.partner.id, role="Jeugdarts"
        )
        ext = service.add_involvement(
            actor,
            case.id,
            kind="external",
            name="Mevr. De Vries",
            role="Mentor school",
            phone="0575 123456",
            email="devries@school.example",
        )
        with pytest.raises(Refused) as twice:
            service.add_involvement(actor, case.id, kind="professional", user_id=world.partner.id)
        assert twice.value.field == "user_id"
        with pytest.raises(Refused) as no_name:
            service.add_involvement(actor, case.id, kind="external", name="", role="Huisarts")
        assert no_name.value.field == "name"
        with pytest.raises(Refused) as bad_mail:
            service.add_involvement(
                actor, case.id, kind="external", name="Dr. Bos", role="Huisarts", email="geen"
            )
        assert bad_mail.value.field == "email"
        service.deactivate_involvement(actor, case.id, pro.id)
        with pytest.raises(NotFound):
            service.deactivate_involvement(actor, case.id, uuid.uuid4())
        pro_id, ext_id = pro.id, ext.id
    db.expire_all()
    assert db.get(Involvement, pro_id).active is False
    assert (db.get(Involvement, pro_id).name, db.get(Involvement, ext_id).active) == (
        "Pim Partner",
        True,
    )


def test_involved_parties_through_the_pages(app, db, client, act_as, world, new_case):
    case = new_case()
    act_as(world.manager)
    html = client.get(f"/casussen/{case.id}?zoek=Partner").get_data(as_text=True)
    assert "Pim Partner" in html
    token = csrf_token_in(html)
    added = client.post(
        f"/casussen/{case.id}/betrokkenen/professional",
        data={"csrf_token": token, "user_id": str(world.partner.id), "role": "Jeugdarts"},
    )
    assert added.status_code == 303
    refused = client.post(
        f"/casussen/{case.id}/betrokkenen/extern",
        data={"csrf_token": token, "name": "Dr. Bos", "role": "Huisarts", "phone": "bel maar"},
    )
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "Dit is geen geldig telefoonnummer." in body
    assert 'value="Dr. Bos"' in body  # the input is kept
    involvement = db.scalar(select(Involvement).where(Involvement.case_id == case.id))
    ended = client.post(
        f"/casussen/{case.id}/betrokkenen/{involvement.id}/beeindigen",
        data={"csrf_token": token},
    )
    assert ended.status_code == 303
    db.expire_all()
    assert db.get(Involvement, involvement.id).active is False


# -- the pages -----------------------------------------------------------------------------------


def test_the_household_panel_links_to_a_new_case_and_the_form_opens_it(
    app, db, client, act_as, world, new_case
):
    new_case(status="afgesloten", title="Eerdere casus")
    act_as(world.manager)
    household = client.get(f"/huishoudens/{world.household.id}")
    assert household.status_code == 200
    html = household.get_data(as_text=True)
    assert f"/casussen/nieuw?household={world.household.id}" in html
    form = client.get(f"/casussen/nieuw?household={world.household.id}")
    assert form.status_code == 200
    response = client.post(
        f"/casussen/nieuw?household={world.household.id}",
        data={
            "csrf_token": csrf_token_in(form.get_data(as_text=True)),
            "title": "Opvoeding",
            "team": str(world.noord.id),
            "persons": [str(world.tim.id)],
            "referral_source": "school",
            "referral_reason": "Veel verzuim",
            "urgency": "normal",
            "life_domains": ["parenting", "education"],
        },
    )
    assert response.status_code == 303
    case_id = re.search(r"/casussen/([0-9a-f-]{36})", response.headers["Location"]).group(1)
    case = fresh(db, uuid.UUID(case_id))
    assert (case.title, case.case_manager_id, case.status) == (
        "Opvoeding",
        world.manager.id,
        "aanmelding",
    )
    panel = client.get(f"/huishoudens/{world.household.id}").get_data(as_text=True)
    assert "Opvoeding" in panel


def test_new_case_form_refuses_bad_input_with_400_on_the_field(
    app, client, act_as, world, new_case
):
    new_case(status="afgesloten")
    act_as(world.manager)
    form = client.get(f"/casussen/nieuw?household={world.household.id}")
    response = client.post(
        f"/casussen/nieuw?household={world.household.id}",
        data={
            "csrf_token": csrf_token_in(form.get_data(as_text=True)),
            "title": "Opvoeding",
            "team": str(world.noord.id),
            "referral_source": "school",
            "referral_reason": "Veel verzuim",
            "urgency": "normal",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="persons-error"' in html
    assert 'value="Opvoeding"' in html


def test_new_case_for_a_household_the_actor_cannot_see_is_404(app, client, act_as, world):
    act_as(world.policy)
    assert client.get(f"/casussen/nieuw?household={world.household.id}").status_code in (403, 404)
    act_as(world.manager)
    assert client.get(f"/casussen/nieuw?household={uuid.uuid4()}").status_code == 404


def test_the_status_buttons_show_allowed_steps_and_the_page_refuses_others(
    app, db, client, act_as, world, new_case
):
    case = new_case(status="intake")
    act_as(world.manager)
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Naar Plan" in html and "Naar Uitvoering" not in html
    token = csrf_token_in(html)
    refused = client.post(
        f"/casussen/{case.id}/status",
        data={"csrf_token": token, "version": str(case.version), "status": "evaluatie"},
    )
    assert refused.status_code == 400
    assert "kan niet naar Evaluatie" in refused.get_data(as_text=True)
    no_reason = client.post(
        f"/casussen/{case.id}/status",
        data={"csrf_token": token, "version": str(case.version), "status": "afgesloten"},
    )
    assert no_reason.status_code == 400
    assert 'id="closure_reason-error"' in no_reason.get_data(as_text=True)
    moved = client.post(
        f"/casussen/{case.id}/status",
        data={"csrf_token": token, "version": str(case.version), "status": "plan"},
    )
    assert moved.status_code == 303
    assert fresh(db, case.id).status == "plan"


def test_close_and_reopen_through_the_page(app, db, client, act_as, world, new_case):
    case = new_case(status="evaluatie")
    act_as(world.manager)
    token = csrf_token_in(client.get(f"/casussen/{case.id}").get_data(as_text=True))
    closed = client.post(
        f"/casussen/{case.id}/status",
        data={
            "csrf_token": token,
            "version": str(case.version),
            "status": "afgesloten",
            "closure_reason": "doelen_bereikt",
        },
    )
    assert closed.status_code == 303
    case = fresh(db, case.id)
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Casus heropenen" in html
    reopened = client.post(
        f"/casussen/{case.id}/heropenen",
        data={"csrf_token": token, "version": str(case.version), "reason": "Nieuwe zorgen"},
    )
    assert reopened.status_code == 303
    assert fresh(db, case.id).status == "intake"


# -- optimistic locking --------------------------------------------------------------------------


def test_a_stale_edit_gets_409_keeps_the_input_and_changes_nothing(
    app, db, client, act_as, actor_of, world, new_case
):
    case = new_case(title="Oud")
    act_as(world.manager)
    form = client.get(f"/casussen/{case.id}/bewerken").get_data(as_text=True)
    seen_version = case.version
    with acting(app, db, actor_of, world.colleague) as actor:
        service.update_case(actor, case.id, expected_version=seen_version, title="Van collega")
    response = client.post(
        f"/casussen/{case.id}/bewerken",
        data={
            "csrf_token": csrf_token_in(form),
            "version": str(seen_version),
            "title": "Mijn nieuwe titel",
            "persons": [str(world.anna.id)],
            "referral_source": "self",
            "referral_reason": "Eigen aanmelding",
            "urgency": "normal",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert 'value="Mijn nieuwe titel"' in html
    assert fresh(db, case.id).title == "Van collega"


def test_a_stale_version_is_refused_by_the_service(app, db, actor_of, world, new_case):
    case = new_case()
    with acting(app, db, actor_of, world.manager) as actor, pytest.raises(Stale) as stale:
        service.update_case(actor, case.id, expected_version=case.version + 5, title="x")
    assert stale.value.current_version == case.version
    with acting(app, db, actor_of, world.manager) as actor, pytest.raises(Refused) as unknown:
        service.update_case(actor, case.id, expected_version=case.version, status="plan")
    assert unknown.value.field == "status"


# -- the API -------------------------------------------------------------------------------------


def test_api_opens_reads_changes_and_moves_a_case(app, db, world, new_case):
    new_case(status="afgesloten")
    api = app.test_client()
    headers = bearer(app, world.manager)
    created = api.post(
        f"{API}/cases",
        json={
            "household_id": str(world.household.id),
            "team_id": str(world.noord.id),
            "title": "Wonen",
            "person_ids": [str(world.anna.id), str(world.tim.id)],
            "referral_source": "veilig_thuis",
            "referral_reason": "Melding",
            "urgency": "crisis",
            "life_domains": ["housing"],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert (case["status"], case["case_manager_id"]) == ("aanmelding", str(world.manager.id))
    url = f"{API}/cases/{case['id']}"
    assert api.get(url, headers=headers).get_json()["next_statuses"] == ["intake", "afgesloten"]

    changed = api.patch(
        url, json={"version": case["version"], "title": "Wonen en geld"}, headers=headers
    )
    assert changed.status_code == 200 and changed.get_json()["title"] == "Wonen en geld"
    stale = api.patch(url, json={"version": case["version"], "title": "Te laat"}, headers=headers)
    assert stale.status_code == 409
    assert fields_of(stale) == ["version"]

    refused = api.post(f"{url}/transitions", json={"status": "plan"}, headers=headers)
    assert refused.status_code == 400 and fields_of(refused) == ["status"]
    unknown = api.post(f"{url}/transitions", json={"status": "klaar"}, headers=headers)
    assert unknown.status_code == 400 and "status" in fields_of(unknown)
    moved = api.post(f"{url}/transitions", json={"status": "intake"}, headers=headers)
    assert moved.status_code == 200 and moved.get_json()["status"] == "intake"
    no_reason = api.post(f"{url}/transitions", json={"status": "afgesloten"}, headers=headers)
    assert no_reason.status_code == 400 and fields_of(no_reason) == ["closure_reason"]
    closed = api.post(
        f"{url}/transitions",
        json={"status": "afgesloten", "closure_reason": "geen_hulpvraag"},
        headers=headers,
    )
    assert closed.get_json()["status"] == "afgesloten"
    reopened = api.post(f"{url}/reopen", json={"reason": "Opnieuw"}, headers=headers)
    assert reopened.get_json()["status"] == "intake"
    assert [h["kind"] for h in reopened.get_json()["history"]] == [
        "status",
        "status",
        "status",
        "reopen",
    ]

    party = api.post(
        f"{url}/involvements",
        json={"kind": "external", "name": "Dr. Bos", "role": "Huisarts"},
        headers=headers,
    )
    assert party.status_code == 201
    ended = api.delete(f"{url}/involvements/{party.get_json()['id']}", headers=headers)
    assert ended.status_code == 200 and ended.get_json()["active"] is False


def test_api_bad_input_gets_400_naming_the_field(app, world, new_case):
    new_case(status="afgesloten")
    api = app.test_client()
    headers = bearer(app, world.manager)
    missing = api.post(f"{API}/cases", json={"title": "x"}, headers=headers)
    assert missing.status_code == 400 and "household_id" in fields_of(missing)
    case = new_case()
    extra = api.patch(
        f"{API}/cases/{case.id}", json={"version": 1, "status": "plan"}, headers=headers
    )
    assert extra.status_code == 400 and "status" in fields_of(extra)
    page = api.get(f"{API}/cases?page=0", headers=headers)
    assert page.status_code == 400 and "page" in fields_of(page)
    outsider_person = api.post(
        f"{API}/cases",
        json={
            "household_id": str(world.household.id),
            "team_id": str(world.noord.id),
            "title": "x",
            "person_ids": [str(uuid.uuid4())],
            "referral_source": "self",
            "referral_reason": "y",
        },
        headers=headers,
    )
    assert outsider_person.status_code == 400 and fields_of(outsider_person) == ["person_ids"]


# -- audit ---------------------------------------------------------------------------------------


def test_reading_a_case_is_audited_once_per_person_it_concerns(
    app, db, client, act_as, world, new_case
):
    case = new_case()
    act_as(world.manager)
    assert client.get(f"/casussen/{case.id}").status_code == 200
    reads = [r for r in audit_rows(db, "casemanagement.case.read") if r.action == "read"]
    assert sorted(r.data_subject_id for r in reads) == sorted(
        [str(world.anna.id), str(world.tim.id)]
    )


def test_a_status_change_is_audited_for_every_person_of_the_case(
    app, db, actor_of, world, new_case
):
    case = new_case(status="intake")
    with acting(app, db, actor_of, world.manager) as actor:
        service.transition(actor, case.id, "plan")
    updates = [r for r in audit_rows(db, "casemanagement.case.write") if r.action == "update"]
    assert sorted(r.data_subject_id for r in updates) == sorted(
        [str(world.anna.id), str(world.tim.id)]
    )
