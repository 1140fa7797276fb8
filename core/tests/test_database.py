"""The embedded SQLite database runs with the pragmas the architecture promises."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from openregie_core.database import make_engine


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'openregie.db'}")
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    finally:
        engine.dispose()
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }
    assert (tmp_path / "nested" / "openregie.db").exists()


def test_postgresql_urls_use_psycopg_3():
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_postgresql_sessions_run_without_jit_compilation(app, db):
    """The relation predicates give short queries cost estimates above `jit_above_cost`;
    compiling them took seconds for a 65 ms person search (docs/performance.md)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT compiler")
    assert db.execute(text("SHOW jit")).scalar() == "off"


def test_options_in_a_postgresql_url_are_kept_beside_jit_off(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT compiler")
    url = db.get_bind().url.update_query_dict({"options": "-c work_mem=8MB"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            settings = [
                connection.execute(text(f"SHOW {name}")).scalar() for name in ("jit", "work_mem")
            ]
    finally:
        engine.dispose()
    assert settings == ["off", "8MB"]
