"""Where a request's time goes, in process: the CPU time per request of each page the HTTP
benchmark drives (Flask's test client, no server, no network), and with `--profile` the
functions that cost most (cProfile, cumulative).

    .venv/bin/python -m bench.http_profile --database bench_openregie_m
    .venv/bin/python -m bench.http_profile --database bench_openregie_m --profile dossier

CPU time (`time.process_time`) is robust to other work on the machine; the database's own
time is not in it (it runs in the PostgreSQL backend), the wall time per request is printed
beside it.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import secrets
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.http_load import MODULES, build_app, upgrade
from bench.http_targets import pick, sign_cookies


def pages(targets: Any) -> dict[str, str]:
    return {
        "dossier": f"/huishoudens/{targets.household_ids[0]}",
        "worklist": "/casussen/?kind=team",
        "case": f"/casussen/{targets.case_ids[0]}",
        "plan": f"/casussen/{targets.case_ids[0]}/plan",
        "person-search": "/personen/?naam=peters",
        "start": "/start",  # the layout and the dashboard's widgets: near a page's floor
        "health": "/health",  # no actor, no layout: Flask and the request's session
    }


def measure(client: Any, path: str, runs: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds per request over `runs` requests."""
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        answer = client.get(path)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_openregie_s")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", default="", help="a page name: print its profile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--dump", default="", help="also write the profile to this file")
    args = parser.parse_args()

    url = f"{args.server.rstrip('/')}/{args.database}"
    secret = secrets.token_urlsafe(48)
    instance = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        upgrade(url, {"OPENREGIE_DATABASE_URL": url, "OPENREGIE_MODULES": MODULES})
        targets = pick(url)
        sign_cookies(targets, secret)
        app = build_app(url, secret, instance)
        client = app.test_client()
        client.set_cookie("openregie_session", targets.cookies["staff"].split("=", 1)[1])
        for name, path in pages(targets).items():
            measure(client, path, 3)  # warm
            cpu, wall = measure(client, path, args.runs)
            print(f"{name:14} cpu {cpu:6.1f} ms  wall {wall:6.1f} ms  {path}", flush=True)
        if args.profile:
            path = pages(targets)[args.profile]
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
            profiler.enable()
            for _ in range(args.runs):
                client.get(path)
            profiler.disable()
            if args.dump:
                profiler.dump_stats(args.dump)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
