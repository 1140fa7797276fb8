"""API operations for a case's contact moments, notes, documents and appointment requests.

Reads need `casemanagement.case.read`, writes `casemanagement.case.write`; a case or item
the caller may not see is a 404. Every read and write is audited per data subject (in the
services). Uploads are `multipart/form-data` with the file in `file`; its type is decided
by its content, not its name or declared type."""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus
from typing import Annotated, Any, Literal

from flask_openapi3 import FileStorage
from flask_openapi3.request import validate_request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from openregie_casemanagement.access import READ, WRITE, load_case
from openregie_casemanagement.api import blueprint, fail
from openregie_casemanagement.api.common import CasePath, InModel, OutModel
from openregie_casemanagement.models import AppointmentRequest, ContactMoment, Document, Note
from openregie_casemanagement.services import records
from openregie_casemanagement.services.common import audit_case
from openregie_casemanagement.web.common import document_download
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.api import ErrorOut, ValidationErrorOut
from openregie_sdk.capabilities.casemanagement import CaseManagementError, NotFound
from openregie_sdk.files import DOCUMENT_TYPES

Channel = Literal["home_visit", "office", "phone", "video", "message"]
Confidentiality = Literal["case_manager", "case_team", "all_involved"]


# -- paths ------------------------------------------------------------------------------------


class DocumentPath(BaseModel):
    document_id: uuid.UUID


class AppointmentPath(BaseModel):
    request_id: uuid.UUID


# -- contact moments --------------------------------------------------------------------------


class ContactMomentIn(InModel):
    occurred_at: dt.datetime = Field(
        description="When it happened, with a time zone offset; at most a day ahead."
    )
    channel: Channel
    participants: Annotated[str, StringConstraints(max_length=records.PARTICIPANTS_MAX)] = ""
    summary: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=records.SUMMARY_MAX)
    ]
    visible_to_resident: bool = False


class ContactMomentOut(OutModel):
    id: uuid.UUID
    case_id: uuid.UUID
    occurred_at: dt.datetime
    channel: str
    participants: str
    summary: str
    visible_to_resident: bool
    created_by_user_id: uuid.UUID | None
    created_at: dt.datetime


class ContactMomentList(OutModel):
    items: list[ContactMomentOut]


@blueprint.get(
    "/cases/<uuid:case_id>/contact-moments",
    responses={200: ContactMomentList, 404: ErrorOut},
)
@requires(READ)
@validate_request()
def list_contact_moments(path: CasePath) -> Any:
    """List a case's contact moments

    Newest first. Audited as a read of the case's persons.
    """
    try:
        rows = records.contact_moments(current_actor(), path.case_id)
    except CaseManagementError as error:
        fail(error)
    return ContactMomentList(items=[ContactMomentOut.model_validate(r) for r in rows]).model_dump(
        mode="json"
    )


@blueprint.post(
    "/cases/<uuid:case_id>/contact-moments",
    responses={201: ContactMomentOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def add_contact_moment(path: CasePath, body: ContactMomentIn) -> Any:
    """Record a contact moment"""
    try:
        moment: ContactMoment = records.add_contact_moment(
            current_actor(),
            path.case_id,
            occurred_at=body.occurred_at,
            channel=body.channel,
            participants=body.participants,
            summary=body.summary,
            visible_to_resident=body.visible_to_resident,
        )
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return ContactMomentOut.model_validate(moment).model_dump(mode="json"), HTTPStatus.CREATED


# -- notes --------------------------------------------------------------------------------------


class NoteIn(InModel):
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=records.NOTE_MAX)
    ]
    confidentiality: Confidentiality = Field(
        description="Who may read it: the case manager (and team lead), the case's team, "
        "or everyone involved."
    )


class NoteOut(OutModel):
    id: uuid.UUID
    case_id: uuid.UUID
    text: str
    confidentiality: str
    created_by_user_id: uuid.UUID | None
    created_at: dt.datetime


class NoteList(OutModel):
    items: list[NoteOut]


@blueprint.get("/cases/<uuid:case_id>/notes", responses={200: NoteList, 404: ErrorOut})
@requires(READ)
@validate_request()
def list_notes(path: CasePath) -> Any:
    """List the notes of a case the caller may read

    Filtered by each note's confidentiality level; newest first.
    """
    try:
        rows = records.notes(current_actor(), path.case_id)
    except CaseManagementError as error:
        fail(error)
    return NoteList(items=[NoteOut.model_validate(r) for r in rows]).model_dump(mode="json")


@blueprint.post(
    "/cases/<uuid:case_id>/notes",
    responses={201: NoteOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def add_note(path: CasePath, body: NoteIn) -> Any:
    """Write a note

    Notes are a journal: they cannot be changed or deleted afterwards.
    """
    try:
        note: Note = records.add_note(
            current_actor(), path.case_id, text=body.text, confidentiality=body.confidentiality
        )
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return NoteOut.model_validate(note).model_dump(mode="json"), HTTPStatus.CREATED


# -- documents ----------------------------------------------------------------------------------


class DocumentUpload(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)

    file: FileStorage
    description: Annotated[str, StringConstraints(max_length=records.DESCRIPTION_MAX)] = ""
    shared_with_resident: bool = False


class DocumentOut(OutModel):
    id: uuid.UUID
    case_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    description: str
    shared_with_resident: bool
    uploaded_by_user_id: uuid.UUID | None
    uploaded_by_person_id: uuid.UUID | None
    uploaded_at: dt.datetime


class DocumentList(OutModel):
    items: list[DocumentOut]


class DocumentChange(InModel):
    shared_with_resident: bool


@blueprint.get("/cases/<uuid:case_id>/documents", responses={200: DocumentList, 404: ErrorOut})
@requires(READ)
@validate_request()
def list_documents(path: CasePath) -> Any:
    """List a case's documents"""
    try:
        rows = records.documents(current_actor(), path.case_id)
    except CaseManagementError as error:
        fail(error)
    return DocumentList(items=[DocumentOut.model_validate(r) for r in rows]).model_dump(mode="json")


@blueprint.post(
    "/cases/<uuid:case_id>/documents",
    responses={201: DocumentOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def upload_document(path: CasePath, form: DocumentUpload) -> Any:
    """Upload a document

    `multipart/form-data` with the file in `file`. Refused (400, field `file`) when it is
    empty, larger than the configured maximum, or its content is not a PDF, JPEG, PNG,
    Word or OpenDocument text — whatever its name or declared type say.
    """
    name = form.file.filename or ""
    try:
        document: Document = records.upload_document(
            current_actor(),
            path.case_id,
            filename=name,
            content=form.file.read(),
            description=form.description,
            shared_with_resident=form.shared_with_resident,
        )
    except CaseManagementError as error:
        if error.field == "file" and name:
            error = type(error)(f"{name}: {error}", error.field)
        fail(error)
    db_session().commit()
    return DocumentOut.model_validate(document).model_dump(mode="json"), HTTPStatus.CREATED


@blueprint.patch(
    "/documents/<uuid:document_id>",
    responses={200: DocumentOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def change_document(path: DocumentPath, body: DocumentChange) -> Any:
    """Share a document with the resident, or stop sharing it"""
    try:
        document = records.set_document_shared(
            current_actor(), path.document_id, body.shared_with_resident
        )
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return DocumentOut.model_validate(document).model_dump(mode="json")


DOCUMENT_CONTENT = {
    "description": "The document's content as an attachment, with its stored type.",
    "content": {
        content_type: {"schema": {"type": "string", "format": "binary"}}
        for content_type in DOCUMENT_TYPES
    },
}


@blueprint.get(
    "/documents/<uuid:document_id>/content",
    responses={200: DOCUMENT_CONTENT, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(READ)
@validate_request()
def download_document(path: DocumentPath) -> Any:
    """Download a document's content

    Sent as an attachment with its stored type (decided at upload by the content).
    Audited as a download. 404 when the caller may not see the document's case.
    """
    try:
        document, content = records.open_document(current_actor(), path.document_id)
    except CaseManagementError as error:
        fail(error)
    return document_download(document, content)


# -- appointment requests -----------------------------------------------------------------------


class AppointmentRequestOut(OutModel):
    id: uuid.UUID
    case_id: uuid.UUID
    person_id: uuid.UUID
    subject: str
    channel: str
    preferred_moments: str
    status: str
    created_at: dt.datetime
    handled_by_user_id: uuid.UUID | None
    handled_at: dt.datetime | None


class AppointmentRequestList(OutModel):
    items: list[AppointmentRequestOut]


class AppointmentHandling(InModel):
    status: Literal["scheduled", "closed"]


@blueprint.get(
    "/cases/<uuid:case_id>/appointment-requests",
    responses={200: AppointmentRequestList, 404: ErrorOut},
)
@requires(READ)
@validate_request()
def list_appointment_requests(path: CasePath) -> Any:
    """List a case's appointment requests from residents

    Newest first, all statuses.
    """
    try:
        case = load_case(path.case_id, current_actor(), READ)
    except NotFound as error:
        fail(error)
    rows: list[AppointmentRequest] = records.appointment_requests(case)
    audit_case(case, "read", READ)
    return AppointmentRequestList(
        items=[AppointmentRequestOut.model_validate(r) for r in rows]
    ).model_dump(mode="json")


@blueprint.patch(
    "/appointment-requests/<uuid:request_id>",
    responses={200: AppointmentRequestOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def handle_appointment_request(path: AppointmentPath, body: AppointmentHandling) -> Any:
    """Mark an appointment request scheduled or closed"""
    try:
        handled = records.handle_appointment(current_actor(), path.request_id, body.status)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return AppointmentRequestOut.model_validate(handled).model_dump(mode="json")
