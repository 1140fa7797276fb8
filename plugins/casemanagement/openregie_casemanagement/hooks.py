"""Hook implementations of the case-management module."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, func, insert, select

from openregie_casemanagement.models import CLOSED, Case
from openregie_casemanagement.relations import persons_in_cases_of_my_teams
from openregie_sdk import Actor, authorize, capability, hookimpl, render
from openregie_sdk.contributions import DashboardWidget, DemoContext
from openregie_sdk.registry import Household, Membership

DEMO_TITLES = (
    "Schulden en wonen",
    "Opvoedondersteuning",
    "Zorg na ziekenhuisopname",
    "Werk en inkomen",
)


@hookimpl
def openregie_dashboard_widgets(actor: Actor) -> list[DashboardWidget]:
    if not authorize("casemanagement.case.read"):
        return []
    count = capability("casemanagement").open_case_count()
    body = render("casemanagement/widget.html", open_cases=count)
    return [DashboardWidget(title="Casussen", body=body, order=10)]


@hookimpl
def openregie_person_relations(actor: Actor) -> list[ColumnElement[bool]]:
    relation = persons_in_cases_of_my_teams(actor)
    return [relation] if relation is not None else []


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    """About a third of the demo households get a case of a team, with one of its members
    as case manager; a quarter of those are closed."""
    session = context.session
    if session.scalar(select(func.count()).select_from(Case)):
        return
    households = session.scalars(select(Household.id).order_by(Household.id)).all()
    teams = session.execute(
        select(Membership.team_id, Membership.user_id).order_by(
            Membership.team_id, Membership.user_id
        )
    ).all()
    if not households or not teams:
        return
    today = dt.date.today()
    rows = []
    for index, household_id in enumerate(households):
        if context.rng.random() > 0.35:
            continue
        team_id, case_manager_id = context.rng.choice(teams)
        opened = today - dt.timedelta(days=context.rng.randint(5, 400))
        closed = index % 4 == 0
        rows.append(
            {
                "id": uuid.UUID(int=context.rng.getrandbits(128)),
                "household_id": household_id,
                "team_id": team_id,
                "case_manager_id": case_manager_id,
                "title": context.rng.choice(DEMO_TITLES),
                "status": CLOSED
                if closed
                else context.rng.choice(("intake", "plan", "uitvoering")),
                "opened_on": opened,
                "closed_on": today if closed else None,
            }
        )
    if rows:
        session.execute(insert(Case), rows)
    context.progress(f"casemanagement: {len(rows)} cases")
