"""Every benchmark of issue 9 in one command: prints one table of figures, baselines, ratios
and targets, and writes them all to bench/results/summary.json (each benchmark also keeps
its own JSON beside it).

    make bench                          # tier M, builds bench_openregie_m the first time
    .venv/bin/python -m bench.run --tier L --database bench_openregie_l
    .venv/bin/python -m bench.run --smoke   # CI: tier S, every benchmark briefly, then dropped

The benchmarks run one after another, each in a process of its own (bench/http_load.py,
report.py, import_persons.py, hooks.py, startup.py); a failing one stops the run with its
name. `--smoke` makes a fresh tier-S database, runs everything with the shortest durations
and drops it: it checks that the benchmarks still work, its timings mean nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

RESULTS = Path(__file__).parent / "results"
SERVER = "postgresql://postgres@127.0.0.1:5432"


def run(name: str, *command: str) -> None:
    print(f"\n=== {name}: {' '.join(command)}", flush=True)
    done = subprocess.run([sys.executable, *command], check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"benchmark {name} failed (exit {done.returncode})")


def database_exists(name: str) -> bool:
    engine = create_engine(f"{SERVER}/postgres")
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
    finally:
        engine.dispose()
    return found is not None


def drop(name: str) -> None:
    engine = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def rows(results: Path) -> Iterator[tuple[str, str, str, str, str]]:
    """(benchmark, OpenRegie's figure, the baseline's, ratio, target and verdict)."""
    http = json.loads((results / "http.json").read_text())
    targets = {"dossier": "p95 ≤ 50 ms, ×≥0.6", "worklist": "p95 ≤ 100 ms", "mixed": "≥ 235/s"}
    for name, entry in http["scenarios"].items():
        ours = entry["openregie"]
        other = entry.get("baseline") or entry.get("unaudited")
        label = "unaudited" if "unaudited" in entry else "raw"
        yield (
            f"http {name}",
            f"{ours['rps']:.0f}/s p95 {ours['p95_ms']:.0f} ms",
            f"{label} {other['rps']:.0f}/s p95 {other['p95_ms']:.0f} ms" if other else "",
            f"{entry['ratio']:.2f}" if entry.get("ratio") is not None else "",
            targets.get(name, "×≥0.6" if name == "audit-cost" else ""),
        )
    yield ("statements/request", json.dumps(http["statements"]), "", "", "worklist ≤ 12")
    report = json.loads((results / "report.json").read_text())
    for scope, figures in report["scopes"].items():
        engine, raw = figures["engine"], figures["baseline"]
        total = engine["build_report"]["median"] + engine["xlsx"]["median"]
        same = engine["build_report_baseline_metrics"]["median"]
        yield (
            f"quarterly report {scope}",
            f"{total * 1000:.0f} ms (with XLSX)",
            f"raw SQL {raw['median'] * 1000:.0f} ms",
            f"{raw['median'] / same:.2f}",
            "≤ 1 s",
        )
    imported = json.loads((results / "import.json").read_text())
    n = imported["rows"]
    yield (
        f"import {n:,} persons",
        f"{n / imported['importer_s']:,.0f} rows/s",
        f"COPY {n / imported['copy_s']:,.0f} rows/s",
        f"{imported['ratio']:.2f}",
        "×≥0.5",
    )
    for hook in json.loads((results / "hooks.json").read_text())["rows"]:
        yield (
            hook["hook"],
            f"{hook['facade_us']:.1f} µs",
            f"loop {hook['raw_us']:.1f} µs",
            f"{hook['raw_us'] / hook['facade_us']:.2f}",
            "≤ 25 µs",
        )
    for start in json.loads((results / "startup.json").read_text()):
        yield (
            start["measured"],
            f"{start['seconds']:.3f} s",
            f"{start['baseline']} {start['baseline_seconds']:.3f} s",
            f"{start['baseline_seconds'] / start['seconds']:.2f}",
            "",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tier", default="M", type=str.upper, choices=("S", "M", "L"))
    parser.add_argument("--database", help="default: bench_openregie_<tier>")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per HTTP run")
    parser.add_argument("--smoke", action="store_true", help="CI: tier S, briefly, dropped")
    args = parser.parse_args()
    if args.smoke:
        args.tier, args.duration = "S", 2.0
        args.database = f"bench_openregie_smoke_{uuid.uuid4().hex[:8]}"
    name = args.database or f"bench_openregie_{args.tier.lower()}"
    url = f"{SERVER}/{name}"
    results = RESULTS / "smoke" if args.smoke else RESULTS
    results.mkdir(parents=True, exist_ok=True)
    quiet = ["--quiet"] if args.smoke else []
    try:
        if not database_exists(name):
            run("dataset", "-m", "bench.dataset", "--tier", args.tier, "--create",
                "--database-url", url, *quiet)  # fmt: skip
        warmup = "0.5" if args.smoke else "2"
        run("http", "-m", "bench.http_load", "--database", name, "--warmup", warmup,
            "--duration", str(args.duration), "--json", str(results / "http.json"))  # fmt: skip
        runs = "1" if args.smoke else "7"
        run("report", "-m", "bench.report", "--reuse", "--database", name, "--runs", runs,
            "--json", str(results / "report.json"))  # fmt: skip
        run("import", "bench/import_persons.py", "--rows", "2000" if args.smoke else "100000",
            "--json", str(results / "import.json"))  # fmt: skip
        run("hooks", "bench/hooks.py", "--calls", "2000" if args.smoke else "20000",
            "--json", str(results / "hooks.json"))  # fmt: skip
        run("startup", "bench/startup.py", "--runs", "1" if args.smoke else "7",
            "--json", str(results / "startup.json"))  # fmt: skip
    finally:
        if args.smoke:
            drop(name)
    table = list(rows(results))
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    print(f"\nOpenRegie benchmarks, tier {args.tier} ({name}), {os.cpu_count()} CPUs")
    header = ("benchmark", "OpenRegie", "baseline", "ratio", "target")
    for row in [header, *table]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    summary: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tier": args.tier,
        "database": name,
        "smoke": args.smoke,
        "rows": [dict(zip(header, row, strict=True)) for row in table],
    }
    (results / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"written: {results / 'summary.json'}")


if __name__ == "__main__":
    main()
