"""The test kit's databases: a PostgreSQL test database is never dropped from under a
connection still open to it (the connection's later rollback must find it)."""

from __future__ import annotations

import os

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
