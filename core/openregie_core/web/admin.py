"""The functional admin's pages: modules, their state, settings and enable/disable."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from openregie_core.modules.admin import ModuleAdminError, recent_events, set_enabled
from openregie_core.modules.loader import settings_as_dict
from openregie_sdk import current_actor, db_session, requires

blueprint = Blueprint("core_admin", __name__)


class ToggleForm(FlaskForm):
    """Carries only the CSRF token; the action is in the URL."""


def _runtime() -> Any:
    return current_app.extensions["openregie"]


@blueprint.get("/modules")
@requires("core.modules.manage")
def modules() -> Any:
    runtime = _runtime()
    return render_template(
        "admin/modules.html",
        records=runtime.modules.records,
        problems=runtime.modules.problems,
        managed_by_config=runtime.settings.modules is not None,
        events=recent_events(db_session()),
        form=ToggleForm(),
    )


@blueprint.get("/modules/<module_id>")
@requires("core.modules.manage")
def module(module_id: str) -> Any:
    runtime = _runtime()
    record = runtime.modules.get(module_id)
    if record is None:
        abort(404)
    return render_template(
        "admin/module.html",
        record=record,
        settings=settings_as_dict(record.settings),
        permissions=record.manifest.permissions if record.manifest else (),
        managed_by_config=runtime.settings.modules is not None,
        events=recent_events(db_session(), module_id),
        form=ToggleForm(),
    )


@blueprint.post("/modules/<module_id>/<any(enable, disable):action>")
@requires("core.modules.manage")
def toggle(module_id: str, action: str) -> Any:
    if _runtime().modules.get(module_id) is None:
        abort(404)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    actor = current_actor()
    enable = action == "enable"
    try:
        set_enabled(
            db_session(),
            _runtime().settings,
            module_id,
            enable,
            f"{actor.display_name} ({actor.id})",
        )
    except ModuleAdminError as exc:
        db_session().rollback()
        flash(_("Niet gewijzigd: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("core_admin.module", module_id=module_id)), 303
    if enable:
        message = _(
            "Module %(id)s staat aan. Voer `openregie db upgrade` uit en herstart de "
            "applicatie; pas daarna is de module actief.",
            id=module_id,
        )
    else:
        message = _(
            "Module %(id)s staat uit. Herstart de applicatie; pas daarna is de module "
            "uitgeschakeld. Haar gegevens blijven bewaard.",
            id=module_id,
        )
    flash(message, "info")
    return redirect(url_for("core_admin.module", module_id=module_id)), 303
