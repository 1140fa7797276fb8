"""Core's reporting metrics (`openregie_report_metrics`): aggregates over the registry for
accountability to the municipality, each a SQLAlchemy Core query honouring `MetricFilters`.

All four are a state on the last day of the period (`period_end`); `period_start` plays no
part. A period (household membership, team membership) covers `period_end` when it started
on or before it and did not end on or before it (the end date is exclusive).

- persons: persons in the registry (created by the end of `period_end`, Dutch time), per
  municipality of residence.
- households: households with at least one member on `period_end`, per municipality of
  those members; a household with current members in two municipalities counts in each.
- contracted hours: the sum of `Membership.hours_per_week` of the memberships current on
  `period_end`, per team and home organisation (memberships without hours are left out;
  without a home organisation the organisation is NULL). Reporting compares this with the
  formation norm it keeps itself.
- staff: the distinct users with a membership current on `period_end`, per team.

Persons and households have no area in the registry (no area column, no postcode-to-area
table), so they are counted per municipality only. Their filters: the municipalities given;
with areas given, the municipalities those areas lie in; with teams given, the
municipalities of the areas those teams serve. The team metrics restrict teams as the
module metrics do: the teams given, the teams serving the areas given, and the teams
serving an area in the municipalities given (a team serving several municipalities counts
whole in each).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, func, or_, select

from openregie_core.i18n import N_
from openregie_sdk import hookimpl
from openregie_sdk.contributions import MetricDefinition, MetricFilters
from openregie_sdk.metrics import team_conditions
from openregie_sdk.registry import (
    Area,
    HouseholdMember,
    Membership,
    Municipality,
    Organisation,
    Person,
    Team,
    team_area,
)

try:
    LOCAL_ZONE: dt.tzinfo = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # a system without time zone data: count days in UTC
    LOCAL_ZONE = dt.UTC


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` in Dutch local time (exclusive bound)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_ZONE)


def _current_on(start: Any, end: Any, day: dt.date) -> list[ColumnElement[bool]]:
    """A period from `start` (inclusive) to `end` (exclusive, open when NULL) covers `day`."""
    return [start <= day, or_(end.is_(None), end > day)]


def municipality_conditions(column: Any, filters: MetricFilters) -> list[ColumnElement[bool]]:
    """Conditions restricting a municipality id column to the municipalities the filters
    select: those given, those of the areas given, those of the areas the teams serve."""
    conditions: list[ColumnElement[bool]] = []
    if filters.municipality_ids:
        conditions.append(column.in_(filters.municipality_ids))
    if filters.area_ids:
        conditions.append(
            column.in_(select(Area.municipality_id).where(Area.id.in_(filters.area_ids)))
        )
    if filters.team_ids:
        conditions.append(
            column.in_(
                select(Area.municipality_id)
                .join(team_area, team_area.c.area_id == Area.id)
                .where(team_area.c.team_id.in_(filters.team_ids))
            )
        )
    return conditions


def persons(filters: MetricFilters) -> Any:
    return (
        select(Municipality.name.label("municipality"), func.count(Person.id).label("value"))
        .join(Municipality, Municipality.id == Person.municipality_id)
        .where(
            Person.created_at < _end_of(filters.period_end),
            *municipality_conditions(Person.municipality_id, filters),
        )
        .group_by(Municipality.id, Municipality.name)
    )


def households(filters: MetricFilters) -> Any:
    return (
        select(
            Municipality.name.label("municipality"),
            func.count(func.distinct(HouseholdMember.household_id)).label("value"),
        )
        .join(Person, Person.id == HouseholdMember.person_id)
        .join(Municipality, Municipality.id == Person.municipality_id)
        .where(
            *_current_on(HouseholdMember.start_on, HouseholdMember.end_on, filters.period_end),
            *municipality_conditions(Person.municipality_id, filters),
        )
        .group_by(Municipality.id, Municipality.name)
    )


def contracted_hours(filters: MetricFilters) -> Any:
    return (
        select(
            Team.name.label("team"),
            Organisation.name.label("organisation"),
            func.sum(Membership.hours_per_week).label("value"),
        )
        .join(Team, Team.id == Membership.team_id)
        .outerjoin(Organisation, Organisation.id == Membership.home_organisation_id)
        .where(
            Membership.hours_per_week.is_not(None),
            *_current_on(Membership.start_on, Membership.end_on, filters.period_end),
            *team_conditions(Membership.team_id, filters),
        )
        .group_by(Team.name, Organisation.name)
    )


def staff(filters: MetricFilters) -> Any:
    return (
        select(
            Team.name.label("team"),
            func.count(func.distinct(Membership.user_id)).label("value"),
        )
        .join(Team, Team.id == Membership.team_id)
        .where(
            *_current_on(Membership.start_on, Membership.end_on, filters.period_end),
            *team_conditions(Membership.team_id, filters),
        )
        .group_by(Team.name)
    )


def definitions() -> list[MetricDefinition]:
    return [
        MetricDefinition(
            id="core.persons",
            title=N_("Geregistreerde personen op de einddatum"),
            unit=N_("personen"),
            dimensions=("municipality",),
            description=N_(
                "Personen in de basisregistratie op de laatste dag van de periode, per "
                "gemeente (personen hebben geen wijk; een wijk- of teamfilter beperkt tot "
                "de gemeenten daarvan)."
            ),
            query=persons,
        ),
        MetricDefinition(
            id="core.households",
            title=N_("Huishoudens op de einddatum"),
            unit=N_("huishoudens"),
            dimensions=("municipality",),
            description=N_(
                "Huishoudens met minstens één lid op de laatste dag van de periode, per "
                "gemeente van die leden (een huishouden in twee gemeenten telt in beide)."
            ),
            query=households,
        ),
        MetricDefinition(
            id="core.contracted_hours",
            title=N_("Ingezette uren per week op de einddatum"),
            unit=N_("uur per week"),
            dimensions=("team", "organisation"),
            description=N_(
                "Contracturen per week van de teamleden op de laatste dag van de periode, "
                "per team en thuisorganisatie."
            ),
            query=contracted_hours,
        ),
        MetricDefinition(
            id="core.staff",
            title=N_("Teamleden op de einddatum"),
            unit=N_("medewerkers"),
            dimensions=("team",),
            description=N_("Medewerkers met een lidmaatschap op de laatste dag van de periode."),
            query=staff,
        ),
    ]


@hookimpl
def openregie_report_metrics() -> list[MetricDefinition]:
    return definitions()


__all__ = [
    "contracted_hours",
    "definitions",
    "households",
    "municipality_conditions",
    "openregie_report_metrics",
    "persons",
    "staff",
]
