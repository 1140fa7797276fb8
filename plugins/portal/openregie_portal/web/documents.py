"""Documents shared with the resident (download) and uploading one to the case, with the
provider's limits (its refusals name the field)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from openregie_portal.access import (
    Acting,
    acting,
    case_of,
    cases_api,
    resident_page,
    too_many,
)
from openregie_portal.web import blueprint
from openregie_portal.web.forms import UploadForm
from openregie_portal.web.plan import _field_error
from openregie_sdk import db_session, module_settings
from openregie_sdk.capabilities.casemanagement import CaseSummary, NotFound, Refused

MAX_READ = 64 * 1024 * 1024  # never read more than this from one upload into memory


def _render(who: Acting, case: CaseSummary, form: UploadForm, status: int = 200) -> Any:
    return (
        render_template(
            "portal/documents.html",
            who=who,
            case=case,
            documents=cases_api().resident_documents(case.id),
            form=form,
        ),
        status,
    )


@blueprint.get("/casus/<uuid:case_id>/documenten", endpoint="documents")
@resident_page
def documents(case_id: uuid.UUID) -> Any:
    who = acting("care")
    return _render(who, case_of(who, case_id), UploadForm(formdata=None))


@blueprint.get("/casus/<uuid:case_id>/documenten/<uuid:document_id>", endpoint="download")
@resident_page
def download(case_id: uuid.UUID, document_id: uuid.UUID) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    try:
        document, content = cases_api().open_resident_document(document_id)
    except NotFound:
        abort(404)
    if document.case_id != case.id:
        abort(404)
    response = Response(content, mimetype="application/octet-stream")
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/casus/<uuid:case_id>/documenten", endpoint="upload")
@resident_page
def upload(case_id: uuid.UUID) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _render(who, case, form, 400)
    settings = module_settings("portal")
    limit = getattr(settings, "upload_limit", "10 per hour")
    if refused := too_many("portal.upload", limit, str(who.actor.id)):
        return refused
    storage = form.file.data
    content = storage.stream.read(MAX_READ + 1)
    try:
        cases_api().add_resident_document(
            case.id,
            by_person_id=who.person.id,
            filename=storage.filename or "document",
            content=content,
        )
    except Refused as error:
        db_session().rollback()
        _field_error(form, error.field, str(error))
        return _render(who, case, form, 400)
    except NotFound:
        db_session().rollback()
        abort(404)
    db_session().commit()
    flash(_("Uw document is toegevoegd."))
    return redirect(url_for("portal.documents", case_id=case.id), 303)
