"""What the consent pages share: the visible person, choices and Dutch dates."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import gettext
from sqlalchemy import or_, select

from openregie_consent.models import OBTAINED
from openregie_sdk import db_session, person_visibility
from openregie_sdk.registry import LegalRepresentation, Organisation, Person, Team


def N_(message: str) -> str:
    """Mark a Dutch source string for extraction; it is translated where shown."""
    return message


DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
STATUS_LABELS = {
    "requested": N_("gevraagd"),
    "given": N_("gegeven"),
    "refused": N_("geweigerd"),
    "withdrawn": N_("ingetrokken"),
    "expired": N_("verlopen"),
}
OBTAINED_LABELS = {
    "verbal": N_("mondeling"),
    "written": N_("schriftelijk"),
    "portal": N_("via het portaal"),
}
assert set(OBTAINED_LABELS) == set(OBTAINED)


def visible_person(person_id: uuid.UUID) -> Person:
    """The person if the current actor may see them (core's predicate); 404 otherwise."""
    person = db_session().scalar(select(Person).where(Person.id == person_id, person_visibility()))
    if person is None:
        abort(404)
    return person


def start_of(day: dt.date) -> dt.datetime:
    """The start of `day` in Dutch time, as a moment."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=DUTCH_TIME)


def local(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.astimezone(DUTCH_TIME).strftime("%d-%m-%Y")


def speakers_for(person: Person) -> list[tuple[str, str]]:
    """Who could speak for the person: themselves and anyone representing them now."""
    today = dt.date.today()
    reps = (
        db_session()
        .execute(
            select(Person.id, Person.voornamen, Person.voorvoegsel, Person.geslachtsnaam)
            .join(LegalRepresentation, LegalRepresentation.representative_id == Person.id)
            .where(
                LegalRepresentation.represented_id == person.id,
                LegalRepresentation.start_on <= today,
                or_(LegalRepresentation.end_on.is_(None), LegalRepresentation.end_on > today),
            )
            .order_by(Person.geslachtsnaam, Person.voornamen)
        )
        .all()
    )
    names = [(str(person.id), person.full_name)]
    for pid, first, prefix, last in reps:
        name = " ".join(p for p in (first, prefix, last) if p)
        names.append((str(pid), gettext("%(name)s (vertegenwoordiger)", name=name)))
    return names


def recipients() -> list[tuple[str, str]]:
    """Organisations and teams as choices "organisation:<id>" / "team:<id>"."""
    session = db_session()
    organisations = session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    )
    teams = session.execute(select(Team.id, Team.name).order_by(Team.name))
    return [
        (f"organisation:{i}", gettext("%(name)s (organisatie)", name=n)) for i, n in organisations
    ] + [(f"team:{i}", gettext("%(name)s (team)", name=n)) for i, n in teams]


def parse_recipient(value: str) -> tuple[str, uuid.UUID] | None:
    kind, _, raw = (value or "").partition(":")
    try:
        return (kind, uuid.UUID(raw)) if kind in ("organisation", "team") else None
    except ValueError:
        return None
