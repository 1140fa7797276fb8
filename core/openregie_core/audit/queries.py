"""Reading the audit log: who accessed a person's data, and the functional admin's listing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, func, select, true
from sqlalchemy.orm import Session

from openregie_core.audit.chain import records, securities
from openregie_sdk.actors import Scope
from openregie_sdk.audit import AccessEntry
from openregie_sdk.registry import Organisation, Person

PERSON = "person"
organisations = Organisation.__table__


def accessed_by(session: Session, person_id: uuid.UUID, *, limit: int = 200) -> list[AccessEntry]:
    """Who processed the data of person `person_id` ("ok" records of subject type "person"),
    newest first, at most `limit` entries: when, in which organisation and role, what."""
    query = (
        select(
            records.c.start_time,
            securities.c.actor_kind,
            securities.c.actor_organisation_id,
            organisations.c.name,
            securities.c.actor_role,
            records.c.action,
            records.c.processing_activity,
            records.c.module,
        )
        .join(securities, securities.c.trace_id == records.c.trace_id)
        .outerjoin(organisations, organisations.c.id == securities.c.actor_organisation_id)
        .where(
            records.c.data_subject_type == PERSON,
            records.c.data_subject_id == str(person_id),
            records.c.status == "ok",
        )
        .order_by(records.c.start_time.desc(), records.c.id.desc())
        .limit(limit)
    )
    return [
        AccessEntry(
            at=row[0],
            actor_kind=row[1],
            organisation_id=row[2],
            organisation_name=row[3],
            role=row[4],
            action=row[5],
            processing_activity=row[6],
            module=row[7],
        )
        for row in session.execute(query)
    ]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the functional admin narrows the log to; `until` is exclusive."""

    subject_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _within(scope: Scope, dialect: str) -> ColumnElement[bool]:
    """Records a reader with this scope may see: all when installation-wide; otherwise only
    records about persons residing in the reader's municipalities (so the admin of one
    municipality sees nothing of another's residents)."""
    if scope.everywhere:
        return true()
    if not scope.municipality_ids:
        return false()
    residents = select(Person.id).where(Person.municipality_id.in_(scope.municipality_ids))
    # The subject id is text; SQLite stores UUIDs as 32 hex digits, PostgreSQL as uuid.
    if dialect == "sqlite":
        subject = func.replace(records.c.data_subject_id, "-", "")
        return (records.c.data_subject_type == PERSON) & subject.in_(residents)
    ids = select(cast(Person.id, String)).where(Person.municipality_id.in_(scope.municipality_ids))
    return (records.c.data_subject_type == PERSON) & records.c.data_subject_id.in_(ids)


def audit_page(
    session: Session, where: AuditFilter, page: int, size: int, scope: Scope
) -> tuple[list[Any], bool]:
    """One page of records the reader's `scope` covers, newest first, each with its actor;
    and whether a next page exists (one row more is fetched instead of counting)."""
    query = (
        select(
            records.c.id,
            records.c.start_time,
            records.c.action,
            records.c.processing_activity,
            records.c.data_subject_type,
            records.c.data_subject_id,
            records.c.status,
            records.c.module,
            securities.c.actor_kind,
            securities.c.actor_name,
            securities.c.actor_role,
            securities.c.origin,
            organisations.c.name.label("organisation_name"),
        )
        .join(securities, securities.c.trace_id == records.c.trace_id)
        .outerjoin(organisations, organisations.c.id == securities.c.actor_organisation_id)
        .where(_within(scope, session.get_bind().dialect.name))
        .order_by(records.c.id.desc())
        .offset((page - 1) * size)
        .limit(size + 1)
    )
    if where.subject_id:
        query = query.where(records.c.data_subject_id == where.subject_id)
    if where.action:
        query = query.where(records.c.action == where.action)
    if where.since:
        query = query.where(records.c.start_time >= where.since)
    if where.until:
        query = query.where(records.c.start_time < where.until)
    rows = list(session.execute(query))
    return rows[:size], len(rows) > size
