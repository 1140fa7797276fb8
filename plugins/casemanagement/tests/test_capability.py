"""The case-management module provides the `casemanagement` capability and a dashboard widget."""

import datetime as dt
import uuid

import pytest

from openregie_casemanagement.models import Case
from openregie_sdk import capability
from openregie_sdk.capabilities.casemanagement import CaseManagement
from openregie_sdk.registry import Household, Team


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
