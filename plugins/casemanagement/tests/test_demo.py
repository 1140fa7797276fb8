"""Demo data: about a third of the households get a case whose history, plan, allocations
and records agree with its status; seeding twice adds nothing; the demo `regisseur` manages
several cases."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from openregie_casemanagement.codes import OPEN_STATUSES, TRANSITIONS
from openregie_casemanagement.demo import openregie_demo_data
from openregie_casemanagement.models import (
    Action,
    Allocation,
    AppointmentRequest,
    Case,
    CasePerson,
    ContactMoment,
    Goal,
    Note,
    Plan,
    PlanVersion,
    Transition,
    ZrmAssessment,
)
from openregie_sdk.contributions import DemoContext
from openregie_sdk.registry import Household, HouseholdMember, Membership, Person
from openregie_sdk.testing.plugin import seed_demo

D = dt.date


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def households(db, world):
    """30 more households besides the Jansens: a parent with one to three children, or a
    single adult."""
    rng = random.Random(7)
    for index in range(30):
        household = Household(name=f"Huishouden {index}")
        db.add(household)
        db.flush()
        people = [("parent", D(1970 + rng.randint(0, 20), 1 + index % 12, 1))]
        if index % 3:
            people += [("child", D(2008 + rng.randint(0, 15), 6, 1)) for _ in range(index % 3)]
        for role, born in people:
            person = Person(
                voornamen=rng.choice(("Fatima", "Jan", "Noor", "Daan", "Sem", "Lotte")),
                geslachtsnaam=f"Demo{index}",
                search_name=f"demo{index}",
                birth_date=born,
            )
            db.add(person)
            db.flush()
            db.add(
                HouseholdMember(
                    household_id=household.id, person_id=person.id, role=role, start_on=born
                )
            )
    db.commit()
    return 31


def _seed(db, seed=262):
    openregie_demo_data(
        context=DemoContext(session=db, rng=random.Random(seed), progress=lambda message: None)
    )
    db.commit()


def check_consistency(db) -> None:
    """Every rule the demo data must keep, over all its cases."""
    today = dt.date.today()
    cases = {c.id: c for c in db.scalars(select(Case))}
    members = defaultdict(set)
    for household_id, person_id in db.execute(
        select(HouseholdMember.household_id, HouseholdMember.person_id)
    ):
        members[household_id].add(person_id)
    team_members = defaultdict(set)
    for team_id, user_id in db.execute(select(Membership.team_id, Membership.user_id)):
        team_members[team_id].add(user_id)
    for case in cases.values():
        assert case.case_manager_id in team_members[case.team_id]
        assert case.opened_on <= today
        assert (case.status == "afgesloten") == (case.closed_on is not None)
        assert (case.closure_reason is not None) == (case.closed_on is not None)
    for case_id, person_id in db.execute(select(CasePerson.case_id, CasePerson.person_id)):
        assert person_id in members[cases[case_id].household_id]

    # Transitions walk the workflow from aanmelding to the case's status.
    history = defaultdict(list)
    for row in db.scalars(select(Transition).order_by(Transition.at)):
        history[row.case_id].append(row)
    for case_id, case in cases.items():
        steps = history[case_id]
        assert steps[0].from_status is None and steps[0].to_status == "aanmelding"
        for before, after in itertools.pairwise(steps):
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[before.to_status]
        assert steps[-1].to_status == case.status
        assert steps[-1].at.date() <= today

    # Cases past the plan stage have an agreed plan with its snapshot; in plan, a draft.
    plans = {p.case_id: p for p in db.scalars(select(Plan))}
    versions = {v.plan_id: v for v in db.scalars(select(PlanVersion))}
    goals = defaultdict(list)
    for goal in db.scalars(select(Goal)):
        goals[goal.plan_id].append(goal)
    actions = defaultdict(list)
    for action in db.scalars(select(Action)):
        actions[action.goal_id].append(action)
    for case_id, case in cases.items():
        reached = {t.to_status for t in history[case_id]}
        plan = plans.get(case_id)
        if "uitvoering" in reached:
            assert plan is not None and plan.state == "agreed", case.status
            version = versions[plan.id]
            assert version.state == "agreed" and version.agreed_on is not None
            assert {g["id"] for g in version.snapshot["goals"]} == {
                str(g.id) for g in goals[plan.id]
            }
            assert case.evaluation_due_on is not None
        elif "plan" in reached:  # in the plan stage, or closed there
            assert plan is not None and plan.state == "draft"
        else:
            assert plan is None
        if plan is not None:
            assert 1 <= len(goals[plan.id]) <= 3
            for goal in goals[plan.id]:
                assert 1 <= len(actions[goal.id]) <= 3
                assert all(a.case_id == case_id for a in actions[goal.id])

    for allocation in db.scalars(select(Allocation)):
        case = cases[allocation.case_id]
        assert allocation.person_id in members[case.household_id]
        assert allocation.provider_agb is None or (
            len(allocation.provider_agb) == 8 and allocation.provider_agb.isdigit()
        )
        dates = [
            d
            for d in (
                allocation.requested_on,
                allocation.decided_on,
                allocation.start_on,
                allocation.end_on,
            )
            if d is not None
        ]
        assert dates == sorted(dates)
        assert allocation.volume > 0
        if allocation.status in ("allocated", "started"):
            assert allocation.decided_on is not None
        if allocation.status == "started":
            assert allocation.start_on is not None and allocation.start_on <= today
        if allocation.status == "stopped":
            assert allocation.end_on is not None and allocation.stop_reason
    for request in db.scalars(select(AppointmentRequest)):
        assert cases[request.case_id].status in OPEN_STATUSES
        assert request.person_id in members[cases[request.case_id].household_id]


def test_a_third_of_the_households_get_consistent_cases_once(db, world, households):
    _seed(db)
    count = _count(db, Case)
    assert 3 <= count <= 20  # about a third of 31
    check_consistency(db)
    moments = db.execute(
        select(ContactMoment.case_id, func.count()).group_by(ContactMoment.case_id)
    ).all()
    assert len(moments) == count and all(1 <= n <= 5 for _, n in moments)
    before = [_count(db, model) for model in (Case, Transition, Goal, Action, Allocation)]
    _seed(db, seed=1)
    assert [_count(db, model) for model in (Case, Transition, Goal, Action, Allocation)] == before


def test_the_full_demo_gives_the_regisseur_cases_and_a_realistic_spread(app, db):
    assert seed_demo(app, 262) == []
    check_consistency(db)
    regisseur = db.scalar(select(Membership.user_id).group_by(Membership.user_id).having(
        func.count() == 2
    ))  # fmt: skip
    managed = db.scalar(
        select(func.count()).select_from(Case).where(Case.case_manager_id == regisseur)
    )
    assert managed >= 5
    statuses = Counter(db.scalars(select(Case.status)))
    assert set(statuses) == {
        "aanmelding",
        "intake",
        "plan",
        "uitvoering",
        "evaluatie",
        "afgesloten",
    }
    households = _count(db, Household)
    assert 0.25 * households <= sum(statuses.values()) <= 0.45 * households
    today = dt.date.today()
    overdue = db.scalar(
        select(func.count())
        .select_from(Action)
        .where(Action.status.in_(("open", "in_progress")), Action.due_on < today)
    )
    assert overdue > 0
    assert db.scalar(select(func.count()).select_from(Action).where(Action.status == "done")) > 0
    assert set(db.scalars(select(Note.confidentiality).distinct())) == {
        "case_manager",
        "case_team",
        "all_involved",
    }
    assert db.scalar(
        select(func.count()).select_from(ContactMoment).where(ContactMoment.visible_to_resident)
    )
    laws = set(db.scalars(select(Allocation.law).distinct()))
    assert laws == {"wmo", "jeugdwet"}
    waiting = db.execute(
        select(Allocation.decided_on, Allocation.start_on).where(Allocation.start_on.is_not(None))
    ).all()
    assert any(start > decided for decided, start in waiting)
    assert _count(db, ZrmAssessment) > 0
    open_requests = db.scalar(
        select(func.count())
        .select_from(AppointmentRequest)
        .where(AppointmentRequest.status == "open")
    )
    assert open_requests >= 1
