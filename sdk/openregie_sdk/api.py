"""What a module's JSON API shares with core's: the error body and how to refuse.

A module's API is a `flask_openapi3.APIBlueprint` listed in its manifest's `blueprints`
under `/api/v1/<module id>`; its operations join the one OpenAPI document. Every refusal
has the same body (`ErrorOut`): status, title, detail, and the fields concerned —
invalid input is answered with 400 naming each field (core does that for pydantic models).

    @blueprint.get("/cases/<uuid:case_id>", responses={200: CaseOut, 404: ErrorOut})
    @requires("casemanagement.case.read")
    def case(path: CasePath): ...
        refuse(404, "Deze casus bestaat niet of is niet voor u zichtbaar.")
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, jsonify
from pydantic import BaseModel, ConfigDict, Field

TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    409: "Conflict",
    413: "Te groot",
    429: "Te veel verzoeken",
    500: "Fout",
}
SECURITY = [{"bearer": []}]
"""The security requirement of every API operation (an API client's bearer token)."""


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FieldProblem(_Out):
    field: str = Field(description="The field, dotted for nested fields ('input' for the whole)")
    message: str


class Problem(_Out):
    status: int
    title: str
    detail: str
    fields: list[FieldProblem] = Field(default_factory=list)


class ErrorOut(_Out):
    """Every error of the API: 401, 403, 404, 409, ..."""

    error: Problem


class ValidationErrorOut(_Out):
    """Invalid input (400): `error.fields` names each field and its problem."""

    error: Problem


def refuse(status: int, detail: str, fields: list[tuple[str, str]] | None = None) -> NoReturn:
    """Abort the request with the API's JSON error body, naming the fields when there are."""
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
