"""The professionals' review list of residents' correction proposals: only proposals
about persons the professional may see (the registry's visibility predicate), handled
with a note the resident sees."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from openregie_portal.models import PortalCorrection
from openregie_portal.web import blueprint
from openregie_portal.web.forms import ReviewForm
from openregie_portal.web.privacy import FIELDS, STATES
from openregie_sdk import audit, current_actor, db_session, person_visibility, requires
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Person

REVIEW = "portal.corrections.review"
PAGE_SIZE = 100


def _visible(correction_id: uuid.UUID | None = None) -> Any:
    query = (
        select(PortalCorrection, Person)
        .join(Person, Person.id == PortalCorrection.person_id)
        .where(person_visibility())
    )
    if correction_id is not None:
        query = query.where(PortalCorrection.id == correction_id)
    return query


@blueprint.get("/correcties", endpoint="review")
@requires(REVIEW)
def review() -> Any:
    rows = (
        db_session()
        .execute(
            _visible()
            .where(PortalCorrection.state == "open")
            .order_by(PortalCorrection.created_at)
            .limit(PAGE_SIZE)
        )
        .all()
    )
    audit.record("read", REVIEW, "person", [person.id for _, person in rows])
    return render_template(
        "portal/review.html",
        rows=rows,
        fields=FIELDS,
        states=STATES,
        form=ReviewForm(formdata=None),
    )


@blueprint.post("/correcties/<uuid:correction_id>", endpoint="handle_correction")
@requires(REVIEW)
def handle_correction(correction_id: uuid.UUID) -> Any:
    row = db_session().execute(_visible(correction_id)).first()
    if row is None:
        abort(404)
    correction, person = row
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400, description=_("Het veld state is ongeldig."))
    if correction.state != "open":
        flash(_("Dit voorstel was al afgehandeld."), "error")
        return redirect(url_for("portal.review"), 303)
    correction.state = form.state.data
    correction.handled_note = (form.note.data or "").strip() or None
    correction.handled_at = utcnow()
    correction.handled_by_user_id = current_actor().id
    audit.record("update", REVIEW, "person", [person.id])
    db_session().commit()
    flash(_("Het voorstel is afgehandeld."))
    return redirect(url_for("portal.review"), 303)
