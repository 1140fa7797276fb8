"""Benchmark: how long the command line and the application take to start, each in a fresh
interpreter, against raw baselines in the same run.

- `openregie --help` against `python -c pass` (the interpreter alone): help must not
  import the application.
- application start-up (`create_app()` with every installed module loaded, on a migrated
  SQLite database) against a bare Flask app with one route (the framework alone).

Prints the median of N runs of each, and the ratios.

    .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent

CREATE_APP = """
import time
started = time.perf_counter()
from openregie_core.app import create_app
app = create_app()
print(time.perf_counter() - started)
"""
BARE_FLASK = """
import time
started = time.perf_counter()
from flask import Flask
app = Flask("bare")
app.add_url_rule("/", "index", lambda: "ok")
print(time.perf_counter() - started)
"""


def wall(command: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of running `command` to completion, in seconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def inner(code: str, env: dict[str, str], runs: int) -> float:
    """Median of the time the snippet itself reports (imports and set-up, no interpreter)."""
    samples = []
    for _ in range(runs):
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        )
        samples.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        env = {
            **os.environ,
            "OPENREGIE_INSTANCE_PATH": instance,
            "OPENREGIE_MODE": "development",
        }
        subprocess.run(  # noqa: S603
            [BIN / "openregie", "db", "upgrade"], env=env, check=True, capture_output=True
        )
        rows = [
            ("openregie --help (wall)", wall([str(BIN / "openregie"), "--help"], env, args.runs),
             "python -c pass (wall)", wall([sys.executable, "-c", "pass"], env, args.runs)),
            ("create_app(), all modules", inner(CREATE_APP, env, args.runs),
             "bare Flask app", inner(BARE_FLASK, env, args.runs)),
        ]  # fmt: skip
    print(f"start-up, median of {args.runs} runs each")
    print(f"{'measured':<28} {'seconds':>8}   {'baseline':<24} {'seconds':>8} {'ratio':>7}")
    for name, ours, baseline_name, baseline in rows:
        ratio = ours / baseline
        print(f"{name:<28} {ours:>8.3f}   {baseline_name:<24} {baseline:>8.3f} {ratio:>6.1f}x")
    if args.json:
        keys = ("measured", "seconds", "baseline", "baseline_seconds")
        args.json.write_text(json.dumps([dict(zip(keys, row, strict=True)) for row in rows]))


if __name__ == "__main__":
    main()
