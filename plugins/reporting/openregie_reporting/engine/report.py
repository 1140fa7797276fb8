"""A report: the metric results of a period and its previous period, suppressed, as
tables of what a reader sees. Pages and exports show a `Report`, so they show exactly the
same (suppressed) numbers.

Which metrics are suppressed as counts: aggregates whose values are all whole numbers
(COUNT results). Averages and other non-count aggregates (e.g. ZRM progress in points) are
shown as they come. See `suppression` for the rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from openregie_reporting.engine.periods import Period
from openregie_reporting.engine.runner import (
    MetricResult,
    MetricRow,
    metrics,
    resolve_filters,
    run,
)
from openregie_reporting.engine.suppression import (
    shown,
    suppress_counts,
    suppress_distribution,
)
from openregie_sdk.contributions import MetricDefinition

TOTAL = "Totaal"


@dataclass(frozen=True, slots=True)
class Line:
    """A row of a table as shown: the dimension values, then the cells by column name."""

    key: tuple[Any, ...]
    cells: dict[str, Any]
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    title: str
    unit: str
    description: str
    kind: str
    dimensions: tuple[str, ...]
    columns: tuple[str, ...]  # value columns after the dimensions
    lines: tuple[Line, ...]
    total: Line | None
    available: bool = True
    counts: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    municipality: str | None
    period: Period
    previous: Period
    generated_at: dt.datetime
    threshold: int
    tables: tuple[Table, ...]

    @property
    def id(self) -> str:
        """The id of the report in the audit log (reports are not person data)."""
        return f"{self.municipality or 'alle'}/{self.period.label}"


def is_count_metric(result: MetricResult) -> bool:
    if result.definition.kind != "aggregate":
        return False
    values = [
        v
        for row in result.rows
        for v in (row.values.get("value"), (row.previous or {}).get("value"))
        if v is not None
    ]
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _change(current: Any, previous: Any) -> Any:
    if current is None or previous is None:
        return None
    return round(current - previous, 2) if isinstance(current, float) else current - previous


def _count_table(result: MetricResult, threshold: int) -> tuple[list[Line], Line]:
    current = [row.values.get("value") or 0 for row in result.rows]
    mask = suppress_counts(current, threshold)
    compared = result.compared
    if compared:
        before = [(row.previous or {}).get("value") or 0 for row in result.rows]
        previous_mask = suppress_counts(before, threshold)
    lines = []
    for i, row in enumerate(result.rows):
        secondary = i in mask.secondary
        cells: dict[str, Any] = {
            "value": shown(current[i], mask.cells[i], threshold, secondary=secondary)
        }
        hidden = {"value"} if mask.cells[i] else set()
        if compared:
            cells["previous"] = shown(
                before[i],
                previous_mask.cells[i],
                threshold,
                secondary=i in previous_mask.secondary,
            )
            either = mask.cells[i] or previous_mask.cells[i]
            cells["change"] = shown(current[i] - before[i], either, threshold, secondary=True)
            hidden |= {"previous", "change"} if previous_mask.cells[i] else set()
            if either:
                hidden.add("change")
        lines.append(Line(row.key, cells, frozenset(hidden)))
    total_cells: dict[str, Any] = {"value": shown(sum(current), mask.total, threshold)}
    hidden_total = {"value"} if mask.total else set()
    if compared:
        total_cells["previous"] = shown(sum(before), previous_mask.total, threshold)
        either = mask.total or previous_mask.total
        total_cells["change"] = shown(sum(current) - sum(before), either, threshold, secondary=True)
        hidden_total |= {"previous"} if previous_mask.total else set()
        if either:
            hidden_total.add("change")
    width = len(result.definition.dimensions)
    total = Line((TOTAL, *([""] * (width - 1))) if width else (TOTAL,), total_cells)
    return lines, Line(total.key, total.cells, frozenset(hidden_total))


def _distribution_line(row: MetricRow, threshold: int, compared: bool) -> Line:
    cells: dict[str, Any] = {}
    hidden: set[str] = set()
    periods = [("", row.values)] + ([("previous_", row.previous or {})] if compared else [])
    for prefix, values in periods:
        suppressed = suppress_distribution(values.get("count"), threshold)
        for column in ("count", "median", "p90"):
            value = values.get(column)
            if column == "count" and value is None:
                value = 0
            cells[prefix + column] = shown(value, suppressed, threshold)
            if suppressed:
                hidden.add(prefix + column)
    return Line(row.key, cells, frozenset(hidden))


def _rounded(value: Any) -> Any:
    """Non-whole numbers to two decimals, as every view and export shows them."""
    return round(value, 2) if isinstance(value, float) else value


def _plain_line(row: MetricRow, compared: bool) -> Line:
    cells: dict[str, Any] = {"value": _rounded(row.values.get("value"))}
    if compared:
        before = _rounded((row.previous or {}).get("value"))
        cells["previous"] = before
        cells["change"] = _change(cells["value"], before)
    return Line(row.key, cells)


def table_of(result: MetricResult, threshold: int) -> Table:
    """The shown table of one metric result, suppressed with `threshold`."""
    definition = result.definition
    compared = result.compared
    counts = is_count_metric(result)
    if definition.kind == "distribution":
        columns: tuple[str, ...] = ("count", "median", "p90")
        if compared:
            columns += ("previous_count", "previous_median", "previous_p90")
    else:
        columns = ("value", "previous", "change") if compared else ("value",)
    total = None
    if not result.available:
        lines: list[Line] = []
    elif definition.kind == "distribution":
        lines = [_distribution_line(row, threshold, compared) for row in result.rows]
    elif counts:
        lines, total = _count_table(result, threshold)
    else:
        lines = [_plain_line(row, compared) for row in result.rows]
    return Table(
        id=definition.id,
        title=definition.title,
        unit=definition.unit,
        description=definition.description,
        kind=definition.kind,
        dimensions=definition.dimensions,
        columns=columns,
        lines=tuple(lines),
        total=total,
        available=result.available,
        counts=counts,
    )


def build_report(
    period: Period,
    *,
    municipality: str | None = None,
    team_ids: Iterable[uuid.UUID] = (),
    area_ids: Iterable[uuid.UUID] = (),
    threshold: int | None = None,
    definitions: Sequence[MetricDefinition] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Run the metrics (by default those of the loaded modules) for `period` and the
    previous period with the filters, and suppress. Raises UnknownFilter for an unknown
    municipality code, team or area. `threshold` defaults to the module's setting."""
    if threshold is None:
        from openregie_reporting.settings import ReportingSettings
        from openregie_sdk import module_settings

        settings = cast(ReportingSettings, module_settings("reporting"))
        threshold = settings.suppression_threshold
    team_ids, area_ids = tuple(team_ids), tuple(area_ids)
    current = resolve_filters(
        period.start, period.end, municipality=municipality, team_ids=team_ids, area_ids=area_ids
    )
    before = period.previous()
    previous = resolve_filters(
        before.start, before.end, municipality=municipality, team_ids=team_ids, area_ids=area_ids
    )
    chosen = metrics() if definitions is None else list(definitions)
    results = run(chosen, current, previous)
    return Report(
        municipality=municipality.strip().upper() if municipality else None,
        period=period,
        previous=before,
        generated_at=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        threshold=threshold,
        tables=tuple(table_of(result, threshold) for result in results),
    )
