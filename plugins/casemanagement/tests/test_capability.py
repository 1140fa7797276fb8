"""The case-management module provides the `casemanagement` capability (a resident's cases in a
constant number of statements among it) and a dashboard widget."""

import datetime as dt
import uuid

import pytest

from openregie_casemanagement.models import (
    Action,
    AppointmentRequest,
    Case,
    CasePerson,
    Goal,
    Plan,
    PlanVersion,
)
from openregie_sdk import capability
from openregie_sdk.capabilities.casemanagement import CaseManagement, ResidentCase
from openregie_sdk.registry import Household, Team
from openregie_sdk.testing.statements import Statements


@pytest.fixture
def new_case(db):
    """`new_case(household_id=None, status="intake", days_ago=1)`: a committed case of a
    fresh team; a new household unless one is given. Returns the case."""
    team = Team(name=f"Team {uuid.uuid4().hex[:6]}", kind="integral")
    db.add(team)
    db.commit()

    def make(
        household_id: uuid.UUID | None = None,
        status: str = "intake",
        days_ago: int = 1,
        case_manager_id: uuid.UUID | None = None,
    ) -> Case:
        if household_id is None:
            household = Household(name=f"Gezin {uuid.uuid4().hex[:6]}")
            db.add(household)
            db.flush()
            household_id = household.id
        case = Case(
            household_id=household_id,
            team_id=team.id,
            title=f"casus {days_ago}",
            status=status,
            opened_on=dt.date(2026, 6, 1) - dt.timedelta(days=days_ago),
            case_manager_id=case_manager_id,
        )
        db.add(case)
        db.commit()
        return case

    return make


def test_provider_satisfies_the_protocol_and_lists_a_households_cases_newest_first(app, new_case):
    first = new_case(status="intake", days_ago=30)
    new_case(first.household_id, status="afgesloten", days_ago=300)
    new_case(status="plan")

    provider = capability("casemanagement")
    assert isinstance(provider, CaseManagement)
    cases = provider.cases_of_household(first.household_id)
    assert [c.title for c in cases] == ["casus 30", "casus 300"]
    assert provider.cases_of_household(uuid.uuid4()) == []


def test_open_case_count_leaves_out_closed_cases(app, new_case):
    new_case(status="intake")
    new_case(status="afgesloten")
    new_case(status="evaluatie")
    assert capability("casemanagement").open_case_count() == 2


def test_dashboard_widget_shows_the_professionals_own_open_cases_and_links_the_worklist(
    app, client, login_as, new_case
):
    me = login_as("professional")
    new_case(status="intake", case_manager_id=me.id)
    new_case(status="plan", case_manager_id=me.id)
    new_case(status="afgesloten", case_manager_id=me.id)
    new_case(status="plan")  # someone else's
    page = client.get("/start")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "U bent regisseur van 2 open casussen." in html
    assert 'href="/casussen/?kind=mine"' in html


def test_dashboard_widget_is_hidden_from_policy_officers(app, client, login_as):
    login_as("policy_officer")
    page = client.get("/start")
    assert page.status_code == 200
    assert "open casussen" not in page.get_data(as_text=True)


def _cases_of_each_kind(db, world, resident, copies: int) -> None:
    """`copies` times: a case with an agreed plan (a goal, an open action for the resident
    and one for the case manager), a case whose plan is a draft after an agreed version
    (so the view lists what changed), and a case without a plan with a scheduled
    appointment request; every case concerns `resident` only."""
    today = dt.date.today()
    for n in range(copies):
        for kind in ("agreed", "draft", "none"):
            case = Case(
                household_id=world.household.id,
                team_id=world.noord.id,
                case_manager_id=world.manager.id,
                title=f"{kind} {n}",
                status="uitvoering",
                opened_on=today - dt.timedelta(days=10 * n + len(kind)),
            )
            db.add(case)
            db.flush()
            db.add(CasePerson(case_id=case.id, person_id=resident.id))
            if kind == "none":
                db.add(
                    AppointmentRequest(
                        case_id=case.id,
                        person_id=resident.id,
                        subject="Gesprek",
                        channel="phone",
                        status="scheduled",
                    )
                )
                continue
            plan = Plan(case_id=case.id, current_number=2 if kind == "draft" else 1, state=kind)
            db.add(plan)
            db.flush()
            goal = Goal(
                plan_id=plan.id,
                life_domain="finances",
                text="Rust in de financiën.",
                owner_kind="resident",
                owner_person_id=resident.id,
            )
            db.add(goal)
            db.flush()
            db.add_all(
                [
                    Action(
                        goal_id=goal.id,
                        case_id=case.id,
                        description="Post verzamelen.",
                        assignee_kind="resident",
                        assignee_person_id=resident.id,
                    ),
                    Action(
                        goal_id=goal.id,
                        case_id=case.id,
                        description="Aanmelden bij schuldhulp.",
                        assignee_kind="professional",
                        assignee_user_id=world.manager.id,
                    ),
                    PlanVersion(
                        plan_id=plan.id,
                        number=1,
                        state="superseded" if kind == "draft" else "agreed",
                        agreed_on=today - dt.timedelta(days=5),
                        agreed_by=["Anna Jansen", "Mira Manager"],
                        changes=["Doel toegevoegd."],
                        snapshot={"goals": []},
                    ),
                ]
            )
            if kind == "draft":
                db.add(PlanVersion(plan_id=plan.id, number=2, state="draft"))
    db.commit()


def _statements(app, call):
    with Statements(app.extensions["openregie"].engine) as statements:
        result = call()
    return result, statements.seen


def test_resident_overview_equals_the_single_case_reads(app, db, world):
    _cases_of_each_kind(db, world, world.anna, copies=1)
    provider = capability("casemanagement")
    cases = provider.resident_overview(world.anna.id)
    assert [c.overview.case.title for c in cases] == ["none 0", "draft 0", "agreed 0"]
    assert list(cases) == [
        ResidentCase(
            overview=provider.case_overview(c.id),
            plan=provider.current_plan(c.id),
            appointment_requests=tuple(provider.appointment_requests(c.id)),
        )
        for c in provider.cases_of_person(world.anna.id)
    ]
    none, draft, agreed = cases
    assert none.plan is None and [r.status for r in none.appointment_requests] == ["scheduled"]
    assert draft.plan.state == "draft" and draft.plan.changes  # against the agreed version
    assert agreed.plan.agreed_by == ("Anna Jansen", "Mira Manager")
    assert agreed.overview.open_actions_for_residents == 1
    assert agreed.overview.case_manager.name == "Mira Manager"
    assert provider.resident_overview(uuid.uuid4()) == []


def test_resident_overview_statements_do_not_grow_with_the_number_of_cases(app, db, world):
    """Three cases or nine: the same statements (a resident's portal home page), while the
    single-case reads it replaces grow with every case."""
    _cases_of_each_kind(db, world, world.anna, copies=1)
    _cases_of_each_kind(db, world, world.tim, copies=3)
    provider = capability("casemanagement")
    few, few_statements = _statements(app, lambda: provider.resident_overview(world.anna.id))
    many, many_statements = _statements(app, lambda: provider.resident_overview(world.tim.id))
    assert (len(few), len(many)) == (3, 9)
    assert len(many_statements) == len(few_statements) <= 15

    def one_by_one():
        for case in provider.cases_of_person(world.tim.id):
            provider.case_overview(case.id)
            provider.current_plan(case.id)
            provider.appointment_requests(case.id)

    _none, single_statements = _statements(app, one_by_one)
    assert len(single_statements) > 3 * len(many_statements)


def test_resident_overview_records_one_read_per_data_subject(app, db, world):
    _cases_of_each_kind(db, world, world.anna, copies=2)
    runtime = app.extensions["openregie"]
    before = runtime.accessed_by(world.anna.id)
    capability("casemanagement").resident_overview(world.anna.id)
    db.commit()
    after = runtime.accessed_by(world.anna.id)
    assert len(after) == len(before) + 1
