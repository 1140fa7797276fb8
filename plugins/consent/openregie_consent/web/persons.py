"""A person's consents: the current ones and the full history, the form to record a new
statement (give, refuse, request) and to withdraw one, and the evidence download."""

from __future__ import annotations

import io
import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from openregie_consent.models import OBTAINED, ConsentRecord
from openregie_consent.services import records
from openregie_consent.services.common import MANAGE, MODULE, READ, purposes
from openregie_consent.web import blueprint
from openregie_consent.web.common import (
    OBTAINED_LABELS,
    STATUS_LABELS,
    local,
    parse_recipient,
    recipients,
    speakers_for,
    start_of,
    visible_person,
)
from openregie_sdk import audit, authorize, current_actor, db_session, requires
from openregie_sdk.capabilities.consent import ConsentError, NotFound
from openregie_sdk.db import utcnow
from openregie_sdk.files import file_store

OUTCOMES = (
    ("given", _l("Toestemming gegeven")),
    ("refused", _l("Toestemming geweigerd")),
    ("requested", _l("Toestemming gevraagd (nog geen antwoord)")),
)


class RecordForm(FlaskForm):
    purpose = SelectField(_l("Doel"), validate_choice=False)
    recipient = SelectField(_l("Ontvanger"), validate_choice=False)
    status = SelectField(_l("Uitkomst"), validate_choice=False)
    given_by = SelectMultipleField(
        _l("Gegeven door"),
        description=_l(
            "Onder 12 jaar: ouder of voogd met gezag. 12 tot 16 jaar: het kind én een ouder of "
            "voogd. Vanaf 16 jaar: de persoon zelf."
        ),
        validate_choice=False,
    )
    obtained = SelectField(_l("Hoe verkregen"), validate_choice=False)
    valid_from = DateField(_l("Geldig vanaf"), validators=[Optional()])
    valid_until = DateField(
        _l("Geldig tot"),
        description=_l("Leeg: een jaar na de ingangsdatum."),
        validators=[Optional()],
    )
    note = TextAreaField(_l("Toelichting"), validators=[Length(max=2000)])
    evidence = FileField(_l("Bewijsstuk (optioneel)"))


class WithdrawForm(FlaskForm):
    given_by = SelectMultipleField(_l("Ingetrokken door"), validate_choice=False)
    obtained = SelectField(_l("Hoe verkregen"), validate_choice=False)
    note = TextAreaField(_l("Toelichting"), validators=[Length(max=2000)])


def _fill(form: Any, person: Any) -> None:
    form.given_by.choices = speakers_for(person)
    form.obtained.choices = [
        (code, _(OBTAINED_LABELS[code])) for code in OBTAINED if code != "portal"
    ]
    if isinstance(form, RecordForm):
        form.status.choices = [(code, str(label)) for code, label in OUTCOMES]
        form.purpose.choices = [(p.code, p.label) for p in purposes()]
        form.recipient.choices = recipients()


def _page(
    person: Any, form: RecordForm | None = None, status: int = 200, problem: str | None = None
) -> Any:
    history = records.records_of(person.id, history=True)
    if history:
        audit.record("read", READ, "person", [person.id], module=MODULE)
    now = utcnow()
    current = [r for r, latest in history if latest]
    may_manage = authorize(MANAGE)
    if may_manage:
        form = form or RecordForm(formdata=None)
        _fill(form, person)
    withdraw = WithdrawForm(formdata=None)
    _fill(withdraw, person)
    return (
        render_template(
            "consent/person.html",
            person=person,
            current=current,
            history=[r for r, _latest in history],
            in_force={r.id for r in current if records.grants_at(r, now)},
            labels={p.code: p.label for p in purposes()},
            statuses=STATUS_LABELS,
            obtained=OBTAINED_LABELS,
            local=local,
            form=form if may_manage else None,
            withdraw=withdraw if may_manage else None,
            problem=problem,
        ),
        status,
    )


@blueprint.get("/personen/<uuid:person_id>", endpoint="person")
@requires(READ)
def person_page(person_id: uuid.UUID) -> Any:
    return _page(visible_person(person_id))


def _refused(person: Any, form: Any, error: ConsentError) -> Any:
    db_session().rollback()
    name = {
        "given_by_person_ids": "given_by",
        "recipient_id": "recipient",
        "recipient_kind": "recipient",
    }.get(error.field, error.field)
    field = getattr(form, name, None)
    if field is None:
        return _page(person, form if isinstance(form, RecordForm) else None, 400, str(error))
    field.errors = [*list(field.errors or []), str(error)]
    if isinstance(form, RecordForm):
        return _page(person, form, 400)
    return _page(person, None, 400, str(error))


@blueprint.post("/personen/<uuid:person_id>", endpoint="record")
@requires(MANAGE)
def record_consent(person_id: uuid.UUID) -> Any:
    person = visible_person(person_id)
    form = RecordForm()
    _fill(form, person)
    if not form.validate_on_submit():
        problem = (
            _("Het formulier is verlopen; probeer het opnieuw.")
            if "csrf_token" in form.errors
            else None
        )
        return _page(person, form, 400, problem)
    recipient = parse_recipient(form.recipient.data or "")
    if recipient is None:
        form.recipient.errors = [_("Kies een ontvanger.")]
        return _page(person, form, 400)
    upload = form.evidence.data
    evidence = (upload.filename or "", upload.read()) if upload and upload.filename else None
    try:
        speakers = [uuid.UUID(v) for v in form.given_by.data or []]
    except ValueError:
        form.given_by.errors = [_("Kies uit de lijst.")]
        return _page(person, form, 400)
    try:
        records.record(
            person.id,
            purpose=form.purpose.data or "",
            recipient_id=recipient[1],
            recipient_kind=recipient[0],
            status=form.status.data or "",
            given_by_person_ids=speakers,
            obtained=form.obtained.data or None,
            valid_from=start_of(form.valid_from.data) if form.valid_from.data else None,
            valid_until=start_of(form.valid_until.data) if form.valid_until.data else None,
            note=form.note.data or "",
            evidence=evidence,
            recorded_by_user_id=current_actor().id,
        )
    except ConsentError as error:
        return _refused(person, form, error)
    db_session().commit()
    flash(_("De toestemming is vastgelegd."))
    return redirect(url_for("consent.person", person_id=person.id), 303)


@blueprint.post("/personen/<uuid:person_id>/<uuid:consent_id>/intrekken", endpoint="withdraw")
@requires(MANAGE)
def withdraw_consent(person_id: uuid.UUID, consent_id: uuid.UUID) -> Any:
    person = visible_person(person_id)
    form = WithdrawForm()
    _fill(form, person)
    if not form.validate_on_submit():
        return _page(person, None, 400, _("Het formulier is verlopen; probeer het opnieuw."))
    try:
        consent = records.find_record(consent_id)
        if consent.subject_id != person.id:
            raise NotFound("Deze toestemming bestaat niet.", "consent_id")
        speakers = [uuid.UUID(v) for v in form.given_by.data or []]
        records.record(
            person.id,
            purpose=consent.purpose,
            recipient_id=consent.recipient_id,
            recipient_kind=consent.recipient_kind,
            recipient_name_given=consent.recipient_name,
            status="withdrawn",
            given_by_person_ids=speakers,
            obtained=form.obtained.data or None,
            data_categories=consent.data_categories,
            note=form.note.data or "",
            recorded_by_user_id=current_actor().id,
        )
    except ValueError:
        return _page(person, None, 400, _("Kies uit de lijst."))
    except ConsentError as error:
        return _refused(person, form, error)
    db_session().commit()
    flash(_("De toestemming is ingetrokken; delen stopt direct."))
    return redirect(url_for("consent.person", person_id=person.id), 303)


@blueprint.get("/personen/<uuid:person_id>/<uuid:consent_id>/bewijs", endpoint="evidence")
@requires(READ)
def evidence(person_id: uuid.UUID, consent_id: uuid.UUID) -> Any:
    """The evidence document of a consent, as an attachment (audited as a read)."""
    person = visible_person(person_id)
    consent = db_session().get(ConsentRecord, consent_id)
    if consent is None or consent.subject_id != person.id or not consent.evidence_key:
        abort(404)
    audit.record("read", READ, "person", [person.id], module=MODULE)
    response = send_file(
        io.BytesIO(file_store().get(consent.evidence_key)),
        mimetype=consent.evidence_content_type or "application/octet-stream",
        as_attachment=True,
        download_name=consent.evidence_filename or "bewijs",
        max_age=0,
        conditional=False,
        etag=False,
        last_modified=None,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
