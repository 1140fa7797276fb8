"""Core's API blueprint, mounted at `/api/v1/core`; its operations join the one document."""

from typing import NoReturn

from flask import abort, jsonify
from flask_openapi3 import APIBlueprint, Tag

from openregie_core.api.document import SECURITY
from openregie_core.api.schemas import ErrorOut
from openregie_core.web import TITLES

PREFIX = "/api/v1/core"

blueprint = APIBlueprint(
    "core_api",
    __name__,
    url_prefix=PREFIX,
    abp_tags=[Tag(name="core", description="Persons and households of the registry")],
    abp_security=SECURITY,
    abp_responses={401: ErrorOut, 403: ErrorOut},
)


def refuse(status: int, detail: str, fields: list[tuple[str, str]] | None = None) -> NoReturn:
    """Abort with the API's JSON error, naming the fields when there are."""
    response = jsonify(
        {
            "error": {
                "status": status,
                "title": TITLES.get(status, "Fout"),
                "detail": detail,
                "fields": [{"field": f, "message": m} for f, m in fields or []],
            }
        }
    )
    response.status_code = status
    abort(response)
