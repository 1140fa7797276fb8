"""The audit log (verwerkingenlogging), after the Logboek Dataverwerkingen standard.

One `AuditRecord` per action per data subject, reads included; the actor and origin live in
one linked `AuditSecurity` record per trace (request). Records are append-only and
hash-chained: each hash covers the previous hash, the record and its security record, so a
changed, removed or inserted record breaks the chain (`openregie audit verify`).
`AuditChainHead` is the single row appenders lock to extend the chain in order.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, utcnow

# SQLite only autoincrements an INTEGER PRIMARY KEY.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class AuditSecurity(Base):
    __tablename__ = "core_audit_security"

    trace_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_organisation_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str | None] = mapped_column(String(120))
    on_behalf_of: Mapped[uuid.UUID | None]
    origin: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditRecord(Base):
    __tablename__ = "core_audit_record"
    __table_args__ = (Index("ix_core_audit_record_subject_time", "data_subject_id", "start_time"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    # The security record of the trace. No foreign key: its fields are hashed into this
    # record, so the chain proves the link (`openregie audit verify`), and a key check per
    # appended record would slow every bulk write.
    trace_id: Mapped[uuid.UUID] = mapped_column(index=True)
    span_id: Mapped[str] = mapped_column(String(16))
    start_time: Mapped[dt.datetime]
    end_time: Mapped[dt.datetime]
    action: Mapped[str] = mapped_column(String(40))  # read, search, create, update, ...
    processing_activity: Mapped[str] = mapped_column(String(120))
    data_subject_type: Mapped[str] = mapped_column(String(40))
    data_subject_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))  # ok, denied, error
    module: Mapped[str] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    __tablename__ = "core_audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_record_id: Mapped[int] = mapped_column(BigIntId, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
