"""A person's contact details changed through the SDK (`openregie_sdk.registry.contact`):
the narrow registry write the resident portal uses. Flushes; the caller commits."""

from __future__ import annotations

import uuid

from flask_babel import gettext
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from openregie_core.registry.checks import email_or_none, phone_or_none
from openregie_sdk.registry import Person
from openregie_sdk.registry.contact import ContactConflict, ContactRefused


def update_contact(
    session: Session,
    person_id: uuid.UUID,
    phone: str | None,
    email: str | None,
    expected_version: int,
) -> None:
    """Check both values first, then write both or nothing."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person {person_id}")
    new_phone = (phone or "").strip() or None
    new_email = (email or "").strip() or None
    if new_phone is not None:
        new_phone = phone_or_none(new_phone)
        if new_phone is None:
            raise ContactRefused(
                gettext("Vul een telefoonnummer in van 10 tot 15 cijfers, zoals 06 12345678."),
                "phone",
            )
    if new_email is not None:
        new_email = email_or_none(new_email)
        if new_email is None:
            raise ContactRefused(gettext("Vul een geldig e-mailadres in."), "email")
    if person.version != expected_version:
        raise ContactConflict(_changed(), "version")
    person.phone = new_phone
    person.email = new_email
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise ContactConflict(_changed(), "version") from None


def _changed() -> str:
    return gettext(
        "Uw gegevens zijn intussen gewijzigd. Bekijk ze opnieuw en probeer het nog eens."
    )
