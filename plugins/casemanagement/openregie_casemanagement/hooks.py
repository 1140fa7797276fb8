"""Hook implementations of the case-management module."""

from __future__ import annotations

import datetime as dt
import uuid

from openregie_casemanagement.models import Case
from openregie_sdk import Actor, authorize, capability, hookimpl, render
from openregie_sdk.contributions import DashboardWidget, DemoContext

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
def openregie_demo_data(context: DemoContext) -> None:
    if context.session.query(Case).count():
        return
    today = dt.date.today()
    for index in range(12):
        opened = today - dt.timedelta(days=context.rng.randint(5, 400))
        closed = index % 4 == 0
        context.session.add(
            Case(
                household_id=uuid.UUID(int=context.rng.getrandbits(128)),
                title=context.rng.choice(DEMO_TITLES),
                status="afgesloten"
                if closed
                else context.rng.choice(("intake", "plan", "uitvoering")),
                opened_on=opened,
                closed_on=today if closed else None,
            )
        )
