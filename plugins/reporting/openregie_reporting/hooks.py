"""Hook implementations of the reporting module: the accountability widget and demo data."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from flask_babel import gettext
from sqlalchemy import func, select

from openregie_reporting.models import FormationNorm
from openregie_reporting.settings import ReportingSettings
from openregie_sdk import (
    Actor,
    authorize,
    capability,
    db_session,
    hookimpl,
    module_settings,
    render,
)
from openregie_sdk.capabilities.casemanagement import CaseManagement
from openregie_sdk.contributions import DashboardWidget, DemoContext
from openregie_sdk.registry import Membership


def suppressed(count: int, threshold: int) -> int | None:
    """`count`, or None when it is above zero but below `threshold` and must not be shown."""
    return None if 0 < count < threshold else count


@hookimpl
def openregie_dashboard_widgets(actor: Actor) -> list[DashboardWidget]:
    if not authorize("reporting.dashboard.view"):
        return []
    threshold = cast(ReportingSettings, module_settings("reporting")).suppression_threshold
    cases: CaseManagement | None = capability("casemanagement")
    open_cases = None if cases is None else suppressed(cases.open_case_count(), threshold)
    norms = db_session().scalar(select(func.count()).select_from(FormationNorm)) or 0
    body = render(
        "reporting/widget.html",
        cases_available=cases is not None,
        open_cases=open_cases,
        threshold=threshold,
        formation_norms=norms,
    )
    return [DashboardWidget(title=gettext("Verantwoording"), body=body, order=50)]


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    """Norms for the real demo teams and organisations: each pair that has staff with
    contracted hours (so the formation table compares), plus the first team with an
    organisation that has none there (a norm with 0 hours contracted)."""
    session = context.session
    if session.scalar(select(func.count()).select_from(FormationNorm)):
        return
    pairs = [
        tuple(row)
        for row in session.execute(
            select(Membership.team_id, Membership.home_organisation_id)
            .where(Membership.home_organisation_id.is_not(None))
            .distinct()
            .order_by(Membership.team_id, Membership.home_organisation_id)
        )
    ]
    teams = sorted(context.created.get("team", []))
    organisations = sorted(context.created.get("organisation", []))
    if teams:
        spare = [o for o in organisations if (teams[0], o) not in pairs]
        pairs += [(teams[0], spare[0])] if spare else []
    for team_id, organisation_id in pairs:
        session.add(
            FormationNorm(
                team_id=team_id,
                organisation_id=organisation_id,
                # The "twee-benenprincipe": 18 hours a week in the team, or a share of it.
                hours_per_week=Decimal(context.rng.choice(("18.00", "16.00", "9.00", "24.00"))),
                set_by="Fenna Beheer",
            )
        )
