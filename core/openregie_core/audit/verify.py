"""Checking the hash chain of the audit log (`openregie audit verify`).

The records, their security records and the chain head are read in ONE statement, so the
check sees a single consistent snapshot while appenders keep writing, and streams, so the
log's size does not matter. The first broken link is reported, naming the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.audit.chain import (
    GENESIS_HASH,
    HEAD_ID,
    RECORD_FIELDS,
    SECURITY_FIELDS,
    SHARED_FIELDS,
    hasher_for,
    head,
    records,
    securities,
    security_json,
)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first thing wrong: `problem` is changed, removed, inserted or head."""

    record_id: int | None
    problem: str
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int  # records found sound (all of them when intact)
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _chain_query() -> Any:
    columns = [
        records.c.id,
        records.c.hash,
        *(records.c[name] for name in RECORD_FIELDS),
        *(securities.c[name].label(f"s_{name}") for name in SECURITY_FIELDS),
        head.c.id.label("head_row"),
        head.c.last_record_id.label("head_id"),
        head.c.last_hash.label("head_hash"),
    ]
    joined = records.outerjoin(securities, securities.c.trace_id == records.c.trace_id).outerjoin(
        head, head.c.id == HEAD_ID
    )
    return select(*columns).select_from(joined).order_by(records.c.id)


def _pairs(rows: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    """Each row with the one after it (None for the last)."""
    iterator = iter(rows)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


class _Hashes:
    """The hash each row should have, as `record_hash` computes it; the template of a group
    of records (an import: thousands) is rendered once and reused."""

    _KEEP = 1000  # templates kept; a walk meets groups one after the other

    def __init__(self) -> None:
        self._hashers: dict[tuple[Any, ...], Any] = {}

    def of(self, row: Any) -> str:
        shared = tuple(getattr(row, name) for name in SHARED_FIELDS)
        security = tuple(getattr(row, f"s_{name}") for name in SECURITY_FIELDS)
        key = (shared, security)
        hasher = self._hashers.get(key)
        if hasher is None:
            if len(self._hashers) >= self._KEEP:
                self._hashers.clear()
            fields = dict(zip(SECURITY_FIELDS, security, strict=True))
            hasher = self._hashers[key] = hasher_for(
                dict(zip(SHARED_FIELDS, shared, strict=True)), fields, security_json(fields)
            )
        return hasher(row.data_subject_id, row.prev_hash)


def _name(record_id: int | None) -> str:
    return "the start of the chain" if record_id is None else f"record {record_id}"


def _head_break(last_id: int, last_hash: str, head_id: int, head_hash: str) -> ChainBreak | None:
    """Compare where the walk ended with what the chain head says."""
    if head_id > last_id:
        return ChainBreak(
            last_id,
            "removed",
            f"record(s) removed after id {last_id}: the chain head names record {head_id}",
        )
    if (head_id, head_hash) != (last_id, last_hash):
        return ChainBreak(
            last_id,
            "head",
            f"head mismatch: the chain head names record {head_id} with a hash that does not "
            f"match record {last_id}",
        )
    return None


class _Walk:
    """The state of a walk along the chain in id order."""

    def __init__(self) -> None:
        self.checked = 0
        self.last_id: int | None = None  # the last sound record
        self.before_last_id: int | None = None
        self.expected = GENESIS_HASH  # the hash the next record must link to
        self.expected_before: str | None = None  # the hash the last sound record linked to
        self.hashes = _Hashes()

    def check(self, row: Any, following: Any) -> ChainBreak | None:
        if row.head_row is None:
            return ChainBreak(None, "head", "head mismatch: the chain head is missing")
        if row.id > row.head_id:
            if (self.last_id or 0) == row.head_id and self.expected == row.head_hash:
                return ChainBreak(
                    row.id,
                    "inserted",
                    f"record {row.id} was inserted after the end of the chain: "
                    f"the chain head names record {row.head_id}",
                )
            return _head_break(self.last_id or 0, self.expected, row.head_id, row.head_hash)
        if row.s_trace_id is None:
            return ChainBreak(row.id, "changed", f"record {row.id}: its security record is missing")
        if row.prev_hash != self.expected:
            if following is not None and following.prev_hash == self.expected:
                return ChainBreak(
                    row.id,
                    "inserted",
                    f"record {row.id} was inserted: it is not part of the chain "
                    f"(record {following.id} links to {_name(self.last_id)})",
                )
            if self.expected_before is not None and row.prev_hash == self.expected_before:
                return ChainBreak(
                    self.last_id,
                    "inserted",
                    f"record {self.last_id} was inserted: it is not part of the chain "
                    f"(record {row.id} links to {_name(self.before_last_id)})",
                )
        if self.hashes.of(row) != row.hash:
            return ChainBreak(
                row.id,
                "changed",
                f"record {row.id} was changed: its hash does not match its contents "
                "and its security record",
            )
        if row.prev_hash != self.expected:
            if self.last_id is None:
                message = (
                    f"record(s) removed before id {row.id}: "
                    f"record {row.id} does not link to the start of the chain"
                )
            else:
                message = (
                    f"record(s) removed between ids {self.last_id} and {row.id}: "
                    f"record {row.id} does not link to record {self.last_id}"
                )
            return ChainBreak(row.id, "removed", message)
        self.before_last_id, self.last_id = self.last_id, row.id
        self.expected_before, self.expected = self.expected, row.hash
        self.checked += 1
        return None


def verify(session: Session) -> ChainReport:
    """Walk the audit chain in id order; report the first broken link, or that it is intact."""
    walk = _Walk()
    last_row = None
    for row, following in _pairs(session.execute(_chain_query().execution_options(yield_per=1000))):
        if broken := walk.check(row, following):
            return ChainReport(walk.checked, broken)
        last_row = row
    if last_row is not None:
        broken = _head_break(walk.last_id or 0, walk.expected, last_row.head_id, last_row.head_hash)
        return ChainReport(walk.checked, broken)
    # An empty log: the head, if any, must still be at the genesis.
    current = session.execute(select(head.c.last_record_id, head.c.last_hash)).first()
    if current is not None and (current[0], current[1]) != (0, GENESIS_HASH):
        return ChainReport(
            0,
            ChainBreak(
                None,
                "removed",
                f"record(s) removed: the log is empty but the chain head names record {current[0]}",
            ),
        )
    return ChainReport(0, None)
