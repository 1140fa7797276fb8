"""The start page: widgets contributed through `openregie_dashboard_widgets`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, url_for

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
