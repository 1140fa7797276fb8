"""Writing generated rows into the migrated tables, inside ONE transaction: COPY on
PostgreSQL (psycopg 3 `cursor.copy`, rows streamed as they are generated), executemany on
SQLite. Keeps the rows and seconds per table for the summary (rows/s)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import click
from sqlalchemy import JSON, Connection, insert

from openregie_sdk.db import metadata

_CHUNK = 5_000  # rows per executemany (SQLite) and per progress-bar update


@dataclass(slots=True)
class TableStat:
    table: str
    rows: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Sink:
    """`write(table, columns, rows, total)` appends rows (tuples in `columns` order) to a
    table on `connection`, in the caller's transaction. Every NOT NULL column without a
    server default must be among `columns` (COPY fills only server defaults)."""

    def __init__(self, connection: Connection, *, progress: bool = True) -> None:
        self.connection = connection
        self.postgresql = connection.dialect.name == "postgresql"
        self.progress = progress
        self.stats: dict[str, TableStat] = {}

    def write(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
        total: int | None = None,
        *,
        quiet: bool = False,
        binary: Sequence[str] | None = None,
    ) -> int:
        """Write `rows`; returns how many. `total` (expected rows) sizes the progress bar;
        `quiet` shows none (the caller shows its own). `binary` (PostgreSQL type names of
        `columns`) makes it a binary COPY: the server parses no text, for the big tables."""
        stat = self.stats.setdefault(table, TableStat(table))
        started = time.perf_counter()
        with self.bar(table, None if quiet else total) as bar:
            if self.postgresql:
                written = self._copy(table, columns, rows, bar, binary)
            else:
                written = self._insert(table, columns, rows, bar)
        stat.rows += written
        stat.seconds += time.perf_counter() - started
        return written

    def bar(self, table: str, total: int | None) -> Any:
        """A progress bar for `total` rows of `table` (invisible when quiet or small)."""
        show = self.progress and total is not None and total >= _CHUNK
        return click.progressbar(
            length=total or 0,
            label=f"{table:<34}",
            file=sys.stderr if show else _Null(),
            show_pos=True,
        )

    def _copy(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Any],
        bar: Any,
        binary: Sequence[str] | None,
    ) -> int:
        from psycopg import sql
        from psycopg.types.json import Json

        json_at = [
            i for i, c in enumerate(columns) if isinstance(metadata.tables[table].c[c].type, JSON)
        ]
        statement = sql.SQL(
            "COPY {} ({}) FROM STDIN" + (" (FORMAT BINARY)" if binary else "")
        ).format(sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
        raw = self.connection.connection.driver_connection
        assert raw is not None
        written = 0
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            if binary:
                copy.set_types(list(binary))
            write_row = copy.write_row
            for row in rows:
                if json_at:
                    row = tuple(Json(v) if i in json_at else v for i, v in enumerate(row))
                write_row(row)
                written += 1
                if not written % _CHUNK:
                    bar.update(_CHUNK)
        bar.update(written % _CHUNK)
        return written

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[Any], bar: Any) -> int:
        statement = insert(metadata.tables[table])
        written = 0
        for chunk in _chunks(rows, _CHUNK):
            self.connection.execute(
                statement, [dict(zip(columns, row, strict=True)) for row in chunk]
            )
            written += len(chunk)
            bar.update(len(chunk))
        return written


class _Null:
    """A file that swallows the progress bar (quiet runs, tests)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
