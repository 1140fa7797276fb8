"""Who may speak for a data subject, by the age rules for minors and legal representation.

Under 12: a parent or guardian with authority (gezag, voogdij) — the child does not speak.
12 to 15: to give consent, the child AND a parent or guardian with authority; to refuse or
withdraw, either of them (consent needs both, so either can end it). 16 and older: the
subject alone; for an adult, also a curator or mentor (curatele, mentorschap — not a
bewindvoerder, whose authority is financial only). A subject without a known birth date is
treated as an adult. Representation counts when in force on the day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from sqlalchemy import or_, select

from openregie_sdk import db_session
from openregie_sdk.capabilities.consent import Refused
from openregie_sdk.registry import LegalRepresentation, Person

FIELD = "given_by_person_ids"
PARENTAL = frozenset({"parental_authority", "guardianship"})
ADULT_REPRESENTATION = frozenset({"curatele", "mentorship"})


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def representatives(subject_id: uuid.UUID, kinds: Collection[str], day: dt.date) -> set[uuid.UUID]:
    """The persons representing the subject in one of `kinds` on `day`."""
    return set(
        db_session().scalars(
            select(LegalRepresentation.representative_id).where(
                LegalRepresentation.represented_id == subject_id,
                LegalRepresentation.kind.in_(list(kinds)),
                LegalRepresentation.start_on <= day,
                or_(LegalRepresentation.end_on.is_(None), LegalRepresentation.end_on > day),
            )
        )
    )


def who_may_speak(
    subject: Person, day: dt.date
) -> tuple[set[uuid.UUID], set[uuid.UUID], int | None]:
    """(the subject if they may speak themselves, their representatives who may, age)."""
    age = None if subject.birth_date is None else age_on(subject.birth_date, day)
    if age is not None and age < 12:
        return set(), representatives(subject.id, PARENTAL, day), age
    if age is not None and age < 16:
        return {subject.id}, representatives(subject.id, PARENTAL, day), age
    if age is not None and age < 18:
        return {subject.id}, set(), age
    return {subject.id}, representatives(subject.id, ADULT_REPRESENTATION, day), age


def check_speakers(
    subject: Person, status: str, speakers: Collection[uuid.UUID], day: dt.date
) -> None:
    """Refuse (field `given_by_person_ids`) unless `speakers` may give `status` for the
    subject on `day`. A request (status requested) needs no one."""
    spoken = set(speakers)
    if status == "requested":
        return
    own, representing, age = who_may_speak(subject, day)
    allowed = own | representing
    if not spoken:
        raise Refused("Geef aan wie de toestemming geeft, weigert of intrekt.", FIELD)
    strangers = spoken - allowed
    if strangers:
        if age is not None and age < 12 and subject.id in strangers:
            message = (
                "Een kind onder de 12 jaar beslist niet zelf; "
                "dat doen de ouders of de voogd met gezag."
            )
        elif age is not None and 16 <= age < 18:
            message = "Vanaf 16 jaar beslist de jongere zelf, zonder de ouders."
        else:
            message = "Deze persoon is geen wettelijk vertegenwoordiger van de betrokkene."
        raise Refused(message, FIELD)
    both = subject.id in spoken and bool(spoken & representing)
    if status == "given" and age is not None and 12 <= age < 16 and not both:
        raise Refused(
            "Tussen 12 en 16 jaar geven het kind én een ouder of voogd met gezag "
            "samen toestemming.",
            FIELD,
        )
