"""Buffering audit records during a request or command and writing them with its outcome.

`record(...)` adds one pending record per data subject to the trace of the current session.
A request's session lives in `flask.g` and a command's in the runtime, so the buffer (kept
in that session's `info`) is per request or per command, with one security record (the
actor) per trace. Pending records are written:

- inside the transaction of the session's next commit (a `before_commit` listener), so the
  data and the records about it commit or roll back together;
- otherwise when the request or command ends, in a transaction of their own (reads).

A record says "ok" only for work that became durable:

- a commit that fails puts its records back with status "error";
- rolling the session back marks the records made since the last commit "error": they
  describe work of the abandoned transaction (record a read again after a rollback if it
  still matters);
- a failed request or command (an exception) marks every pending record "error";
- so does a request that ends with uncommitted changes, which closing its session discards.

"denied" records keep their status: the refusal happened whatever the outcome.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from flask import current_app
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from openregie_core.audit.chain import Group, append, records
from openregie_sdk.actors import Actor
from openregie_sdk.audit import STATUSES
from openregie_sdk.db import utcnow

KEY = "openregie_audit"
_CHANGED = "openregie_audit_changed"  # the transaction flushed changes not yet committed
_FAILED = "openregie_audit_failed"  # the request failed; set by `mark_failed`

_LIMITS: dict[str, int] = {
    name: records.c[name].type.length  # type: ignore[attr-defined]
    for name in ("action", "processing_activity", "data_subject_type", "data_subject_id", "module")
}


@dataclass(frozen=True, slots=True)
class PendingRecord:
    """One action on data subjects, waiting to be written: one record per subject id (an
    import buffers one of these for all its persons, not one object per person)."""

    span_id: str
    start_time: dt.datetime
    action: str
    processing_activity: str
    data_subject_type: str
    subject_ids: tuple[str, ...]
    status: str
    module: str

    def group(self, trace_id: uuid.UUID, end_time: dt.datetime) -> Group:
        shared = {
            "trace_id": trace_id,
            "span_id": self.span_id,
            "start_time": self.start_time,
            "end_time": end_time,
            "action": self.action,
            "processing_activity": self.processing_activity,
            "data_subject_type": self.data_subject_type,
            "status": self.status,
            "module": self.module,
        }
        return Group(shared, self.subject_ids)


def _failed(pending: Iterable[PendingRecord]) -> list[PendingRecord]:
    return [replace(r, status="error") if r.status == "ok" else r for r in pending]


@dataclass(slots=True)
class Trace:
    """The audit state of one request or command: its security record and its records."""

    security: dict[str, Any]
    pending: list[PendingRecord] = field(default_factory=list)
    in_flight: list[PendingRecord] = field(default_factory=list)  # written, not yet committed
    security_stored: bool = False
    security_in_flight: bool = False

    def fail_pending(self) -> None:
        self.pending = _failed(self.pending)

    def requeue_in_flight(self) -> None:
        """The transaction holding the in-flight records did not commit."""
        self.pending = [*_failed(self.in_flight), *self.pending]
        self.in_flight = []
        self.security_in_flight = False


def security_of(actor: Actor, origin: str | None) -> dict[str, Any]:
    """The security record of a new trace: who acts, in which role and organisation, from
    where. `actor_role` lists the actor's roles, as the access may rest on any of them."""
    return {
        "trace_id": uuid.uuid4(),
        "actor_kind": actor.kind.value,
        "actor_id": actor.id,
        "actor_name": (actor.display_name or actor.kind.value)[:200],
        "actor_organisation_id": actor.organisation_id,
        "actor_role": ", ".join(sorted(actor.roles))[:120] or None,
        "on_behalf_of": actor.on_behalf_of,
        "origin": origin[:64] if origin else None,
        "created_at": utcnow(),
    }


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValueError(f"audit record: {name} must be a non-empty string, got {value!r}")
    if len(value) > _LIMITS[name]:
        raise ValueError(f"audit record: {name} is longer than {_LIMITS[name]}: {value!r}")
    return value


def _subject_ids(subject_ids: Iterable[uuid.UUID | str | int]) -> list[str]:
    if isinstance(subject_ids, str | bytes | uuid.UUID | int):
        raise TypeError("audit record: subject_ids must be a collection of ids, not one id")
    ids = []
    for subject_id in subject_ids:
        if type(subject_id) is uuid.UUID:  # the common case, always a valid id
            ids.append(str(subject_id))
            continue
        if not isinstance(subject_id, uuid.UUID | str | int) or isinstance(subject_id, bool):
            raise TypeError(f"audit record: a subject id is a UUID, str or int, not {subject_id!r}")
        ids.append(_text("data_subject_id", str(subject_id)))
    return list(dict.fromkeys(ids))  # one record per data subject


def trace_of(session: Session, actor: Actor, origin: str | None) -> Trace:
    """The trace of `session` (its request or command), started for `actor` when new."""
    trace: Trace | None = session.info.get(KEY)
    if trace is None:
        trace = session.info[KEY] = Trace(security=security_of(actor, origin))
    return trace


def span(
    action: str,
    processing_activity: str,
    subject_type: str,
    status: str = "ok",
    module: str = "core",
    start_time: dt.datetime | None = None,
) -> PendingRecord:
    """A checked span without subjects yet, for a writer that appends its records to the
    chain itself (`written`); `group(...)` of a copy with the subject ids gives its rows."""
    if status not in STATUSES:
        raise ValueError(f"audit record: status must be one of {', '.join(STATUSES)}")
    return PendingRecord(
        secrets.token_hex(8),
        start_time or utcnow(),
        action=_text("action", action),
        processing_activity=_text("processing_activity", processing_activity),
        data_subject_type=_text("data_subject_type", subject_type),
        subject_ids=(),
        status=status,
        module=_text("module", module),
    )


def store_security(trace: Trace) -> bool:
    """Whether the next write of `trace`'s records must insert its security record: neither
    committed nor already written in the open transaction."""
    return not (trace.security_stored or trace.security_in_flight)


def written(trace: Trace, done: Iterable[PendingRecord], *, security_written: bool) -> None:
    """Records of `trace` were appended to the chain in the session's open transaction by
    someone else (an import's writer thread): treat them as written by the next commit. The
    commit does not write them again; a rollback puts them back as "error", as for records
    written at a commit that then failed."""
    trace.in_flight.extend(r for r in done if r.subject_ids)
    if security_written:
        trace.security_in_flight = True


def add(
    session: Session,
    actor: Actor,
    origin: str | None,
    action: str,
    processing_activity: str,
    subject_type: str,
    subject_ids: Iterable[uuid.UUID | str | int],
    status: str,
    module: str,
) -> int:
    """Buffer one record per distinct subject id in `session`'s trace; returns how many.
    Bad input raises here, at the call, never later at commit."""
    if status not in STATUSES:
        raise ValueError(f"audit record: status must be one of {', '.join(STATUSES)}")
    fields = {
        "action": _text("action", action),
        "processing_activity": _text("processing_activity", processing_activity),
        "data_subject_type": _text("data_subject_type", subject_type),
        "module": _text("module", module),
    }
    ids = _subject_ids(subject_ids)
    trace = trace_of(session, actor, origin)
    span_id, start = secrets.token_hex(8), utcnow()
    if ids:
        trace.pending.append(
            PendingRecord(span_id, start, subject_ids=tuple(ids), status=status, **fields)
        )
    return len(ids)


def record(
    action: str,
    processing_activity: str,
    subject_type: str,
    subject_ids: Iterable[uuid.UUID | str | int],
    status: str = "ok",
    module: str = "core",
) -> None:
    """Record that the current actor performed `action` for `processing_activity` on each of
    the data subjects `subject_ids` (of kind `subject_type`, e.g. "person"), inside the
    current request or command. See the module docstring for when records are written."""
    current_app.extensions["openregie"].record_audit(
        action, processing_activity, subject_type, subject_ids, status=status, module=module
    )


def _write(connection: Connection, trace: Trace) -> None:
    end = utcnow()
    groups = [r.group(trace.security["trace_id"], end) for r in trace.pending]
    append(connection, trace.security, groups, store_security=store_security(trace))


def track_audit(factory: sessionmaker[Session]) -> None:
    """Write pending records in the transaction that commits the data they describe."""

    @event.listens_for(factory, "before_commit")
    def _write_with_the_data(session: Session) -> None:
        trace: Trace | None = session.info.get(KEY)
        if trace is None or not trace.pending or session.in_nested_transaction():
            return
        # Flush the data first, so its row locks are taken before the head lock; taking them
        # the other way round could deadlock with a request holding a row we update.
        session.flush()
        _write(session.connection(), trace)
        trace.in_flight.extend(trace.pending)
        trace.pending = []
        trace.security_in_flight = not trace.security_stored

    @event.listens_for(factory, "after_commit")
    def _committed(session: Session) -> None:
        if session.in_nested_transaction():
            return
        session.info.pop(_CHANGED, None)
        trace: Trace | None = session.info.get(KEY)
        if trace is not None:
            trace.in_flight = []
            trace.security_stored = trace.security_stored or trace.security_in_flight
            trace.security_in_flight = False

    @event.listens_for(factory, "after_rollback")
    def _rolled_back(session: Session) -> None:
        trace: Trace | None = session.info.get(KEY)
        if trace is not None:
            trace.requeue_in_flight()

    @event.listens_for(factory, "after_soft_rollback")
    def _abandoned(session: Session, previous: SessionTransaction) -> None:
        if previous.parent is not None:  # a savepoint or the inner part of a flush
            return
        session.info.pop(_CHANGED, None)
        trace: Trace | None = session.info.get(KEY)
        if trace is not None:
            trace.fail_pending()

    @event.listens_for(factory, "after_flush")
    def _changed(session: Session, _flush_context: Any) -> None:
        session.info[_CHANGED] = True


def mark_failed(session: Session) -> None:
    """The request failed: roll its session back and let every pending record say "error"."""
    session.info[_FAILED] = True
    session.rollback()


def take_trace(session: Session, failed: bool) -> Trace | None:
    """At the end of a request or command (before its session closes): remove the trace
    from `session` and settle the outcome of what is still unwritten."""
    failed = session.info.pop(_FAILED, False) or failed
    changed = session.info.pop(_CHANGED, False) or bool(
        session.new or session.dirty or session.deleted
    )
    trace: Trace | None = session.info.pop(KEY, None)
    if trace is None:
        return None
    trace.requeue_in_flight()  # never confirmed by a commit
    if failed or changed:
        trace.fail_pending()
    return trace if trace.pending else None


def write_trace(engine: Engine, trace: Trace | None) -> None:
    """Write what `take_trace` left, in a transaction of its own."""
    if trace is None:
        return
    with engine.begin() as connection:
        _write(connection, trace)
