"""The audit log of two years of work: one trace (security record: who, from where) per
request, one record per data subject per action, in ONE valid hash chain that continues
from the chain head, so `openregie audit verify` passes on the result.

Hashes come from core's own chain code (`hasher_for`, `security_json`), so they are the
hashes the application itself would have written. Traces are written in batches: a batch's
security records first (the records' foreign key needs them), then its records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import func, select, update

from bench.dataset.cases import CaseInfo
from bench.dataset.common import UTC, Rand, Span
from bench.dataset.sink import Sink
from openregie_core.audit.chain import (
    COPY_COLUMNS,
    HEAD_ID,
    SECURITY_FIELDS,
    SHARED_FIELDS,
    hasher_for,
    head,
    lock_head,
    records,
    security_json,
)

# What a working day looks like in the log: (action, processing activity, module, subjects).
KINDS = (
    ("read", "casemanagement.case.read", "casemanagement", "case", 45),
    ("read", "core.household.view", "core", "household", 14),
    ("search", "core.person.search", "core", "search", 8),
    ("update", "casemanagement.case.write", "casemanagement", "case", 14),
    ("read", "casemanagement.case.read", "casemanagement", "worklist", 9),
    ("create", "casemanagement.allocation.write", "casemanagement", "one", 6),
    ("read", "core.person.view", "core", "one", 4),
)
WEIGHTS = tuple(kind[-1] for kind in KINDS)
BATCH = 20_000  # traces per batch
# PostgreSQL types of COPY_COLUMNS (the shared fields, subject, prev_hash, hash), as core's
# own binary COPY of audit records sends them.
RECORD_TYPES = ("uuid", "varchar", "timestamptz", "timestamptz", *["varchar"] * 8)


def _subjects(rng: Rand, kind: str, case: CaseInfo, people: Sequence[Any]) -> list[Any]:
    if kind == "case":
        return [p.id for p in case.persons]
    if kind == "household":
        return [p.id for p in case.home.members]
    if kind == "search":
        return rng.sample(people, rng.randint(5, 20))
    if kind == "worklist":
        return rng.sample(people, rng.randint(10, 25))
    return [rng.choice(case.persons).id]


def traces(
    seed: int, total: int, span: Span, cases: Sequence[CaseInfo], people: Sequence[Any]
) -> Iterator[tuple[dict[str, Any], dict[str, Any], list[str]]]:
    """(security, shared record fields, subject ids) per trace, in time order, until
    exactly `total` records; the same for the same arguments."""
    rng = Rand(seed)
    start = dt.datetime.combine(span.start, dt.time(), tzinfo=UTC)
    step = dt.timedelta(days=span.days) / max(1, total // 5)
    at = start
    left = total
    while left > 0:
        case = rng.choice(cases)
        action, activity, module, kind, _ = rng.choices(KINDS, WEIGHTS)[0]
        subjects = [str(s) for s in dict.fromkeys(_subjects(rng, kind, case, people))][:left]
        left -= len(subjects)
        at += step * rng.uniform(0.5, 1.5) * len(subjects) / 5
        actor = case.manager
        trace = rng.uuid()
        security = {
            "trace_id": trace,
            "actor_kind": "user" if actor else "system",
            "actor_id": actor[0] if actor else None,
            "actor_name": actor[1] if actor else "openregie",
            "actor_organisation_id": actor[2] if actor else None,
            "actor_role": "professional" if actor else None,
            "on_behalf_of": None,
            "origin": f"10.20.{rng.randrange(256)}.{rng.randrange(1, 255)}" if actor else None,
            "created_at": at,
        }
        shared = {
            "trace_id": trace,
            "span_id": f"{rng.getrandbits(64):016x}",
            "start_time": at,
            "end_time": at + dt.timedelta(microseconds=rng.randrange(2_000, 80_000)),
            "action": action,
            "processing_activity": activity,
            "data_subject_type": "person",
            "status": "denied" if rng.random() < 0.003 else "ok",
            "module": module,
        }
        yield security, shared, subjects


def build(
    sink: Sink, seed: int, total: int, span: Span, cases: Sequence[CaseInfo], people: Sequence[Any]
) -> None:
    """Append `total` records (and their traces) to the chain, then move its head."""
    connection = sink.connection
    _, last_hash = lock_head(connection)
    generated = traces(seed, total, span, cases, people)
    with sink.bar(records.name, total) as bar:
        while batch := list(islice(generated, BATCH)):
            securities = [tuple(s[f] for f in SECURITY_FIELDS) for s, _, _ in batch]
            sink.write("core_audit_security", SECURITY_FIELDS, securities, quiet=True)
            rows = []
            for security, shared, subjects in batch:
                hasher = hasher_for(shared, security, security_json(security))
                prefix = tuple(shared[name] for name in SHARED_FIELDS)
                for subject in subjects:
                    prev_hash, last_hash = last_hash, hasher(subject, last_hash)
                    rows.append((*prefix, subject, prev_hash, last_hash))
            sink.write(records.name, COPY_COLUMNS, rows, quiet=True, binary=RECORD_TYPES)
            bar.update(len(rows))
    last_id = connection.scalar(select(func.max(records.c.id)))
    connection.execute(
        update(head).where(head.c.id == HEAD_ID).values(last_record_id=last_id, last_hash=last_hash)
    )
