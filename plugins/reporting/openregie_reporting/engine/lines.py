"""How the rows of one metric become the lines a reader sees, suppressed: counts with
their total (primary and secondary suppression), distributions, averages resting on a
number of items (`counted_by`) and other values. Used by `report.table_of`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openregie_reporting.engine.runner import MetricResult, MetricRow
from openregie_reporting.engine.suppression import (
    is_small,
    shown,
    suppress_counts,
    suppress_distribution,
)

TOTAL = "Totaal"


@dataclass(frozen=True, slots=True)
class Line:
    """A row of a table as shown: the dimension values, then the cells by column name.
    `label` holds the dimension values as a reader sees them (None: as `key`)."""

    key: tuple[Any, ...]
    cells: dict[str, Any]
    suppressed: frozenset[str] = frozenset()
    label: tuple[Any, ...] | None = None

    @property
    def shown(self) -> tuple[Any, ...]:
        return self.label if self.label is not None else self.key


def is_count_metric(result: MetricResult) -> bool:
    """Whether a result is suppressed as counts: an aggregate without `counted_by` whose
    values are all whole numbers."""
    if result.definition.kind != "aggregate" or result.definition.counted_by:
        return False
    values = [
        v
        for row in result.rows
        for v in (row.values.get("value"), (row.previous or {}).get("value"))
        if v is not None
    ]
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def change_of(current: Any, previous: Any) -> Any:
    if current is None or previous is None:
        return None
    return round(current - previous, 2) if isinstance(current, float) else current - previous


def count_table(result: MetricResult, threshold: int) -> tuple[list[Line], Line]:
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


def distribution_line(row: MetricRow, threshold: int, compared: bool) -> Line:
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


def rounded(value: Any) -> Any:
    """Non-whole numbers to two decimals, as every view and export shows them."""
    return round(value, 2) if isinstance(value, float) else value


def plain_line(row: MetricRow, compared: bool) -> Line:
    cells: dict[str, Any] = {"value": rounded(row.values.get("value"))}
    if compared:
        before = rounded((row.previous or {}).get("value"))
        cells["previous"] = before
        cells["change"] = change_of(cells["value"], before)
    return Line(row.key, cells)


def counted_line(row: MetricRow, threshold: int, compared: bool) -> Line:
    """An average (or other non-count) with the number of items it rests on: both hidden
    where that number is small; the change hidden when either period's value is."""
    cells: dict[str, Any] = {}
    hidden: set[str] = set()
    periods = [("", "value", row.values)]
    if compared:
        periods.append(("previous_", "previous", row.previous or {}))
    small = {}
    for prefix, name, values in periods:
        count = values.get("count") or 0
        small[name] = is_small(count, threshold)
        cells[name] = shown(rounded(values.get("value")), small[name], threshold)
        cells[prefix + "count"] = shown(count, small[name], threshold)
        if small[name]:
            hidden |= {name, prefix + "count"}
    if compared:
        either = small["value"] or small["previous"]
        change = change_of(
            rounded(row.values.get("value")), rounded((row.previous or {}).get("value"))
        )
        cells["change"] = shown(change, either, threshold, secondary=True)
        if either:
            hidden.add("change")
    return Line(row.key, cells, frozenset(hidden))
