"""Test databases: migrated once per module set into a template, copied for every test.

SQLite: the template is a file, copied per test. PostgreSQL: the template is a database,
cloned per test with `CREATE DATABASE ... TEMPLATE`, dropped when the test ends; every
database this run created is dropped at the end of the run. Cloning and dropping take the
server a few tenths of a second each, mostly waiting for the disk, so a background thread
does them while tests run: it clones the next database of a template as soon as one is
taken, and drops used ones. Test connections commit without waiting for the disk
(`synchronous_commit=off`; nothing here must survive a crash).
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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
        # PostgreSQL: one clone made ahead per template, and drops, off the tests' path.
        self._background = ThreadPoolExecutor(max_workers=1) if server_url else None
        self._ahead: dict[str, Future[str]] = {}
        self._lock = threading.Lock()  # the counter and the list of created databases

    def _next_name(self) -> str:
        with self._lock:
            self._counter += 1
            name = f"ortest_{self.run_id}_{self._counter}"
            if self.is_postgres:
                self._created.append(name)
            return name

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
        url = make_url(self._pg(self.server_url)).set(database=name)
        options = "-c synchronous_commit=off"
        return url.update_query_dict({"options": options}).render_as_string(hide_password=False)

    # -- public -----------------------------------------------------------------------------
    def new_empty(self) -> str:
        """A new, empty database (no migrations run)."""
        name = self._next_name()
        if self.is_postgres:
            self._admin(f'CREATE DATABASE "{name}"')
            return self._pg_url(name)
        path = self.workdir / f"{name}.sqlite"
        return f"sqlite:///{path}"

    def migrated(self, key: tuple[str, ...], migrate: Callable[[str], None]) -> str:
        """A new database holding the migrated schema of module set `key`.

        `migrate(url)` is called once per key to build the template."""
        if key not in self._templates:
            template = self.new_empty()
            migrate(template)
            self._templates[key] = template
        template = self._templates[key]
        if self.is_postgres:
            source = str(make_url(template).database)
            ahead = self._ahead.pop(source, None)
            url = None
            if ahead is not None:
                try:
                    url = ahead.result()
                except Exception:  # made again below, in the foreground, to show the error
                    url = None
            if url is None:
                url = self._clone(source)
            assert self._background is not None
            self._ahead[source] = self._background.submit(self._clone, source)
            return url
        source_path = Path(make_url(template).database or "")
        with sqlite3.connect(source_path) as connection:  # fold the WAL into the file
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = self.workdir / f"{self._next_name()}.sqlite"
        shutil.copyfile(source_path, target)
        return f"sqlite:///{target}"

    def _clone(self, source: str) -> str:
        name = self._next_name()
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self._pg_url(name)

    def drop(self, url: str) -> None:
        if self.is_postgres:
            name = make_url(url).database
            with self._lock:
                known = name in self._created
                if known:
                    self._created.remove(name)
            if known:
                assert self._background is not None
                self._background.submit(
                    self._admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                )
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(make_url(url).database) + suffix).unlink(missing_ok=True)

    def drop_all(self) -> None:
        if self._background is not None:
            self._background.shutdown(wait=True)  # clones made ahead and drops under way
        if self.is_postgres:
            for name in list(self._created):
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._created.clear()
