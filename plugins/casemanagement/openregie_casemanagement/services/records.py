"""Contact moments, notes, documents and appointment requests of a case.

Professionals' functions take the acting `Actor`, check access with `access.load_case`
(a case or item the actor may not see is `NotFound`, as if absent) and record the audit
log per data subject of the case for every read and write. The `resident_*` functions,
`request_appointment` and `appointment_requests` apply no authorisation of their own: the
capability provider calls them for the portal, which decides what its resident may see;
they still audit.

Decisions where the issue is silent:

- Notes are a journal: once written they are never changed or deleted (a correction is a
  new note). The author always sees their own notes, whatever the level chosen.
- A contact moment needs a moment with a time zone (stored in UTC) that is not more than a
  day in the future.
- Document content lives in the SDK's file store; its type is decided by the content
  (magic bytes), the size by `max_upload_mb`. Nothing the browser declares is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select

from openregie_casemanagement.access import READ, WRITE, load_case, note_visibility
from openregie_casemanagement.codes import APPOINTMENT_STATUSES, CHANNELS, CONFIDENTIALITY
from openregie_casemanagement.models import AppointmentRequest, Case, ContactMoment, Document, Note
from openregie_casemanagement.services.common import audit_case, code, text
from openregie_sdk import Actor, db_session, module_settings
from openregie_sdk.capabilities.casemanagement import NotFound, Refused
from openregie_sdk.db import utcnow
from openregie_sdk.files import UploadRefused, check_upload, file_store

RESIDENT_READ = "casemanagement.resident.read"
RESIDENT_WRITE = "casemanagement.resident.write"

SUMMARY_MAX = 10_000
PARTICIPANTS_MAX = 1_000
NOTE_MAX = 20_000
DESCRIPTION_MAX = 1_000
SUBJECT_MAX = 200
PREFERRED_MAX = 1_000
FUTURE_SLACK = dt.timedelta(days=1)
HANDLED_STATUSES = ("scheduled", "closed")

DOCUMENT_GONE = "Dit document bestaat niet of is niet voor u zichtbaar."


# -- contact moments ------------------------------------------------------------------------


def _moment(value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise Refused("Vul een datum en tijd in.", "occurred_at")
    if value.tzinfo is None or value.utcoffset() is None:
        raise Refused("Geef het tijdstip met een tijdzone.", "occurred_at")
    moment = value.astimezone(dt.UTC)
    if moment > utcnow() + FUTURE_SLACK:
        raise Refused("Een contactmoment kan niet in de toekomst liggen.", "occurred_at")
    if moment.year < 2000:
        raise Refused("Deze datum is te ver in het verleden.", "occurred_at")
    return moment


def add_contact_moment(
    actor: Actor,
    case_id: uuid.UUID,
    *,
    occurred_at: dt.datetime,
    channel: str,
    participants: str,
    summary: str,
    visible_to_resident: bool,
) -> ContactMoment:
    """Record a contact moment (needs write access to the case)."""
    case = load_case(case_id, actor, WRITE)
    moment = ContactMoment(
        case_id=case.id,
        occurred_at=_moment(occurred_at),
        channel=code(channel, "channel", CHANNELS),
        participants=text(
            participants, "participants", max_length=PARTICIPANTS_MAX, required=False
        ),
        summary=text(summary, "summary", max_length=SUMMARY_MAX),
        visible_to_resident=bool(visible_to_resident),
        created_by_user_id=actor.id,
    )
    db_session().add(moment)
    db_session().flush()
    audit_case(case, "create", WRITE)
    return moment


def contact_moments(actor: Actor, case_id: uuid.UUID) -> list[ContactMoment]:
    """The case's contact moments, newest first (audited as a read)."""
    case = load_case(case_id, actor, READ)
    rows = list(
        db_session().scalars(
            select(ContactMoment)
            .where(ContactMoment.case_id == case.id)
            .order_by(ContactMoment.occurred_at.desc(), ContactMoment.created_at.desc())
        )
    )
    audit_case(case, "read", READ)
    return rows


def resident_contact_moments(case: Case) -> list[ContactMoment]:
    """The contact moments marked visible to the resident, newest first (no authorisation:
    for the capability provider)."""
    rows = list(
        db_session().scalars(
            select(ContactMoment)
            .where(ContactMoment.case_id == case.id, ContactMoment.visible_to_resident.is_(True))
            .order_by(ContactMoment.occurred_at.desc(), ContactMoment.created_at.desc())
        )
    )
    audit_case(case, "read", RESIDENT_READ)
    return rows


# -- notes ----------------------------------------------------------------------------------


def add_note(actor: Actor, case_id: uuid.UUID, *, text: str, confidentiality: str) -> Note:
    """Write a note (a journal entry: it is never changed afterwards)."""
    case = load_case(case_id, actor, WRITE)
    note = Note(
        case_id=case.id,
        text=_text(text, "text", max_length=NOTE_MAX),
        confidentiality=code(confidentiality, "confidentiality", CONFIDENTIALITY),
        created_by_user_id=actor.id,
    )
    db_session().add(note)
    db_session().flush()
    audit_case(case, "create", WRITE)
    return note


_text = text  # `add_note` has a parameter named `text`


def notes(actor: Actor, case_id: uuid.UUID) -> list[Note]:
    """The notes of the case the actor may read (its confidentiality level, or their own),
    newest first."""
    case = load_case(case_id, actor, READ)
    visible = note_visibility(actor, case)
    if actor.id is not None:
        visible = or_(visible, Note.created_by_user_id == actor.id)
    rows = list(
        db_session().scalars(
            select(Note).where(Note.case_id == case.id, visible).order_by(Note.created_at.desc())
        )
    )
    audit_case(case, "read", READ)
    return rows


# -- documents ------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(module_settings("casemanagement").max_upload_mb) * 1024 * 1024


def _safe_filename(name: str, content_type: str) -> str:
    """The name without control characters (it ends up in a download's header)."""
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    if cleaned.strip(". "):
        return cleaned[:200]
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    return f"document.{extension.get(content_type, 'bin')}"


def _store(case: Case, filename: str, content: bytes, **fields: Any) -> Document:
    try:
        checked = check_upload(filename, content, max_bytes=max_upload_bytes())
    except UploadRefused as refused:
        raise Refused(str(refused), "file") from None
    key = file_store().put(content)
    document = Document(
        case_id=case.id,
        filename=_safe_filename(checked.filename, checked.content_type),
        content_type=checked.content_type,
        size=checked.size,
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
        **fields,
    )
    session = db_session()
    session.add(document)
    try:
        session.flush()
    except Exception:
        file_store().delete(key)
        raise
    return document


def upload_document(
    actor: Actor,
    case_id: uuid.UUID,
    *,
    filename: str,
    content: bytes,
    description: str = "",
    shared_with_resident: bool = False,
) -> Document:
    """Store an uploaded document. Refused (field "file") for an empty or too large file
    or content that is not an allowed document type, whatever its name says."""
    case = load_case(case_id, actor, WRITE)
    cleaned = text(description, "description", max_length=DESCRIPTION_MAX, required=False)
    document = _store(
        case,
        filename,
        content,
        description=cleaned,
        shared_with_resident=bool(shared_with_resident),
        uploaded_by_user_id=actor.id,
    )
    audit_case(case, "create", WRITE)
    return document


def resident_upload_document(case: Case, person: Any, *, filename: str, content: bytes) -> Document:
    """A resident's upload (from the portal): shared with the family, signed by the person."""
    document = _store(
        case,
        filename,
        content,
        shared_with_resident=True,
        uploaded_by_person_id=person.id,
    )
    audit_case(case, "create", RESIDENT_WRITE)
    return document


def _document(document_id: uuid.UUID) -> Document:
    document = db_session().get(Document, document_id)
    if document is None:
        raise NotFound(DOCUMENT_GONE, "document_id")
    return document


def _visible_document(
    actor: Actor, document_id: uuid.UUID, permission: str
) -> tuple[Document, Case]:
    document = _document(document_id)
    try:
        case = load_case(document.case_id, actor, permission)
    except NotFound:
        raise NotFound(DOCUMENT_GONE, "document_id") from None
    return document, case


def set_document_shared(actor: Actor, document_id: uuid.UUID, shared: bool) -> Document:
    """Share a document with the resident, or stop sharing it."""
    document, case = _visible_document(actor, document_id, WRITE)
    document.shared_with_resident = bool(shared)
    db_session().flush()
    audit_case(case, "update", WRITE)
    return document


def documents(actor: Actor, case_id: uuid.UUID) -> list[Document]:
    """The case's documents, newest first."""
    case = load_case(case_id, actor, READ)
    rows = list(
        db_session().scalars(
            select(Document)
            .where(Document.case_id == case.id)
            .order_by(Document.uploaded_at.desc(), Document.filename)
        )
    )
    audit_case(case, "read", READ)
    return rows


def resident_documents(case: Case) -> list[Document]:
    """The documents shared with the resident (their own uploads included), newest first."""
    rows = list(
        db_session().scalars(
            select(Document)
            .where(Document.case_id == case.id, Document.shared_with_resident.is_(True))
            .order_by(Document.uploaded_at.desc(), Document.filename)
        )
    )
    audit_case(case, "read", RESIDENT_READ)
    return rows


def _content(document: Document) -> bytes:
    try:
        return file_store().get(document.storage_key)
    except KeyError:
        raise NotFound(
            "De inhoud van dit document is niet meer beschikbaar.", "document_id"
        ) from None


def open_document(actor: Actor, document_id: uuid.UUID) -> tuple[Document, bytes]:
    """A document and its content for download; NotFound when the actor may not see its
    case. Audited as a download."""
    document, case = _visible_document(actor, document_id, READ)
    content = _content(document)
    audit_case(case, "download", READ)
    return document, content


def open_resident_document(document_id: uuid.UUID) -> tuple[Document, bytes]:
    """A document a resident may download; NotFound unless it is shared with residents."""
    document = _document(document_id)
    if not document.shared_with_resident:
        raise NotFound(DOCUMENT_GONE, "document_id")
    case = db_session().get(Case, document.case_id)
    content = _content(document)
    if case is not None:
        audit_case(case, "download", RESIDENT_READ)
    return document, content


# -- appointment requests ---------------------------------------------------------------------


def request_appointment(
    case: Case, person: Any, *, subject: str, channel: str, preferred_moments: str
) -> AppointmentRequest:
    """A resident asks for an appointment (from the portal); it shows on the case's contact
    page until the case manager marks it scheduled or closed."""
    request = AppointmentRequest(
        case_id=case.id,
        person_id=person.id,
        subject=text(subject, "subject", max_length=SUBJECT_MAX),
        channel=code(channel, "channel", CHANNELS),
        preferred_moments=text(
            preferred_moments, "preferred_moments", max_length=PREFERRED_MAX, required=False
        ),
        status="open",
    )
    db_session().add(request)
    db_session().flush()
    audit_case(case, "create", RESIDENT_WRITE)
    return request


def appointment_requests(case: Case) -> list[AppointmentRequest]:
    """The case's appointment requests, newest first (no authorisation, no audit: callers
    load the case for their actor and record their own read)."""
    return appointment_requests_of([case])[case.id]


def appointment_requests_of(cases: Sequence[Case]) -> dict[uuid.UUID, list[AppointmentRequest]]:
    """`appointment_requests` of each case, in one query."""
    found: dict[uuid.UUID, list[AppointmentRequest]] = {case.id: [] for case in cases}
    if found:
        for request in db_session().scalars(
            select(AppointmentRequest)
            .where(AppointmentRequest.case_id.in_(list(found)))
            .order_by(AppointmentRequest.created_at.desc(), AppointmentRequest.id)
        ):
            found[request.case_id].append(request)
    return found


def handle_appointment(actor: Actor, request_id: uuid.UUID, status: str) -> AppointmentRequest:
    """The case manager marks a request scheduled or closed."""
    request = db_session().get(AppointmentRequest, request_id)
    if request is None:
        raise NotFound(
            "Dit afspraakverzoek bestaat niet of is niet voor u zichtbaar.", "request_id"
        )
    try:
        case = load_case(request.case_id, actor, WRITE)
    except NotFound:
        raise NotFound(
            "Dit afspraakverzoek bestaat niet of is niet voor u zichtbaar.", "request_id"
        ) from None
    request.status = code(status, "status", {s: APPOINTMENT_STATUSES[s] for s in HANDLED_STATUSES})
    request.handled_by_user_id = actor.id
    request.handled_at = utcnow()
    db_session().flush()
    audit_case(case, "update", WRITE)
    return request


__all__ = [
    "add_contact_moment",
    "add_note",
    "appointment_requests",
    "contact_moments",
    "documents",
    "handle_appointment",
    "max_upload_bytes",
    "notes",
    "open_document",
    "open_resident_document",
    "request_appointment",
    "resident_contact_moments",
    "resident_documents",
    "resident_upload_document",
    "set_document_shared",
    "upload_document",
]
