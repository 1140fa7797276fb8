"""Core's API blueprint, mounted at `/api/v1/core`; its operations join the one document."""

from flask_openapi3 import APIBlueprint, Tag

from openregie_core.api.document import SECURITY
from openregie_core.api.schemas import ErrorOut
from openregie_sdk.api import refuse

__all__ = ["PREFIX", "blueprint", "refuse"]

PREFIX = "/api/v1/core"

blueprint = APIBlueprint(
    "core_api",
    __name__,
    url_prefix=PREFIX,
    abp_tags=[Tag(name="core", description="Persons and households of the registry")],
    abp_security=SECURITY,
    abp_responses={401: ErrorOut, 403: ErrorOut},
)
