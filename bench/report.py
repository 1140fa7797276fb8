"""Benchmark: the quarterly report on a tier-M database (PostgreSQL) against raw SQL.

Builds the database `bench_openregie_m` with the dataset generator (or reuses it with
`--reuse`; it is dropped only with `--drop`), then measures, for one municipality and for
all municipalities:

- `build_report` (the reporting engine: every loaded module's metrics for the quarter and
  the previous quarter, paired and suppressed): cold (the first call of a new application
  on a new connection) and warm (median of `--runs` calls);
- the XLSX and CSV exports of that report (rendering only) and, when the reporting pages
  are there, the full page and the XLSX download through the application (logged in as a
  policy officer; includes the audit record the page writes);
- the raw baseline: hand-written SQL for the same figures through psycopg
  (`bench/report_baseline.py`), cold and warm, after checking that it yields the same
  numbers as the engine.

Prints a table with the ratios and per-metric times, writes JSON (default
bench/results/report.json). `--explain N` prints EXPLAIN ANALYZE of the N slowest metrics.

    .venv/bin/python -m bench.report --reuse
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bench.dataset import TIERS, make_app, populate
from bench.dataset.__main__ import postgres_url
from bench.report_baseline import SQL, run_all
from bench.report_checks import compare, explain, per_metric

TARGET_SECONDS = 1.0
DEFAULT_JSON = Path(__file__).parent / "results" / "report.json"


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def cpu_seconds(backend: int | Collection[int] | None) -> float:
    """CPU seconds used so far by this process and, when given, by the PostgreSQL backend
    process(es) `backend` (same machine): what a report costs whatever else runs. A report
    whose queries run on several connections at once is charged every one of them."""
    used = time.process_time()
    pids = [backend] if isinstance(backend, int) else list(backend or ())
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def follow_backends(engine: Any) -> set[int]:
    """The PIDs of every connection `engine` opens from now on (its pool keeps them open),
    each with parallel query off (see `backend_of`)."""
    pids: set[int] = set()

    def connected(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        if Path(f"/proc/{pid}/stat").exists():
            pids.add(pid)

    event.listen(engine, "connect", connected)
    return pids


def median_of(
    runs: int, function: Callable[[], Any], backend: int | Collection[int] | None = None
) -> dict[str, float]:
    """Wall seconds (median, min, max) of `runs` calls and their median CPU seconds
    (application + database backend)."""
    times, cpu = [], []
    for _ in range(runs):
        before = cpu_seconds(backend)
        times.append(timed(function)[0])
        cpu.append(cpu_seconds(backend) - before)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "cpu": statistics.median(cpu),
    }


def backend_of(connection: Any) -> int | None:
    """The PID of the connection's backend when it runs on this machine, after turning
    parallel query off so that the backend does all the work (and its CPU time is all of
    it; on 2 shared cores parallel workers only compete with the other processes)."""
    raw = not hasattr(connection, "scalar")  # a psycopg connection, else a SQLAlchemy one
    wrap = (lambda sql: sql) if raw else text
    connection.execute(wrap("SET max_parallel_workers_per_gather = 0"))
    row = connection.execute(wrap("SELECT pg_backend_pid()")).fetchone()
    pid = row[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


class Statements:
    """Counts the SQL statements an engine sends while active."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


def database(args: argparse.Namespace) -> str:
    """The benchmark database's URL: created and filled with the tier first when it does
    not exist (or holds no persons yet); an existing one is measured only with --reuse."""
    server = make_url(postgres_url(args.server))
    url = server.set(database=args.database).render_as_string(hide_password=False)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": args.database}
        )
        if exists and not args.reuse:
            raise SystemExit(
                f"database {args.database} exists: pass --reuse to measure it (with --drop to "
                "drop it afterwards), or drop it yourself to build it again"
            )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{args.database}"'))
    admin.dispose()
    if not exists or not _holds_persons(url):
        from openregie_core.upgrade import upgrade_installation

        print(f"generating tier {args.tier} into {args.database} ...", flush=True)
        with tempfile.TemporaryDirectory() as instance:
            app = make_app(url, Path(instance))
            upgrade_installation(app)
            summary = populate(app.extensions["openregie"].engine, TIERS[args.tier])
            app.extensions["openregie"].engine.dispose()
        print("\n".join(summary.lines()), flush=True)
    return url


def sizes(url: str) -> dict[str, int]:
    """Row counts of the main tables of the database measured."""
    engine = create_engine(url)
    tables = ("core_person", "core_household", "casemanagement_case",
              "casemanagement_contact_moment", "core_audit_record")  # fmt: skip
    with engine.connect() as connection:
        counts = {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables}  # noqa: S608
    engine.dispose()
    return counts


def _holds_persons(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            table = connection.scalar(text("SELECT to_regclass('core_person')"))
            return bool(table and connection.scalar(text("SELECT count(*) FROM core_person")))
    finally:
        engine.dispose()


def engine_figures(url: str, args: argparse.Namespace, municipality: str | None) -> dict[str, Any]:
    """build_report cold and warm, the exports, statements per report, per-metric times."""
    from openregie_reporting.engine.export import render
    from openregie_reporting.engine.periods import parse_period
    from openregie_reporting.engine.report import build_report
    from openregie_reporting.engine.runner import metrics
    from openregie_sdk import db_session

    period = parse_period(args.period)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as instance:
        app = make_app(url, Path(instance))
        runtime = app.extensions["openregie"]
        runtime.engine.dispose()  # every connection from here on is followed
        backend = follow_backends(runtime.engine)
        statements = Statements(runtime.engine)
        with app.app_context():
            own = backend_of(db_session())
            if own is not None:
                backend.add(own)
            before = cpu_seconds(backend)
            cold, report = timed(lambda: build_report(period, municipality=municipality))
            out["cold_cpu"] = cpu_seconds(backend) - before
            out["statements_per_report"] = statements.count
            out["build_report"] = {
                "cold": cold,
                **median_of(
                    args.runs, lambda: build_report(period, municipality=municipality), backend
                ),
            }
            # The same metrics the raw baseline computes, for a like-for-like ratio.
            covered = [d for d in metrics() if d.id in SQL]
            out["build_report_baseline_metrics"] = median_of(
                args.runs,
                lambda: build_report(period, municipality=municipality, definitions=covered),
                backend,
            )
            out["not_in_baseline"] = [d.id for d in metrics() if d.id not in SQL]
            out["xlsx"] = median_of(args.runs, lambda: render(report, "xlsx"))
            out["csv"] = median_of(args.runs, lambda: render(report, "csv"))
            out["xlsx_bytes"] = len(render(report, "xlsx"))
            out["tables"] = len(report.tables)
            out["unavailable"] = [t.id for t in report.tables if not t.available]
            out["metrics"] = per_metric(period, municipality, 3)
            out["check"] = compare(period, municipality, url)
            if args.explain:
                out["explain"] = explain(period, municipality, out["metrics"], args.explain)
            runtime.close_cli_session()
        out["page"] = page_figures(app, args, municipality)
        runtime.engine.dispose()
    return out


def page_figures(app: Any, args: argparse.Namespace, municipality: str | None) -> dict[str, Any]:
    """The report page and its XLSX download through the application, when they exist."""
    if "reporting.report" not in app.view_functions:
        return {"available": False}
    from openregie_sdk.testing.plugin import log_in

    client = app.test_client()
    log_in(app, client, "policy_officer", username=f"bench-beleid-{os.getpid()}-{time.time_ns()}")
    query = f"periode={args.period}" + (f"&gemeente={municipality}" if municipality else "")
    out: dict[str, Any] = {"available": True}
    for name, path in (
        ("page", f"/rapportage/?{query}"),
        ("xlsx_download", f"/rapportage/download.xlsx?{query}"),
    ):
        response = client.get(path)
        if response.status_code != 200:
            out[name] = {"status": response.status_code}
            continue
        out[name] = median_of(args.runs, lambda path=path: client.get(path))
        del out[name]["cpu"]  # the page's own connections: their backends are not followed
        out[name]["bytes"] = len(response.data)
    return out


def baseline_figures(
    url: str, args: argparse.Namespace, municipality: str | None
) -> dict[str, Any]:
    import psycopg

    from openregie_reporting.engine.periods import parse_period

    period = parse_period(args.period)
    before = period.previous()
    periods = [(period.start, period.end), (before.start, before.end)]
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as connection:
        mid = None
        if municipality:
            mid = connection.execute(
                "SELECT id FROM core_municipality WHERE cbs_code = %s", [municipality]
            ).fetchone()[0]
        backend = backend_of(connection)
        cold, _ = timed(lambda: run_all(connection, periods, mid))
        warm = median_of(args.runs, lambda: run_all(connection, periods, mid), backend)
    return {"cold": cold, **warm}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="bench_openregie_m")
    parser.add_argument("--tier", default="M", choices=sorted(TIERS), type=str.upper)
    parser.add_argument("--reuse", action="store_true", help="measure the existing database")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--runs", type=int, default=7, help="warm runs per measurement")
    parser.add_argument("--period", default="2026-Q3")
    parser.add_argument("--municipality", default="GM0301")
    parser.add_argument("--explain", type=int, default=0, metavar="N")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    load = os.getloadavg()
    url = database(args)
    size = sizes(url)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "load_before": load}
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "database": args.database,
        "rows": size,
        "period": args.period,
        "runs": args.runs,
        "target_seconds": TARGET_SECONDS,
        "scopes": {},
    }
    try:
        for scope in (args.municipality, None):
            label = scope or "alle"
            print(f"measuring {label} ...", flush=True)
            results["scopes"][label] = {
                "engine": engine_figures(url, args, scope),
                "baseline": baseline_figures(url, args, scope),
            }
    finally:
        if args.drop:
            admin = create_engine(make_url(postgres_url(args.server)), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
            admin.dispose()
    results["machine"]["load_after"] = os.getloadavg()
    from bench.report_table import print_table

    print_table(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
