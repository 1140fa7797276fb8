"""Test databases: migrated once per module set into a template, copied for every test.

SQLite: the template is a file, copied per test. PostgreSQL: the template is a database;
a test gets a database in the template's state: a clone (`CREATE DATABASE ... TEMPLATE`)
or a database an earlier test used, put back into the template's state in place
(`pg_reset.Snapshot.reset`: its rows emptied and the template's copied back, its
sequences reset; one whose schema the test changed is dropped instead). Cloning costs the
server about half a second, a reset tens of milliseconds, so after the first few tests of
a template its databases go round. A background thread resets (or drops) used databases
while tests run, and clones one ahead for a template whose databases could not all be
reset. Every database this run created is dropped at the end of the run. Test
connections commit without waiting for the disk (`synchronous_commit=off`; nothing here
must survive a crash).
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

from openregie_sdk.testing.pg_reset import Snapshot


class TestDatabases:
    __test__ = False  # not a test class

    def __init__(self, server_url: str | None, workdir: Path) -> None:
        self.server_url = server_url
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:8]
        self._templates: dict[tuple[str, ...], str] = {}
        self._created: list[str] = []
        self._counter = 0
        # PostgreSQL: resets, drops and clones made ahead, off the tests' path.
        self._background = ThreadPoolExecutor(max_workers=1) if server_url else None
        self._ahead: dict[str, Future[str]] = {}
        # Per template database: its snapshot, and the used databases reset to it, ready.
        self._snapshots: dict[str, Snapshot] = {}
        self._ready: dict[str, list[str]] = {}
        self._returning: dict[str, list[Future[None]]] = {}  # resets under way
        self._lost: set[str] = set()  # templates of which a database could not be reset
        # The databases tests have now, each with its template (None: made empty).
        self._handed_out: dict[str, str | None] = {}
        self._admin_engine: Any = None
        self._lock = threading.Lock()  # the counter, the lists of created and ready ones

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
        """Run `sql` on the server's maintenance database; returns its first value, if any.
        The connections (one engine for the run) are the test kit's own, to `postgres`."""
        assert self.server_url is not None
        with self._lock:
            if self._admin_engine is None:
                url = make_url(self._pg(self.server_url)).set(database="postgres")
                self._admin_engine = create_engine(url, isolation_level="AUTOCOMMIT")
            engine = self._admin_engine
        with engine.connect() as connection:
            result = connection.execute(text(sql), params)
            return result.scalar() if result.returns_rows else None

    @staticmethod
    def _pg(url: str) -> str:
        if url.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + url.split("://", 1)[1]
        return url

    def _connect(self, name: str) -> Any:
        """A psycopg connection to database `name` of the server (for snapshots, resets)."""
        import psycopg

        assert self.server_url is not None
        url = make_url(self.server_url).set(drivername="postgresql", database=name)
        options = "-c synchronous_commit=off -c lock_timeout=5s"
        return psycopg.connect(url.render_as_string(hide_password=False), options=options)

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
            with self._lock:
                self._handed_out[name] = None
            return self._pg_url(name)
        path = self.workdir / f"{name}.sqlite"
        return f"sqlite:///{path}"

    def migrated(self, key: tuple[str, ...], migrate: Callable[[str], None]) -> str:
        """A new database holding the migrated schema of module set `key`.

        `migrate(url)` is called once per key to build the template."""
        if key not in self._templates:
            template = self.new_empty()
            migrate(template)
            if self.is_postgres:
                source = str(make_url(template).database)
                with self._connect(source) as connection:
                    self._snapshots[source] = Snapshot.of(connection)
                self._ready[source] = []
                self._returning[source] = []
            self._templates[key] = template
        template = self._templates[key]
        if self.is_postgres:
            return self._pg_url(self._take(str(make_url(template).database)))
        source_path = Path(make_url(template).database or "")
        with sqlite3.connect(source_path) as connection:  # fold the WAL into the file
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = self.workdir / f"{self._next_name()}.sqlite"
        shutil.copyfile(source_path, target)
        return f"sqlite:///{target}"

    def _take(self, source: str) -> str:
        """A database in the state of template `source`: a reset one when one is ready or
        being reset (a reset takes tens of milliseconds, a clone ~0.6 s), else the clone
        made ahead, else a new clone. Clones are made ahead only for a template whose
        databases could not all be reset (its tests change the schema or keep a
        connection open)."""
        name = self._ready_one(source)
        if name is None:
            ahead = self._ahead.pop(source, None)
            if ahead is not None:
                try:
                    name = ahead.result()
                except Exception:  # made again below, in the foreground, to show the error
                    name = None
            if name is None:
                name = self._clone(source)
        with self._lock:
            self._handed_out[name] = source
            make_ahead = source in self._lost and source not in self._ahead
        if make_ahead:
            assert self._background is not None
            self._ahead[source] = self._background.submit(self._clone, source)
        return name

    def _ready_one(self, source: str) -> str | None:
        """A database of `source` reset and ready, waiting for resets under way."""
        while True:
            with self._lock:
                ready = self._ready[source]
                if ready:
                    return ready.pop()
                returning = self._returning[source]
                pending = returning.pop(0) if returning else None
            if pending is None:
                return None
            pending.result()

    def _clone(self, source: str) -> str:
        name = self._next_name()
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return name

    def drop(self, url: str) -> None:
        """The test is done with the database at `url` (SQLite: deleted; PostgreSQL: reset
        for the next test of its template, or dropped)."""
        if self.is_postgres:
            name = str(make_url(url).database)
            assert self._background is not None
            with self._lock:
                if name not in self._handed_out:  # not ours, or given back already
                    return
                source = self._handed_out.pop(name)
                returned = self._background.submit(self._reuse_or_drop, name, source)
                if source is not None:
                    self._returning[source].append(returned)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(make_url(url).database) + suffix).unlink(missing_ok=True)

    def _reuse_or_drop(self, name: str, source: str | None) -> None:
        """Reset a used database to its template's state for the next test, or drop it
        when it cannot be (its schema changed, or it was made empty) — unless a
        connection to it is still open: a connection the test leaked is closed when the
        garbage collector gets to it, with a rollback that must find its database as it
        was (were the connection terminated, the failed rollback would be logged from
        whatever code the collector interrupted; on Python 3.11 even from inside
        `ast.parse`, which then fails, CPython gh-106905). Such a database is neither
        reused nor dropped before the end of the run."""
        in_use = self._admin(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = :name", name=name
        )
        if in_use:  # (PostgreSQL would wait 5 s before refusing a drop)
            self._lose(source)
            return
        if source is not None and self._reset(name, self._snapshots[source]):
            with self._lock:
                self._ready[source].append(name)
            return
        self._lose(source)
        try:
            self._admin(f'DROP DATABASE IF EXISTS "{name}"')
        except OperationalError:  # "is being accessed by other users": dropped at the end
            return
        with self._lock:
            if name in self._created:
                self._created.remove(name)

    def _lose(self, source: str | None) -> None:
        if source is not None:
            with self._lock:
                self._lost.add(source)

    def _reset(self, name: str, snapshot: Snapshot) -> bool:
        import psycopg

        try:
            with self._connect(name) as connection:
                return snapshot.reset(connection)
        except psycopg.Error:  # e.g. a lock a leaked transaction holds: drop it instead
            return False

    def drop_all(self) -> None:
        if self._background is not None:
            self._background.shutdown(wait=True)  # clones made ahead and drops under way
        if self.is_postgres:
            # a few at a time: a drop mostly waits for the server removing files
            with ThreadPoolExecutor(max_workers=4) as dropping:
                drops = [
                    dropping.submit(self._admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    for name in self._created
                ]
            for dropped in drops:
                dropped.result()  # a drop that failed is an error of the run
            self._created.clear()
        if self._admin_engine is not None:
            self._admin_engine.dispose()
