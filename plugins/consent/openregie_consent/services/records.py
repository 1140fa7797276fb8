"""The append-only history of consent statements: reading a subject's consents and
recording a new version (give, refuse, withdraw, request) after checking the input and who
speaks for the subject. Nothing is ever updated in place."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select

from openregie_consent.models import (
    GIVEN,
    OBTAINED,
    RECIPIENT_KINDS,
    WITHDRAWN,
    ConsentRecord,
    as_utc,
)
from openregie_consent.services import authority
from openregie_consent.services.common import (
    MANAGE,
    MODULE,
    READ,
    purpose_label,
    purpose_named,
    settings,
)
from openregie_consent.services.predicates import latest_version
from openregie_sdk import audit, db_session
from openregie_sdk.capabilities.consent import ConsentView, NotFound, Refused
from openregie_sdk.db import utcnow
from openregie_sdk.files import UploadRefused, check_upload, file_store
from openregie_sdk.registry import Organisation, Person, Team
from openregie_sdk.users import users

RECORDABLE = ("requested", "given", "refused", "withdrawn")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def latest_record(
    subject_id: uuid.UUID, recipient_id: uuid.UUID, purpose: str
) -> ConsentRecord | None:
    """The most recently recorded version for this subject, recipient and purpose."""
    return db_session().scalar(
        select(ConsentRecord)
        .where(
            ConsentRecord.subject_id == subject_id,
            ConsentRecord.recipient_id == recipient_id,
            ConsentRecord.purpose == purpose,
        )
        .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


def grants_at(record: ConsentRecord, at: dt.datetime) -> bool:
    """Whether `record`, taken as the version in force, grants at `at`."""
    return (
        record.status == GIVEN
        and record.valid_from <= at
        and (record.valid_until is None or at < record.valid_until)
    )


def view_of(record: ConsentRecord, *, latest: bool, at: dt.datetime) -> ConsentView:
    return ConsentView(
        id=record.id,
        subject_id=record.subject_id,
        purpose=record.purpose,
        purpose_label=purpose_label(record.purpose),
        recipient_kind=record.recipient_kind,  # type: ignore[arg-type]
        recipient_id=record.recipient_id,
        recipient_name=record.recipient_name,
        data_categories=tuple(record.data_categories or ()),
        legal_basis=record.legal_basis,
        special_category_exception=record.special_category_exception,
        status=record.status,  # type: ignore[arg-type]
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        obtained=record.obtained,  # type: ignore[arg-type]
        given_by_person_ids=tuple(uuid.UUID(str(i)) for i in record.given_by or ()),
        recorded_at=record.recorded_at,
        recorded_by=record.recorded_by_name,
        note=record.note,
        evidence_filename=record.evidence_filename,
        in_force=latest and grants_at(record, at),
    )


def records_of(subject_id: uuid.UUID, *, history: bool = False) -> list[tuple[ConsentRecord, bool]]:
    """(record, is latest version) pairs of the subject, newest first; without `history`
    only the latest version of each (recipient, purpose). Not audited (callers are)."""
    session = db_session()
    latest_ids = set(
        session.scalars(
            select(ConsentRecord.id).where(ConsentRecord.subject_id == subject_id, latest_version())
        )
    )
    query = select(ConsentRecord).where(ConsentRecord.subject_id == subject_id)
    if not history:
        query = query.where(
            ConsentRecord.id.in_(latest_ids) if latest_ids else ConsentRecord.id.is_(None)
        )
    rows = session.scalars(
        query.order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
    ).all()
    return [(row, row.id in latest_ids) for row in rows]


def consents_of(subject_id: uuid.UUID, *, history: bool = False) -> list[ConsentView]:
    """The subject's consents as views (see the capability), audited as a read."""
    now = utcnow()
    pairs = records_of(subject_id, history=history)
    if pairs:
        audit.record("read", READ, "person", [subject_id], module=MODULE)
    return [view_of(row, latest=latest, at=now) for row, latest in pairs]


def recipient_name(kind: str, recipient_id: uuid.UUID, given: str | None) -> str:
    """The recipient's name from the registry (organisation, team) or as given (external)."""
    if kind not in RECIPIENT_KINDS:
        raise Refused(
            f"Soort ontvanger moet een van {', '.join(RECIPIENT_KINDS)} zijn.", "recipient_kind"
        )
    if kind == "external":
        name = (given or "").strip()
        if not name:
            raise Refused("Geef de naam van de externe ontvanger.", "recipient_name")
        if len(name) > 200:
            raise Refused("De naam is te lang (maximaal 200 tekens).", "recipient_name")
        return name
    model = Organisation if kind == "organisation" else Team
    name = db_session().scalar(select(model.name).where(model.id == recipient_id))
    if name is None:
        raise Refused("Deze ontvanger bestaat niet.", "recipient_id")
    return name


def _who_recorded(user_id: uuid.UUID | None, fallback: str) -> str:
    if user_id is None:
        return fallback
    info = users([user_id]).get(user_id)
    return info.display_name if info else fallback


def record(
    subject_id: uuid.UUID,
    *,
    purpose: str,
    recipient_id: uuid.UUID,
    recipient_kind: str,
    status: str,
    given_by_person_ids: Collection[uuid.UUID] = (),
    obtained: str | None = None,
    valid_from: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
    data_categories: Collection[str] | None = None,
    note: str = "",
    evidence: tuple[str, bytes] | None = None,
    recorded_by_user_id: uuid.UUID | None = None,
    recipient_name_given: str | None = None,
    recorded_by_fallback: str = "inwoner",
) -> ConsentRecord:
    """Record a new version; see `Consent.record` for the rules. Flushes, never commits."""
    session = db_session()
    subject = session.get(Person, subject_id)
    if subject is None:
        raise NotFound("Deze persoon bestaat niet.", "subject_id")
    chosen = purpose_named(purpose)
    if status not in RECORDABLE:
        raise Refused(f"Status moet een van {', '.join(RECORDABLE)} zijn.", "status")
    if obtained is not None and obtained not in OBTAINED:
        raise Refused(f"Verkregen moet een van {', '.join(OBTAINED)} zijn.", "obtained")
    if status in ("given", "refused", "withdrawn") and obtained is None:
        raise Refused("Geef aan hoe de toestemming is verkregen.", "obtained")
    name = recipient_name(recipient_kind, recipient_id, recipient_name_given)
    now = utcnow()
    start = as_utc(valid_from) if valid_from is not None else now
    end = as_utc(valid_until) if valid_until is not None else None
    if status == "given" and end is None:
        end = start + dt.timedelta(days=settings().default_validity_days)
    if status != "given":
        end = None  # only a given consent has a period
    elif end <= start:  # type: ignore[operator]
        raise Refused("‘Geldig tot’ moet na ‘geldig vanaf’ liggen.", "valid_until")
    categories = tuple(chosen.data_categories if data_categories is None else data_categories)
    unknown = sorted(set(categories) - set(chosen.data_categories))
    if not categories or unknown:
        raise Refused(
            "Kies gegevenscategorieën van dit doel: " + ", ".join(chosen.data_categories) + ".",
            "data_categories",
        )
    authority.check_speakers(subject, status, given_by_person_ids, start.date())
    current = latest_record(subject_id, recipient_id, chosen.code)
    if status == WITHDRAWN and (
        current is None
        or current.status != GIVEN
        or (current.valid_until is not None and current.valid_until <= now)
    ):
        raise Refused("Er is geen gegeven toestemming om in te trekken.", "status")
    if len(note) > 2000:
        raise Refused("De toelichting is te lang (maximaal 2000 tekens).", "note")
    row = ConsentRecord(
        subject_id=subject_id,
        recipient_id=recipient_id,
        recipient_kind=recipient_kind,
        recipient_name=name,
        purpose=chosen.code,
        data_categories=list(categories),
        legal_basis=chosen.legal_basis,
        special_category_exception=chosen.special_category_exception,
        status=status,
        valid_from=start if status != WITHDRAWN else now,
        valid_until=end,
        obtained=obtained,
        given_by=sorted(str(i) for i in set(given_by_person_ids)),
        note=note.strip(),
        recorded_at=max(now, current.recorded_at + dt.timedelta(microseconds=1))
        if current
        else now,
        recorded_by_user_id=recorded_by_user_id,
        recorded_by_name=_who_recorded(recorded_by_user_id, recorded_by_fallback),
    )
    if evidence is not None:
        filename, content = evidence
        try:
            checked = check_upload(filename, content, max_bytes=EVIDENCE_MAX_BYTES)
        except UploadRefused as error:
            raise Refused(str(error), "evidence") from error
        row.evidence_key = file_store().put(content)
        row.evidence_filename = checked.filename
        row.evidence_content_type = checked.content_type
    session.add(row)
    session.flush()
    audit.record("create", MANAGE, "person", [subject_id], module=MODULE)
    return row


def find_record(consent_id: uuid.UUID) -> ConsentRecord:
    row = db_session().get(ConsentRecord, consent_id)
    if row is None:
        raise NotFound("Deze toestemming bestaat niet.", "consent_id")
    return row


def subject_ids_with_records(ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    return set(
        db_session().scalars(
            select(ConsentRecord.subject_id).where(ConsentRecord.subject_id.in_(list(ids)))
        )
    )
