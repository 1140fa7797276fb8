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
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError


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
    def _admin(self, sql: str, **params: Any) -> Any:
        """Run `sql` on the server's maintenance database; returns its first value, if any."""
        assert self.server_url is not None
        url = make_url(self._pg(self.server_url)).set(database="postgres")
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                result = connection.execute(text(sql), params)
                return result.scalar() if result.returns_rows else None
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
                self._background.submit(self._drop_unused, name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(make_url(url).database) + suffix).unlink(missing_ok=True)

    def _drop_unused(self, name: str) -> None:
        """Drop `name` unless a connection to it is still open: a connection the test
        leaked is closed when the garbage collector gets to it, with a rollback that must
        find its database (were the connection terminated, the failed rollback would be
        logged from whatever code the collector interrupted; on Python 3.11 even from
        inside `ast.parse`, which then fails, CPython gh-106905). Such a database is
        dropped at the end of the run."""
        in_use = self._admin(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = :name", name=name
        )
        try:
            if not in_use:  # (PostgreSQL would wait 5 s before refusing)
                self._admin(f'DROP DATABASE IF EXISTS "{name}"')
                return
        except OperationalError:  # "is being accessed by other users"
            pass
        with self._lock:
            self._created.append(name)

    def drop_all(self) -> None:
        if self._background is not None:
            self._background.shutdown(wait=True)  # clones made ahead and drops under way
        if self.is_postgres:
            for name in list(self._created):
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._created.clear()
