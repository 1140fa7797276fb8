"""Benchmark: `openregie import persons` on PostgreSQL against a plain COPY of the same rows.

Creates its own database on the server (default postgresql://postgres@127.0.0.1:5432, trust
auth), migrates it with the real migrations, generates N valid rows (seeded), imports them
through the real importer (CSV bytes in, committed persons out), imports the same file
again (everything unchanged), checks that the audit chain verifies, then empties the table
and COPYs the same rows into it straight from Python tuples as the baseline. Prints rows/s
of each and the ratio; drops the database at the end, also on failure.

    .venv/bin/python bench/import_persons.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from openregie_core.app import create_app
from openregie_core.audit.verify import verify
from openregie_core.config import load_settings
from openregie_core.demo_names import NAME_GROUPS
from openregie_core.registry import MunicipalityIn, create_municipality, fold_name
from openregie_core.registry.checks import random_bsn
from openregie_core.registry.importer import COLUMNS, import_persons, record_import
from openregie_core.upgrade import upgrade_installation

MAX_ROWS = 1_000_000
STATEMENT_TIMEOUT_MS = 300_000  # no single statement may take longer than five minutes
LETTERS = "ABCEGHJKLMNPRTVWXZ"
MUNICIPALITIES = {"GM0301": "Zutphen", "GM0262": "Lochem", "GM0213": "Brummen"}
HEADER = (
    "bsn", "voornamen", "voorvoegsel", "geslachtsnaam", "birth_date", "phone", "email", "street",
    "house_number", "house_number_suffix", "postcode", "city", "municipality",
)  # fmt: skip


def generate(count: int, seed: int) -> list[tuple[Any, ...]]:
    """`count` valid person rows in HEADER order (typed values)."""
    rng = random.Random(seed)  # noqa: S311 - repeatable benchmark data, not a secret
    today = dt.date.today()
    seen: set[str] = set()
    rows = []
    codes = list(MUNICIPALITIES)
    while len(rows) < count:
        bsn = random_bsn(rng, prefix="9")
        if bsn in seen:
            continue
        seen.add(bsn)
        group = rng.choice(NAME_GROUPS)
        voorvoegsel, geslachtsnaam = rng.choice(group.surnames)
        first = rng.choice(group.female + group.male)
        code = rng.choice(codes)
        rows.append((
            bsn, first, voorvoegsel, geslachtsnaam,
            today - dt.timedelta(days=rng.randrange(1, 90 * 365)),
            f"06{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else None,
            f"{fold_name(first)}{len(rows)}@example.org" if rng.random() < 0.4 else None,
            "Dorpsstraat", rng.randint(1, 300), "A" if rng.random() < 0.05 else None,
            f"{rng.randint(1000, 9999)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
            MUNICIPALITIES[code], code,
        ))  # fmt: skip
    return rows


def to_csv(rows: list[tuple[Any, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def baseline(app: Any, rows: list[tuple[Any, ...]], municipality_ids: dict[str, Any]) -> float:
    """Seconds to COPY the same rows (already typed, ids made here) into core_person."""
    records = [
        (uuid.uuid4(), *row[:4], fold_name(row[3]), *row[4:12], municipality_ids[row[12]])
        for row in rows
    ]
    now = dt.datetime.now(dt.UTC)
    columns = ", ".join(COLUMNS)
    engine = app.extensions["openregie"].engine
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE core_person CASCADE"))
    started = time.perf_counter()
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(
                f"COPY core_person (id, {columns}, created_at, updated_at, version) FROM STDIN"
            ) as copy,
        ):
            for record in records:
                copy.write_row((*record, now, now, 1))
    return time.perf_counter() - started


def importer(app: Any, data: bytes) -> tuple[float, Any]:
    """The import as `openregie import persons` runs it: checked, written, and every person
    written audited (one hash-chained record each) in the same transaction."""
    runtime = app.extensions["openregie"]
    started = time.perf_counter()
    with app.app_context():
        session = runtime.session()
        result = import_persons(session, data)
        if not result.ok:
            raise SystemExit(
                "the importer refused rows: " + "; ".join(map(str, result.problems[:5]))
            )
        record_import(result)
        session.commit()
        runtime.close_cli_session()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help=f"1 to {MAX_ROWS:,}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not 1 <= args.rows <= MAX_ROWS:
        parser.error(f"--rows must be between 1 and {MAX_ROWS:,}")

    server = make_url(args.server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"openregie_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    app = None
    try:
        url = server.set(
            database=name, query={"options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}
        )
        with tempfile.TemporaryDirectory() as instance:
            settings = load_settings(
                instance_path=Path(instance),
                database_url=url.render_as_string(hide_password=False),
                mode="test",
                secret_key="bench-" + "x" * 40,
                modules=[],
                strict_modules=True,
            )
            app = create_app(settings)
            upgrade_installation(app)
            with app.extensions["openregie"].session_factory() as session:
                ids = {
                    code: create_municipality(session, MunicipalityIn(cbs_code=code, name=n)).id
                    for code, n in MUNICIPALITIES.items()
                }
                session.commit()
            print(f"generating {args.rows:,} rows (seed {args.seed}) ...", flush=True)
            rows = generate(args.rows, args.seed)
            data = to_csv(rows)
            first, result = importer(app, data)
            again, repeated = importer(app, data)
            if result.created != args.rows or repeated.unchanged != args.rows:
                raise SystemExit(f"unexpected counts: {result} then {repeated}")
            with app.extensions["openregie"].engine.connect() as connection:
                audited = connection.scalar(text("SELECT count(*) FROM core_audit_record"))
            if audited != args.rows:
                raise SystemExit(f"{audited} audit records for {args.rows} new persons")
            with app.extensions["openregie"].session_factory() as session:
                report = verify(session)
            if not report.intact or report.checked != args.rows:
                raise SystemExit(f"the audit chain does not verify: {report}")
            raw = baseline(app, rows, ids)
    finally:
        if app is not None:
            app.extensions["openregie"].engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def rate(seconds: float) -> str:
        return f"{seconds:7.2f} s  {args.rows / seconds:>10,.0f} rows/s"

    print(f"importer, new persons   (checks, upsert, audit):     {rate(first)}")
    print(f"importer, same file     (all unchanged, no audit):   {rate(again)}")
    print(f"baseline                (plain COPY, typed tuples):  {rate(raw)}")
    print(f"ratio importer/baseline: {raw / first:.2f} (importer rows/s ÷ plain COPY rows/s)")
    print(f"audit records written:   {audited:,} (one hash-chained record per new person)")
    print("audit chain:             verified intact (`openregie audit verify`)")
    if args.json:
        figures = {"rows": args.rows, "importer_s": first, "unchanged_s": again, "copy_s": raw}
        args.json.write_text(json.dumps({**figures, "ratio": raw / first}, indent=2))


if __name__ == "__main__":
    main()
