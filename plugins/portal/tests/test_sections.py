"""Sections other modules contribute to the portal (hook `openregie_portal_sections`):
rendered on the personal-data page for the person acted for; one that raises is dropped
and the page still works. The consent module's section, when it is loaded."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from markupsafe import Markup

from openregie_sdk import hookimpl
from openregie_sdk.contributions import PortalSection

_spec = importlib.util.spec_from_file_location(
    "openregie_portal_test_login_s", Path(__file__).with_name("test_login.py")
)
_login = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_login)
mock_login = _login.mock_login


class Contributor:
    @hookimpl
    def openregie_portal_sections(self, actor, person):
        return [
            PortalSection(
                id="demo.section",
                title="Extra onderdeel",
                body=Markup("<p>Voor {}</p>").format(person.full_name),
            )
        ]


class Broken:
    @hookimpl
    def openregie_portal_sections(self, actor, person):
        raise RuntimeError("boom")


def _register(app, plugin) -> None:
    """Add a hook implementation to the running app, as a loaded module's would be."""
    hooks = app.extensions["openregie"].hooks
    hooks._pm.register(plugin)
    hooks.__init__(hooks._pm, hooks._module_of)


def test_a_contributed_section_shows_for_the_person_acted_for(app, client, world):
    _register(app, Contributor())
    _register(app, Broken())
    mock_login(client, world.parent.bsn)
    page = client.get("/mijn/gegevens")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Extra onderdeel" in text and "Voor Anna Jansen" in text
    assert 'id="demo.section"' in text


@pytest.mark.openregie_modules("portal", "casemanagement", "consent")
def test_the_consent_section_renders_when_consent_is_loaded(app, client, world):
    mock_login(client, world.parent.bsn)
    page = client.get("/mijn/gegevens")
    assert page.status_code == 200
    assert 'id="consent.overview"' in page.get_data(as_text=True)


class Duplicate:
    @hookimpl
    def openregie_resident_authenticators(self):
        from openregie_sdk.contributions import ResidentAuthenticator

        return [
            ResidentAuthenticator(
                id="mock_digid", label="Namaak", start=lambda url: None, callback=lambda: ""
            )
        ]


def test_an_authenticator_id_contributed_twice_keeps_the_first(app, client):
    _register(app, Duplicate())
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    assert page.count('action="/mijn/inloggen/mock_digid"') == 1
    assert "Namaak" not in page
