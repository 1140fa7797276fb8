"""Case management's side of consent (present only when a `consent` 1.1 provider is):
the warning before sharing a case with a professional from outside its team without the
residents' consent, the page an involved professional gets when consent is missing, and
the override (doorbreken) that page offers to holders of `consent.override`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from openregie_casemanagement.access import (
    READ,
    case_subject_ids,
    consent_gate,
    consent_provider,
    visible_cases,
)
from openregie_casemanagement.models import Case
from openregie_casemanagement.web import blueprint
from openregie_casemanagement.web.errors import not_found
from openregie_sdk import Actor, authorize, current_actor, db_session, requires
from openregie_sdk.capabilities.consent import ConsentError
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Membership

OVERRIDE = "consent.override"


class OverrideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden van de doorbreking"),
        description=_l("Bijvoorbeeld: zorgen over de veiligheid van een kind. Minstens 10 tekens."),
        validators=[DataRequired(), Length(min=10, max=2000)],
    )
    hours = IntegerField(
        _l("Duur in uren"),
        default=24,
        validators=[DataRequired(), NumberRange(min=1, max=720)],
    )


def _team_members(team_id: uuid.UUID, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    day = utcnow().date()
    ids = list(user_ids)
    if not ids:
        return set()
    return set(
        db_session().scalars(
            select(Membership.user_id).where(
                Membership.team_id == team_id,
                Membership.user_id.in_(ids),
                Membership.start_on <= day,
                (Membership.end_on.is_(None)) | (Membership.end_on > day),
            )
        )
    )


def without_consent(actor: Actor, case: Case, user_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The professionals among `user_ids` from outside the case's team to whom the case's
    residents have not consented (and who hold no override): sharing with them would be
    sharing without consent. Empty without a consent provider."""
    ids = {i for i in user_ids if i is not None}
    if consent_provider() is None or not ids:
        return set()
    missing = set()
    for user_id in ids - _team_members(case.team_id, ids) - {case.case_manager_id}:
        gate = consent_gate(actor, user_id)
        if gate is None:
            return set()
        if db_session().scalar(select(Case.id).where(Case.id == case.id, gate)) is None:
            missing.add(user_id)
    return missing


def _blocked_case(actor: Actor, case_id: uuid.UUID) -> Case | None:
    """The case when the actor would see it but for consent; None otherwise."""
    if consent_provider() is None:
        return None
    return db_session().scalar(
        select(Case).where(Case.id == case_id, visible_cases(actor, READ, consent=False))
    )


def blocked_page(case_id: uuid.UUID, form: OverrideForm | None = None, status: int = 403) -> Any:
    """The answer for a case the actor may not see: 403 with the explanation (and the
    override form) when only consent is missing, else 404 as if absent."""
    actor = current_actor()
    case = _blocked_case(actor, case_id)
    if case is None:
        not_found()
    may_override = authorize(OVERRIDE)
    form = form or (OverrideForm(formdata=None) if may_override else None)
    return (
        render_template(
            "casemanagement/consent_blocked.html",
            case_id=case.id,
            form=form,
            may_override=may_override,
        ),
        status,
    )


@blueprint.post("/<uuid:case_id>/doorbreken", endpoint="consent_override")
@requires(OVERRIDE)
def consent_override(case_id: uuid.UUID) -> Any:
    """Break through missing consent for this case's persons, for a reason and a while;
    the team lead of the case's team reviews it."""
    actor = current_actor()
    case = _blocked_case(actor, case_id)
    if case is None or actor.id is None:
        not_found()
    form = OverrideForm()
    if not form.validate_on_submit():
        return blocked_page(case_id, form, 400)
    try:
        consent_provider().record_override(
            case_subject_ids(case),
            user_id=actor.id,
            reason=form.reason.data or "",
            hours=int(form.hours.data or 0),
            review_team_id=case.team_id,
            context=f"casemanagement case {case.id}",
        )
    except ConsentError as error:
        db_session().rollback()
        field = getattr(form, error.field, None)
        if field is not None:
            field.errors = [*list(field.errors or []), str(error)]
        return blocked_page(case_id, form, 400)
    db_session().commit()
    flash(_("De doorbreking is vastgelegd en wordt door de teamleider beoordeeld."))
    return redirect(url_for("casemanagement.case_detail", case_id=case_id), 303)
