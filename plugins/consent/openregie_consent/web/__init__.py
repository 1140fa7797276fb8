"""The web pages of the consent module, one blueprint mounted at `/toestemming`:
`persons.py` (a person's consents: history, recording, withdrawing, the evidence),
`overrides.py` (the team lead's review list of doorbrekingen), `resident.py` (what the
portal section's forms post to). Every change is a POST with a CSRF token that redirects
back; a refusal re-renders with 400 and the message on the field."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

blueprint = Blueprint(
    "consent",
    __name__,
    static_folder=str(Path(__file__).parent.parent / "static"),
    static_url_path="/static",
)

from openregie_consent.web import overrides, persons, resident  # noqa: E402 - views register

__all__ = ["blueprint", "overrides", "persons", "resident"]
