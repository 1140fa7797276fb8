"""The test kit's PostgreSQL databases: a used database comes back to the next test in its
template's state (rows, seeded rows, sequences) or, when its schema changed, is dropped;
a database is never dropped from under a connection still open to it (the connection's
later rollback must find it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from openregie_sdk.testing.databases import TestDatabases

SERVER = os.environ.get("OPENREGIE_TEST_DATABASE_URL") or None

pytestmark = pytest.mark.skipif(SERVER is None, reason="PostgreSQL test databases only")


def _exists(databases: TestDatabases, url: str) -> bool:
    name = make_url(url).database
    return bool(databases._admin("SELECT count(*) FROM pg_database WHERE datname = :n", n=name))


def test_a_database_still_connected_is_kept_until_the_end_of_the_run(tmp_path):
    databases = TestDatabases(SERVER, tmp_path)
    kept, unused = databases.new_empty(), databases.new_empty()
    engine = create_engine(kept)
    try:
        with engine.connect() as connection:
            databases.drop(kept)
            databases.drop(unused)
            assert databases._background is not None
            databases._background.submit(lambda: None).result()  # the drops have run

            assert connection.scalar(text("SELECT 1")) == 1
            assert _exists(databases, kept)
            assert not _exists(databases, unused)
    finally:
        engine.dispose()
        databases.drop_all()
    assert not _exists(databases, kept)


def _small_schema(url: str) -> None:
    """A template: two tables joined by a foreign key, a sequence, one seeded row."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE parent (id serial PRIMARY KEY, name text)"))
            connection.execute(
                text("CREATE TABLE child (id serial PRIMARY KEY, parent_id int REFERENCES parent)")
            )
            connection.execute(text("INSERT INTO parent (name) VALUES ('seeded')"))
    finally:
        engine.dispose()


def _run(url: str, *statements: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            results = [connection.execute(text(sql)) for sql in statements]
            return [result.all() if result.returns_rows else None for result in results]
    finally:
        engine.dispose()


def _settle(databases: TestDatabases) -> None:
    assert databases._background is not None
    databases._background.submit(lambda: None).result()  # resets and drops have run


@pytest.fixture
def databases(tmp_path: Any) -> Iterator[TestDatabases]:
    """A test kit of its own (its bookkeeping starts empty); every database dropped after."""
    databases = TestDatabases(SERVER, tmp_path)
    try:
        yield databases
    finally:
        databases.drop_all()


def test_a_used_database_comes_back_in_the_templates_state_rows_and_sequences(databases):
    first = databases.migrated(("small",), _small_schema)
    _run(
        first,
        "INSERT INTO parent (name) VALUES ('written by a test')",
        "INSERT INTO child (parent_id) VALUES (1), (2)",
        "UPDATE parent SET name = 'changed' WHERE id = 1",
    )
    databases.drop(first)
    _settle(databases)

    second = databases.migrated(("small",), _small_schema)
    assert make_url(second).database == make_url(first).database  # reset, not cloned
    parents, children, fresh = _run(
        second,
        "SELECT id, name FROM parent",
        "SELECT count(*) FROM child",
        "INSERT INTO parent (name) VALUES ('next') RETURNING id",
    )
    assert parents == [(1, "seeded")]
    assert children == [(0,)]
    assert fresh == [(2,)]  # the sequence is where the template left it


def test_a_database_whose_schema_a_test_changed_is_dropped_not_reused(databases):
    first = databases.migrated(("small",), _small_schema)
    _run(first, "ALTER TABLE parent ADD COLUMN note text")
    databases.drop(first)
    _settle(databases)

    assert not _exists(databases, first)
    second = databases.migrated(("small",), _small_schema)
    assert make_url(second).database != make_url(first).database
    columns = _run(
        second,
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'parent' ORDER BY column_name",
    )[0]
    assert columns == [("id",), ("name",)]


def test_giving_a_database_back_twice_does_not_drop_it_from_under_the_next_test(databases):
    first = databases.migrated(("small",), _small_schema)
    databases.drop(first)
    databases.drop(first)
    _settle(databases)

    second = databases.migrated(("small",), _small_schema)
    assert make_url(second).database == make_url(first).database
    assert _exists(databases, second)
    assert _run(second, "SELECT name FROM parent")[0] == [("seeded",)]


def test_the_next_test_waits_for_the_reset_under_way_rather_than_cloning(databases):
    first = databases.migrated(("small",), _small_schema)
    _run(first, "INSERT INTO parent (name) VALUES ('written by a test')")
    databases.drop(first)
    second = databases.migrated(("small",), _small_schema)  # at once: no settling

    assert make_url(second).database == make_url(first).database
    assert _run(second, "SELECT name FROM parent")[0] == [("seeded",)]
    assert len(databases._created) == 2  # the template and the one database
