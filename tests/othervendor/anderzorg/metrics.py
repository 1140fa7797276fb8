"""AnderZorg's reporting metric (hook `openregie_report_metrics`): the tasks on the lists
of agreements of the trajectories that ran in the period, by their state. It shows that a
vendor's case management reports through the same hook as OpenRegie's own; OpenRegie's
case-management metrics are absent with it, as they should be."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select

from openregie_sdk import hookimpl
from openregie_sdk.contributions import MetricDefinition, MetricFilters
from openregie_sdk.metrics import team_conditions

from .models import Afspraak, Traject

STAND_LABELS = {"open": "Open", "bezig": "Bezig", "klaar": "Klaar", "vervallen": "Vervallen"}


def tasks_by_state(filters: MetricFilters) -> Any:
    ran = and_(
        Traject.begonnen_op <= filters.period_end,
        or_(Traject.afgerond_op.is_(None), Traject.afgerond_op >= filters.period_start),
    )
    return (
        select(Afspraak.stand.label("stand"), func.count(Afspraak.id).label("value"))
        .join(Traject, Traject.id == Afspraak.traject_id)
        .where(Afspraak.soort == "taak", ran, *team_conditions(Traject.team_id, filters))
        .group_by(Afspraak.stand)
    )


@hookimpl
def openregie_report_metrics() -> list[MetricDefinition]:
    return [
        MetricDefinition(
            id="anderzorg.afspraken_per_stand",
            title="Afspraken op de afsprakenlijsten",
            unit="afspraken",
            dimensions=("stand",),
            description="Taken op de afsprakenlijsten van trajecten die in de periode liepen.",
            query=tasks_by_state,
            labels={"stand": STAND_LABELS},
        )
    ]
