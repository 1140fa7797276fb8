"""The JSON API of case management at `/api/v1/casemanagement`; its operations join the
one OpenAPI document. Files: `cases.py`, `plan.py`, `records.py`, `allocations.py`, each
registering operations on `blueprint`. Errors use the SDK's shape (`openregie_sdk.api`);
`fail(error)` maps the services' errors: NotFound 404, Refused 400 naming the field,
Stale 409 naming the current version."""

from __future__ import annotations

from typing import NoReturn

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from openregie_sdk import db_session
from openregie_sdk.api import SECURITY, ErrorOut, refuse
from openregie_sdk.capabilities.casemanagement import CaseManagementError, NotFound, Stale

blueprint = APIBlueprint(
    "casemanagement_api",
    __name__,
    abp_tags=[Tag(name="casemanagement", description="Cases, plans and allocations")],
    abp_security=SECURITY,
    abp_responses={401: ErrorOut, 403: ErrorOut},
)


@blueprint.errorhandler(StaleDataError)
def _lost_race(error: StaleDataError) -> Response:
    """Two writes at the same moment: the version check at write time caught this one.
    An error handler returns its answer: one that raised (as `refuse` does) would turn
    into a 500."""
    db_session().rollback()
    try:
        refuse(
            409,
            "Iemand anders heeft dit tegelijk gewijzigd; er is niets opgeslagen. "
            "Lees de nieuwe versie en probeer het opnieuw.",
            [("version", "changed by someone else at the same moment")],
        )
    except HTTPException as refusal:
        return refusal.get_response()


def fail(error: CaseManagementError) -> NoReturn:
    """Roll back and answer with the error's status, naming its field."""
    db_session().rollback()
    if isinstance(error, NotFound):
        refuse(404, str(error))
    if isinstance(error, Stale):
        refuse(409, str(error), [(error.field, f"current version is {error.current_version}")])
    refuse(400, str(error), [(error.field, str(error))])


from openregie_casemanagement.api import (  # noqa: E402 - the operations register on `blueprint`
    allocations,
    cases,
    plan,
    records,
)

__all__ = ["allocations", "blueprint", "cases", "fail", "plan", "records"]
