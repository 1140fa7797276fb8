"""One family, one plan: versions (agree, change, new draft, earlier versions readable with
what changed), progress that does not version, the family's proposals, residents updating
their own actions, optimistic locking (service, web, API) and the audit log per subject."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select, text

from openregie_casemanagement.models import ActionEvent, Case, Plan, PlanVersion
from openregie_casemanagement.services import plan as service
from openregie_casemanagement.services.plan import PartyRef
from openregie_sdk.capabilities.casemanagement import Refused, Stale
from openregie_sdk.testing.plugin import csrf_token_in
from openregie_sdk.testing.statements import Statements

TODAY = dt.date.today()


def _plan_with_goal(db: Any, world: Any, case: Case, actor: Any) -> tuple[Any, Any]:
    goal = service.add_goal(
        case.id,
        actor,
        life_domain="finances",
        text="Wij willen rondkomen zonder nieuwe schulden",
        owner=PartyRef("resident", world.anna.id),
        target_date=TODAY + dt.timedelta(days=90),
    )
    action = service.add_action(
        goal.id,
        actor,
        description="Afspraak maken bij de schuldhulp",
        assignee=PartyRef("resident", world.anna.id),
        due_on=TODAY + dt.timedelta(days=14),
    )
    db.commit()
    return goal, action


def _agree(db: Any, world: Any, case: Case, actor: Any, day: dt.date = TODAY) -> PlanVersion:
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    version = service.agree_plan(
        case.id,
        actor,
        expected_version=plan.version,
        agreed_on=day,
        family_person_ids=[world.anna.id],
    )
    db.commit()
    return version


def _audit(db: Any, activity: str, action: str) -> set[str]:
    rows = db.execute(
        text(
            "SELECT data_subject_id FROM core_audit_record "
            "WHERE processing_activity = :activity AND action = :action AND status = 'ok'"
        ),
        {"activity": activity, "action": action},
    )
    return {str(r[0]).replace("-", "") for r in rows}


def _ids(*persons: Any) -> set[str]:
    return {p.id.hex for p in persons}


# -- versions ---------------------------------------------------------------------------------


def test_agreeing_then_changing_starts_a_new_draft_and_keeps_the_agreed_version_readable(
    db, world, new_case, actor_of
):
    case = new_case(status="plan")
    actor = actor_of(world.manager)
    goal, _action = _plan_with_goal(db, world, case, actor)
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    assert (plan.current_number, plan.state) == (1, "draft")

    first = _agree(db, world, case, actor, TODAY - dt.timedelta(days=2))
    assert first.state == "agreed" and first.number == 1
    assert first.agreed_by == ["Anna Jansen", "Mira Manager"]
    assert first.changes == ["Eerste vastgestelde versie van het plan."]
    db.refresh(case)
    agreed_on = TODAY - dt.timedelta(days=2)
    assert case.evaluation_due_on is not None
    assert (case.evaluation_due_on.year * 12 + case.evaluation_due_on.month) - (
        agreed_on.year * 12 + agreed_on.month
    ) == 6

    service.update_goal(
        goal.id, actor, expected_version=goal.version, text="Rondkomen van ons inkomen"
    )
    service.add_action(
        goal.id,
        actor,
        description="Budgetcursus volgen",
        assignee=PartyRef("professional", world.manager.id),
    )
    db.commit()
    db.refresh(plan)
    assert (plan.current_number, plan.state) == (2, "draft")

    earlier = service.plan_version_view(case, 1)
    assert earlier.state == "agreed"
    assert [g.text for g in earlier.goals] == ["Wij willen rondkomen zonder nieuwe schulden"]
    assert [a.description for a in earlier.goals[0].actions] == ["Afspraak maken bij de schuldhulp"]
    living = service.plan_view(case)
    assert living.state == "draft" and living.version_number == 2
    assert (
        "Doel “Wij willen rondkomen zonder nieuwe schulden” gewijzigd in "
        "“Rondkomen van ons inkomen”." in living.changes
    )

    second = _agree(db, world, case, actor)
    assert second.number == 2
    assert (
        "Doel “Wij willen rondkomen zonder nieuwe schulden” gewijzigd in "
        "“Rondkomen van ons inkomen”." in second.changes
    )
    assert (
        "Actie toegevoegd bij doel “Rondkomen van ons inkomen”: “Budgetcursus volgen” "
        "(Mira Manager)." in second.changes
    )
    summaries = service.plan_versions(case)
    assert [(s.number, s.state) for s in summaries] == [(2, "agreed"), (1, "superseded")]
    assert service.plan_version_view(case, 1).goals[0].text == (
        "Wij willen rondkomen zonder nieuwe schulden"
    )


def test_progress_changes_do_not_start_a_new_version_but_record_who_and_when(
    db, world, new_case, actor_of
):
    case = new_case(status="uitvoering")
    actor = actor_of(world.colleague)
    goal, action = _plan_with_goal(db, world, case, actor)
    _agree(db, world, case, actor)

    service.update_action(action.id, actor, expected_version=action.version, status="done")
    service.update_goal(goal.id, actor, expected_version=goal.version, status="achieved")
    db.commit()

    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    assert (plan.current_number, plan.state) == (1, "agreed")
    assert action.changed_by == "Cees Collega" and action.status == "done"
    [event] = db.scalars(select(ActionEvent).where(ActionEvent.action_id == action.id)).all()
    assert (event.status, event.by_name, event.by_user_id) == (
        "done",
        "Cees Collega",
        world.colleague.id,
    )


def test_agreeing_needs_a_family_member_and_a_date_not_in_the_future(db, world, new_case, actor_of):
    case = new_case(status="plan")
    actor = actor_of(world.manager)
    _plan_with_goal(db, world, case, actor)
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    with pytest.raises(Refused) as none_chosen:
        service.agree_plan(
            case.id, actor, expected_version=plan.version, agreed_on=TODAY, family_person_ids=[]
        )
    assert none_chosen.value.field == "family"
    with pytest.raises(Refused) as future:
        service.agree_plan(
            case.id,
            actor,
            expected_version=plan.version,
            agreed_on=TODAY + dt.timedelta(days=1),
            family_person_ids=[world.anna.id],
        )
    assert future.value.field == "agreed_on"


def test_removing_deletes_a_never_agreed_goal_but_cancels_an_agreed_one(
    db, world, new_case, actor_of
):
    case = new_case(status="plan")
    actor = actor_of(world.manager)
    goal, action = _plan_with_goal(db, world, case, actor)
    draft_only = service.add_goal(case.id, actor, life_domain="housing", text="Een eigen huis")
    db.commit()
    assert service.remove_goal(draft_only.id, actor, expected_version=draft_only.version) is None
    db.commit()
    _agree(db, world, case, actor)

    removed = service.remove_goal(goal.id, actor, expected_version=goal.version)
    db.commit()
    assert removed is not None and removed.status == "cancelled"
    assert action.status == "cancelled"
    assert "Doel vervallen: “Wij willen rondkomen zonder nieuwe schulden”." in (
        service.plan_view(case).changes
    )


# -- proposals and residents ------------------------------------------------------------------


def test_resident_proposals_are_marked_theirs_and_accepted_or_discussed(
    db, world, new_case, actor_of
):
    case = new_case(status="uitvoering")
    actor = actor_of(world.manager)
    goal, _action = _plan_with_goal(db, world, case, actor)
    _agree(db, world, case, actor)

    proposed = service.propose_goal(
        case, world.anna, "social_network", "Vaker met vriendinnen afspreken"
    )
    idea = service.propose_action(goal, world.anna, "Zelf de post openmaken", TODAY)
    other = service.propose_goal(case, world.tim, "education", "Elke dag naar school")
    db.commit()
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    assert (plan.current_number, plan.state) == (1, "agreed"), "a proposal is no new version"
    assert (proposed.proposal, proposed.proposed_by_person_id) == ("proposed", world.anna.id)
    assert (idea.assignee_kind, idea.assignee_person_id) == ("resident", world.anna.id)
    assert idea.changed_by == "Anna (inwoner)"
    view = service.plan_view(case)
    marked = {g.text: g.proposal for g in view.goals}
    assert marked["Vaker met vriendinnen afspreken"] == "proposed"

    service.decide_proposal(
        "goal", proposed.id, actor, expected_version=proposed.version, decision="accepted"
    )
    service.decide_proposal(
        "goal", other.id, actor, expected_version=other.version, decision="discussed"
    )
    db.commit()
    db.refresh(plan)
    assert (plan.current_number, plan.state) == (2, "draft"), "accepting is a content change"
    view = service.plan_view(case)
    marked = {g.text: g.proposal for g in view.goals}
    assert marked["Vaker met vriendinnen afspreken"] == "accepted"
    assert marked["Elke dag naar school"] == "discussed"
    assert any("Vaker met vriendinnen afspreken" in c for c in view.changes)
    assert not any("Elke dag naar school" in c for c in view.changes)
    with pytest.raises(Refused):
        service.decide_proposal(
            "goal", other.id, actor, expected_version=other.version, decision="accepted"
        )


def test_resident_update_is_refused_for_someone_elses_action_and_a_bad_status(
    db, world, new_case, actor_of
):
    case = new_case(status="uitvoering")
    actor = actor_of(world.manager)
    _goal, action = _plan_with_goal(db, world, case, actor)
    _agree(db, world, case, actor)

    with pytest.raises(Refused) as foreign:
        service.resident_update_action(
            action, world.tim, expected_version=action.version, status="done"
        )
    assert foreign.value.field == "action_id"
    with pytest.raises(Refused) as bad:
        service.resident_update_action(
            action, world.anna, expected_version=action.version, status="cancelled"
        )
    assert bad.value.field == "status"
    with pytest.raises(Refused) as long_comment:
        service.resident_update_action(
            action, world.anna, expected_version=action.version, comment="x" * 2001
        )
    assert long_comment.value.field == "comment"
    with pytest.raises(Stale):
        service.resident_update_action(
            action, world.anna, expected_version=action.version - 1, status="done"
        )

    service.resident_update_action(
        action, world.anna, expected_version=action.version, status="in_progress", comment="Gebeld"
    )
    db.commit()
    assert (action.status, action.resident_comment, action.changed_by) == (
        "in_progress",
        "Gebeld",
        "Anna (inwoner)",
    )
    [event] = db.scalars(select(ActionEvent).where(ActionEvent.action_id == action.id)).all()
    assert (event.by_person_id, event.by_name, event.comment) == (
        world.anna.id,
        "Anna (inwoner)",
        "Gebeld",
    )
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    assert (plan.current_number, plan.state) == (1, "agreed")
    assert _ids(world.anna, world.tim) <= _audit(db, service.RESIDENT_ACTIVITY, "update")


# -- optimistic locking -----------------------------------------------------------------------


def test_a_stale_goal_or_action_update_is_refused_and_changes_nothing(
    db, world, new_case, actor_of
):
    case = new_case(status="plan")
    actor = actor_of(world.manager)
    goal, action = _plan_with_goal(db, world, case, actor)
    read = goal.version
    service.update_goal(goal.id, actor, expected_version=read, text="Eerste wijziging")
    db.commit()
    with pytest.raises(Stale) as stale:
        service.update_goal(goal.id, actor, expected_version=read, text="Tweede wijziging")
    assert stale.value.current_version == goal.version
    db.rollback()
    assert db.get(type(goal), goal.id).text == "Eerste wijziging"
    with pytest.raises(Stale):
        service.update_action(action.id, actor, expected_version=action.version + 5, status="done")


def test_web_stale_goal_edit_is_a_409_that_keeps_the_users_input(
    client, act_as, db, world, new_case, actor_of
):
    case = new_case(status="plan")
    goal, _action = _plan_with_goal(db, world, case, actor_of(world.manager))
    act_as(world.manager)
    url = f"/casussen/{case.id}/plan/doelen/{goal.id}"
    page = client.get(url)
    assert page.status_code == 200
    token = csrf_token_in(page.get_data(as_text=True))
    old_version = goal.version
    service.update_goal(
        goal.id, actor_of(world.colleague), expected_version=old_version, text="Door collega"
    )
    db.commit()

    response = client.post(
        url,
        data={
            "csrf_token": token,
            "life_domain": "finances",
            "text": "Mijn eigen nieuwe formulering",
            "owner": f"resident:{world.anna.id}",
            "target_date": "",
            "version": str(old_version),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Mijn eigen nieuwe formulering" in html
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Door collega" in html  # the current state is shown next to the input
    assert re.search(r'name="version"[^>]*value="%s"' % (old_version + 1), html)


def test_web_plan_flow_add_goal_and_action_agree_and_read_a_version(
    client, act_as, db, world, new_case
):
    case = new_case(status="plan")
    act_as(world.manager)
    page = client.get(f"/casussen/{case.id}/plan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "nog geen plan" in html
    token = csrf_token_in(html)

    added = client.post(
        f"/casussen/{case.id}/plan/doelen",
        data={
            "csrf_token": token,
            "goal-life_domain": "housing",
            "goal-text": "Een rustige woning voor ons gezin",
            "goal-owner": f"resident:{world.anna.id}",
            "goal-target_date": "",
        },
    )
    assert added.status_code == 303
    empty = client.post(
        f"/casussen/{case.id}/plan/doelen",
        data={"csrf_token": token, "goal-life_domain": "housing", "goal-text": ""},
    )
    assert empty.status_code == 400
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    goal_id = db.execute(text("SELECT id FROM casemanagement_goal")).scalars().all()
    assert len(goal_id) == 1
    [goal] = service._goals(plan)
    response = client.post(
        f"/casussen/{case.id}/plan/doelen/{goal.id}/acties",
        data={
            "csrf_token": token,
            f"action-{goal.id}-description": "Inschrijven bij de woningcorporatie",
            f"action-{goal.id}-assignee": f"professional:{world.manager.id}",
            f"action-{goal.id}-due_on": (TODAY + dt.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 303
    html = client.get(f"/casussen/{case.id}/plan").get_data(as_text=True)
    assert "Een rustige woning voor ons gezin" in html
    assert "Inschrijven bij de woningcorporatie" in html and "Mira Manager" in html

    db.refresh(plan)
    agreed = client.post(
        f"/casussen/{case.id}/plan/vaststellen",
        data={
            "csrf_token": token,
            "agree-agreed_on": TODAY.isoformat(),
            "agree-family": [str(world.anna.id)],
            "agree-version": str(plan.version),
        },
    )
    assert agreed.status_code == 303, agreed.get_data(as_text=True)
    version_page = client.get(f"/casussen/{case.id}/plan/versies/1")
    html = version_page.get_data(as_text=True)
    assert version_page.status_code == 200
    assert "Wat is er veranderd" in html and "Eerste vastgestelde versie" in html
    assert "Anna Jansen, Mira Manager" in html


def test_web_agree_with_a_plan_changed_since_reading_is_a_409(
    client, act_as, db, world, new_case, actor_of
):
    case = new_case(status="plan")
    _plan_with_goal(db, world, case, actor_of(world.manager))
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    read = plan.version
    service.add_goal(case.id, actor_of(world.colleague), life_domain="housing", text="Nieuw doel")
    db.commit()
    act_as(world.manager)
    token = csrf_token_in(client.get(f"/casussen/{case.id}/plan").get_data(as_text=True))
    response = client.post(
        f"/casussen/{case.id}/plan/vaststellen",
        data={
            "csrf_token": token,
            "agree-agreed_on": TODAY.isoformat(),
            "agree-family": [str(world.anna.id)],
            "agree-version": str(read),
        },
    )
    assert response.status_code == 409
    db.refresh(plan)
    assert plan.state == "draft"


def test_web_plan_is_not_found_for_another_teams_professional(client, act_as, world, new_case):
    case = new_case(status="plan")
    act_as(world.outsider)
    assert client.get(f"/casussen/{case.id}/plan").status_code == 404
    assert client.get(f"/casussen/{case.id}/zrm").status_code == 404


# -- API --------------------------------------------------------------------------------------


def test_api_creates_goals_and_actions_agrees_and_answers_409_on_a_stale_patch(
    app, db, world, new_case, bearer
):
    case = new_case(status="plan")
    headers = bearer(world.manager)
    api = app.test_client()
    base = "/api/v1/casemanagement"
    assert api.get(f"{base}/cases/{case.id}/plan", headers=headers).status_code == 404

    created = api.post(
        f"{base}/cases/{case.id}/plan/goals",
        json={
            "life_domain": "finances",
            "text": "Schulden op een rij",
            "owner": {"kind": "resident", "id": str(world.anna.id)},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    goal = created.get_json()
    assert goal["owner"]["name"] == "Anna Jansen" and goal["proposal"] is None
    action = api.post(
        f"{base}/goals/{goal['id']}/actions",
        json={
            "description": "Post sorteren",
            "assignee": {"kind": "resident", "id": str(world.tim.id)},
        },
        headers=headers,
    )
    assert action.status_code == 201
    body = action.get_json()

    changed = api.patch(
        f"{base}/actions/{body['id']}",
        json={"version": body["version"], "status": "in_progress"},
        headers=headers,
    )
    assert changed.status_code == 200 and changed.get_json()["status"] == "in_progress"
    stale = api.patch(
        f"{base}/actions/{body['id']}",
        json={"version": body["version"], "description": "Iets anders"},
        headers=headers,
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"]["fields"][0]["field"] == "version"
    stale_goal = api.patch(
        f"{base}/goals/{goal['id']}", json={"version": 99, "text": "x"}, headers=headers
    )
    assert stale_goal.status_code == 409

    plan = api.get(f"{base}/cases/{case.id}/plan", headers=headers).get_json()
    assert plan["plan"]["state"] == "draft" and len(plan["plan"]["goals"]) == 1
    agreed = api.post(
        f"{base}/cases/{case.id}/plan/agree",
        json={
            "version": plan["version"],
            "agreed_on": TODAY.isoformat(),
            "family_person_ids": [str(world.anna.id), str(world.tim.id)],
        },
        headers=headers,
    )
    assert agreed.status_code == 200, agreed.get_json()
    assert agreed.get_json()["plan"]["agreed_by"] == ["Anna Jansen", "Tim Jansen", "Mira Manager"]
    versions = api.get(f"{base}/cases/{case.id}/plan/versions", headers=headers).get_json()
    assert [(v["number"], v["state"]) for v in versions["items"]] == [(1, "agreed")]
    one = api.get(f"{base}/cases/{case.id}/plan/versions/1", headers=headers).get_json()
    assert one["goals"][0]["text"] == "Schulden op een rij"
    assert api.get(f"{base}/cases/{case.id}/plan/versions/7", headers=headers).status_code == 404

    again = api.post(
        f"{base}/cases/{case.id}/plan/agree",
        json={
            "version": plan["version"],
            "agreed_on": TODAY.isoformat(),
            "family_person_ids": [str(world.anna.id)],
        },
        headers=headers,
    )
    assert again.status_code == 409


def test_api_refuses_a_plan_version_number_beyond_the_column_with_a_400_naming_it(
    app, world, new_case, bearer
):
    # Found by tests/test_api_fuzz.py: a 70-bit number overflowed the driver (a 500).
    case = new_case(status="plan")
    base = f"/api/v1/casemanagement/cases/{case.id}/plan/versions"
    answer = app.test_client().get(f"{base}/{2**70}", headers=bearer(world.manager))
    assert answer.status_code == 400
    assert [f["field"] for f in answer.get_json()["error"]["fields"]] == ["number"]
    largest = app.test_client().get(f"{base}/{2**31 - 1}", headers=bearer(world.manager))
    assert largest.status_code == 404


def test_api_accepts_a_resident_proposal(app, db, world, new_case, actor_of, bearer):
    case = new_case(status="plan")
    goal, _action = _plan_with_goal(db, world, case, actor_of(world.manager))
    idea = service.propose_action(goal, world.anna, "Zelf bellen", None)
    db.commit()
    api = app.test_client()
    response = api.post(
        f"/api/v1/casemanagement/actions/{idea.id}/proposal",
        json={"version": idea.version, "decision": "accepted"},
        headers=bearer(world.manager),
    )
    assert response.status_code == 200 and response.get_json()["proposal"] == "accepted"
    assert response.get_json()["proposed_by_person_id"] == str(world.anna.id)


def test_api_is_not_found_for_a_case_of_another_team(app, world, new_case, bearer):
    case = new_case(status="plan")
    response = app.test_client().post(
        f"/api/v1/casemanagement/cases/{case.id}/plan/goals",
        json={"life_domain": "finances", "text": "x"},
        headers=bearer(world.outsider),
    )
    assert response.status_code == 404


# -- audit ------------------------------------------------------------------------------------


def test_reading_and_changing_the_plan_is_audited_for_each_person_of_the_case(
    client, act_as, db, world, new_case, actor_of
):
    case = new_case(status="plan")
    _plan_with_goal(db, world, case, actor_of(world.manager))
    assert _ids(world.anna, world.tim) <= _audit(db, "casemanagement.case.write", "create")
    act_as(world.manager)
    assert client.get(f"/casussen/{case.id}/plan").status_code == 200
    assert _ids(world.anna, world.tim) <= _audit(db, "casemanagement.case.read", "read")


def test_web_shows_proposals_marked_as_the_familys_and_the_case_manager_accepts_one(
    client, act_as, db, world, new_case, actor_of
):
    case = new_case(status="uitvoering")
    goal, _action = _plan_with_goal(db, world, case, actor_of(world.manager))
    proposed = service.propose_goal(case, world.anna, "housing", "Een grotere woning")
    idea = service.propose_action(goal, world.anna, "Zelf de bank bellen", None)
    db.commit()
    act_as(world.manager)
    html = client.get(f"/casussen/{case.id}/plan").get_data(as_text=True)
    assert "Voorstellen van het gezin" in html and "Een grotere woning" in html
    assert "Zelf de bank bellen" in html and "Voorstel van het gezin" in html
    accept = f"/casussen/{case.id}/plan/voorstellen/goal/{proposed.id}/accepted"
    assert accept in html
    token = csrf_token_in(html)
    response = client.post(accept, data={"csrf_token": token, "version": proposed.version})
    assert response.status_code == 303
    again = client.post(accept, data={"csrf_token": token, "version": proposed.version})
    assert again.status_code == 409
    discuss = f"/casussen/{case.id}/plan/voorstellen/action/{idea.id}/discussed"
    assert (
        client.post(discuss, data={"csrf_token": token, "version": idea.version}).status_code == 303
    )
    db.expire_all()
    assert service.plan_view(case) is not None
    marked = {g.text: g.proposal for g in service.plan_view(case).goals}
    assert marked["Een grotere woning"] == "accepted"
    html = client.get(f"/casussen/{case.id}/plan").get_data(as_text=True)
    assert "Besproken, niet overgenomen" in html


def test_web_quick_status_update_is_progress_and_a_stale_one_is_a_409(
    client, act_as, db, world, new_case, actor_of
):
    case = new_case(status="uitvoering")
    actor = actor_of(world.manager)
    _goal, action = _plan_with_goal(db, world, case, actor)
    _agree(db, world, case, actor)
    act_as(world.manager)
    token = csrf_token_in(client.get(f"/casussen/{case.id}/plan").get_data(as_text=True))
    url = f"/casussen/{case.id}/plan/acties/{action.id}/status"
    read = action.version
    done = client.post(url, data={"csrf_token": token, "status": "done", "version": read})
    assert done.status_code == 303
    stale = client.post(url, data={"csrf_token": token, "status": "open", "version": read})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.get_data(as_text=True)
    db.expire_all()
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    assert (plan.current_number, plan.state) == (1, "agreed")
    html = client.get(f"/casussen/{case.id}/plan").get_data(as_text=True)
    assert "Gedaan" in html and "Mira Manager" in html


def test_the_plan_page_needs_no_more_statements_for_more_goals_and_actions(
    app, client, act_as, db, world, new_case, actor_of
):
    actor = actor_of(world.manager)
    small, large = new_case(status="plan"), new_case(status="plan")
    for case, goals in ((small, 1), (large, 4)):
        for n in range(goals):
            goal, _action = _plan_with_goal(db, world, case, actor)
            service.add_action(
                goal.id,
                actor,
                description=f"Extra {n}",
                assignee=PartyRef("professional", world.lead.id),
            )
        service.propose_goal(case, world.tim, "education", "Elke dag naar school")
    db.commit()
    act_as(world.manager)
    engine = app.extensions["openregie"].engine

    def count(case: Case) -> int:
        with Statements(engine) as statements:
            assert client.get(f"/casussen/{case.id}/plan").status_code == 200
        return len(statements.seen)

    count(small)  # warm up
    assert count(large) == count(small)


def test_the_plan_operations_join_the_openapi_document(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    base = "/api/v1/casemanagement"
    assert set(paths[f"{base}/cases/{{case_id}}/plan"]) == {"get", "post"}
    assert "patch" in paths[f"{base}/goals/{{goal_id}}"]
    assert "patch" in paths[f"{base}/actions/{{action_id}}"]
    assert "post" in paths[f"{base}/cases/{{case_id}}/plan/agree"]
    assert set(paths[f"{base}/cases/{{case_id}}/zrm"]) == {"get", "post"}
    assert "PlanView" in document["components"]["schemas"]
