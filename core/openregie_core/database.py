"""The engine and session factory of one application, with the SQLite pragmas we rely on,
and how a request that only read ends its transaction (`end_read_only`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000
# PostgreSQL's JIT compiler off for the application's sessions. The relation predicates
# (correlated EXISTS per row) give short queries cost estimates above `jit_above_cost`, and
# compiling them then took seconds for a person search that runs in 65 ms (docs/performance.md).
POSTGRESQL_OPTIONS = "-c jit=off"
# Set in a connection's `info` once its transaction ran anything but a SELECT; cleared when
# the transaction ends.
_WROTE = "openregie_wrote"


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
        _track_writes(engine)
        return engine
    given = parsed.query.get("options")  # e.g. "-c statement_timeout=…": kept, ours added
    options = " ".join(
        filter(None, [given if isinstance(given, str) else None, POSTGRESQL_OPTIONS])
    )
    engine = create_engine(
        parsed.update_query_dict({"options": options}),
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        hide_parameters=True,
    )
    _track_writes(engine)
    return engine


def _track_writes(engine: Engine) -> None:
    """Note in each connection whether its transaction ran a statement other than a SELECT
    (DML, DDL, SET, savepoints: anything a COMMIT could make count)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(connection: Connection) -> None:
        connection.info.pop(_WROTE, None)


def end_read_only(session: Session) -> bool:
    """Commit `session`'s transaction when it only read: no pending ORM changes and no
    statement but SELECTs. Whether a read-only transaction ends in COMMIT or ROLLBACK makes
    no difference to the data, but psycopg forgets its prepared statements on every
    ROLLBACK, and without them PostgreSQL plans each statement again on every request: the
    relation predicates take 3-12 ms to plan and microseconds to run (docs/performance.md).
    Anything written stays for `Session.close()` to roll back. True when it committed."""
    if not session.in_transaction() or session.in_nested_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    if session.connection().info.get(_WROTE):
        return False
    try:
        session.commit()
    except SQLAlchemyError:  # e.g. the connection dropped: nothing was written to lose
        log.warning("could not end a read-only transaction with COMMIT", exc_info=True)
        return False
    return True


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
