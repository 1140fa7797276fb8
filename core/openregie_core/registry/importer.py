"""CSV import of persons (`openregie import persons`); households are in `household_import`.

Every row is checked with the same rules as `PersonIn`; one bad row and nothing is written.
Rows are checked in chunks, column by column, by fast checks that accept a value only as
`PersonIn` does; a row they do not accept goes through `PersonIn` itself (its messages).
Persons are matched on BSN: a second import of the same file changes nothing, a changed row
updates that person (version + 1), and columns the file does not have are left as they are.
PostgreSQL: a writer thread takes each checked chunk while the next is checked, COPYs its new
persons straight into the table and updates the known ones from a temporary table, all in a
savepoint that is rolled back when any row is refused. While the chunks hold only new
persons, the checking thread also encodes them (and hashes their audit records) ahead, so
the writer only sends bytes (`_Writer`). SQLite: everything is checked first, then an
executemany upsert. No ORM object per row on either.

Audit: one hash-chained record per person created or changed. On PostgreSQL, importing into
the current request's or command's session, the import locks the chain head when it starts
and the writer thread appends each chunk's records right after its persons, in the same
savepoint (`_ImportAudit`, `chain.ChainWriter`): they commit or roll back with the persons,
and the recorder counts them as written by the next commit (`record_import` then adds
nothing). Other appenders (every request that records) wait for the import's commit or
rollback. Elsewhere (SQLite, another session) `record_import` buffers them for the
recorder, which writes them at commit.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import queue
import re
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from openregie_core.registry import checks
from openregie_core.registry.csvfile import (
    CsvTable,
    ImportResult,
    Progress,
    RowProblem,
    parse_date,
    read_csv,
)
from openregie_core.registry.errors import problems_of
from openregie_core.registry.household_import import import_households
from openregie_core.registry.inputs import PersonIn
from openregie_core.registry.names import fold_name
from openregie_sdk.registry import Municipality, Person

__all__ = ["PERSON_COLUMNS", "ImportResult", "Progress", "import_households", "import_persons"]

# Canonical column -> the other header spellings accepted (Dutch first).
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "bsn": ("burgerservicenummer",),
    "voornamen": ("voornaam", "first_names"),
    "voorvoegsel": ("tussenvoegsel", "prefix"),
    "geslachtsnaam": ("achternaam", "surname"),
    "birth_date": ("geboortedatum",),
    "phone": ("telefoon", "telefoonnummer"),
    "email": ("e_mail", "e_mailadres"),
    "street": ("straat", "straatnaam"),
    "house_number": ("huisnummer",),
    "house_number_suffix": ("huisnummertoevoeging", "toevoeging"),
    "postcode": (),
    "city": ("woonplaats", "plaats"),
    "municipality": ("gemeente", "gemeentecode", "cbs_code"),
}
REQUIRED = {"bsn", "voornamen", "geslachtsnaam"}
ALIASES = {a: c for c, spellings in PERSON_COLUMNS.items() for a in (c, *spellings)}
# The order of values in a checked row (and of the temporary table's columns).
COLUMNS = (
    "bsn", "voornamen", "voorvoegsel", "geslachtsnaam", "search_name", "birth_date", "phone",
    "email", "street", "house_number", "house_number_suffix", "postcode", "city",
    "municipality_id",
)  # fmt: skip
# PostgreSQL types of COLUMNS, for a binary COPY (a third of the CPU of a text COPY).
COPY_TYPES = (
    "varchar", "varchar", "varchar", "varchar", "varchar", "date", "varchar", "varchar",
    "varchar", "int4", "varchar", "varchar", "varchar", "uuid",
)  # fmt: skip
CHUNK = 5000
TEMP_TABLE = "openregie_import_person"
SAVEPOINT = "openregie_import_persons"


def import_persons(
    session: Session, data: bytes, *, progress: Progress | None = None, dry_run: bool = False
) -> ImportResult:
    """Check every row of a persons file, then (unless a row is refused or `dry_run`)
    create or update the persons in the session's transaction. The caller commits."""
    progress = progress or Progress()
    municipalities = dict(session.execute(select(Municipality.cbs_code, Municipality.id)).all())
    with without_gc():
        table, problems = read_csv(data, ALIASES, REQUIRED)
        if table is None:
            return ImportResult(problems=problems)
        checker = _RowChecker(table, municipalities, problems)
        postgresql = session.get_bind().dialect.name == "postgresql"
        audit = None
        if postgresql and not dry_run and not problems:
            audit = _ImportAudit.of(session)
            written = _stream_postgresql(session, table, checker, progress, audit)
        else:
            records = _check_all(table, checker, progress)
            written = None
            if not checker.problems and not dry_run:
                written = _write_sqlite(session, records, _updated_columns(table.columns), progress)
    problems = sorted(checker.problems, key=lambda problem: problem.row)
    result = ImportResult(rows=len(table.rows), problems=problems)
    if problems or written is None:
        return result
    result.created_ids = [person_id for person_id, inserted in written if inserted]
    result.updated_ids = [person_id for person_id, inserted in written if not inserted]
    result.created = len(result.created_ids)
    result.updated = len(result.updated_ids)
    # Every checked row was either inserted or matched an existing person on its BSN.
    result.unchanged = checker.accepted - result.created - result.updated
    if audit is not None:
        audit.done()
        setattr(result, _AUDITED, True)  # ImportResult (csvfile.py) has no field for it
    return result


IMPORT_ACTIVITY = "core.registry.import"


# Set on an ImportResult whose audit records the writer thread already appended.
_AUDITED = "_openregie_audit_written"


def record_import(result: ImportResult) -> None:
    """Audit an import: one record per person created or changed, written with the data
    when the caller commits (unchanged persons were not processed and get none). Nothing
    to do after a PostgreSQL import into the current request's or command's session: its
    writer thread appended them already, chunk by chunk in the same transaction."""
    from openregie_sdk.audit import record

    if getattr(result, _AUDITED, False):
        return
    if result.created_ids:
        record("create", IMPORT_ACTIVITY, "person", result.created_ids)
    if result.updated_ids:
        record("update", IMPORT_ACTIVITY, "person", result.updated_ids)


def _check_all(table: CsvTable, checker: _RowChecker, progress: Progress) -> list[tuple[Any, ...]]:
    progress.stage("Checking rows", len(table.rows))
    records: list[tuple[Any, ...]] = []
    for start in range(0, len(table.rows), CHUNK):
        chunk = table.rows[start : start + CHUNK]
        records.extend(checker.check(chunk))
        progress.advance(len(chunk))
    return records


class _Bad:
    """A value the fast checks did not accept: its row goes through `PersonIn`."""


BAD: Any = _Bad()
_HOUSE_NUMBER = re.compile(r"[1-9][0-9]{0,4}")  # as int() reads it, within 1..99999


def _text_column(max_length: int, *, required: bool = False) -> Any:
    # Values arrive stripped (read_csv); blank is absent, as in PersonIn._blank_is_absent.
    if required:
        return lambda values: [v if 0 < len(v) <= max_length else BAD for v in values]
    return lambda values: [(v if len(v) <= max_length else BAD) if v else None for v in values]


def _map_column(check: Any) -> Any:
    """A column checked by `check(value) -> normalised value or None (refused)`."""

    def column(values: Sequence[str]) -> list[Any]:
        out = []
        for value in values:
            if not value:
                out.append(None)
            else:
                checked = check(value)
                out.append(BAD if checked is None else checked)
        return out

    return column


def _bsn_column(values: Sequence[str]) -> list[Any]:
    plain = checks.plain_bsn_or_none
    # Required here; other spellings (separators, 8 digits) go the slow way.
    return [BAD if (bsn := plain(v)) is None else bsn for v in values]


def _birth_date_column(values: Sequence[str]) -> list[Any]:
    today = dt.date.today()
    out: list[Any] = []
    for value in values:
        if not value:
            out.append(None)
            continue
        try:
            date = parse_date(value)
        except ValueError:
            out.append(BAD)
            continue
        out.append(date if checks.birth_date_ok(date, today) else BAD)
    return out


def _house_number_column(values: Sequence[str]) -> list[Any]:
    match = _HOUSE_NUMBER.fullmatch
    return [(int(v) if match(v) else BAD) if v else None for v in values]


# How each file column is checked in bulk: exactly PersonIn's rules for the values accepted
# (the fast path); a value it does not accept sends its row through PersonIn, which gives
# the messages (and accepts the rare unusual spelling the fast path leaves to it).
_FAST_CHECKS: dict[str, Any] = {
    "bsn": _bsn_column,
    "voornamen": _text_column(200, required=True),
    "voorvoegsel": _text_column(20),
    "geslachtsnaam": _text_column(200, required=True),
    "birth_date": _birth_date_column,
    "phone": _map_column(checks.phone_or_none),
    "email": _map_column(checks.email_or_none),
    "street": _text_column(200),
    "house_number": _house_number_column,
    "house_number_suffix": _text_column(10),
    "postcode": _map_column(checks.plain_postcode_or_none),
    "city": _text_column(120),
}


class _RowChecker:
    """Checks rows chunk by chunk, column by column; collects the problems and refuses a
    BSN seen on an earlier row."""

    def __init__(
        self,
        table: CsvTable,
        municipalities: dict[str, uuid.UUID],
        problems: list[RowProblem],
    ) -> None:
        self.table = table
        self.municipalities = municipalities
        self.problems = problems
        self.accepted = 0
        self._seen: dict[str, int] = {}
        self._folded: dict[str, str] = {}
        self._positions = {column: i for i, column in enumerate(table.columns)}

    def _municipality_column(self, values: Sequence[str]) -> list[Any]:
        get = self.municipalities.get
        return [(get(v.upper(), BAD)) if v else None for v in values]

    def _search_names(self, names: Sequence[Any]) -> list[Any]:
        folded = self._folded
        out = []
        for name in names:
            search_name = folded.get(name)
            if search_name is None:
                search_name = folded[name] = fold_name(name)
            out.append(search_name)
        return out

    def check(self, chunk: Sequence[tuple[int, list[str]]]) -> list[tuple[Any, ...]]:
        """The records (in COLUMNS order) of the chunk's good rows with a new BSN."""
        if not chunk:
            return []
        by_column = list(zip(*(values for _, values in chunk), strict=True))
        checked: dict[str, list[Any]] = {}
        for column, position in self._positions.items():
            if column == "municipality":
                checked["municipality_id"] = self._municipality_column(by_column[position])
            else:
                checked[column] = _FAST_CHECKS[column](by_column[position])
        bad: set[int] = set()
        for values in checked.values():
            if BAD in values:
                bad.update(i for i, value in enumerate(values) if value is BAD)
        if bad:
            keep = [i not in bad for i in range(len(chunk))]
            for column, values in checked.items():
                checked[column] = [v for v, k in zip(values, keep, strict=True) if k]
        checked["search_name"] = self._search_names(checked["geslachtsnaam"])
        missing = [None] * (len(chunk) - len(bad))
        fast = zip(*(checked.get(column, missing) for column in COLUMNS), strict=True)
        records: list[tuple[Any, ...]] = []
        seen, table = self._seen, self.table
        for i, (number, values) in enumerate(chunk):
            if i in bad:
                record = _check_row(table, number, table.fields(values), self.municipalities)
                if isinstance(record, list):
                    self.problems.extend(record)
                    continue
            else:
                record = next(fast)
            bsn = record[0]
            if bsn in seen:
                self.problems.append(
                    RowProblem(number, table.name("bsn"), f"also on row {seen[bsn]}")
                )
            else:
                seen[bsn] = number
                records.append(record)
        self.accepted += len(records)
        return records


def _check_row(
    table: CsvTable, number: int, values: dict[str, str], municipalities: dict[str, uuid.UUID]
) -> tuple[Any, ...] | list[RowProblem]:
    """One row through PersonIn (the rows the fast checks did not accept)."""
    problems: list[RowProblem] = []
    fields: dict[str, Any] = values  # each row is checked once: change it in place
    if not fields["bsn"]:
        problems.append(
            RowProblem(number, table.name("bsn"), "is required (persons are matched on it)")
        )
    if fields.get("birth_date"):
        try:
            fields["birth_date"] = parse_date(fields["birth_date"])
        except ValueError as exc:
            problems.append(RowProblem(number, table.name("birth_date"), str(exc)))
            del fields["birth_date"]
    code = fields.pop("municipality", "")
    if code:
        fields["municipality_id"] = municipalities.get(code.upper())
        if fields["municipality_id"] is None:
            problems.append(
                RowProblem(number, table.name("municipality"), f"no municipality {code} here")
            )
    try:
        person = PersonIn.model_validate(fields)
    except ValidationError as exc:
        problems.extend(RowProblem(number, table.name(f), m) for f, m in problems_of(exc))
        return problems
    if problems:
        return problems
    return (
        person.bsn, person.voornamen, person.voorvoegsel, person.geslachtsnaam,
        fold_name(person.geslachtsnaam), person.birth_date, person.phone, person.email,
        person.street, person.house_number, person.house_number_suffix, person.postcode,
        person.city, person.municipality_id,
    )  # fmt: skip


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a row's objects hold no cycles, and collections
    triggered by the hundred thousands of new dicts would cost a fifth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _updated_columns(file_columns: Sequence[str]) -> list[str]:
    """The columns an existing person takes from the file: those it has (bsn is the key)."""
    present = {"municipality_id" if c == "municipality" else c for c in file_columns}
    present.add("search_name")
    return [c for c in COLUMNS if c in present and c != "bsn"]


def _update_statement(updated: Sequence[str]) -> Any:
    from psycopg import sql

    def names(columns: Sequence[str], table: str) -> sql.Composed:
        return sql.SQL(", ").join(sql.Identifier(table, c) for c in columns)

    return sql.SQL(
        "UPDATE core_person SET ({updated}) = ROW({new}), updated_at = now(), "
        "version = core_person.version + 1 FROM {temp} AS new "
        "WHERE core_person.bsn = new.bsn AND ({old}) IS DISTINCT FROM ({new}) "
        "RETURNING core_person.id"
    ).format(
        updated=sql.SQL(", ").join(map(sql.Identifier, updated)),
        temp=sql.Identifier(TEMP_TABLE),
        old=names(updated, "core_person"),
        new=names(updated, "new"),
    )


class _ImportAudit:
    """The audit records of a PostgreSQL import into the current request's or command's
    session: the writer thread appends them chunk by chunk (`append`, each chunk's new
    persons then its changed ones) right after the chunk's persons, in the same savepoint,
    instead of the recorder writing them all at commit. Fields as `record_import` gives
    them: action create or update, IMPORT_ACTIVITY, person, status ok, module core, one span
    per action starting when the import started; a record's end_time is when its chunk
    was written (or, encoded ahead, checked). The trace's security record is inserted with
    the first records, once, unless written already. `start` locks the chain head until the
    transaction ends (see `ChainWriter`): other appenders wait for the import's commit or
    rollback. The chunks take row locks after the head lock (the recorder takes them
    before): a request that changed a person the import then updates, and waits for the
    head at its commit, deadlocks with the import; PostgreSQL aborts one of the two, and
    an aborted import writes nothing (persons nor records)."""

    def __init__(self, trace: Any) -> None:
        from openregie_core.audit import recorder

        self.trace = trace
        self.create = recorder.span("create", IMPORT_ACTIVITY, "person")
        self.update = recorder.span(
            "update", IMPORT_ACTIVITY, "person", start_time=self.create.start_time
        )
        self.store_security = recorder.store_security(trace)
        self.chain: Any = None
        self.created: list[str] = []
        self.updated: list[str] = []

    @classmethod
    def of(cls, session: Session) -> _ImportAudit | None:
        """None unless `session` is the session of the current request or command, the one
        whose trace `record_import` would add to (else the caller audits, if at all)."""
        from flask import current_app, has_app_context, has_request_context, request

        from openregie_core.audit import recorder

        if not has_app_context():
            return None
        runtime = current_app.extensions.get("openregie")
        if runtime is None:
            return None
        if not runtime.is_current_session(session):
            return None
        origin = request.remote_addr if has_request_context() else None
        return cls(recorder.trace_of(session, runtime.actor(), origin))

    def start(self, connection: Any) -> str:
        """Before the writer thread starts: lock the chain head; returns the hash the first
        record links to."""
        from openregie_core.audit.chain import ChainWriter

        self.chain = ChainWriter(
            connection, self.trace.security, store_security=self.store_security
        )
        return self.chain.lock()

    def prepare(self, cursor: Any, created: list[str], start_hash: str) -> Any:
        """In the checking thread: the records of a chunk's new persons hashed and encoded
        ahead, linking on from `start_hash` (`chain.prepare`; None if that cannot be)."""
        from openregie_core.audit.chain import Group, prepare
        from openregie_sdk.db import utcnow

        end, trace_id = utcnow(), self.trace.security["trace_id"]
        group = Group(self.create.group(trace_id, end).shared, created)
        return prepare(cursor, self.trace.security, self.chain.security_text, [group], start_hash)

    def append_prepared(self, prepared: Any, created: list[str]) -> bool:
        """In the writer thread: append records `prepare`d ahead, if they link on from the
        last record written (else False and nothing written)."""
        if not self.chain.append_prepared(prepared):
            return False
        self.created.extend(created)
        return True

    def append(self, created: list[str], updated: list[str]) -> None:
        """In the writer thread: the records of one chunk, after its persons."""
        from openregie_core.audit.chain import Group
        from openregie_sdk.db import utcnow

        end, trace_id = utcnow(), self.trace.security["trace_id"]
        self.chain.append([
            Group(self.create.group(trace_id, end).shared, created),
            Group(self.update.group(trace_id, end).shared, updated),
        ])  # fmt: skip
        self.created.extend(created)
        self.updated.extend(updated)

    def finish(self) -> None:
        """In the writer thread, before releasing the savepoint: move the chain head."""
        self.chain.finish()

    def done(self) -> None:
        """Back in the caller's thread, the import kept: the next commit must not write
        these records again (a rollback turns them into pending "error" records)."""
        from dataclasses import replace

        from openregie_core.audit import recorder

        recorder.written(
            self.trace,
            [
                replace(self.create, subject_ids=tuple(self.created)),
                replace(self.update, subject_ids=tuple(self.updated)),
            ],
            security_written=self.chain is not None and self.chain.security_written,
        )


@dataclass(frozen=True, slots=True)
class _Ahead:
    """A chunk encoded by the checking thread on the assumption that all its persons are
    new: binary COPY data of the persons and their audit records (None without audit)."""

    persons: bytes
    audit: Any


# A chunk: its records sorted on BSN, an id for each, those ids as text (for the audit
# records) and, while the assumption holds, the chunk encoded ahead.
Chunk = tuple[list[tuple[Any, ...]], list[uuid.UUID], list[str], _Ahead | None]


class _Writer(threading.Thread):
    """Writes checked chunks on the session's connection while the next chunk is checked
    (psycopg releases the GIL while the server works): new persons are COPYed straight
    into the table, known ones upserted from a temporary table. Everything happens inside
    the savepoint `_stream_postgresql` opened, released at the end only when every row of
    the file passed, else rolled back: a bad file changes nothing, not even for a caller
    that goes on to commit. Only this thread touches the connection until it is joined.

    A chunk can come encoded ahead (`_Ahead`): then, when none of its persons exists and its
    audit records link on from the last one written, the writer only sends bytes, and the
    CPU work of encoding and hashing was done by the checking thread, which has time to
    spare while the server works. Otherwise it writes the chunk itself and sets `behind`,
    so the checking thread stops encoding ahead."""

    def __init__(
        self,
        connection: Any,
        updated: Sequence[str],
        audit: _ImportAudit | None,
        now: dt.datetime,
    ) -> None:
        super().__init__(name="openregie-import-writer", daemon=True)
        self.connection = connection
        self.updated = updated
        self.audit = audit
        self.now = now
        self.chunks: queue.Queue[Chunk | bool] = queue.Queue(maxsize=4)
        self.written: list[tuple[uuid.UUID, bool]] = []
        self.error: BaseException | None = None
        self.behind = False  # a chunk did not fit the assumption: encode no more ahead

    def finish(self, *, keep: bool) -> list[tuple[uuid.UUID, bool]]:
        """Release (keep) or roll back the savepoint, wait, and return what was written."""
        self.chunks.put(keep)
        self.join()
        if self.error is not None:
            raise self.error
        return self.written

    def run(self) -> None:
        from psycopg import sql

        temp, columns = sql.Identifier(TEMP_TABLE), sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
        copy_temp = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(temp, columns)
        copy_new = _copy_new_statement()
        update = _update_statement(self.updated)
        truncate = sql.SQL("TRUNCATE {}").format(temp)
        savepoint = sql.Identifier(SAVEPOINT)
        audit, now = self.audit, self.now
        try:
            # Binary results: the returned ids need no text parsing.
            with self.connection.cursor(binary=True) as cursor:
                while True:
                    item = self.chunks.get()
                    if isinstance(item, bool):
                        keep = item
                        break
                    chunk, ids, texts, ahead = item
                    # BSNs are nine digits: one array literal, no per-element adaptation.
                    cursor.execute(
                        "SELECT bsn FROM core_person WHERE bsn = ANY(%s::varchar[])",
                        ["{" + ",".join(record[0] for record in chunk) + "}"],
                    )
                    existing = {row[0] for row in cursor}
                    if ahead is not None and not existing and self._write_ahead(cursor, ahead):
                        self.written.extend((person_id, True) for person_id in ids)
                        if audit is not None and not audit.append_prepared(ahead.audit, texts):
                            raise RuntimeError("audit records encoded ahead no longer link on")
                        continue
                    self.behind = True
                    created: list[str] = []
                    # New persons: COPY straight into the table (many times faster than an
                    # INSERT of the same rows). A person inserted with one of these BSNs by
                    # someone else meanwhile makes the unique index refuse: nothing is written.
                    with cursor.copy(copy_new) as copy:
                        copy.set_types(NEW_TYPES)
                        for record, person_id, text in zip(chunk, ids, texts, strict=True):
                            if record[0] not in existing:
                                copy.write_row((person_id, now, now, 1, *record))
                                self.written.append((person_id, True))
                                created.append(text)
                    changed: list[uuid.UUID] = []
                    if existing:
                        # Known persons: updated from a temporary table where they differ.
                        with cursor.copy(copy_temp) as copy:
                            copy.set_types(COPY_TYPES)
                            for record in chunk:
                                if record[0] in existing:
                                    copy.write_row(record)
                        cursor.execute(update)
                        changed = [row[0] for row in cursor.fetchall()]
                        self.written.extend((person_id, False) for person_id in changed)
                        cursor.execute(truncate)
                    if audit is not None:
                        # The chunk's records, right after its persons (same savepoint).
                        audit.append(created, [str(person_id) for person_id in changed])
                if keep:
                    if audit is not None:
                        audit.finish()
                    cursor.execute(sql.SQL("RELEASE SAVEPOINT {}").format(savepoint))
                else:
                    cursor.execute(sql.SQL("ROLLBACK TO SAVEPOINT {}").format(savepoint))
                    cursor.execute(sql.SQL("RELEASE SAVEPOINT {}").format(savepoint))
                    self.written = []
        except BaseException as exc:
            self.error = exc
            # Keep taking chunks so the checking thread never blocks on a full queue.
            while not isinstance(self.chunks.get(), bool):
                pass

    def _write_ahead(self, cursor: Any, ahead: _Ahead) -> bool:
        """Send a chunk encoded ahead, if its audit records link on (else nothing)."""
        audit = self.audit
        if audit is not None and (
            ahead.audit is None or ahead.audit.start_hash != audit.chain.last_hash
        ):
            return False
        with cursor.copy(_copy_new_statement()) as copy:
            copy.write(ahead.persons)
        return True


def _copy_new_statement() -> Any:
    from psycopg import sql

    columns = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
    return sql.SQL(
        "COPY core_person (id, created_at, updated_at, version, {}) FROM STDIN (FORMAT BINARY)"
    ).format(columns)


# PostgreSQL types of a new person's row: id, created_at, updated_at, version, COLUMNS.
NEW_TYPES = ("uuid", "timestamptz", "timestamptz", "int4", *COPY_TYPES)


def _begin(connection: Any) -> dt.datetime:
    """Open the import's savepoint and its temporary table; the transaction's now()."""
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SAVEPOINT {}").format(sql.Identifier(SAVEPOINT)))
        cursor.execute(
            sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier("pg_temp", TEMP_TABLE))
        )
        cursor.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS "
                "SELECT {} FROM core_person WITH NO DATA"
            ).format(sql.Identifier(TEMP_TABLE), sql.SQL(", ").join(map(sql.Identifier, COLUMNS)))
        )
        # created_at and updated_at as the server's now(): the transaction's start.
        return cursor.execute("SELECT now()").fetchone()[0]


def _encode_persons(
    cursor: Any, records: list[tuple[Any, ...]], ids: list[uuid.UUID], now: dt.datetime
) -> bytes:
    """Binary COPY data of `records` as new persons (no traffic: `cursor` lends adapters)."""
    from psycopg.copy import Copy, FileWriter

    buffer = io.BytesIO()
    with Copy(cursor, binary=True, writer=FileWriter(buffer)) as copy:
        copy.set_types(NEW_TYPES)
        write_row = copy.write_row
        for record, person_id in zip(records, ids, strict=True):
            write_row((person_id, now, now, 1, *record))
    return buffer.getvalue()


def _stream_postgresql(
    session: Session,
    table: CsvTable,
    checker: _RowChecker,
    progress: Progress,
    audit: _ImportAudit | None,
) -> list[tuple[uuid.UUID, bool]] | None:
    """Check the rows chunk by chunk and hand each good chunk to a writer thread, encoded
    ahead while that works out (see `_Writer`). After the first problem nothing more is
    written and the writer rolls back what it wrote; the rows are still all checked, so
    every problem is reported. Returns (id, inserted?) of every person inserted or
    changed, or None when a row was refused."""
    connection = session.connection().connection.driver_connection
    assert connection is not None
    now = _begin(connection)
    # The hash the next audit record links to, while chunks are encoded ahead.
    ahead_hash = audit.start(connection) if audit is not None else None
    formatter = connection.cursor()  # only lends its adapters to the encoding
    writer = _Writer(connection, _updated_columns(table.columns), audit, now)
    writer.start()
    keep = False
    try:
        progress.stage("Checking rows", len(table.rows))
        for start in range(0, len(table.rows), CHUNK):
            chunk = table.rows[start : start + CHUNK]
            records = checker.check(chunk)
            if not checker.problems and writer.error is None:
                # Sorted on BSN: the unique index is filled page by page.
                records.sort(key=itemgetter(0))
                ids = new_ids(len(records))
                texts = [str(i) for i in ids] if audit is not None else [""] * len(ids)
                ahead = None
                if not writer.behind:
                    prepared = None
                    if audit is not None and ahead_hash is not None:
                        prepared = audit.prepare(formatter, texts, ahead_hash)
                        ahead_hash = None if prepared is None else prepared.end_hash
                    if audit is None or prepared is not None:
                        ahead = _Ahead(_encode_persons(formatter, records, ids, now), prepared)
                writer.chunks.put((records, ids, texts, ahead))
            progress.advance(len(chunk))
        keep = not checker.problems
    finally:
        progress.stage("Writing", 1)
        written = writer.finish(keep=keep)
        progress.advance(1)
    return written if keep else None


# A version 4 UUID: the version and variant bits set, the other 122 bits random.
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_ids(count: int) -> list[uuid.UUID]:
    """`count` random (version 4) UUIDs, as `uuid.uuid4()` makes them, from one read of the
    system's random source (half the cost per id)."""
    raw = os.urandom(16 * count)
    make, from_bytes = uuid.UUID, int.from_bytes
    return [
        make(int=(from_bytes(raw[at : at + 16]) & _UUID4_CLEAR) | _UUID4_SET)
        for at in range(0, 16 * count, 16)
    ]


def _write_sqlite(
    session: Session, records: list[tuple[Any, ...]], updated: list[str], progress: Progress
) -> list[tuple[uuid.UUID, bool]]:
    """executemany of `INSERT ... ON CONFLICT (bsn) DO UPDATE ... WHERE <changed>`; the rows
    this run wrote are those stamped with its own `updated_at` (SQLite has one writer)."""
    table = Person.__table__
    statement = sqlite_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.bsn],
        set_={
            **{c: statement.excluded[c] for c in updated},
            "updated_at": statement.excluded.updated_at,
            "version": table.c.version + 1,
        },
        where=or_(*(table.c[c].is_distinct_from(statement.excluded[c]) for c in updated)),
    )
    now = dt.datetime.now(dt.UTC)
    progress.stage("Writing", len(records))
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        rows = [
            {"id": uuid.uuid4(), "created_at": now, "updated_at": now, "version": 1}
            | dict(zip(COLUMNS, record, strict=True))
            for record in chunk
        ]
        session.execute(statement, rows)
        progress.advance(len(chunk))
    written = session.execute(
        select(table.c.id, table.c.created_at == now).where(table.c.updated_at == now)
    )
    return [(person_id, bool(inserted)) for person_id, inserted in written]
