"""The hash chain of the audit log: canonical hashing and appending a batch of records.

Each record's hash is SHA-256 over a canonical JSON document of the previous record's hash,
the record's own fields (all but `id` and `hash`) and the fields of its security record, so
changing, removing or inserting a record breaks a link. Appenders serialise on the single
`AuditChainHead` row, which names the last record and its hash.

The records of one call of `record` (an import: one per person) differ only in their data
subject and their previous hash, so their canonical documents share everything else: the
document is rendered once per group as a template with two holes (`Template`), and hashing
a record is filling the holes and one SHA-256, byte for byte the document `record_hash`
renders (`openregie audit verify` checks with the same templates).

`append` writes one batch at commit (the recorder); `ChainWriter` appends batch after batch
in one transaction on a raw PostgreSQL connection (an import's writer thread, chunk by
chunk), holding the head lock from its first batch until that transaction ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from openregie_core.models import AuditChainHead, AuditRecord, AuditSecurity

GENESIS_HASH = "0" * 64
HEAD_ID = 1

# The hashed fields, listed explicitly so adding a column later does not change the hashes
# of records written before it (a test checks these cover every column but id and hash).
RECORD_FIELDS = (
    "trace_id",
    "span_id",
    "start_time",
    "end_time",
    "action",
    "processing_activity",
    "data_subject_type",
    "data_subject_id",
    "status",
    "module",
    "prev_hash",
)
SECURITY_FIELDS = (
    "trace_id",
    "actor_kind",
    "actor_id",
    "actor_name",
    "actor_organisation_id",
    "actor_role",
    "on_behalf_of",
    "origin",
    "created_at",
)
# The fields the records of one group share: all but the two holes of its template.
SHARED_FIELDS = tuple(f for f in RECORD_FIELDS if f not in ("data_subject_id", "prev_hash"))

# From this many records on (an import), PostgreSQL gets them by COPY: several times faster
# than a batched INSERT, still one statement, still in the data's transaction.
COPY_THRESHOLD = 1000
# Up to this many records (a page's reads), one multi-row INSERT ... RETURNING gives the
# last id without a query of its own; beyond it, rendering that statement costs more CPU
# than the executemany and `SELECT max(id)` it replaces (1 record: 0.33 against 0.81 ms,
# 5: 0.82 against 1.31 ms, 60: 4.6 against 3.7 ms, PostgreSQL, psycopg 3).
RETURNING_LIMIT = 20
# COPY column order: the shared fields first, so a group's rows share one rendered prefix.
COPY_COLUMNS = (*SHARED_FIELDS, "data_subject_id", "prev_hash", "hash")
_COPY_ROWS = 5000  # rows per write to the COPY stream

records = AuditRecord.__table__
securities = AuditSecurity.__table__
head = AuditChainHead.__table__

# json.dumps(..., ensure_ascii=False) of one string, the same (C) function json uses.
_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
# COPY text format: a backslash, tab, newline or carriage return in a value is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Placeholders for the holes of a template (found once, else `Template` refuses).
_SUBJECT_HOLE = _json_string("\x00openregie-audit-subject\x00")
_PREV_HOLE = _json_string("\x00openregie-audit-prev-hash\x00")


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def _canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def security_json(security: Mapping[str, Any]) -> str:
    """The canonical JSON of a security record (the same for every record of its trace)."""
    return _canonical({name: _plain(security[name]) for name in SECURITY_FIELDS})


def _document(body: str, security_text: str) -> str:
    return '{"record":' + body + ',"security":' + security_text + "}"


def record_hash(
    record: Mapping[str, Any], security: Mapping[str, Any], security_text: str | None = None
) -> str:
    """The hash of `record` (which holds its `prev_hash`) together with its security record:
    SHA-256 of the canonical JSON `{"record": {...}, "security": {...}}` (sorted keys, no
    spaces). Pass `security_json(security)` as `security_text` when hashing a batch."""
    if security_text is None:
        security_text = security_json(security)
    body = _canonical({name: _plain(record[name]) for name in RECORD_FIELDS})
    return hashlib.sha256(_document(body, security_text).encode("utf-8")).hexdigest()


class Template:
    """The canonical document of records sharing `shared` (every record field but
    data_subject_id and prev_hash) and a security record, rendered once with two holes.
    `hash(subject_id, prev_hash)` equals `record_hash` of the full record."""

    __slots__ = ("_end", "_middle", "_start")

    def __init__(self, shared: Mapping[str, Any], security_text: str) -> None:
        document = {name: _plain(shared[name]) for name in SHARED_FIELDS}
        document["data_subject_id"] = "\x00openregie-audit-subject\x00"
        document["prev_hash"] = "\x00openregie-audit-prev-hash\x00"
        text = _document(_canonical(document), security_text)
        # Sorted keys put data_subject_id before prev_hash. A field holding a placeholder
        # (only ever forged) would make a hole ambiguous: then refuse, the caller falls back.
        if text.count(_SUBJECT_HOLE) != 1 or text.count(_PREV_HOLE) != 1:
            raise ValueError("a placeholder occurs in the record's fields")
        start, rest = text.split(_SUBJECT_HOLE)
        middle, end = rest.split(_PREV_HOLE)
        self._start = hashlib.sha256(start.encode("utf-8"))
        self._middle = middle
        self._end = end

    def hash(self, subject_id: str, prev_hash: str) -> str:
        digest = self._start.copy()
        digest.update(
            (_json_string(subject_id) + self._middle + _json_string(prev_hash) + self._end).encode(
                "utf-8"
            )
        )
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Group:
    """Records of one trace that differ only in their data subject, in chain order:
    `shared` holds the fields of SHARED_FIELDS."""

    shared: Mapping[str, Any]
    subject_ids: Sequence[str]


def _seed_head(connection: Connection) -> None:
    """Create the head row with the genesis hash unless a concurrent appender just did."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(
        dialect.insert(head)
        .values(id=HEAD_ID, last_record_id=0, last_hash=GENESIS_HASH)
        .on_conflict_do_nothing()
    )


def lock_head(connection: Connection) -> tuple[int, str]:
    """Lock the chain head for this transaction and return (last record id, last hash).

    PostgreSQL locks the row with SELECT ... FOR UPDATE. SQLite has no row locks: a no-op
    UPDATE first takes the database's write lock, so no other writer can slip in between
    reading the head and appending."""
    current = select(head.c.last_record_id, head.c.last_hash).where(head.c.id == HEAD_ID)
    if connection.dialect.name == "sqlite":
        connection.execute(
            update(head).where(head.c.id == HEAD_ID).values(last_hash=head.c.last_hash)
        )
    row = connection.execute(current.with_for_update()).first()
    if row is None:
        _seed_head(connection)
        row = connection.execute(current.with_for_update()).one()
    return row[0], row[1]


def hasher_for(shared: Mapping[str, Any], security: Mapping[str, Any], security_text: str) -> Any:
    """hash(subject_id, prev_hash) for the records of one group."""
    try:
        return Template(shared, security_text).hash
    except ValueError:

        def slow(subject_id: str, prev_hash: str) -> str:
            record = {**shared, "data_subject_id": subject_id, "prev_hash": prev_hash}
            return record_hash(record, security, security_text)

        return slow


def append(
    connection: Connection,
    security: Mapping[str, Any],
    groups: Sequence[Group],
    *,
    store_security: bool,
) -> None:
    """Append the records of `groups`, all of one trace whose security record is `security`,
    to the chain; insert that security record first when `store_security`. The records go
    in ONE statement whatever their number: an executemany INSERT, or COPY for many on
    PostgreSQL."""
    total = sum(len(group.subject_ids) for group in groups)
    if not total:
        return
    _, last_hash = lock_head(connection)
    if store_security:
        connection.execute(insert(securities), [dict(security)])
    security_text = security_json(security)
    # The last id goes to the head. The head lock keeps other appenders out, so after an
    # executemany or COPY the highest id is the last of ours.
    if connection.dialect.name == "postgresql" and total >= COPY_THRESHOLD:
        last_hash = _copy(connection, security, security_text, groups, last_hash)
        last_id = connection.scalar(select(func.max(records.c.id)))
    else:
        linked = []
        for group in groups:
            hasher = hasher_for(group.shared, security, security_text)
            for subject_id in group.subject_ids:
                record = {**group.shared, "data_subject_id": subject_id, "prev_hash": last_hash}
                record["hash"] = last_hash = hasher(subject_id, last_hash)
                linked.append(record)
        if total <= RETURNING_LIMIT:
            inserted = connection.execute(insert(records).returning(records.c.id), linked)
            last_id = max(inserted.scalars())
        else:
            connection.execute(insert(records), linked)
            last_id = connection.scalar(select(func.max(records.c.id)))
    connection.execute(
        update(head).where(head.c.id == HEAD_ID).values(last_record_id=last_id, last_hash=last_hash)
    )


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy(
    connection: Connection,
    security: Mapping[str, Any],
    security_text: str,
    groups: Sequence[Group],
    last_hash: str,
) -> str:
    """COPY the records in chain order (ids follow the row order), each text row built from
    its group's rendered prefix; returns the last hash."""
    raw = connection.connection.driver_connection
    assert raw is not None
    return _copy_raw(raw, security, security_text, groups, last_hash)


def _copy_raw(
    raw: Any,
    security: Mapping[str, Any],
    security_text: str,
    groups: Sequence[Group],
    last_hash: str,
) -> str:
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(records.name), sql.SQL(", ").join(map(sql.Identifier, COPY_COLUMNS))
    )
    if all(_binary_ok(group.shared) for group in groups):
        return _copy_binary(raw, security, security_text, groups, last_hash)
    escapes = _COPY_ESCAPES
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        lines: list[str] = []
        for group in groups:
            hasher = hasher_for(group.shared, security, security_text)
            prefix = "\t".join(_copy_text(group.shared[name]) for name in SHARED_FIELDS) + "\t"
            for subject_id in group.subject_ids:
                prev_hash = last_hash
                last_hash = hasher(subject_id, prev_hash)
                lines.append(
                    prefix + subject_id.translate(escapes) + "\t" + prev_hash + "\t" + last_hash
                )
                if len(lines) == _COPY_ROWS:
                    copy.write("\n".join(lines) + "\n")
                    lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")
    return last_hash


# PostgreSQL types of COPY_COLUMNS, for a binary COPY: the server parses no text (no
# timestamps, no UUID), which leaves it less to do per record.
_BINARY_TYPES = (
    "uuid", "varchar", "timestamptz", "timestamptz", "varchar", "varchar", "varchar",
    "varchar", "varchar", "varchar", "varchar", "varchar",
)  # fmt: skip


def _binary_ok(shared: Mapping[str, Any]) -> bool:
    """Whether the shared fields have the Python types a binary COPY dumps as they are
    stored (else the text COPY, which sends them as text, is used)."""
    return (
        type(shared["trace_id"]) is uuid.UUID
        and all(
            isinstance(shared[name], dt.datetime) and shared[name].tzinfo is not None
            for name in ("start_time", "end_time")
        )
        and all(
            isinstance(shared[name], str)
            for name in SHARED_FIELDS
            if name not in ("trace_id", "start_time", "end_time")
        )
    )


def _copy_binary(
    raw: Any,
    security: Mapping[str, Any],
    security_text: str,
    groups: Sequence[Group],
    last_hash: str,
) -> str:
    with raw.cursor() as cursor, cursor.copy(_binary_statement()) as copy:
        return _write_binary(copy, security, security_text, groups, last_hash)


def _binary_statement() -> Any:
    from psycopg import sql

    return sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(records.name), sql.SQL(", ").join(map(sql.Identifier, COPY_COLUMNS))
    )


def _write_binary(
    copy: Any,
    security: Mapping[str, Any],
    security_text: str,
    groups: Sequence[Group],
    last_hash: str,
) -> str:
    """Hash the records of `groups` linking on from `last_hash` and write them as rows of
    a binary COPY; returns the last hash."""
    copy.set_types(_BINARY_TYPES)
    write_row = copy.write_row
    for group in groups:
        hasher = hasher_for(group.shared, security, security_text)
        shared = tuple(group.shared[name] for name in SHARED_FIELDS)
        for subject_id in group.subject_ids:
            prev_hash = last_hash
            last_hash = hasher(subject_id, prev_hash)
            write_row((*shared, subject_id, prev_hash, last_hash))
    return last_hash


@dataclass(frozen=True, slots=True)
class Prepared:
    """Records hashed and encoded ahead of writing: binary COPY data whose first record
    links to `start_hash` and whose last has `end_hash`."""

    data: bytes
    start_hash: str
    end_hash: str
    count: int


def prepare(
    cursor: Any,
    security: Mapping[str, Any],
    security_text: str,
    groups: Sequence[Group],
    last_hash: str,
) -> Prepared | None:
    """Hash and encode the records of `groups` as binary COPY data linking on from
    `last_hash`, without any traffic on the connection (psycopg's `FileWriter`; `cursor`
    only lends its type adapters): a thread other than the connection's owner can do the
    CPU work while the owner writes. None when the shared fields do not have the binary
    COPY's types (append those the usual way)."""
    import io

    from psycopg.copy import Copy, FileWriter

    if not all(_binary_ok(group.shared) for group in groups):
        return None
    buffer = io.BytesIO()
    with Copy(cursor, binary=True, writer=FileWriter(buffer)) as copy:
        end_hash = _write_binary(copy, security, security_text, groups, last_hash)
    count = sum(len(group.subject_ids) for group in groups)
    return Prepared(buffer.getvalue(), last_hash, end_hash, count)


class ChainWriter:
    """Appends the records of one trace to the chain batch by batch on a raw psycopg
    connection (PostgreSQL), inside the caller's transaction: how an import writes its
    records chunk by chunk in its writer thread, next to the persons they are about.

    The first non-empty batch (or `lock`, called ahead) locks the chain head (SELECT ...
    FOR UPDATE); the lock is then held until the transaction ends, so every other appender
    waits for the import's commit or rollback (an import is one transaction whatever its
    size). The first non-empty batch inserts the trace's security record when
    `store_security`. Each batch is one COPY whose hashes link on from the previous batch;
    a batch can also come `prepare`d by another thread (`append_prepared`); `finish` moves
    the head to the last record. Only the thread owning the connection may call these
    methods."""

    def __init__(self, raw: Any, security: Mapping[str, Any], *, store_security: bool) -> None:
        self.raw = raw
        self.security = security
        self.security_text = security_json(security)
        self.store_security = store_security
        self.written = 0  # records appended so far
        self.security_written = False  # this writer inserted the security record
        self._last_hash: str | None = None  # None: the head is not locked yet

    @property
    def last_hash(self) -> str | None:
        """The hash the next record links to; None until the head is locked."""
        return self._last_hash

    def lock(self) -> str:
        """Lock the chain head now (if not yet) and return the hash the next record links
        to."""
        from psycopg import sql

        if self._last_hash is not None:
            return self._last_hash
        current = sql.SQL("SELECT last_hash FROM {} WHERE id = %s FOR UPDATE").format(
            sql.Identifier(head.name)
        )
        with self.raw.cursor() as cursor:
            row = cursor.execute(current, [HEAD_ID]).fetchone()
            if row is None:
                cursor.execute(
                    sql.SQL(
                        "INSERT INTO {} (id, last_record_id, last_hash) VALUES (%s, 0, %s) "
                        "ON CONFLICT DO NOTHING"
                    ).format(sql.Identifier(head.name)),
                    [HEAD_ID, GENESIS_HASH],
                )
                row = cursor.execute(current, [HEAD_ID]).fetchone()
        self._last_hash = str(row[0])
        return self._last_hash

    def _store_security(self) -> None:
        """Insert the trace's security record before the first record (once)."""
        from psycopg import sql

        if not self.store_security or self.security_written:
            return
        with self.raw.cursor() as cursor:
            cursor.execute(
                sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                    sql.Identifier(securities.name),
                    sql.SQL(", ").join(map(sql.Identifier, SECURITY_FIELDS)),
                    sql.SQL(", ").join(sql.Placeholder() * len(SECURITY_FIELDS)),
                ),
                [self.security[name] for name in SECURITY_FIELDS],
            )
        self.security_written = True

    def append(self, groups: Sequence[Group]) -> None:
        """Append the records of `groups` (in this order) to the chain."""
        count = sum(len(group.subject_ids) for group in groups)
        if not count:
            return
        last_hash = self.lock()
        self._store_security()
        self._last_hash = _copy_raw(self.raw, self.security, self.security_text, groups, last_hash)
        self.written += count

    def append_prepared(self, prepared: Prepared) -> bool:
        """Append records `prepare`d ahead, if they link on from the last record appended
        (the head must be locked); False (nothing written) when they do not."""
        if self._last_hash is None or prepared.start_hash != self._last_hash:
            return False
        if not prepared.count:
            return True
        self._store_security()
        with self.raw.cursor() as cursor, cursor.copy(_binary_statement()) as copy:
            copy.write(prepared.data)
        self._last_hash = prepared.end_hash
        self.written += prepared.count
        return True

    def finish(self) -> None:
        """Point the chain head at the last record appended (nothing when none were)."""
        if self._last_hash is None:
            return
        from psycopg import sql

        # The head lock keeps other appenders out, so the highest id is the last of ours.
        with self.raw.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "UPDATE {head} SET last_record_id = (SELECT max(id) FROM {records}), "
                    "last_hash = %s WHERE id = %s"
                ).format(head=sql.Identifier(head.name), records=sql.Identifier(records.name)),
                [self._last_hash, HEAD_ID],
            )
