"""The mock DigiD login: a clearly labelled test page that asks for a BSN. It exists only
in demo, development and test mode; in production neither the authenticator nor its page
exists (404)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, session, url_for
from flask_babel import gettext as _

from openregie_sdk.contributions import AuthenticationRefused, ResidentAuthenticator
from openregie_sdk.runtime import installation_mode

ID = "mock_digid"
SESSION_KEY = "mock_digid_bsn"
MODES = ("demo", "development", "test")


def allowed() -> bool:
    """Whether this installation may offer the mock login at all."""
    return installation_mode() in MODES


def require_allowed() -> None:
    if not allowed():
        abort(404)


def start(callback_url: str) -> Any:
    require_allowed()
    session.pop(SESSION_KEY, None)
    return redirect(url_for("portal.mock_login", callback=callback_url), 303)


def remember(bsn: str) -> None:
    """The mock page's form was sent: hand the BSN to the callback (server-signed session)."""
    require_allowed()
    session[SESSION_KEY] = bsn


def callback() -> str:
    require_allowed()
    bsn = session.pop(SESSION_KEY, None)
    if not isinstance(bsn, str):
        raise AuthenticationRefused(_("Uw inlogpoging is verlopen. Begin opnieuw."))
    return bsn


def authenticator() -> ResidentAuthenticator:
    return ResidentAuthenticator(
        id=ID,
        label=_("Test-DigiD (geen echte DigiD)"),
        start=start,
        callback=callback,
        test_only=True,
        order=90,
    )
