"""The backup and restore drill (issue 10), following docs/backup.md step by step on the
database the suite runs on: PostgreSQL with pg_dump (custom format) and pg_restore into a
new database, SQLite with the online backup API; the file store with tar. The restored
copy must hold every row of every table and an audit chain that `openregie audit verify`
finds intact; a restored copy with one altered audit record must fail that check."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, inspect, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from openregie_core.audit import verify
from openregie_core.files import LocalFolderStore
from openregie_core.models import AuditRecord, User
from openregie_sdk.testing.plugin import seed_demo

FIRST_PARTY = ["casemanagement", "consent", "portal", "reporting"]
DOCUMENT = b"%PDF-1.4 backup drill\n"
OPENREGIE = str(Path(sys.executable).with_name("openregie"))
# Variables of the surrounding environment that would change what the command sees.
ISOLATE = (
    "OPENREGIE_MODULES",
    "OPENREGIE_DISABLE_MODULES",
    "OPENREGIE_SAFE_MODE",
    "OPENREGIE_STRICT_MODULES",
    "OPENREGIE_CONFIG_FILE",
    "OPENREGIE_SECRET_KEY",
    "OPENREGIE_FILES_PATH",
)


@dataclass
class Source:
    app: Any
    url: URL  # the app's database
    instance: Path  # its instance folder (the file store is `files/` in it)
    document_key: str


@dataclass
class Restored:
    url: str  # an OPENREGIE_DATABASE_URL for the restored database
    instance: Path  # the instance folder the file store was unpacked into


def _log_in_existing(app: Any, client: Any, username: str) -> None:
    """Log `client` in as an existing (demo) user, second factor done."""
    with app.extensions["openregie"].session_factory() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        user_id, version = user.id, user.session_version
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.permanent = True
        cookie["user_id"] = str(user_id)
        cookie["session_version"] = version
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()


@pytest.fixture
def source(make_app: Callable[..., Any]) -> Source:
    """The demo data, audited reads of it (the demo writes no audit records itself) and one
    document in the file store."""
    app = make_app(FIRST_PARTY)
    assert seed_demo(app) == []
    client = app.test_client()
    _log_in_existing(app, client, "regisseur")
    for prefix in ("de", "ja", "ba", "vr"):
        assert client.get(f"/personen/?naam={prefix}").status_code == 200
    runtime = app.extensions["openregie"]
    key = runtime.file_store().put(DOCUMENT)
    return Source(app, runtime.engine.url, runtime.settings.instance_path, key)


def _engine(url: str | URL) -> Any:
    url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url)


def _row_counts(url: str | URL) -> dict[str, int]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in sorted(inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


def _run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def _checked(*command: str) -> None:
    result = _run(*command)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}{result.stderr}"


def _audit_verify(url: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """`openregie audit verify` against `url`, as docs/backup.md runs it."""
    env = {name: value for name, value in os.environ.items() if name not in ISOLATE}
    env.update(
        OPENREGIE_DATABASE_URL=url,
        OPENREGIE_INSTANCE_PATH=str(workdir / "cli-instance"),
        OPENREGIE_MODE="test",
    )
    return _run(OPENREGIE, "audit", "verify", env=env)


def _back_up_and_restore_files(source: Source, workdir: Path) -> Path:
    archive = workdir / "openregie-files.tar.gz"
    _checked(
        "tar", "--create", "--gzip", "--preserve-permissions",
        f"--directory={source.instance}", f"--file={archive}", "files",
    )  # fmt: skip
    restored = workdir / "restored-instance"
    restored.mkdir()
    _checked(
        "tar", "--extract", "--gzip", "--preserve-permissions",
        f"--directory={restored}", f"--file={archive}",
    )  # fmt: skip
    return restored


def _pg_args(url: URL, database: str) -> list[str]:
    return [
        f"--host={url.host or '127.0.0.1'}",
        f"--port={url.port or 5432}",
        f"--username={url.username or 'postgres'}",
        f"--dbname={database}",
    ]


@pytest.fixture
def restored(source: Source, tmp_path: Path) -> Iterator[Restored]:
    """The source backed up and restored into a new database and instance folder as
    docs/backup.md says; a PostgreSQL database made here is always dropped."""
    files_instance = _back_up_and_restore_files(source, tmp_path)
    if source.url.get_backend_name() == "sqlite":
        backup = tmp_path / "openregie-backup.db"
        # The online backup API (what `sqlite3 DB ".backup FILE"` calls), app still open.
        original, copy = sqlite3.connect(str(source.url.database)), sqlite3.connect(backup)
        try:
            original.backup(copy)
        finally:
            copy.close()
            original.close()
        target = files_instance / "openregie.db"
        backup.rename(target)
        yield Restored(f"sqlite:///{target}", files_instance)
        return
    dump = tmp_path / "openregie.dump"
    name = f"openregie_restore_{uuid.uuid4().hex[:12]}"
    _checked(
        "pg_dump", "--format=custom", "--no-owner", *_pg_args(source.url, source.url.database),
        f"--file={dump}",
    )  # fmt: skip
    admin = _pg_args(source.url, "postgres")
    try:
        _checked("psql", *admin, f'--command=CREATE DATABASE "{name}"')
        _checked(
            "pg_restore", "--no-owner", "--exit-on-error", *_pg_args(source.url, name), str(dump)
        )
        url = source.url.set(drivername="postgresql", database=name, query={})
        yield Restored(url.render_as_string(hide_password=False), files_instance)
    finally:
        _checked("psql", *admin, f'--command=DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _verify_report(url: str) -> Any:
    engine = _engine(url)
    try:
        with Session(engine) as session:
            return verify(session)
    finally:
        engine.dispose()


def test_a_restored_backup_holds_every_row_the_document_and_an_intact_audit_chain(
    source: Source, restored: Restored, tmp_path: Path
) -> None:
    before = _row_counts(source.url)
    assert before["core_person"] > 1000 and before["casemanagement_case"] > 100
    assert before["core_audit_record"] > 0, "the drill needs audit records to verify"

    after = _row_counts(restored.url)

    assert after == before
    report = _verify_report(restored.url)
    assert report.intact, report.broken
    assert report.checked == before["core_audit_record"]
    result = _audit_verify(restored.url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"audit chain intact: {before['core_audit_record']} records"
    store = LocalFolderStore(restored.instance / "files")
    assert store.get(source.document_key) == DOCUMENT
    stored = restored.instance / "files" / source.document_key[:2] / source.document_key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_a_restored_backup_with_one_altered_audit_record_fails_verification(
    source: Source, restored: Restored, tmp_path: Path
) -> None:
    engine = _engine(restored.url)
    try:
        with engine.begin() as connection:
            ids = connection.scalars(select(AuditRecord.id).order_by(AuditRecord.id)).all()
            altered = ids[len(ids) // 2]
            connection.execute(
                update(AuditRecord).where(AuditRecord.id == altered).values(action="vervalst")
            )
            assert connection.scalar(select(func.count()).select_from(AuditRecord)) == len(ids)
    finally:
        engine.dispose()

    report = _verify_report(restored.url)
    assert not report.intact
    assert (report.broken.problem, report.broken.record_id) == ("changed", altered)
    result = _audit_verify(restored.url, tmp_path)
    assert result.returncode == 1
    assert f"audit chain broken: record {altered} was changed" in result.stderr
    # The source itself is untouched.
    assert _verify_report(source.url.render_as_string(hide_password=False)).intact
