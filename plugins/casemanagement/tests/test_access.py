"""Who sees a case: members of its team, its case manager and involved professionals — not
another team (404, as if absent) nor a policy officer. The same rule decides which persons
core shows (the relation the module contributes) and what the panels list."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from openregie_casemanagement.models import Involvement
from openregie_sdk.registry import Municipality
from openregie_sdk.testing.plugin import create_test_user, personal_token

API = "/api/v1/casemanagement"
SCOPES = ("casemanagement.case.read", "casemanagement.case.write", "core.person.read")


def bearer(app, user):
    return personal_token(app, user, SCOPES)


@pytest.fixture
def involved(app, db, world):
    """A professional of a partner organisation, in no team of this region: they hold the
    professional role only in another municipality, so no team or municipality scope
    reaches the Jansen case — only an involvement can. (The `partner` of the fixtures holds
    no permission at all, so even an involvement shows them nothing.)"""
    elsewhere = Municipality(cbs_code=f"GM{uuid.uuid4().int % 10000:04d}", name="Elders")
    db.add(elsewhere)
    db.commit()
    return create_test_user(
        app, "professional", roles=[("professional", elsewhere.id)], display_name="Ina Extern"
    )


def test_a_member_of_the_cases_team_sees_it(app, client, act_as, world, new_case):
    case = new_case(manager=world.manager)
    act_as(world.colleague)
    assert client.get(f"/casussen/{case.id}").status_code == 200
    assert (
        app.test_client()
        .get(f"{API}/cases/{case.id}", headers=bearer(app, world.colleague))
        .status_code
        == 200
    )


def test_a_professional_of_another_team_gets_404_everywhere(app, client, act_as, world, new_case):
    case = new_case()
    act_as(world.outsider)
    assert client.get(f"/casussen/{case.id}").status_code == 404
    assert client.get(f"/casussen/{case.id}/bewerken").status_code == 404
    api = app.test_client()
    headers = bearer(app, world.outsider)
    assert api.get(f"{API}/cases/{case.id}", headers=headers).status_code == 404
    moved = api.post(f"{API}/cases/{case.id}/transitions", json={"status": "plan"}, headers=headers)
    assert moved.status_code == 404
    listed = api.get(f"{API}/cases?kind=team&status=all", headers=headers).get_json()
    assert listed["total"] == 0


def test_the_case_manager_sees_a_case_of_another_team(app, client, act_as, world, new_case):
    case = new_case(team=world.zuid, manager=world.manager)
    act_as(world.manager)
    assert client.get(f"/casussen/{case.id}").status_code == 200
    act_as(world.colleague)
    assert client.get(f"/casussen/{case.id}").status_code == 404


def test_an_involved_professional_sees_the_case_until_the_involvement_ends(
    app, db, client, act_as, world, new_case, involved
):
    case = new_case()
    act_as(involved)
    assert client.get(f"/casussen/{case.id}").status_code == 404
    involvement = Involvement(
        case_id=case.id,
        kind="professional",
        user_id=involved.id,
        name="Ina Extern",
        role="Jeugdarts",
    )
    db.add(involvement)
    db.commit()
    assert client.get(f"/casussen/{case.id}").status_code == 200
    # and the persons of the case through core's person relation
    assert client.get(f"/personen/{world.tim.id}").status_code == 200
    involvement.active = False
    db.commit()
    assert client.get(f"/casussen/{case.id}").status_code == 404
    assert client.get(f"/personen/{world.tim.id}").status_code == 404


def test_a_policy_officer_sees_no_case(app, client, act_as, world, new_case):
    case = new_case()
    act_as(world.policy)
    assert client.get(f"/casussen/{case.id}").status_code in (403, 404)
    assert client.get("/casussen/").status_code == 403
    assert 'href="/casussen/"' not in client.get("/start").get_data(as_text=True)
    api = app.test_client().get(f"{API}/cases/{case.id}", headers={"Authorization": "Bearer x"})
    assert api.status_code == 401


def test_the_household_panel_lists_only_the_cases_the_actor_may_see(
    app, client, act_as, world, new_case
):
    new_case(title="Casus van Noord")
    new_case(title="Casus van Zuid", team=world.zuid, manager=world.outsider)
    act_as(world.outsider)
    html = client.get(f"/huishoudens/{world.household.id}").get_data(as_text=True)
    assert "Casus van Zuid" in html and "Casus van Noord" not in html
    assert "Nieuwe casus" in html
    act_as(world.colleague)
    html = client.get(f"/huishoudens/{world.household.id}").get_data(as_text=True)
    assert "Casus van Noord" in html and "Casus van Zuid" not in html


def test_the_person_panel_lists_the_persons_cases_and_records_the_read(
    app, db, client, act_as, world, new_case
):
    new_case(title="Over Anna en Tim")
    act_as(world.colleague)
    html = client.get(f"/personen/{world.anna.id}").get_data(as_text=True)
    assert "Over Anna en Tim" in html
    db.commit()
    reads = db.execute(
        text(
            "SELECT data_subject_id FROM core_audit_record WHERE module = 'casemanagement' "
            "AND action = 'read'"
        )
    ).all()
    assert {r.data_subject_id for r in reads} == {str(world.anna.id), str(world.tim.id)}


def test_the_worklist_of_a_team_member_does_not_show_other_teams(
    app, client, act_as, world, new_case
):
    new_case(title="Noord-casus")
    new_case(title="Zuid-casus", team=world.zuid, manager=world.outsider)
    act_as(world.colleague)
    html = client.get("/casussen/?kind=team").get_data(as_text=True)
    assert "Noord-casus" in html and "Zuid-casus" not in html


def test_household_of_a_closed_case_is_still_known_to_its_team(
    app, client, act_as, world, new_case
):
    new_case(status="afgesloten", closed_on=dt.date.today())
    act_as(world.colleague)
    assert client.get(f"/huishoudens/{world.household.id}").status_code == 200
