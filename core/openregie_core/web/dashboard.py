"""The start page (widgets contributed through `openregie_dashboard_widgets`), the entry
redirect, the health check and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from openregie_core.i18n import LANGUAGES
from openregie_sdk import current_actor, public, requires

blueprint = Blueprint("core", __name__)


@blueprint.get("/")
@public
def index() -> Any:
    if current_actor().is_authenticated:
        return redirect(url_for("core.dashboard"))
    return redirect(url_for("core_auth.login"))


@blueprint.get("/start")
@requires("core.dashboard.view")
def dashboard() -> Any:
    runtime = current_app.extensions["openregie"]
    widgets = runtime.hooks.dashboard_widgets(current_actor())
    return render_template("dashboard.html", widgets=widgets)


@blueprint.get("/health")
@public
def health() -> Any:
    return {"status": "ok"}


def same_site_path(target: str | None) -> str | None:
    """`target` if it is a path on this site (no scheme, host or `//`, no backslash or
    control character a browser might read as another host), else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@blueprint.post("/taal")
@public
def set_language() -> Any:
    """The language switch in the footer: remembers the choice in the session and goes back
    to the page it came from (only a same-site path)."""
    chosen = request.form.get("lang", "")
    if chosen not in LANGUAGES:
        abort(400, description=_("Onbekende taal. Kies Nederlands of English."))
    session["lang"] = chosen
    return redirect(same_site_path(request.form.get("next")) or url_for("core.index"), 303)
