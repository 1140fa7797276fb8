"""The hash chain of the audit log: canonical hashing and appending a batch of records.

Each record's hash is SHA-256 over a canonical JSON document of the previous record's hash,
the record's own fields (all but `id` and `hash`) and the fields of its security record, so
changing, removing or inserting a record breaks a link. Appenders serialise on the single
`AuditChainHead` row, which names the last record and its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
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

# From this many records on (an import), PostgreSQL gets them by COPY: several times faster
# than a batched INSERT, still one statement, still in the data's transaction.
COPY_THRESHOLD = 1000

records = AuditRecord.__table__
securities = AuditSecurity.__table__
head = AuditChainHead.__table__


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


def record_hash(
    record: Mapping[str, Any], security: Mapping[str, Any], security_text: str | None = None
) -> str:
    """The hash of `record` (which holds its `prev_hash`) together with its security record:
    SHA-256 of the canonical JSON `{"record": {...}, "security": {...}}` (sorted keys, no
    spaces). Pass `security_json(security)` as `security_text` when hashing a batch."""
    if security_text is None:
        security_text = security_json(security)
    body = _canonical({name: _plain(record[name]) for name in RECORD_FIELDS})
    canonical = '{"record":' + body + ',"security":' + security_text + "}"
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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


def append(
    connection: Connection,
    security: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    *,
    store_security: bool,
) -> None:
    """Append `rows` (record fields without id, prev_hash and hash) to the chain, all of one
    trace whose security record is `security`; insert that security record first when
    `store_security`. The records go in ONE executemany INSERT whatever their number."""
    if not rows:
        return
    _, last_hash = lock_head(connection)
    if store_security:
        connection.execute(insert(securities), [dict(security)])
    linked = []
    security_text = security_json(security)
    for row in rows:
        record = {**row, "prev_hash": last_hash}
        record["hash"] = last_hash = record_hash(record, security, security_text)
        linked.append(record)
    if connection.dialect.name == "postgresql" and len(linked) >= COPY_THRESHOLD:
        _copy(connection, linked)
    else:
        connection.execute(insert(records), linked)
    # The head lock keeps other appenders out, so the highest id is the last of ours.
    last_id = connection.scalar(select(func.max(records.c.id)))
    connection.execute(
        update(head).where(head.c.id == HEAD_ID).values(last_record_id=last_id, last_hash=last_hash)
    )


def _copy(connection: Connection, linked: Sequence[Mapping[str, Any]]) -> None:
    """COPY the linked records, in chain order (ids follow the insert order)."""
    from psycopg import sql

    columns = list(linked[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(records.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for record in linked:
            copy.write_row([record[name] for name in columns])
