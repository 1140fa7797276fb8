"""The portal's resident authenticators (hook `openregie_resident_authenticators`): DigiD
through an OIDC broker when configured, and the mock DigiD page outside production."""

from __future__ import annotations

from openregie_portal.auth import mock, oidc
from openregie_portal.settings import PortalSettings
from openregie_sdk import hookimpl, module_settings
from openregie_sdk.contributions import ResidentAuthenticator


@hookimpl
def openregie_resident_authenticators() -> list[ResidentAuthenticator]:
    settings = module_settings("portal")
    assert isinstance(settings, PortalSettings)
    found = []
    if settings.oidc_configured:
        found.append(oidc.authenticator(settings))
    if mock.allowed():
        found.append(mock.authenticator())
    return found
