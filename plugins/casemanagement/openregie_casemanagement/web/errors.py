"""How the pages answer the services' errors."""

from __future__ import annotations

from typing import NoReturn

from flask import abort

from openregie_sdk import db_session
from openregie_sdk.capabilities.casemanagement import CaseManagementError, NotFound, Stale

STALE_MESSAGE = (
    "Iemand anders heeft dit intussen gewijzigd. Uw invoer staat hieronder nog; "
    "bekijk de nieuwe versie en sla opnieuw op."
)


def status_of(error: CaseManagementError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Stale):
        return 409
    return 400


def not_found(error: NotFound | None = None) -> NoReturn:
    db_session().rollback()
    abort(404)
