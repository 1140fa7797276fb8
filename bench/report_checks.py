"""Helpers of the report benchmark that look inside the engine (run in an application
context): time per metric, the check that the raw baseline gives the engine's numbers,
and EXPLAIN ANALYZE of the slowest metric queries."""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from typing import Any

from openregie_reporting.engine.periods import Period
from openregie_reporting.engine.runner import (
    distribution_query,
    metrics,
    resolve_filters,
    run,
)
from openregie_sdk import db_session


def _filters(period: Period, municipality: str | None) -> tuple[Any, Any]:
    before = period.previous()
    return (
        resolve_filters(period.start, period.end, municipality=municipality),
        resolve_filters(before.start, before.end, municipality=municipality),
    )


def per_metric(period: Period, municipality: str | None, runs: int) -> dict[str, float]:
    """Warm seconds (median of `runs`) per metric, both periods, slowest first."""
    current, previous = _filters(period, municipality)
    times = {}
    for definition in metrics():
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            run([definition], current, previous)
            samples.append(time.perf_counter() - started)
        times[definition.id] = statistics.median(samples)
    return dict(sorted(times.items(), key=lambda item: -item[1]))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    return round(value, 2) if isinstance(value, float) else value


def _engine_rows(result: Any, previous: bool) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    columns = ("count", "median", "p90") if result.definition.kind == "distribution" else ("value",)
    rows = {}
    for row in result.rows:
        values = (row.previous or {}) if previous else row.values
        numbers = tuple(_plain(values.get(c)) for c in columns)
        if numbers[0] in (None, 0) and result.definition.dimensions:
            continue  # present only in the other period
        rows[tuple(row.key)] = numbers
    return rows


def _raw_rows(rows: list[tuple[Any, ...]], width: int) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {tuple(r[:width]): tuple(_plain(v) for v in r[width:]) for r in rows}


def compare(period: Period, municipality: str | None, url: str) -> dict[str, Any]:
    """Whether the baseline's numbers equal the engine's, metric by metric, both periods."""
    import psycopg
    from sqlalchemy.engine import make_url

    from bench.report_baseline import SQL, run_all

    current, previous = _filters(period, municipality)
    results = {r.id: r for r in run(metrics(), current, previous)}
    before = period.previous()
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as connection:
        raw = run_all(
            connection,
            [(period.start, period.end), (before.start, before.end)],
            current.municipality_ids[0] if current.municipality_ids else None,
        )
    mismatches = []
    for metric in SQL:
        result = results.get(metric)
        if result is None or not result.available:
            mismatches.append(f"{metric}: not in the engine's report")
            continue
        width = len(result.definition.dimensions)
        for index, name in enumerate(("current", "previous")):
            engine = _engine_rows(result, previous=index == 1)
            baseline = _raw_rows(raw[metric][index], width)
            if not width:  # one row, even over no items
                baseline = {(): next(iter(baseline.values()), None)}
                engine = {(): next(iter(engine.values()), None)}
            if engine != baseline:
                mismatches.append(f"{metric} ({name}): engine {engine} != raw {baseline}")
    return {"metrics_compared": len(SQL), "same_numbers": not mismatches, "mismatches": mismatches}


def explain(
    period: Period, municipality: str | None, times: dict[str, float], count: int
) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the `count` slowest metrics' current-period query."""
    current, _ = _filters(period, municipality)
    session = db_session()
    dialect = session.get_bind().dialect
    by_id = {d.id: d for d in metrics()}
    plans = {}
    for metric in list(times)[:count]:
        definition = by_id[metric]
        query = (
            distribution_query(definition, current)
            if definition.kind == "distribution"
            else definition.query(current)
        )
        compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        raw = session.connection().connection.driver_connection
        rows = raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), compiled.params)
        plans[metric] = "\n".join(r[0] for r in rows.fetchall())
    return plans
