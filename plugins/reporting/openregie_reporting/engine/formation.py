"""The formation table: per team and organisation, the hours a week contracted on the last
day of the period (core's `core.contracted_hours`) against the norm the functional admin
set (`FormationNorm`, the hours promised), with the difference and the percentage of the
norm, and the hours contracted at the end of the previous period.

A pair with a norm but no contracted hours shows 0 contracted; a pair with hours but no
norm shows no norm. The norms are restricted by the report's team filter like every
metric (`openregie_sdk.metrics.team_conditions`). The total sums every row: all hours
contracted against all norms. Hours of staff are no data about residents: they are not
suppressed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from openregie_reporting.engine.labels import translate
from openregie_reporting.engine.sections import N_
from openregie_sdk import db_session
from openregie_sdk.contributions import MetricFilters
from openregie_sdk.metrics import team_conditions
from openregie_sdk.registry import Organisation, Team

CONTRACTED = "core.contracted_hours"
FORMATION = "reporting.formation"
COLUMNS = ("contracted", "norm", "difference", "percentage", "previous")
TITLE = N_("Formatie: ingezette uren tegenover de norm")
UNIT = N_("uur per week")
DESCRIPTION = N_(
    "Contracturen per week van de teamleden op de laatste dag van de periode, per team en "
    "thuisorganisatie, tegenover de formatienorm (de toegezegde uren). Verschil: ingezet min "
    "toegezegd; percentage: ingezet als deel van de norm."
)
NO_ORGANISATION = N_("Zonder thuisorganisatie")


def norms(filters: MetricFilters) -> dict[tuple[str, str], Decimal]:
    """The norms of the teams the filters select, by (team name, organisation name)."""
    from openregie_reporting.models import FormationNorm

    rows = db_session().execute(
        select(Team.name, Organisation.name, FormationNorm.hours_per_week)
        .join(Team, Team.id == FormationNorm.team_id)
        .join(Organisation, Organisation.id == FormationNorm.organisation_id)
        .where(*team_conditions(FormationNorm.team_id, filters))
    )
    return {(team, organisation): hours for team, organisation, hours in rows}


def _number(value: Any) -> float | int:
    number = float(value or 0)
    return int(number) if number.is_integer() else round(number, 2)


def _percentage(contracted: float, norm: float | None) -> float | None:
    return round(contracted / norm * 100, 1) if norm else None


def formation_cells(
    contracted: Any, norm: Any | None, previous: Any | None, compared: bool
) -> dict[str, Any]:
    hours = _number(contracted)
    promised = None if norm is None else _number(norm)
    cells: dict[str, Any] = {
        "contracted": hours,
        "norm": promised,
        "difference": None
        if promised is None
        else _number(Decimal(str(hours)) - Decimal(str(promised))),
        "percentage": _percentage(float(hours), None if promised is None else float(promised)),
    }
    if compared:
        cells["previous"] = _number(previous)
    return cells


def formation_lines(
    result: Any, filters: MetricFilters
) -> tuple[list[tuple[tuple[str, str], dict[str, Any]]], dict[str, Any]]:
    """The rows ((team, organisation), cells) and the total cells, from the contracted
    hours `result` (a MetricResult of core.contracted_hours) and the norms."""
    promised = norms(filters)
    current: dict[tuple[str, str], Any] = {}
    before: dict[tuple[str, str], Any] = {}
    no_organisation = translate(NO_ORGANISATION)
    for row in result.rows:
        key = (row.key[0], row.key[1] if row.key[1] is not None else no_organisation)
        current[key] = row.values.get("value")
        before[key] = (row.previous or {}).get("value")
    keys = sorted(set(current) | set(promised), key=lambda k: (str(k[0]), str(k[1])))
    lines = [
        (
            key,
            formation_cells(current.get(key), promised.get(key), before.get(key), result.compared),
        )
        for key in keys
    ]
    total_norm = sum((promised.get(k, Decimal(0)) for k in keys), Decimal(0)) if promised else None
    total = formation_cells(
        sum(Decimal(str(current.get(k) or 0)) for k in keys),
        total_norm,
        sum(Decimal(str(before.get(k) or 0)) for k in keys),
        result.compared,
    )
    return lines, total
