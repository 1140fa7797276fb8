"""Benchmark: OpenRegie over HTTP — a real server (gunicorn, 2 workers) under a load client
(wrk) on 127.0.0.1, beside the raw baseline (bench/http_baseline.py, the same work in
hand-written SQL, also under gunicorn with 2 workers) in the same run.

Scenarios (each `--duration` seconds at `--connections` connections, after a warm-up):

- dossier: the household page (`/huishoudens/<id>`: household, visible members, the
  household's cases; audited per member) over the households of the professional's team,
  against the baseline's `/dossier/<id>`;
- dossier-api: `GET /api/v1/core/households/<id>` with a personal API token;
- worklist: the team worklist (`/casussen/?kind=team`, 25 rows; audited per person),
  against the baseline's `/werklijst`;
- person-search: `/personen/?naam=<prefix>` over surnames in the team's households,
  against the baseline's `/zoek?naam=`;
- portal: a resident's overview `/mijn/` (their cases, the plan in short, their actions),
  against the baseline's `/mijn`;
- audit-cost: the household page on OpenRegie and on `bench/http_unaudited.py` (the same
  app skipping the read's audit records), one server at a time;
- mixed: a working day's weights — worklists, dossiers, case pages, plans, contact moments
  added through the API, documents pages and residents' portal overviews.

Also counts the SQL statements of one request of each page (in process). That they stay
constant in page size and number of teams is checked by the test suite
(plugins/casemanagement/tests/test_worklists.py).

    .venv/bin/python -m bench.http_load --database bench_openregie_s --duration 10

Needs wrk (`apt-get install wrk`) and gunicorn (`pip install gunicorn`; `make bench-tools`
installs both). Talks only to 127.0.0.1; every server it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.http_baseline import prepare
from bench.http_targets import Targets, api_token, pick, sign_cookies

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("wrk_requests.lua")
MODULES = "casemanagement,consent,portal,reporting"
DEFAULT_JSON = Path(__file__).parent / "results" / "http.json"
TARGETS = {"dossier": ("p95_ms", 50.0), "worklist": ("p95_ms", 100.0), "mixed": ("rps", 235.0)}
RATIO_TARGETS = {"dossier": 0.6, "audit-cost": 0.6}  # throughput against raw / unaudited


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def gunicorn(target: str, env: dict[str, str], workers: int) -> Iterator[str]:
    """A gunicorn serving `target` on a free port of 127.0.0.1, stopped on leaving."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        target,
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{target} did not start (exit {process.returncode})")
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{target} did not answer within 60 s") from None
                time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(base: str, requests: list[str], args: argparse.Namespace, seconds: float) -> dict:
    """Run wrk over the request lines; its figures (latencies in ms, requests/s)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.write("\n".join(requests) + "\n")
    try:
        result = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "wrk",
                f"--threads={args.threads}",
                f"--connections={args.connections}",
                f"--duration={max(1, round(seconds))}s",
                "--timeout=10s",
                f"--script={LUA}",
                base,
                "--",
                listing.name,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(listing.name)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed: {result.stderr.strip() or result.stdout.strip()}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    seconds_run = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "rps": round(figures["requests"] / seconds_run, 1),
        "errors": figures["errors"],
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
    }


def line(method: str, path: str, headers: list[str], body: str = "") -> str:
    return "\t".join([method, path, "||".join(headers), body])


def scenarios(targets: Targets, token: str) -> dict[str, tuple[list[str], list[str] | None]]:
    """Per scenario: OpenRegie's request lines and the baseline's (None: no baseline)."""
    staff = [f"Cookie: {targets.cookies['staff']}"]
    raw = [f"X-Bench-User: {targets.user_id}"]
    bearer = [f"Authorization: Bearer {token}", "Content-Type: application/json"]
    households, cases = targets.household_ids, targets.case_ids
    moment = json.dumps(
        {
            "occurred_at": "2026-09-30T10:00:00+02:00",
            "channel": "phone",
            "participants": "Benchmark",
            "summary": "Telefonisch contact (benchmark).",
        }
    )
    mixed: list[str] = []
    for i in range(200):
        household, case = households[i % len(households)], cases[i % len(cases)]
        mixed += [line("GET", "/casussen/?kind=team", staff)] * 5
        mixed += [line("GET", f"/huishoudens/{household}", staff)] * 5
        mixed += [line("GET", f"/casussen/{case}", staff)] * 3
        mixed += [line("GET", f"/casussen/{case}/plan", staff)] * 2
        mixed += [line("GET", f"/casussen/{case}/documenten", staff)]
        mixed += [
            line("POST", f"/api/v1/casemanagement/cases/{case}/contact-moments", bearer, moment)
        ] * 2
        if targets.resident_ids:
            resident = targets.resident_ids[i % len(targets.resident_ids)]
            mixed += [line("GET", "/mijn/", [f"Cookie: {targets.cookies[str(resident)]}"])] * 2
    residents = [str(r) for r in targets.resident_ids]
    prefixes = targets.name_prefixes or ["jan"]
    return {
        "dossier": (
            [line("GET", f"/huishoudens/{h}", staff) for h in households],
            [line("GET", f"/dossier/{h}", raw) for h in households],
        ),
        "dossier-api": (
            [line("GET", f"/api/v1/core/households/{h}", bearer) for h in households],
            None,
        ),
        "worklist": (
            [line("GET", "/casussen/?kind=team", staff)],
            [line("GET", "/werklijst", raw)],
        ),
        "person-search": (
            [line("GET", f"/personen/?naam={p}", staff) for p in prefixes],
            [line("GET", f"/zoek?naam={p}", raw) for p in prefixes],
        ),
        "portal": (
            [line("GET", "/mijn/", [f"Cookie: {targets.cookies[r]}"]) for r in residents],
            [line("GET", "/mijn", [f"X-Bench-Resident: {r}"]) for r in residents],
        ),
        "mixed": (mixed, None),
    }


def statements(app: Any, targets: Targets) -> dict[str, int]:
    """SQL statements of one request of each page, counted in process."""
    engine = app.extensions["openregie"].engine
    count = {"n": 0}

    def counted(*_args: Any) -> None:
        count["n"] += 1

    event.listen(engine, "before_cursor_execute", counted)
    client = app.test_client()
    client.set_cookie("openregie_session", targets.cookies["staff"].split("=", 1)[1])
    figures = {}
    for name, path in (
        ("dossier", f"/huishoudens/{targets.household_ids[0]}"),
        ("worklist", "/casussen/?kind=team"),
        ("case page", f"/casussen/{targets.case_ids[0]}"),
        ("person search", f"/personen/?naam={(targets.name_prefixes or ['jan'])[0]}"),
    ):
        client.get(path)  # warm: first-request work is not per request
        count["n"] = 0
        answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
        figures[name] = count["n"]
    if targets.resident_ids:
        resident = targets.cookies[str(targets.resident_ids[0])].split("=", 1)[1]
        client.set_cookie("openregie_session", resident)
        client.get("/mijn/")
        count["n"] = 0
        answer = client.get("/mijn/")
        if answer.status_code != 200:
            raise SystemExit(f"/mijn/ answered {answer.status_code}")
        figures["portal"] = count["n"]
    event.remove(engine, "before_cursor_execute", counted)
    return figures


def upgrade(url: str, env: dict[str, str]) -> None:
    """Every first-party module's tables (the dataset migrates case management and
    reporting only)."""
    subprocess.run(  # noqa: S603
        [str(BIN / "openregie"), "db", "upgrade"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def build_app(url: str, secret: str, instance: Path) -> Any:
    """The application as gunicorn serves it (production mode, every first-party module)."""
    from openregie_core.app import create_app
    from openregie_core.config import load_settings

    return create_app(
        load_settings(
            instance_path=instance,
            database_url=url,
            secret_key=secret,
            modules=MODULES.split(","),
            mode="production",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_openregie_s")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    if shutil.which("wrk") is None or not (BIN / "gunicorn").exists():
        raise SystemExit("needs wrk and gunicorn: run `make bench-tools`")

    url = f"{args.server.rstrip('/')}/{args.database}"
    secret = secrets.token_urlsafe(48)
    instance = Path(tempfile.mkdtemp(prefix="bench-http-"))
    env = {
        "OPENREGIE_DATABASE_URL": url,
        "OPENREGIE_SECRET_KEY": secret,
        "OPENREGIE_INSTANCE_PATH": str(instance),
        "OPENREGIE_MODULES": MODULES,
        "OPENREGIE_MODE": "production",
        "BENCH_DATABASE_URL": url,
    }
    upgrade(url, env)
    prepare(url)
    targets = pick(url)
    sign_cookies(targets, secret)

    app = build_app(url, secret, instance)
    token = api_token(app, targets)
    counted = statements(app, targets)
    app.extensions["openregie"].engine.dispose()

    chosen = set(filter(None, args.only.split(","))) or None
    results: dict[str, Any] = {}
    planned = scenarios(targets, token)
    with (
        gunicorn("openregie_core.wsgi:app", env, args.workers) as real,
        gunicorn("bench.http_baseline:app", env, args.workers) as raw,
    ):
        for name, (ours, baseline) in planned.items():
            if chosen and name not in chosen:
                continue
            wrk(real, ours, args, args.warmup)
            entry = {"openregie": wrk(real, ours, args, args.duration)}
            if baseline is not None:
                wrk(raw, baseline, args, args.warmup)
                entry["baseline"] = wrk(raw, baseline, args, args.duration)
                entry["ratio"] = ratio(entry["openregie"], entry["baseline"])
            results[name] = entry
            print_row(name, entry)
    if not chosen or "audit-cost" in chosen:
        # The same household page on a server that skips writing the read's audit records.
        # One server at a time: the audited figure is measured again beside it.
        dossier = planned["dossier"][0]
        with gunicorn("openregie_core.wsgi:app", env, args.workers) as real:
            wrk(real, dossier, args, args.warmup)
            audited = wrk(real, dossier, args, args.duration)
        with gunicorn("bench.http_unaudited:app", env, args.workers) as bare:
            wrk(bare, dossier, args, args.warmup)
            unaudited = wrk(bare, dossier, args, args.duration)
        entry = {"openregie": audited, "unaudited": unaudited, "ratio": ratio(audited, unaudited)}
        results["audit-cost"] = entry
        print_row("audit-cost", entry)
    shutil.rmtree(instance, ignore_errors=True)
    print(f"statements per request: {counted}")
    document = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": args.database,
        "connections": args.connections,
        "duration_s": args.duration,
        "workers": args.workers,
        "statements": counted,
        "scenarios": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written: {args.json}")


def ratio(ours: dict[str, Any], other: dict[str, Any]) -> float | None:
    return round(ours["rps"] / other["rps"], 2) if other["rps"] else None


def print_row(name: str, entry: dict[str, Any]) -> None:
    ours = entry["openregie"]
    text = (
        f"{name:12} {ours['rps']:8.1f} req/s  p50 {ours['p50_ms']:6.1f} ms  "
        f"p95 {ours['p95_ms']:6.1f} ms  p99 {ours['p99_ms']:6.1f} ms  errors {ours['errors']}"
    )
    if "baseline" in entry:
        base = entry["baseline"]
        text += f"  | raw {base['rps']:8.1f} req/s p95 {base['p95_ms']:6.1f} ms  ×{entry['ratio']}"
    if "unaudited" in entry:
        bare = entry["unaudited"]
        text += f"  | unaudited {bare['rps']:8.1f} req/s  ×{entry['ratio']}"
    if name in TARGETS:
        key, goal = TARGETS[name]
        met = ours[key] <= goal if key.endswith("_ms") else ours[key] >= goal
        text += f"  target {key} {'≤' if key.endswith('_ms') else '≥'} {goal:g}: "
        text += "met" if met else "MISSED"
    if name in RATIO_TARGETS and entry.get("ratio") is not None:
        goal = RATIO_TARGETS[name]
        text += f"  target ratio ≥ {goal:g}: " + ("met" if entry["ratio"] >= goal else "MISSED")
    print(text, flush=True)


if __name__ == "__main__":
    main()
