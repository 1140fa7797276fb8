"""Reporting metrics of the consent module (`openregie_report_metrics`): aggregates only.

- consents by status and purpose at the end of the period: per (subject, recipient,
  purpose) the version in force at the period's last moment (a given one whose period had
  ended counts as expired);
- consent statements recorded in the period, by status and purpose (the flow);
- overrides (doorbrekingen) started in the period, by review state.

Filters: the municipality filter selects subjects living in those municipalities; team
and area filters select consents whose recipient is one of those teams, and overrides
flagged for review by those teams. Period bounds are whole days in Dutch time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from openregie_consent.models import EXPIRED, GIVEN, ConsentOverride, ConsentRecord
from openregie_consent.services.common import purposes
from openregie_consent.web.common import N_, STATUS_LABELS
from openregie_sdk import hookimpl
from openregie_sdk.contributions import MetricDefinition, MetricFilters
from openregie_sdk.metrics import team_conditions
from openregie_sdk.registry import Person

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
REVIEW_STATES = {"reviewed": N_("beoordeeld"), "pending": N_("nog te beoordelen")}


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=DUTCH_TIME).astimezone(dt.UTC)


def _bounds(filters: MetricFilters) -> tuple[dt.datetime, dt.datetime]:
    """[start, end): the first moment of the period and the first moment after it."""
    return _moment(filters.period_start), _moment(filters.period_end + dt.timedelta(days=1))


def _subjects(column: Any, filters: MetricFilters) -> list[ColumnElement[bool]]:
    if not filters.municipality_ids:
        return []
    return [
        column.in_(select(Person.id).where(Person.municipality_id.in_(filters.municipality_ids)))
    ]


def _teams(column: Any, filters: MetricFilters) -> list[ColumnElement[bool]]:
    narrowed = MetricFilters(
        period_start=filters.period_start,
        period_end=filters.period_end,
        team_ids=filters.team_ids,
        area_ids=filters.area_ids,
        dialect=filters.dialect,
    )
    return team_conditions(column, narrowed)


def consents_by_status(filters: MetricFilters) -> Any:
    _start, end = _bounds(filters)
    later = aliased(ConsentRecord)
    in_force_at_end = ~exists().where(
        later.subject_id == ConsentRecord.subject_id,
        later.recipient_id == ConsentRecord.recipient_id,
        later.purpose == ConsentRecord.purpose,
        later.recorded_at < end,
        or_(
            later.recorded_at > ConsentRecord.recorded_at,
            and_(later.recorded_at == ConsentRecord.recorded_at, later.id > ConsentRecord.id),
        ),
    )
    status = case(
        (
            and_(
                ConsentRecord.status == GIVEN,
                ConsentRecord.valid_until.is_not(None),
                ConsentRecord.valid_until <= end,
            ),
            literal(EXPIRED),
        ),
        else_=ConsentRecord.status,
    ).label("status")
    return (
        select(ConsentRecord.purpose.label("purpose"), status, func.count().label("value"))
        .where(
            ConsentRecord.recorded_at < end,
            in_force_at_end,
            *_subjects(ConsentRecord.subject_id, filters),
            *_teams(ConsentRecord.recipient_id, filters),
        )
        .group_by(ConsentRecord.purpose, status)
    )


def statements_recorded(filters: MetricFilters) -> Any:
    start, end = _bounds(filters)
    return (
        select(
            ConsentRecord.purpose.label("purpose"),
            ConsentRecord.status.label("status"),
            func.count().label("value"),
        )
        .where(
            ConsentRecord.recorded_at >= start,
            ConsentRecord.recorded_at < end,
            *_subjects(ConsentRecord.subject_id, filters),
            *_teams(ConsentRecord.recipient_id, filters),
        )
        .group_by(ConsentRecord.purpose, ConsentRecord.status)
    )


def overrides_started(filters: MetricFilters) -> Any:
    start, end = _bounds(filters)
    state = case(
        (ConsentOverride.reviewed_at.is_not(None), literal("reviewed")), else_=literal("pending")
    ).label("review")
    return (
        select(state, func.count().label("value"))
        .where(
            ConsentOverride.valid_from >= start,
            ConsentOverride.valid_from < end,
            *_subjects(ConsentOverride.subject_id, filters),
            *_teams(ConsentOverride.review_team_id, filters),
        )
        .group_by(state)
    )


@hookimpl
def openregie_report_metrics() -> list[MetricDefinition]:
    labels = {"purpose": {p.code: p.label for p in purposes()}, "status": STATUS_LABELS}
    return [
        MetricDefinition(
            id="consent.consents_by_status",
            title=N_("Toestemmingen naar status en doel"),
            unit=N_("toestemmingen"),
            dimensions=("purpose", "status"),
            description=N_(
                "Per inwoner, ontvanger en doel de stand op de laatste dag van de periode."
            ),
            query=consents_by_status,
            labels=labels,
        ),
        MetricDefinition(
            id="consent.statements_recorded",
            title=N_("Vastgelegde toestemmingsverklaringen"),
            unit=N_("verklaringen"),
            dimensions=("purpose", "status"),
            description=N_("Gegeven, geweigerd, ingetrokken en verlopen in de periode, per doel."),
            query=statements_recorded,
            labels=labels,
        ),
        MetricDefinition(
            id="consent.overrides",
            title=N_("Doorbrekingen van toestemming"),
            unit=N_("doorbrekingen"),
            dimensions=("review",),
            description=N_("Doorbrekingen gestart in de periode, beoordeeld of nog niet."),
            query=overrides_started,
            labels={"review": REVIEW_STATES},
        ),
    ]
