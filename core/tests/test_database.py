"""The embedded SQLite database runs with the pragmas the architecture promises."""

from __future__ import annotations

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
