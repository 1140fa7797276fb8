"""The engine and session factory of one application, with the SQLite pragmas we rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000
# PostgreSQL's JIT compiler off for the application's sessions. The relation predicates
# (correlated EXISTS per row) give short queries cost estimates above `jit_above_cost`, and
# compiling them then took seconds for a person search that runs in 65 ms (docs/performance.md).
POSTGRESQL_OPTIONS = "-c jit=off"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver opens a transaction implicitly; pragmas such as journal_mode must run outside.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,  # a statement's values (BSNs, names) stay out of error logs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    given = parsed.query.get("options")  # e.g. "-c statement_timeout=…": kept, ours added
    options = " ".join(
        filter(None, [given if isinstance(given, str) else None, POSTGRESQL_OPTIONS])
    )
    return create_engine(
        parsed.update_query_dict({"options": options}),
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        hide_parameters=True,
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
