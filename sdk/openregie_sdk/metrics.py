"""Helpers for writing metric queries (see `MetricDefinition` and `MetricFilters` in
`openregie_sdk.contributions`): the standard filters and date arithmetic, the same for
every module so that "team Noord in Zutphen" means the same in every report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, select

from openregie_sdk.contributions import MetricFilters
from openregie_sdk.registry import Area, team_area


def team_conditions(column: Any, filters: MetricFilters) -> list[ColumnElement[bool]]:
    """Conditions restricting a team id column to the teams the filters select: the teams
    given, the teams serving the areas given, and the teams serving an area in the
    municipalities given (all that are given apply together)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.team_ids:
        conditions.append(column.in_(filters.team_ids))
    if filters.area_ids:
        conditions.append(
            column.in_(select(team_area.c.team_id).where(team_area.c.area_id.in_(filters.area_ids)))
        )
    if filters.municipality_ids:
        conditions.append(
            column.in_(
                select(team_area.c.team_id)
                .join(Area, Area.id == team_area.c.area_id)
                .where(Area.municipality_id.in_(filters.municipality_ids))
            )
        )
    return conditions


def days_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    """`later - earlier` in whole days, in the database's own date arithmetic
    (`filters.dialect`)."""
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return cast(later - earlier, Integer)
