"""The case-management module provides the `casemanagement` capability and a dashboard widget."""

import datetime as dt
import uuid

from openregie_casemanagement.models import Case
from openregie_sdk import capability
from openregie_sdk.capabilities.casemanagement import CaseManagement


def _case(household_id: uuid.UUID, status: str, days_ago: int) -> Case:
    return Case(
        household_id=household_id,
        title=f"casus {days_ago}",
        status=status,
        opened_on=dt.date(2026, 6, 1) - dt.timedelta(days=days_ago),
    )


def test_provider_satisfies_the_protocol_and_lists_a_households_cases_newest_first(app, db):
    household, other = uuid.uuid4(), uuid.uuid4()
    db.add_all(
        [
            _case(household, "intake", 30),
            _case(household, "afgesloten", 300),
            _case(other, "plan", 1),
        ]
    )
    db.commit()

    provider = capability("casemanagement")
    assert isinstance(provider, CaseManagement)
    cases = provider.cases_of_household(household)
    assert [c.title for c in cases] == ["casus 30", "casus 300"]
    assert provider.cases_of_household(uuid.uuid4()) == []


def test_open_case_count_leaves_out_closed_cases(app, db):
    household = uuid.uuid4()
    db.add_all(
        [
            _case(household, "intake", 1),
            _case(household, "afgesloten", 2),
            _case(household, "evaluatie", 3),
        ]
    )
    db.commit()
    assert capability("casemanagement").open_case_count() == 2


def test_dashboard_widget_shows_open_cases_to_professionals(app, client, login_as, db):
    db.add_all([_case(uuid.uuid4(), "intake", 1), _case(uuid.uuid4(), "plan", 2)])
    db.commit()
    login_as("professional")
    page = client.get("/start")
    assert page.status_code == 200
    assert "2 casussen zijn open." in page.get_data(as_text=True)


def test_dashboard_widget_is_hidden_from_policy_officers(app, client, login_as):
    login_as("policy_officer")
    page = client.get("/start")
    assert page.status_code == 200
    assert "casussen zijn open" not in page.get_data(as_text=True)
