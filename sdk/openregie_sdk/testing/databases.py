"""Test databases: migrated once per module set into a template, copied for every test.

SQLite: the template is a file, copied per test. PostgreSQL: the template is a database,
cloned per test with `CREATE DATABASE ... TEMPLATE`, dropped when the test ends; every
database this run created is dropped at the end of the run.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class TestDatabases:
    __test__ = False  # not a test class

    def __init__(self, server_url: str | None, workdir: Path) -> None:
        self.server_url = server_url
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:8]
        self._templates: dict[tuple[str, ...], str] = {}
        self._created: list[str] = []
        self._counter = 0

    @property
    def is_postgres(self) -> bool:
        return self.server_url is not None

    # -- PostgreSQL helpers -----------------------------------------------------------------
    def _admin(self, sql: str) -> None:
        assert self.server_url is not None
        url = make_url(self._pg(self.server_url)).set(database="postgres")
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(sql))
        finally:
            engine.dispose()

    @staticmethod
    def _pg(url: str) -> str:
        if url.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + url.split("://", 1)[1]
        return url

    def _pg_url(self, name: str) -> str:
        assert self.server_url is not None
        return (
            make_url(self._pg(self.server_url))
            .set(database=name)
            .render_as_string(hide_password=False)
        )

    # -- public -----------------------------------------------------------------------------
    def new_empty(self) -> str:
        """A new, empty database (no migrations run)."""
        self._counter += 1
        if self.is_postgres:
            name = f"ortest_{self.run_id}_{self._counter}"
            self._admin(f'CREATE DATABASE "{name}"')
            self._created.append(name)
            return self._pg_url(name)
        path = self.workdir / f"db_{self._counter}.sqlite"
        return f"sqlite:///{path}"

    def migrated(self, key: tuple[str, ...], migrate: Callable[[str], None]) -> str:
        """A new database holding the migrated schema of module set `key`.

        `migrate(url)` is called once per key to build the template."""
        if key not in self._templates:
            template = self.new_empty()
            migrate(template)
            self._templates[key] = template
        template = self._templates[key]
        self._counter += 1
        if self.is_postgres:
            name = f"ortest_{self.run_id}_{self._counter}"
            source = make_url(template).database
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            self._created.append(name)
            return self._pg_url(name)
        source_path = Path(make_url(template).database or "")
        with sqlite3.connect(source_path) as connection:  # fold the WAL into the file
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = self.workdir / f"db_{self._counter}.sqlite"
        shutil.copyfile(source_path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        if self.is_postgres:
            name = make_url(url).database
            if name in self._created:
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                self._created.remove(name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(make_url(url).database) + suffix).unlink(missing_ok=True)

    def drop_all(self) -> None:
        if self.is_postgres:
            for name in list(self._created):
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._created.clear()
