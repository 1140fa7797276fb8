"""The JSON API of the consent module at `/api/v1/consent`; its operations join the one
OpenAPI document. `consents.py` registers the operations on `blueprint`. Errors use the
SDK's shape (`openregie_sdk.api`); `fail(error)` maps the services' errors: NotFound 404,
Refused 400 naming the field."""

from __future__ import annotations

from typing import NoReturn

from flask_openapi3 import APIBlueprint, Tag

from openregie_sdk import db_session
from openregie_sdk.api import SECURITY, ErrorOut, refuse
from openregie_sdk.capabilities.consent import ConsentError, NotFound

blueprint = APIBlueprint(
    "consent_api",
    __name__,
    abp_tags=[Tag(name="consent", description="Recorded consent of residents to share data")],
    abp_security=SECURITY,
    abp_responses={401: ErrorOut, 403: ErrorOut},
)


def fail(error: ConsentError) -> NoReturn:
    """Roll back and answer with the error's status, naming its field."""
    db_session().rollback()
    if isinstance(error, NotFound):
        refuse(404, str(error), [(error.field, str(error))])
    refuse(400, str(error), [(error.field, str(error))])


from openregie_consent.api import consents  # noqa: E402 - the operations register on `blueprint`

__all__ = ["blueprint", "consents", "fail"]
