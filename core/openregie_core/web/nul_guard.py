"""No request brings a NUL character into OpenRegie.

PostgreSQL cannot store NUL in text (SQLite can), and no form or API field has a use for
it, so a request holding one anywhere in its query string, form fields or JSON body is
refused with 400 naming the field, before any view runs: nothing is read, nothing
written, the same on both databases (an anonymous API caller gets its 401 first).
Uploaded file content is not text and is not looked at.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext

from openregie_core.i18n import N_
from openregie_sdk.actors import ActorKind

NUL = "\x00"
MESSAGE = N_("bevat een teken dat hier niet is toegestaan (zoals een stuurteken)")


def field_with_nul(value: Any, at: str = "") -> str | None:
    """The dotted path of the first string in `value` (or key of a dict) holding NUL."""
    if isinstance(value, str):
        return (at or "input") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            place = f"{at}.{key}" if at else str(key)
            if NUL in str(key):
                return place
            found = field_with_nul(item, place)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = field_with_nul(item, f"{at}.{index}" if at else str(index))
            if found:
                return found
    return None


def _holds_nul(key: str | None, values: list[str]) -> bool:
    # A multipart part without a name has the key None.
    return NUL in (key or "") or any(NUL in (value or "") for value in values)


def _field_of_request() -> str | None:
    for key, values in request.args.lists():
        if _holds_nul(key, values):
            return key or "input"
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.form.lists():
            if _holds_nul(key, values):
                return key or "input"
    if request.is_json:
        return field_with_nul(request.get_json(silent=True))
    return None


def _refusal(field: str) -> Any:
    message = gettext(MESSAGE)
    if request.path.startswith("/api/"):
        response: Response = jsonify(
            {
                "error": {
                    "status": 400,
                    "title": gettext("Ongeldige invoer"),
                    "detail": f"{field}: {message}",
                    "fields": [{"field": field, "message": message}],
                }
            }
        )
        response.status_code = 400
        return response
    title = gettext("Ongeldige invoer")
    return render_template("error.html", code=400, title=title, message=f"{field}: {message}"), 400


def install_nul_guard(app: Flask) -> None:
    """Register the guard; it runs after the request's actor is known (`load_actor`)."""
    runtime = app.extensions["openregie"]

    @app.before_request
    def _refuse_nul() -> Any:
        # An anonymous API caller gets the route's 401 whatever it sent (no API route that
        # takes input is public); pages, the login form included, are guarded for everyone.
        if request.path.startswith("/api/") and runtime.actor().kind is ActorKind.ANONYMOUS:
            return None
        field = _field_of_request()
        return _refusal(field) if field else None
