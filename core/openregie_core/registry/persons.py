"""Registering and changing persons. Services flush; the caller commits (one transaction
per request or command, so nothing is half-written)."""

from __future__ import annotations

import uuid

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from openregie_core.registry.errors import ConflictError, NotFound, RegistryError
from openregie_core.registry.inputs import PersonIn
from openregie_core.registry.names import fold_name
from openregie_sdk.registry import Municipality, Person


def person_values(data: PersonIn) -> dict[str, object]:
    """The column values of a person, `search_name` derived from the geslachtsnaam."""
    values = data.model_dump()
    values["search_name"] = fold_name(data.geslachtsnaam)
    return values


def _check_references(session: Session, data: PersonIn, person_id: uuid.UUID | None) -> None:
    if data.bsn is not None:
        taken = session.scalar(select(Person.id).where(Person.bsn == data.bsn))
        if taken is not None and taken != person_id:
            raise RegistryError.on("bsn", gettext("is al geregistreerd voor een andere persoon"))
    if data.municipality_id is not None and session.get(Municipality, data.municipality_id) is None:
        raise NotFound.on("municipality_id", gettext("bestaat niet"))


def create_person(session: Session, data: PersonIn) -> Person:
    """Register a person; a BSN may be registered once."""
    _check_references(session, data, None)
    person = Person(**person_values(data))
    session.add(person)
    session.flush()
    return person


def update_person(
    session: Session, person_id: uuid.UUID, data: PersonIn, *, version: int
) -> Person:
    """Replace a person's data. `version` is the version the change was based on (as shown
    in the form); if the person changed since, `ConflictError` is raised and nothing is
    written (when the change is only detected at the UPDATE, the session is rolled back)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound.on("id", gettext("bestaat niet"))
    if person.version != version:
        raise _conflict(person.version)
    _check_references(session, data, person.id)
    for name, value in person_values(data).items():
        setattr(person, name, value)
    try:
        session.flush()  # UPDATE ... WHERE version = <read>: catches a change since the read
    except StaleDataError:
        session.rollback()
        raise _conflict(None) from None
    return person


def _conflict(current: int | None) -> ConflictError:
    if current is None:
        message = gettext(
            "de persoon is intussen door iemand anders gewijzigd; laad opnieuw en probeer het "
            "nog eens"
        )
    else:
        message = gettext(
            "de persoon is intussen door iemand anders gewijzigd (nu versie %(version)s); laad "
            "opnieuw en probeer het nog eens",
            version=current,
        )
    return ConflictError.on("version", message)
