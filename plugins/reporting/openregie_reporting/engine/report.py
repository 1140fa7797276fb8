"""A report: the metric results of a period and its previous period, suppressed, as
tables of what a reader sees. Pages and exports show a `Report`, so they show exactly the
same (suppressed) numbers.

Which metrics are suppressed as counts: aggregates whose values are all whole numbers
(COUNT results) and that name no `counted_by`. An aggregate with `counted_by` (an average,
e.g. ZRM progress in points) is hidden where the number of items it rests on is above zero
and below the threshold. Other non-count aggregates are shown as they come. See
`suppression` for the rules.

Each line keeps its raw dimension values (`key`: codes, names) and what a reader sees
(`shown`: labels of codes, names of registry ids; see `labels`). The tables are in the
order of the report's sections (`sections`); core's contracted hours become the formation
table (`formation`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from openregie_reporting.engine import formation
from openregie_reporting.engine.labels import (
    dimension_label,
    registry_names,
    value_label,
)
from openregie_reporting.engine.lines import (
    TOTAL,
    Line,
    count_table,
    counted_line,
    distribution_line,
    is_count_metric,
    plain_line,
)
from openregie_reporting.engine.periods import Period
from openregie_reporting.engine.runner import (
    MetricResult,
    metrics,
    resolve_filters,
    run,
)
from openregie_reporting.engine.sections import grouped, position
from openregie_sdk.contributions import MetricDefinition, MetricFilters


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
    dimension_labels: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        """The names of the dimensions as a reader sees them."""
        return self.dimension_labels or self.dimensions


@dataclass(frozen=True, slots=True)
class Report:
    municipality: str | None
    period: Period
    previous: Period
    generated_at: dt.datetime
    threshold: int
    tables: tuple[Table, ...]
    team_ids: tuple[uuid.UUID, ...] = ()
    area_ids: tuple[uuid.UUID, ...] = ()

    @property
    def id(self) -> str:
        """The id of the report in the audit log (reports are not person data): the
        municipality, the period and the team and area filters, the latter by the first 8
        hex digits of their ids (the log's subject id holds 64 characters)."""
        parts = [self.municipality or "alle", self.period.label]
        parts += [f"team={t.hex[:8]}" for t in self.team_ids[:1]]
        parts += [f"wijk={a.hex[:8]}" for a in self.area_ids[:1]]
        return "/".join(parts)

    @property
    def sections(self) -> list[tuple[Any, list[Table]]]:
        """(section, its tables) in the order of the report (see `sections`)."""
        return grouped(self.tables)

    def table(self, metric_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == metric_id), None)


def _columns(definition: MetricDefinition, compared: bool) -> tuple[str, ...]:
    if definition.kind == "distribution":
        columns: tuple[str, ...] = ("count", "median", "p90")
        return (
            (*columns, "previous_count", "previous_median", "previous_p90") if compared else columns
        )
    if definition.counted_by:
        return (
            ("value", "count", "previous", "previous_count", "change")
            if compared
            else ("value", "count")
        )
    return ("value", "previous", "change") if compared else ("value",)


def _labelled(definition: MetricDefinition, lines: list[Line]) -> list[Line]:
    """The lines with what a reader sees of their dimension values, ordered as the
    definition's labels list the codes of the first dimension (else by what is shown)."""
    dims = definition.dimensions
    names = registry_names((d, v) for line in lines for d, v in zip(dims, line.key, strict=False))
    labelled = [
        replace(
            line,
            label=tuple(
                value_label(d, v, definition.labels, names)
                for d, v in zip(dims, line.key, strict=False)
            ),
        )
        for line in lines
    ]
    order = list(definition.labels.get(dims[0], {})) if dims else []

    def rank(line: Line) -> tuple[Any, ...]:
        first = line.key[0] if line.key else None
        known = order.index(first) if first in order else len(order)
        return (known, *("" if v is None else str(v) for v in line.shown))

    return sorted(labelled, key=rank)


def table_of(result: MetricResult, threshold: int) -> Table:
    """The shown table of one metric result, suppressed with `threshold`."""
    definition = result.definition
    compared = result.compared
    counts = is_count_metric(result)
    columns = _columns(definition, compared)
    total = None
    if not result.available:
        lines: list[Line] = []
    elif definition.kind == "distribution":
        lines = [distribution_line(row, threshold, compared) for row in result.rows]
    elif counts:
        lines, total = count_table(result, threshold)
    elif definition.counted_by:
        lines = [counted_line(row, threshold, compared) for row in result.rows]
    else:
        lines = [plain_line(row, compared) for row in result.rows]
    return Table(
        id=definition.id,
        title=definition.title,
        unit=definition.unit,
        description=definition.description,
        kind=definition.kind,
        dimensions=definition.dimensions,
        columns=columns,
        lines=tuple(_labelled(definition, lines)),
        total=total,
        available=result.available,
        counts=counts,
        dimension_labels=tuple(dimension_label(d) for d in definition.dimensions),
    )


def formation_table(result: MetricResult, filters: MetricFilters) -> Table:
    """The formation table (see `formation`) from core's contracted hours."""
    columns = formation.COLUMNS if result.compared else formation.COLUMNS[:-1]
    lines: list[Line] = []
    total = None
    if result.available:
        rows, total_cells = formation.formation_lines(result, filters)
        lines = [Line(key, cells) for key, cells in rows]
        total = Line((TOTAL, ""), total_cells)
    return Table(
        id=formation.FORMATION,
        title=formation.TITLE,
        unit=formation.UNIT,
        description=formation.DESCRIPTION,
        kind="formation",
        dimensions=("team", "organisation"),
        columns=columns,
        lines=tuple(lines),
        total=total,
        available=result.available,
        dimension_labels=(dimension_label("team"), dimension_label("organisation")),
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
    from openregie_reporting.settings import ReportingSettings
    from openregie_sdk import module_settings

    settings = cast(ReportingSettings, module_settings("reporting"))
    if threshold is None:
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
    results = run(chosen, current, previous, workers=settings.parallel_queries)
    tables = [
        formation_table(result, current)
        if result.id == formation.CONTRACTED
        else table_of(result, threshold)
        for result in results
    ]
    return Report(
        municipality=municipality.strip().upper() if municipality else None,
        period=period,
        previous=before,
        generated_at=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        threshold=threshold,
        tables=tuple(sorted(tables, key=lambda t: position(t.id))),
        team_ids=team_ids,
        area_ids=area_ids,
    )
