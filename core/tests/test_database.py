"""The embedded SQLite database runs with the pragmas the architecture promises."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, insert, select, text

from openregie_core.database import end_read_only, make_engine
from openregie_sdk.registry import Organisation


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


# -- how a request that only read ends its transaction --------------------------------------


def _transaction_ends(engine) -> list[str]:
    ends: list[str] = []
    event.listen(engine, "commit", lambda _conn: ends.append("commit"))
    event.listen(engine, "rollback", lambda _conn: ends.append("rollback"))
    return ends


@pytest.mark.openregie_modules("casemanagement")
def test_a_request_that_only_read_ends_its_transaction_with_commit_not_rollback(
    app, client, db, world, professional_in
):
    """psycopg forgets its prepared statements on every ROLLBACK, so a read ending in one
    would have PostgreSQL plan every statement again on the next request."""
    professional_in(client, world.team_a)
    ends = _transaction_ends(app.extensions["openregie"].engine)
    page = client.get("/personen/?naam=Aa")
    assert page.status_code == 200 and "Aalders" in page.get_data(as_text=True)
    assert ends and set(ends) == {"commit"}


def test_a_session_that_only_read_is_committed(app):
    session = app.extensions["openregie"].session_factory()
    try:
        session.execute(select(Organisation.id)).all()
        assert end_read_only(session) is True
        assert not session.in_transaction()
    finally:
        session.close()


def _organisation_named(app, name: str) -> list[str]:
    with app.extensions["openregie"].session_factory() as session:
        return list(session.scalars(select(Organisation.name).where(Organisation.name == name)))


@pytest.mark.parametrize("how", ["pending", "flushed", "core insert"])
def test_a_session_that_wrote_without_committing_is_left_to_roll_back(app, how):
    """Ending a request must not commit what its view left uncommitted: an object added
    (flushed or not) or a row inserted through Core stays for `close()` to roll back."""
    name = f"Ongecommitteerd {how}"
    session = app.extensions["openregie"].session_factory()
    try:
        session.execute(select(Organisation.id)).all()
        if how == "core insert":
            session.execute(insert(Organisation).values(id=uuid.uuid4(), name=name))
        else:
            session.add(Organisation(name=name))
            if how == "flushed":
                session.flush()
        assert end_read_only(session) is False
    finally:
        session.close()
    assert _organisation_named(app, name) == []


def test_a_session_after_a_commit_starts_over_as_read_only(app):
    """The note that a transaction wrote ends with it: the next, reading one is committed."""
    session = app.extensions["openregie"].session_factory()
    name = "Gecommitteerd en daarna gelezen"
    try:
        session.add(Organisation(name=name))
        session.commit()
        session.execute(select(Organisation.id)).all()
        assert end_read_only(session) is True
    finally:
        session.close()
    assert _organisation_named(app, name) == [name]


@pytest.mark.openregie_modules("casemanagement")
def test_postgresql_keeps_a_pages_statements_prepared_across_requests(
    app, client, db, world, professional_in
):
    """After a few requests of the same page its statements run as prepared statements on
    the pooled connections (psycopg prepares a statement on its fifth execution)."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server-side prepared statements")
    professional_in(client, world.team_a)
    db.close()
    for _ in range(8):
        assert client.get("/personen/?naam=Aa").status_code == 200
    engine = app.extensions["openregie"].engine
    connections = [engine.connect() for _ in range(engine.pool.checkedin())]
    try:
        prepared = [
            statement
            for connection in connections
            for statement in connection.execute(
                text("SELECT statement FROM pg_prepared_statements")
            ).scalars()
        ]
    finally:
        for connection in connections:
            connection.close()
    assert any("FROM core_person" in statement for statement in prepared), prepared
