"""The web layer of core: blueprints, request lifecycle, layout context and error pages."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask, g, render_template, request, session
from flask_babel import Babel
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException

from openregie_core.modules.states import ModuleSet

LANGUAGES = ("nl", "en")
csrf = CSRFProtect()


def _locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def install(app: Flask, modules: ModuleSet) -> None:
    from openregie_core.auth.install import install_identity
    from openregie_core.web.admin import blueprint as admin_blueprint
    from openregie_core.web.api_clients import admin_blueprint as api_clients_blueprint
    from openregie_core.web.api_clients import api_blueprint
    from openregie_core.web.audit import blueprint as audit_blueprint
    from openregie_core.web.dashboard import blueprint as dashboard_blueprint
    from openregie_core.web.households import blueprint as households_blueprint
    from openregie_core.web.persons import blueprint as persons_blueprint
    from openregie_core.web.teams import blueprint as teams_blueprint
    from openregie_core.web.users import blueprint as users_blueprint

    _add_module_templates(app, modules)
    from openregie_core.web.labels import label

    app.add_template_filter(label, "label")
    csrf.init_app(app)
    Babel(app, locale_selector=_locale, default_locale="nl")
    app.register_blueprint(dashboard_blueprint)
    install_identity(app)  # login and account pages, CSRF, the request's actor, rate limits
    app.register_blueprint(admin_blueprint, url_prefix="/admin")
    app.register_blueprint(audit_blueprint, url_prefix="/admin/audit")
    app.register_blueprint(api_clients_blueprint, url_prefix="/admin/api-clients")
    app.register_blueprint(api_blueprint, url_prefix="/api/v1/core")
    app.register_blueprint(users_blueprint, url_prefix="/admin/gebruikers")
    app.register_blueprint(persons_blueprint, url_prefix="/personen")
    app.register_blueprint(households_blueprint, url_prefix="/huishoudens")
    app.register_blueprint(teams_blueprint, url_prefix="/teams")
    for record in modules.order:
        for blueprint, url_prefix in record.blueprints:
            app.register_blueprint(blueprint, url_prefix=url_prefix)

    runtime = app.extensions["openregie"]

    @app.teardown_request
    def _close_session(exc: BaseException | None) -> None:
        try:
            runtime.close_request_session(failed=exc is not None)
        finally:
            # `g` outlives the request when an application context was already pushed (as
            # in tests and CLI-driven code): nothing of one request may reach the next.
            for key in [k for k in vars(g) if k.startswith("openregie_") or k == "csrf_token"]:
                g.pop(key, None)

    @app.context_processor
    def _layout_context() -> dict[str, Any]:
        actor = runtime.actor()
        items = [i for i in runtime.hooks.nav_items(actor) if runtime.authorize(i.permission)]
        return {
            "actor": actor,
            "nav_items": sorted(items, key=lambda i: (i.order, i.label)),
            "openregie_mode": runtime.settings.mode,
        }

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        return _error_page(400, "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw.")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        code = error.code or 500
        custom = error.description != type(error).description
        return _error_page(code, error.description if custom else MESSAGES.get(code, error.name))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        app.logger.exception("unexpected error on %s", request.path)
        runtime.request_failed()  # undo uncommitted work; pending audit records say "error"
        return _error_page(500, "Er ging iets mis. Probeer het later opnieuw.")

    @app.after_request
    def _security_headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        )
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _add_module_templates(app: Flask, modules: ModuleSet) -> None:
    """Each loaded module's `templates/` folder joins the search path (after core's), so
    modules render `"<module_id>/page.html"` and extend core's `"layout.html"`."""
    folders = []
    for record in modules.order:
        package = importlib.import_module(record.installed.package)
        for root in getattr(package, "__path__", []):
            if (Path(root) / "templates").is_dir():
                folders.append(str(Path(root) / "templates"))
    if folders:
        app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(folders)])  # type: ignore[list-item]


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


MESSAGES = {
    400: "Het verzoek is niet goed gevormd.",
    403: "U hebt geen toegang tot deze pagina.",
    404: "Deze pagina bestaat niet (meer).",
    405: "Deze handeling is hier niet mogelijk.",
    413: "Het bestand of formulier is te groot.",
    429: "U hebt het te vaak geprobeerd. Wacht even en probeer het opnieuw.",
}


def _error_page(code: int, message: str) -> Any:
    if request.path.startswith("/api/"):
        return {
            "error": {"status": code, "title": TITLES.get(code, "Fout"), "detail": message}
        }, code
    return render_template(
        "error.html", code=code, title=TITLES.get(code, "Fout"), message=message
    ), code
