"""Running metric definitions in the database.

`run(definitions, filters)` executes each definition's query with `db_session()`:

- `kind="aggregate"`: the rows as the query gives them (one per dimension combination);
  with `counted_by` each row also carries the number of items its value rests on
  (values "value" and "count").
- `kind="distribution"`: the definition's query (one row per item) becomes a subquery and
  the database computes, per dimension combination, the count, the median and the 90th
  percentile. Method: linear interpolation between the closest ranks, the definition of
  PostgreSQL's `percentile_cont` (and of Python's `statistics.quantiles(method="inclusive")`):
  for n values sorted ascending, position h = (n - 1) * p; the result is
  v[floor(h)] + (h - floor(h)) * (v[floor(h) + 1] - v[floor(h)]) with 0-based ranks.
  SQLite has no percentile function, so the ranks are found with window functions
  (`row_number()` and `count(*)` over the dimension partition) and integer arithmetic,
  and the SAME query runs on PostgreSQL: both databases give the same numbers (rounded
  to two decimals). NULL items are left out.

A definition whose query raises is reported as unavailable (logged) and the others still
run; each query runs in a SAVEPOINT so that a failure does not abort the transaction. On
PostgreSQL the queries can run several at once, each on a connection of its own (the
`parallel_queries` setting): a report's time is then that of its slowest queries rather
than of all of them.

Nothing here counts ORM rows in Python: every number comes from the database.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Float, Integer, case, cast, func, select

from openregie_sdk import db_session
from openregie_sdk.contributions import MetricDefinition, MetricFilters
from openregie_sdk.registry import Area, Municipality, Team

log = logging.getLogger(__name__)

DISTRIBUTION_COLUMNS = ("count", "median", "p90")
AGGREGATE_COLUMNS = ("value",)
# (numerator, denominator) of each percentile, so the ranks are exact integer arithmetic.
PERCENTILES = {"median": (1, 2), "p90": (9, 10)}


class UnknownFilter(ValueError):
    """A municipality code, team or area that does not exist."""


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One dimension combination: `key` the dimension values in the definition's order,
    `values` the numbers ("value"; or "count", "median", "p90" for a distribution) and
    `previous` the same numbers in the previous period (None: not compared, or absent)."""

    key: tuple[Any, ...]
    values: Mapping[str, Any]
    previous: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class MetricResult:
    definition: MetricDefinition
    rows: tuple[MetricRow, ...] = ()
    available: bool = True
    error: str | None = None
    compared: bool = field(default=False)

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def columns(self) -> tuple[str, ...]:
        return columns_of(self.definition)


def columns_of(definition: MetricDefinition) -> tuple[str, ...]:
    if definition.kind == "distribution":
        return DISTRIBUTION_COLUMNS
    return (*AGGREGATE_COLUMNS, "count") if definition.counted_by else AGGREGATE_COLUMNS


# -- the metric definitions of the loaded modules --------------------------------------------


def metrics() -> list[MetricDefinition]:
    """The metric definitions the loaded modules contribute (`openregie_report_metrics`);
    a module that is absent contributes none. Through `openregie_sdk.report_metrics()`
    when the SDK offers it, else through core's hooks facade on the runtime."""
    import openregie_sdk

    accessor = getattr(openregie_sdk, "report_metrics", None)
    if accessor is not None:
        return list(accessor())
    try:
        from openregie_sdk.runtime import runtime

        return list(runtime().hooks.report_metrics())  # type: ignore[attr-defined]
    except AttributeError:
        log.warning("this platform offers no report metrics; the report is empty")
        return []


# -- filters ---------------------------------------------------------------------------------


def resolve_filters(
    period_start: Any,
    period_end: Any,
    *,
    municipality: str | None = None,
    team_ids: Iterable[uuid.UUID] = (),
    area_ids: Iterable[uuid.UUID] = (),
    dialect: str | None = None,
) -> MetricFilters:
    """`MetricFilters` for a period and the chosen municipality (CBS code, e.g. GM0262),
    teams and areas. Raises UnknownFilter for a code or id that does not exist."""
    session = db_session()
    municipality_ids: tuple[uuid.UUID, ...] = ()
    if municipality:
        code = municipality.strip().upper()
        found = session.scalar(select(Municipality.id).where(Municipality.cbs_code == code))
        if found is None:
            raise UnknownFilter(f"unknown municipality {municipality!r} (a CBS code like GM0262)")
        municipality_ids = (found,)
    teams = tuple(dict.fromkeys(team_ids))
    if teams:
        known = set(session.scalars(select(Team.id).where(Team.id.in_(teams))))
        if missing := [str(t) for t in teams if t not in known]:
            raise UnknownFilter(f"unknown team {', '.join(missing)}")
    areas = tuple(dict.fromkeys(area_ids))
    if areas:
        known = set(session.scalars(select(Area.id).where(Area.id.in_(areas))))
        if missing := [str(a) for a in areas if a not in known]:
            raise UnknownFilter(f"unknown area {', '.join(missing)}")
    return MetricFilters(
        period_start=period_start,
        period_end=period_end,
        municipality_ids=municipality_ids,
        team_ids=teams,
        area_ids=areas,
        dialect=dialect or session.get_bind().dialect.name,
    )


# -- running ---------------------------------------------------------------------------------


def distribution_query(definition: MetricDefinition, filters: MetricFilters) -> Any:
    """The SQL computing count, median and p90 per dimension combination over the
    definition's per-item query (see the module docstring for the method)."""
    items = definition.query(filters).subquery("items")
    dims = [items.c[d] for d in definition.dimensions]
    partition = dims or None
    ranked = (
        select(
            *dims,
            items.c.value.label("value"),
            func.row_number().over(partition_by=partition, order_by=items.c.value).label("rn"),
            func.count().over(partition_by=partition).label("n"),
        )
        .where(items.c.value.is_not(None))
        .subquery("ranked")
    )
    rdims = [ranked.c[d] for d in definition.dimensions]
    h_times_den = {}
    picks = []
    for name, (num, den) in PERCENTILES.items():
        h_times_den[name] = (ranked.c.n - 1) * num  # h * den, an integer
        low_rank = h_times_den[name] // den + 1
        high_rank = (h_times_den[name] + den - 1) // den + 1
        picks.append(func.max(case((ranked.c.rn == low_rank, ranked.c.value))).label(f"{name}_lo"))
        picks.append(func.max(case((ranked.c.rn == high_rank, ranked.c.value))).label(f"{name}_hi"))
    grouped = (
        select(*rdims, func.max(ranked.c.n).label("count"), *picks)
        .group_by(*rdims)
        .subquery("grouped")
    )
    gdims = [grouped.c[d] for d in definition.dimensions]
    results = []
    for name, (num, den) in PERCENTILES.items():
        low = cast(grouped.c[f"{name}_lo"], Float)
        high = cast(grouped.c[f"{name}_hi"], Float)
        fraction = cast(((grouped.c["count"] - 1) * num) % den, Float) / den
        results.append((low + (high - low) * fraction).label(name))
    return select(*gdims, cast(grouped.c["count"], Integer).label("count"), *results)


def _number(value: Any) -> Any:
    """Numbers as plain Python: Decimal with no fraction -> int, other Decimal -> float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _statement(definition: MetricDefinition, filters: MetricFilters) -> Any:
    if definition.kind == "distribution":
        return distribution_query(definition, filters)
    return definition.query(filters)


def _rows(definition: MetricDefinition, filters: MetricFilters) -> list[MetricRow]:
    """The rows of one metric in one period, on the request's session (in a SAVEPOINT)."""
    session = db_session()
    with session.begin_nested():
        raw = session.execute(_statement(definition, filters)).all()
    return _rows_of(definition, raw)


def _rows_apart(engine: Any, definition: MetricDefinition, filters: MetricFilters) -> Any:
    """The rows of one metric in one period on a connection of its own (a worker thread):
    a read-only transaction, rolled back. Returns the rows, or the exception it raised."""
    try:
        with engine.connect() as connection:
            try:
                raw = connection.execute(_statement(definition, filters)).all()
            finally:
                connection.rollback()
        return _rows_of(definition, raw)
    except Exception as exc:  # reported by `run`, in the caller's thread
        return exc


def _rows_of(definition: MetricDefinition, raw: Sequence[Any]) -> list[MetricRow]:
    width = len(definition.dimensions)
    rows = []
    for row in raw:
        key, numbers = tuple(row[:width]), row[width:]
        if definition.kind == "distribution":
            count = int(numbers[0] or 0)
            values = {
                "count": count,
                "median": None if not count else round(float(numbers[1]), 2),
                "p90": None if not count else round(float(numbers[2]), 2),
            }
            if not count and width:
                continue
        else:
            values = {"value": _number(numbers[0])}
            if definition.counted_by:
                values["count"] = int(row._mapping[definition.counted_by] or 0)
        rows.append(MetricRow(key=key, values=values))
    return sorted(rows, key=lambda r: tuple("" if k is None else str(k) for k in r.key))


def _fetch(
    definitions: Sequence[MetricDefinition],
    periods: Sequence[MetricFilters],
    workers: int,
) -> dict[tuple[int, int], Any]:
    """Rows (or the exception raised) per (definition index, period index). On PostgreSQL
    with `workers` > 1 the queries run on that many connections of their own at once (each
    sees what was committed when it starts); otherwise one after another on the request's
    session."""
    jobs = [(d, p) for d in range(len(definitions)) for p in range(len(periods))]
    session = db_session()
    engine = session.get_bind()
    if workers > 1 and len(jobs) > 1 and engine.dialect.name == "postgresql":
        engine = getattr(engine, "engine", engine)  # a Connection's Engine
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report") as pool:
            futures = {
                job: pool.submit(_rows_apart, engine, definitions[job[0]], periods[job[1]])
                for job in jobs
            }
            return {job: future.result() for job, future in futures.items()}
    fetched: dict[tuple[int, int], Any] = {}
    for job in jobs:
        try:
            fetched[job] = _rows(definitions[job[0]], periods[job[1]])
        except Exception as exc:
            fetched[job] = exc
    return fetched


def run(
    definitions: Sequence[MetricDefinition],
    filters: MetricFilters,
    previous: MetricFilters | None = None,
    *,
    workers: int = 1,
) -> list[MetricResult]:
    """Each definition's numbers for `filters`; with `previous` (the filters of the
    previous period) each row also carries the previous period's numbers, paired by the
    dimension values (a combination seen only in the previous period gets empty current
    values). A definition whose query fails comes back `available=False`. `workers`: how
    many queries may run at once (PostgreSQL; see `_fetch`)."""
    periods = [filters] if previous is None else [filters, previous]
    fetched = _fetch(definitions, periods, workers)
    results = []
    for index, definition in enumerate(definitions):
        outcomes = [fetched[(index, p)] for p in range(len(periods))]
        failed = next((o for o in outcomes if isinstance(o, Exception)), None)
        if failed is not None:  # one failing metric must not sink the report
            log.error(
                "reporting metric %s failed; reported as unavailable",
                definition.id,
                exc_info=failed,
            )
            results.append(MetricResult(definition, available=False, error=type(failed).__name__))
            continue
        rows = outcomes[0]
        before = outcomes[1] if previous is not None else None
        if before is not None:
            rows = pair(definition, rows, before)
        results.append(MetricResult(definition, tuple(rows), compared=before is not None))
    return results


def pair(
    definition: MetricDefinition, current: Sequence[MetricRow], previous: Sequence[MetricRow]
) -> list[MetricRow]:
    """The current rows with the previous period's values of the same dimension values."""
    empty = dict.fromkeys(columns_of(definition))
    before = {row.key: row.values for row in previous}
    paired = [replace(row, previous=before.get(row.key, empty)) for row in current]
    seen = {row.key for row in current}
    paired += [
        MetricRow(key=row.key, values=empty, previous=row.values)
        for row in previous
        if row.key not in seen
    ]
    return sorted(paired, key=lambda r: tuple("" if k is None else str(k) for k in r.key))
