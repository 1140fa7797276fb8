"""Wiring staff identity into the application: the login and account pages, CSRF for forms
(not for the token-only API), the actor of each request, and rate limits on every step that
checks a password or a code."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from openregie_core.auth.session import API_PREFIX, load_actor
from openregie_core.i18n import N_

RATE_LIMIT = "10 per minute"
RATE_LIMIT_MESSAGE = N_("U hebt het te vaak geprobeerd. Wacht een minuut en probeer het opnieuw.")
# Every POST that checks a password or a second-factor code, per client address.
RATE_LIMITED_ENDPOINTS = (
    "core_auth.login",
    "core_auth.code",
    "core_auth.enrol",
    "core_account.reenrol_start",
    "core_account.reenrol_confirm",
)


def install_identity(app: Flask) -> Limiter:
    """Register the auth pages and hooks (after `CSRFProtect.init_app`); returns the app's
    rate limiter."""
    from openregie_core.auth.account import blueprint as account_blueprint
    from openregie_core.auth.personal_tokens import blueprint as personal_tokens_blueprint
    from openregie_core.auth.views import blueprint as auth_blueprint

    app.register_blueprint(auth_blueprint, url_prefix="/auth")
    app.register_blueprint(account_blueprint, url_prefix="/auth/account")
    app.register_blueprint(personal_tokens_blueprint, url_prefix="/auth/account/tokens")
    csrf = app.extensions["csrf"]
    # API requests carry a bearer token and no cookie, so a forged cross-site request has
    # nothing to ride on; all other state-changing requests need the form's CSRF token.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False

    @app.before_request
    def _csrf_for_forms() -> None:
        if app.config.get("WTF_CSRF_ENABLED", True) and not request.path.startswith(API_PREFIX):
            csrf.protect(apply_exemptions=True)

    app.before_request(load_actor)

    @app.after_request
    def _bearer_challenge(response: Any) -> Any:
        if response.status_code == 401 and request.path.startswith(API_PREFIX):
            response.headers.setdefault("WWW-Authenticate", 'Bearer realm="openregie"')
        return response

    return _install_rate_limits(app)


def _install_rate_limits(app: Flask) -> Limiter:
    # One limiter per application, so each app (and each test) counts on its own storage.
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.extensions["openregie"].settings.ratelimit_storage_url,
        key_prefix="openregie",
        in_memory_fallback_enabled=True,  # a Redis outage must not stop all logins
        headers_enabled=True,
    )
    limit = limiter.limit(
        RATE_LIMIT, methods=["POST"], error_message=lambda: gettext(RATE_LIMIT_MESSAGE)
    )
    for endpoint in RATE_LIMITED_ENDPOINTS:
        app.view_functions[endpoint] = limit(app.view_functions[endpoint])
    return limiter
