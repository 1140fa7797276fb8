"""The team lead's review list of overrides (doorbrekingen) for their teams, and marking
one reviewed."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import Length

from openregie_consent.services import overrides
from openregie_consent.services.common import MODULE, REVIEW
from openregie_consent.web import blueprint
from openregie_consent.web.common import DUTCH_TIME
from openregie_sdk import audit, current_actor, db_session, requires
from openregie_sdk.capabilities.consent import ConsentError
from openregie_sdk.registry import Person, Team


class ReviewForm(FlaskForm):
    review_note = TextAreaField(_l("Beoordeling (optioneel)"), validators=[Length(max=2000)])


def _page(status: int = 200, problem: str | None = None) -> Any:
    actor = current_actor()
    show_all = request.args.get("alle") == "1"
    rows = overrides.reviewable_by(actor, pending_only=not show_all)
    session = db_session()
    person_ids = {r.subject_id for r in rows}
    names = (
        {
            p.id: p.full_name
            for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))
        }
        if person_ids
        else {}
    )
    team_ids = {r.review_team_id for r in rows if r.review_team_id}
    teams = (
        dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        if team_ids
        else {}
    )
    if rows:
        audit.record("read", REVIEW, "person", person_ids, module=MODULE)
    return (
        render_template(
            "consent/overrides.html",
            events=overrides.events(rows),
            names=names,
            teams=teams,
            show_all=show_all,
            form=ReviewForm(formdata=None),
            problem=problem,
            moment=lambda m: m.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M") if m else "",
        ),
        status,
    )


@blueprint.get("/doorbrekingen", endpoint="review_overrides")
@requires(REVIEW)
def review_overrides() -> Any:
    return _page()


@blueprint.post("/doorbrekingen/<uuid:override_id>/beoordeeld", endpoint="mark_reviewed")
@requires(REVIEW)
def mark_reviewed(override_id: uuid.UUID) -> Any:
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(400, _("Het formulier is verlopen; probeer het opnieuw."))
    try:
        overrides.mark_reviewed(current_actor(), override_id, form.review_note.data or "")
    except ConsentError as error:
        db_session().rollback()
        if error.field == "override_id" and "bestaat niet" in str(error):
            from flask import abort

            abort(404)
        return _page(400, str(error))
    db_session().commit()
    flash(_("De doorbreking is als beoordeeld gemarkeerd."))
    return redirect(url_for("consent.review_overrides"), 303)
