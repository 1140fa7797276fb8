"""Who may act for whom on a day: the age rules for minors and legal representation (since 1.2).

One shared reading of the law, for every module that lets a person act for another (the
resident portal's "acting for" switch, consent):

- **under 12**: a parent with parental authority (gezag) or a guardian (voogdij) acts for
  the child; the child does not act for themselves.
- **12 to 15**: a parent with authority or a guardian, *and* the child: both may see and
  act, but a decision about the child (consent) needs the child and the parent or
  guardian together (`Representation.jointly_with_child`).
- **16 and older**: the child alone; parental authority and guardianship no longer give
  access (the young person decides about their own care).
- **adults** (18+) under a protective measure: a curator (curatele) for everything; a
  mentor (mentorschap) for personal matters — care, support, the plan, consent, personal
  data — but not money; a bewindvoerder (bewindvoering) for money and goods only: personal
  data and finances, never the care plan, contact moments or documents.

A person whose birth date is unknown is treated as an adult. A representation counts when
it is in force on the day (`start_on <= day < end_on`).

Which data each role covers, as `DOMAINS`:

- `personal_data`: the registry data (name, address, contact details) and "who looked at
  my data";
- `care`: cases, the plan, contact moments, appointments, documents;
- `consent`: giving and withdrawing consent;
- `finances`: allocations and money matters.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from openregie_sdk.registry.models import LegalRepresentation, Person

DOMAINS = ("personal_data", "care", "consent", "finances")
"""The kinds of data and decisions a representation may cover."""

PARENTAL = frozenset({"parental_authority", "guardianship"})
"""Kinds that count for minors (under 16), following the age rules."""

COVERS: dict[str, frozenset[str]] = {
    "parental_authority": frozenset(DOMAINS),
    "guardianship": frozenset(DOMAINS),
    "curatele": frozenset(DOMAINS),
    "mentorship": frozenset({"personal_data", "care", "consent"}),
    "bewindvoering": frozenset({"personal_data", "finances"}),
}
"""What each kind of representation covers (for an adult under a measure, or a minor)."""

SELF = "self"
"""The `kind` of the representation a person has of themselves."""


@dataclass(frozen=True, slots=True)
class Representation:
    """That a person may act for `person_id` on a day: in the capacity `kind` (`SELF` for
    themselves, else one of `REPRESENTATION_KINDS`), for the data `covers`. With
    `jointly_with_child`, decisions about the person (a child of 12 to 15) need the child
    and a parent or guardian together; seeing and taking part each may do alone."""

    person_id: uuid.UUID
    kind: str
    covers: frozenset[str]
    jointly_with_child: bool = False

    def allows(self, domain: str) -> bool:
        """Whether this representation covers `domain` (one of `DOMAINS`)."""
        return domain in self.covers


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (born on 29 February: a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _counts(kind: str, represented_birth: dt.date | None, day: dt.date) -> tuple[bool, bool]:
    """(whether a representation of `kind` counts on `day`, whether jointly with the child)."""
    age = None if represented_birth is None else age_on(represented_birth, day)
    if kind in PARENTAL:
        if age is None or age >= 16:
            return False, False
        return True, age >= 12
    # Curatele, mentorship and bewindvoering are measures for adults.
    return age is None or age >= 18, False


def acts_for_self(person: Person, day: dt.date) -> bool:
    """Whether `person` may act for themselves on `day`: from 12 on (or age unknown)."""
    return person.birth_date is None or age_on(person.birth_date, day) >= 12


def represented_by(session: Session, person_id: uuid.UUID, day: dt.date) -> list[Representation]:
    """Everyone `person_id` may act for on `day`: themselves first (when 12 or older), then
    the persons they represent by the rules above, ordered by name. One query."""
    rows = session.execute(
        select(LegalRepresentation.kind, Person)
        .join(Person, Person.id == LegalRepresentation.represented_id)
        .where(
            LegalRepresentation.representative_id == person_id,
            LegalRepresentation.start_on <= day,
            or_(LegalRepresentation.end_on.is_(None), LegalRepresentation.end_on > day),
        )
        .order_by(Person.geslachtsnaam, Person.voornamen, Person.id)
    ).all()
    result: list[Representation] = []
    me = session.get(Person, person_id)
    if me is not None and acts_for_self(me, day):
        result.append(Representation(person_id, SELF, frozenset(DOMAINS)))
    merged: dict[uuid.UUID, Representation] = {}
    for kind, person in rows:
        counts, jointly = _counts(kind, person.birth_date, day)
        if not counts or person.id == person_id:
            continue
        known = merged.get(person.id)
        covers = COVERS.get(kind, frozenset())
        if known is not None:  # two capacities at once (e.g. curator and bewindvoerder)
            covers = covers | known.covers
            kind = known.kind
            jointly = jointly and known.jointly_with_child
        merged[person.id] = Representation(person.id, kind, covers, jointly)
    return result + list(merged.values())


def may_act_for(
    session: Session, actor_person_id: uuid.UUID, person_id: uuid.UUID, day: dt.date
) -> Representation | None:
    """How `actor_person_id` may act for `person_id` on `day`, or None when they may not
    (a child under 12 for themselves, a parent of a 16-year-old, a stranger)."""
    for representation in represented_by(session, actor_person_id, day):
        if representation.person_id == person_id:
            return representation
    return None
