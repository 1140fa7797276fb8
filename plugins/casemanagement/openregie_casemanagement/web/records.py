"""The case pages for contact moments (with the residents' appointment requests), notes and
documents. Reading a page needs `casemanagement.case.read`; adding, sharing and handling
need `casemanagement.case.write` (declared on their own POST endpoints); the services check
the actor's relation to the case and record the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from openregie_casemanagement.access import READ, WRITE
from openregie_casemanagement.codes import (
    APPOINTMENT_STATUSES,
    CHANNELS,
    CONFIDENTIALITY,
)
from openregie_casemanagement.models import Case, Document
from openregie_casemanagement.services import records
from openregie_casemanagement.web import blueprint
from openregie_casemanagement.web.common import (
    LOCAL_ZONE,
    case_for_page,
    choices,
    document_download,
    local_time,
    render_case_page,
)
from openregie_casemanagement.web.errors import not_found
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.capabilities.casemanagement import CaseManagementError, NotFound
from openregie_sdk.files import DOCUMENT_TYPES
from openregie_sdk.registry import Person
from openregie_sdk.users import users


def lines(value: str | None) -> Markup:
    """Text with its line breaks kept (escaped, lines joined by <br>)."""
    return Markup("<br>\n").join(escape(line) for line in (value or "").splitlines())


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size // 1024} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


class ContactForm(FlaskForm):
    occurred_at = DateTimeLocalField(
        _l("Datum en tijd"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        validators=[InputRequired(_l("Vul een datum en tijd in."))],
    )
    channel = SelectField(_l("Kanaal"), choices=[])
    participants = StringField(
        _l("Deelnemers"),
        description=_l("Wie waren erbij, bijvoorbeeld: Anna Jansen, casusregisseur."),
        validators=[Optional(), Length(max=records.PARTICIPANTS_MAX)],
    )
    summary = TextAreaField(
        _l("Samenvatting"),
        validators=[InputRequired(_l("Vul dit in.")), Length(max=records.SUMMARY_MAX)],
    )
    visible_to_resident = BooleanField(_l("Zichtbaar voor de inwoner"))


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Notitie"),
        description=_l("Een notitie kan na opslaan niet meer worden gewijzigd."),
        validators=[InputRequired(_l("Vul dit in.")), Length(max=records.NOTE_MAX)],
    )
    confidentiality = SelectField(_l("Wie mag deze notitie lezen"), choices=[])


class DocumentForm(FlaskForm):
    file = FileField(
        _l("Bestand"),
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt"},
    )
    description = StringField(
        _l("Omschrijving"), validators=[Optional(), Length(max=records.DESCRIPTION_MAX)]
    )
    shared_with_resident = BooleanField(_l("Delen met de inwoner"))


class EmptyForm(FlaskForm):
    """Only the CSRF token (share toggles, appointment buttons)."""


def _contact_form() -> ContactForm:
    form = ContactForm()
    form.channel.choices = choices(CHANNELS)
    if not form.is_submitted():
        form.occurred_at.data = dt.datetime.now(LOCAL_ZONE).replace(
            second=0, microsecond=0, tzinfo=None
        )
    return form


def _note_form() -> NoteForm:
    form = NoteForm()
    form.confidentiality.choices = choices(CONFIDENTIALITY)
    if not form.is_submitted():
        form.confidentiality.data = "case_team"
    return form


def _names(ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    return {i: u.display_name for i, u in users(wanted).items()} if wanted else {}


def _refuse_on(form: FlaskForm, error: CaseManagementError) -> None:
    """Put a service's refusal on the field it names (else on the form)."""
    db_session().rollback()
    if isinstance(error, NotFound):
        not_found(error)
    field = getattr(form, error.field, None)
    if field is None:
        form.form_errors.append(str(error))
    else:
        field.errors = [*field.errors, str(error)]


# -- contact moments and appointment requests -------------------------------------------------


def _contacts(case: Case, form: ContactForm, status: int = 200) -> Any:
    actor = current_actor()
    moments = records.contact_moments(actor, case.id)
    requests = [r for r in records.appointment_requests(case) if r.status == "open"]
    persons = (
        {
            p.id: p.full_name
            for p in db_session().scalars(
                select(Person).where(Person.id.in_({r.person_id for r in requests}))
            )
        }
        if requests
        else {}
    )
    return (
        render_case_page(
            "casemanagement/contacts.html",
            case,
            tab="contacts",
            moments=moments,
            requests=requests,
            persons=persons,
            names=_names(m.created_by_user_id for m in moments),
            channels=CHANNELS,
            statuses=APPOINTMENT_STATUSES,
            form=form,
            button=EmptyForm(),
            when=local_time,
            lines=lines,
        ),
        status,
    )


@blueprint.get("/<uuid:case_id>/contacten")
@requires(READ)
def contacts_page(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id)
    return _contacts(case, _contact_form())


@blueprint.post("/<uuid:case_id>/contacten")
@requires(WRITE)
def add_contact(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = _contact_form()
    if form.validate_on_submit():
        try:
            records.add_contact_moment(
                current_actor(),
                case.id,
                occurred_at=form.occurred_at.data.replace(tzinfo=LOCAL_ZONE),
                channel=form.channel.data or "",
                participants=form.participants.data or "",
                summary=form.summary.data or "",
                visible_to_resident=bool(form.visible_to_resident.data),
            )
        except CaseManagementError as error:
            _refuse_on(form, error)
            case = case_for_page(case_id)
        else:
            db_session().commit()
            flash(_("Het contactmoment is vastgelegd."))
            return redirect(url_for("casemanagement.contacts_page", case_id=case.id), 303)
    return _contacts(case, form, 400)


@blueprint.post("/<uuid:case_id>/afspraakverzoeken/<uuid:request_id>")
@requires(WRITE)
def handle_appointment_request(case_id: uuid.UUID, request_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    request_row = next((r for r in records.appointment_requests(case) if r.id == request_id), None)
    if request_row is None:
        abort(404)
    status = request.form.get("status", "")
    try:
        records.handle_appointment(current_actor(), request_id, status)
    except CaseManagementError as error:
        db_session().rollback()
        if isinstance(error, NotFound):
            abort(404)
        abort(400)
    db_session().commit()
    flash(
        _(
            "Het afspraakverzoek is gemarkeerd als %(status)s.",
            status=_(APPOINTMENT_STATUSES[status]).lower(),
        )
    )
    return redirect(url_for("casemanagement.contacts_page", case_id=case.id), 303)


# -- notes -----------------------------------------------------------------------------------


def _notes(case: Case, form: NoteForm, status: int = 200) -> Any:
    listed = records.notes(current_actor(), case.id)
    return (
        render_case_page(
            "casemanagement/notes.html",
            case,
            tab="notes",
            notes=listed,
            names=_names(n.created_by_user_id for n in listed),
            levels=CONFIDENTIALITY,
            form=form,
            when=local_time,
            lines=lines,
        ),
        status,
    )


@blueprint.get("/<uuid:case_id>/notities")
@requires(READ)
def notes_page(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id)
    return _notes(case, _note_form())


@blueprint.post("/<uuid:case_id>/notities")
@requires(WRITE)
def add_note(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = _note_form()
    if form.validate_on_submit():
        try:
            records.add_note(
                current_actor(),
                case.id,
                text=form.text.data or "",
                confidentiality=form.confidentiality.data or "",
            )
        except CaseManagementError as error:
            _refuse_on(form, error)
            case = case_for_page(case_id)
        else:
            db_session().commit()
            flash(_("De notitie is opgeslagen."))
            return redirect(url_for("casemanagement.notes_page", case_id=case.id), 303)
    return _notes(case, form, 400)


# -- documents -------------------------------------------------------------------------------


def _documents(case: Case, form: DocumentForm, status: int = 200) -> Any:
    listed = records.documents(current_actor(), case.id)
    uploader_persons = {d.uploaded_by_person_id for d in listed if d.uploaded_by_person_id}
    persons = (
        {
            p.id: p.full_name
            for p in db_session().scalars(select(Person).where(Person.id.in_(uploader_persons)))
        }
        if uploader_persons
        else {}
    )
    form.file.description = _(
        "Toegestaan: %(types)s; hoogstens %(mb)s MB. Het soort bestand wordt bepaald aan de "
        "inhoud, niet aan de naam.",
        types=", ".join(_(label) for label in dict.fromkeys(DOCUMENT_TYPES.values())),
        mb=records.max_upload_bytes() // (1024 * 1024),
    )
    return (
        render_case_page(
            "casemanagement/documents.html",
            case,
            tab="documents",
            documents=listed,
            names=_names(d.uploaded_by_user_id for d in listed),
            persons=persons,
            types=DOCUMENT_TYPES,
            form=form,
            button=EmptyForm(),
            when=local_time,
            lines=lines,
            size=file_size,
        ),
        status,
    )


@blueprint.get("/<uuid:case_id>/documenten")
@requires(READ)
def documents_page(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id)
    return _documents(case, DocumentForm())


@blueprint.post("/<uuid:case_id>/documenten")
@requires(WRITE)
def upload_document(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [_("Kies een bestand.")]
        else:
            try:
                document = records.upload_document(
                    current_actor(),
                    case.id,
                    filename=upload.filename or "",
                    content=upload.read(),
                    description=form.description.data or "",
                    shared_with_resident=bool(form.shared_with_resident.data),
                )
            except CaseManagementError as error:
                if error.field == "file":
                    error = type(error)(f"{upload.filename}: {error}", error.field)
                _refuse_on(form, error)
                case = case_for_page(case_id)
            else:
                db_session().commit()
                flash(_("Het document %(name)s is opgeslagen.", name=document.filename))
                return redirect(url_for("casemanagement.documents_page", case_id=case.id), 303)
    return _documents(case, form, 400)


@blueprint.post("/<uuid:case_id>/documenten/<uuid:document_id>/delen")
@requires(WRITE)
def share_document(case_id: uuid.UUID, document_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    shared = request.form.get("shared") == "1"
    try:
        document, _content = _case_document(case, document_id, open_content=False)
        records.set_document_shared(current_actor(), document.id, shared)
    except NotFound:
        not_found()
    db_session().commit()
    if shared:
        flash(_("Het document %(name)s is gedeeld met de inwoner.", name=document.filename))
    else:
        flash(
            _("Het document %(name)s is niet meer gedeeld met de inwoner.", name=document.filename)
        )
    return redirect(url_for("casemanagement.documents_page", case_id=case.id), 303)


def _case_document(case: Case, document_id: uuid.UUID, *, open_content: bool) -> Any:
    """The document if it belongs to `case` (NotFound otherwise), with its content."""
    document = db_session().get(Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound(records.DOCUMENT_GONE, "document_id")
    if open_content:
        return records.open_document(current_actor(), document_id)
    return document, None


@blueprint.get("/<uuid:case_id>/documenten/<uuid:document_id>/bestand")
@requires(READ)
def download_document(case_id: uuid.UUID, document_id: uuid.UUID) -> Any:
    case = case_for_page(case_id)
    try:
        document, content = _case_document(case, document_id, open_content=True)
    except NotFound:
        not_found()
    return document_download(document, content)
