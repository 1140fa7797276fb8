"""The formation norms (formatienormen): the hours a week an organisation promised a team.
The functional admin sets, changes and removes them; the report compares them with the
hours contracted (see engine/formation.py).

Each change is checked here (NormError naming the field, nothing written) and recorded in
the audit log before the caller commits: subject type "formation_norm", the norm's id.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from openregie_reporting.models import FormationNorm
from openregie_sdk import audit, current_actor, db_session
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Organisation, Team

MANAGE = "reporting.norms.manage"
MAX_HOURS = Decimal(168)  # the hours of a week


class NormError(ValueError):
    """One field refused: `field` is the form field, `message` says why (Dutch)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NormErrors(ValueError):
    """Several fields refused at once (a form shows each next to its field)."""

    def __init__(self, errors: list[NormError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def parse_hours(text: str | None) -> Decimal:
    """Hours a week from "18", "18.5" or "18,5": above 0, at most 168, two decimals."""
    raw = (text or "").strip().replace(",", ".")
    if not raw:
        raise NormError("hours", _("Vul het aantal uren per week in."))
    try:
        hours = Decimal(raw)
    except InvalidOperation:
        raise NormError("hours", _("Vul een getal in, bijvoorbeeld 18 of 16,5.")) from None
    if not hours.is_finite():
        raise NormError("hours", _("Vul een getal in, bijvoorbeeld 18 of 16,5."))
    if not Decimal(0) < hours <= MAX_HOURS:
        raise NormError("hours", _("Het aantal uren ligt boven 0 en is hoogstens 168."))
    if hours.as_tuple().exponent < -2:  # type: ignore[operator]
        raise NormError("hours", _("Gebruik hoogstens twee cijfers achter de komma."))
    return hours.quantize(Decimal("0.01"))


def _existing(model: type, raw: str | None, field: str, message: str) -> uuid.UUID:
    try:
        found = db_session().get(model, uuid.UUID(raw or ""))
    except ValueError:
        found = None
    if found is None:
        raise NormError(field, message)
    return found.id


def create_norm(team: str | None, organisation: str | None, hours: str | None) -> FormationNorm:
    """A new norm for the team and organisation (ids as text); one per pair."""
    errors = []
    team_id = organisation_id = None
    try:
        team_id = _existing(Team, team, "team", _("Kies een bestaand team."))
    except NormError as error:
        errors.append(error)
    try:
        organisation_id = _existing(
            Organisation, organisation, "organisation", _("Kies een bestaande organisatie.")
        )
    except NormError as error:
        errors.append(error)
    try:
        parsed = parse_hours(hours)
    except NormError as error:
        errors.append(error)
    if errors:
        raise NormErrors(errors)
    session = db_session()
    taken = session.scalar(
        select(FormationNorm.id).where(
            FormationNorm.team_id == team_id, FormationNorm.organisation_id == organisation_id
        )
    )
    if taken is not None:
        raise NormErrors(
            [
                NormError(
                    "organisation",
                    _("Voor dit team en deze organisatie is al een norm; wijzig die."),
                )
            ]
        )
    norm = FormationNorm(
        id=uuid.uuid4(),
        team_id=team_id,
        organisation_id=organisation_id,
        hours_per_week=parsed,
        set_by=current_actor().display_name,
    )
    session.add(norm)
    session.flush()
    audit.record("create", MANAGE, "formation_norm", [norm.id], module="reporting")
    return norm


def change_norm(norm: FormationNorm, hours: str | None) -> None:
    parsed = parse_hours(hours)
    norm.hours_per_week = parsed
    norm.set_by = current_actor().display_name
    norm.set_at = utcnow()
    audit.record("update", MANAGE, "formation_norm", [norm.id], module="reporting")


def remove_norm(norm: FormationNorm) -> None:
    audit.record("delete", MANAGE, "formation_norm", [norm.id], module="reporting")
    db_session().delete(norm)
