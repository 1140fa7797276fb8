"""Legal representation: who may act for whom (gezag, voogdij, curatele, bewindvoering,
mentorschap), for a period."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy.orm import Session

from openregie_core.registry.errors import NotFound, RegistryError
from openregie_core.registry.inputs import LegalRepresentationIn
from openregie_sdk.registry import LegalRepresentation, Person

ADULT_AGE = 18
# Gezag and voogdij are over minors; curatele, bewindvoering and mentorschap over adults
# (Burgerlijk Wetboek book 1).
FOR_MINORS = frozenset({"parental_authority", "guardianship"})


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def create_legal_representation(
    session: Session, data: LegalRepresentationIn
) -> LegalRepresentation:
    """Record that one person represents another. When the represented person's birth date
    is known, the kind must fit their age at the start."""
    representative = session.get(Person, data.representative_id)
    if representative is None:
        raise NotFound.on("representative_id", gettext("bestaat niet"))
    represented = session.get(Person, data.represented_id)
    if represented is None:
        raise NotFound.on("represented_id", gettext("bestaat niet"))
    if represented.birth_date is not None:
        if data.start_on < represented.birth_date:
            raise RegistryError.on(
                "start_on", gettext("ligt voor de geboorte van de vertegenwoordigde persoon")
            )
        minor = age_on(represented.birth_date, data.start_on) < ADULT_AGE
        if data.kind in FOR_MINORS and not minor:
            raise RegistryError.on(
                "kind", gettext("%(kind)s is alleen voor minderjarigen", kind=data.kind)
            )
        if data.kind not in FOR_MINORS and minor:
            raise RegistryError.on(
                "kind", gettext("%(kind)s is alleen voor meerderjarigen", kind=data.kind)
            )
    representation = LegalRepresentation(**data.model_dump())
    session.add(representation)
    session.flush()
    return representation
