"""The web layer of core: blueprints, request lifecycle, layout context and error pages."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, render_template, request, session
from flask_babel import Babel, get_locale, gettext
from flask_openapi3 import APIBlueprint
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException

from openregie_core.api.document import DOCS_CSP, DOCS_PAGE, public_view
from openregie_core.i18n import LANGUAGES, N_, TRANSLATIONS
from openregie_core.modules.states import ModuleSet

csrf = CSRFProtect()
CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"


def _locale() -> str:
    if not has_request_context():  # CLI and background work speak the default language
        return "nl"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def install(app: Flask, modules: ModuleSet) -> None:
    from openregie_core.api.routes import blueprint as api_blueprint
    from openregie_core.auth.install import install_identity
    from openregie_core.web.admin import blueprint as admin_blueprint
    from openregie_core.web.api_clients import admin_blueprint as api_clients_blueprint
    from openregie_core.web.audit import blueprint as audit_blueprint
    from openregie_core.web.dashboard import blueprint as dashboard_blueprint
    from openregie_core.web.households import blueprint as households_blueprint
    from openregie_core.web.nul_guard import install_nul_guard
    from openregie_core.web.persons import blueprint as persons_blueprint
    from openregie_core.web.teams import blueprint as teams_blueprint
    from openregie_core.web.translations import install_template_gettext
    from openregie_core.web.users import blueprint as users_blueprint

    _add_module_templates(app, modules)
    from openregie_core.web.labels import label

    app.add_template_filter(label, "label")
    csrf.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(_translation_directories(modules))
    Babel(app, locale_selector=_locale, default_locale="nl")
    install_template_gettext(app)
    app.register_blueprint(dashboard_blueprint)
    install_identity(app)  # login and account pages, CSRF, the request's actor, rate limits
    install_nul_guard(app)  # after the login check: a stranger gets 401, not a hint
    app.register_blueprint(admin_blueprint, url_prefix="/admin")
    app.register_blueprint(audit_blueprint, url_prefix="/admin/audit")
    app.register_blueprint(api_clients_blueprint, url_prefix="/admin/api-clients")
    app.register_api(api_blueprint)  # type: ignore[attr-defined]
    app.register_blueprint(users_blueprint, url_prefix="/admin/gebruikers")
    app.register_blueprint(persons_blueprint, url_prefix="/personen")
    app.register_blueprint(households_blueprint, url_prefix="/huishoudens")
    app.register_blueprint(teams_blueprint, url_prefix="/teams")
    for record in modules.order:
        for blueprint, url_prefix in record.blueprints:
            _register(app, blueprint, url_prefix)

    runtime = app.extensions["openregie"]

    @app.teardown_request
    def _close_session(exc: BaseException | None) -> None:
        try:
            runtime.close_request_session(failed=exc is not None)
        finally:
            # `g` outlives the request when an application context was already pushed (as
            # in tests and CLI-driven code): nothing of one request may reach the next.
            for key in [
                k
                for k in vars(g)
                if k.startswith("openregie_") or k in ("csrf_token", "_flask_babel")
            ]:
                g.pop(key, None)

    @app.context_processor
    def _layout_context() -> dict[str, Any]:
        actor = runtime.actor()
        items = [i for i in runtime.hooks.nav_items(actor) if runtime.authorize(i.permission)]
        return {
            "actor": actor,
            "nav_items": sorted(items, key=lambda i: (i.order, i.label)),
            "openregie_mode": runtime.settings.mode,
            "current_language": str(get_locale() or "nl"),
            "authorize": runtime.authorize,
        }

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        return _error_page(
            400, gettext("Het formulier is verlopen of ongeldig. Laad de pagina opnieuw.")
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        code = error.code or 500
        custom = error.description != type(error).description
        if custom:
            return _error_page(code, error.description)
        return _error_page(code, gettext(MESSAGES[code]) if code in MESSAGES else error.name)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        app.logger.exception("unexpected error on %s", request.path)
        runtime.request_failed()  # undo uncommitted work; pending audit records say "error"
        return _error_page(500, gettext("Er ging iets mis. Probeer het later opnieuw."))

    @app.after_request
    def _security_headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy", DOCS_CSP if request.path == DOCS_PAGE else CSP
        )
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Pages, API answers and downloads hold personal data: no browser or proxy keeps a
        # copy (after logging out, Back must not show the page from the back-forward
        # cache). Static files set their own caching and keep it.
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def _register(app: Flask, blueprint: Any, url_prefix: str | None) -> None:
    """A module's `flask_openapi3.APIBlueprint` joins the one OpenAPI document (its paths
    re-based on the manifest's prefix); a plain Blueprint is registered as is."""
    if isinstance(blueprint, APIBlueprint):
        app.register_api(blueprint, url_prefix=url_prefix)  # type: ignore[attr-defined]
    else:
        app.register_blueprint(blueprint, url_prefix=url_prefix)
        # A module's own static files (a blueprint `static_folder`: its stylesheet) are
        # public like core's: they hold no data.
        endpoint = f"{blueprint.name}.static"
        if blueprint.has_static_folder and endpoint in app.view_functions:
            app.view_functions[endpoint] = public_view(app.view_functions[endpoint])


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


def _translation_directories(modules: ModuleSet) -> list[str]:
    """Core's `translations/` folder, then each loaded module's: Flask-Babel merges their
    catalogues in this order (a later catalogue wins for the same message id)."""
    folders = [str(TRANSLATIONS)]
    for record in modules.order:
        package = importlib.import_module(record.installed.package)
        for root in getattr(package, "__path__", []):
            if (Path(root) / "translations").is_dir():
                folders.append(str(Path(root) / "translations"))
    return folders


TITLES = {
    400: N_("Ongeldig verzoek"),
    401: N_("Niet aangemeld"),
    403: N_("Geen toegang"),
    404: N_("Niet gevonden"),
    405: N_("Niet toegestaan"),
    409: N_("Conflict"),
    413: N_("Te groot"),
    429: N_("Te veel verzoeken"),
    500: N_("Fout"),
}


MESSAGES = {
    400: N_("Het verzoek is niet goed gevormd."),
    403: N_("U hebt geen toegang tot deze pagina."),
    404: N_("Deze pagina bestaat niet (meer)."),
    405: N_("Deze handeling is hier niet mogelijk."),
    413: N_("Het bestand of formulier is te groot."),
    429: N_("U hebt het te vaak geprobeerd. Wacht even en probeer het opnieuw."),
}


def _error_page(code: int, message: str) -> Any:
    title = gettext(TITLES.get(code, N_("Fout")))
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "title": title, "detail": message}}, code
    return render_template("error.html", code=code, title=title, message=message), code
