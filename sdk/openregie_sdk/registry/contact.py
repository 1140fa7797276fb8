"""Completing and correcting a person's contact details (since 1.2).

Core owns the registry and is its only writer; this is the narrow service through which a
module (the resident portal) lets a resident change their own phone number and e-mail
address. Other registry data (names, birth date, address) come from the BRP and are not
changed this way: propose a correction to a professional instead.
"""

from __future__ import annotations

import uuid

from openregie_sdk.runtime import runtime


class ContactRefused(ValueError):
    """The input is refused; `field` names it ("phone", "email", "version")."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class ContactConflict(ContactRefused):
    """The person changed since `expected_version` was read: nothing was written."""


def update_contact_details(
    person_id: uuid.UUID, *, phone: str | None, email: str | None, expected_version: int
) -> None:
    """Set the person's phone number and e-mail address (None or "" clears one), checked as
    core checks them everywhere (a phone number of 10 to 15 digits, a valid e-mail address).
    Flushes, never commits; the caller records the change in the audit log and commits.
    Raises `ContactRefused` (field "phone" or "email"), `ContactConflict` (field "version")
    or LookupError for an unknown person."""
    runtime().update_person_contact(person_id, phone, email, expected_version)
