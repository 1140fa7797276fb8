"""The functional admin's Modules page: states with reasons, settings with secrets redacted,
enable/disable with CSRF protection and a clear restart message."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from openregie_core.models import ModuleEvent, ModuleSelection
from openregie_sdk.testing.plugin import csrf_token_in, log_in


@pytest.mark.openregie_modules("casemanagement")
def test_functional_admin_sees_every_installed_module_with_state_and_reason(client, login_as):
    login_as("functional_admin")
    page = client.get("/admin/modules")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Casusregie" in html and "openregie-casemanagement" in html
    assert ">actief<" in html and "aangezet met OPENREGIE_MODULES" in html
    # the reason, computed at startup, is translated for each request
    english = client.get("/admin/modules", headers={"Accept-Language": "en"})
    assert "enabled by OPENREGIE_MODULES" in english.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["professional", "team_lead", "policy_officer"])
def test_other_roles_may_not_open_the_modules_page(client, login_as, kind):
    login_as(kind)
    assert client.get("/admin/modules").status_code == 403
    assert client.get("/admin/modules/casemanagement").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/modules")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/admin/modules"


@pytest.mark.openregie_modules("casemanagement")
def test_module_page_shows_settings_and_permissions(client, login_as):
    login_as("functional_admin")
    html = client.get("/admin/modules/casemanagement").get_data(as_text=True)
    assert "<code>no_contact_days</code>" in html
    assert "casemanagement.case.read" in html


def test_unknown_module_page_is_a_404(client, login_as):
    login_as("functional_admin")
    assert client.get("/admin/modules/nosuchmodule").status_code == 404


def test_secret_settings_are_redacted(module_distributions, make_app):
    module_distributions.add(
        "vault",
        """
        from openregie_sdk import ModuleManifest
        MANIFEST = ModuleManifest(id="vault", title="Vault", publisher="Tests", sdk=">=1.0,<2",
                                  settings="{pkg}.settings:VaultSettings")
        """,
        {
            "settings.py": """
            from pydantic import SecretStr
            from openregie_sdk import ModuleSettings

            class VaultSettings(ModuleSettings):
                api_key: SecretStr = SecretStr("")
                endpoint: str = "https://example.invalid"
            """
        },
    )
    app = make_app(["vault"], module_config={"vault": {"api_key": "s3cr3t-value"}})
    assert (
        app.extensions["openregie"].module_settings("vault").api_key.get_secret_value()
        == "s3cr3t-value"
    )
    client = app.test_client()
    log_in(app, client, "functional_admin")
    html = client.get("/admin/modules/vault").get_data(as_text=True)
    assert "s3cr3t-value" not in html
    assert "**********" in html and "https://example.invalid" in html


@pytest.mark.openregie_modules("casemanagement")
def test_modules_set_by_configuration_offer_no_toggle_and_refuse_changes(client, login_as, db):
    login_as("functional_admin")
    page = client.get("/admin/modules/casemanagement").get_data(as_text=True)
    assert "OPENREGIE_MODULES" in page and "Uitzetten" not in page
    response = client.post(
        "/admin/modules/casemanagement/disable",
        data={"csrf_token": csrf_token_in(page)},
        follow_redirects=True,
    )
    assert "Niet gewijzigd" in response.get_data(as_text=True)
    assert db.get(ModuleSelection, "casemanagement") is None


def test_disabling_from_the_page_needs_csrf_and_says_a_restart_is_needed(make_app):
    app = make_app(None)  # the installation default: first-party modules, admin may toggle
    client = app.test_client()
    log_in(app, client, "functional_admin", display_name="Fenna Beheer")
    page = client.get("/admin/modules/casemanagement").get_data(as_text=True)
    assert "Uitzetten" in page

    assert client.post("/admin/modules/casemanagement/disable").status_code == 400
    response = client.post(
        "/admin/modules/casemanagement/disable",
        data={"csrf_token": csrf_token_in(page)},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Herstart de applicatie" in html and "gegevens blijven bewaard" in html

    runtime = app.extensions["openregie"]
    with runtime.session_factory() as session:
        assert session.get(ModuleSelection, "casemanagement").enabled is False
        event = session.scalar(select(ModuleEvent).where(ModuleEvent.module_id == "casemanagement"))
    assert event.action == "disabled" and event.actor.startswith("Fenna Beheer")

    url = runtime.engine.url.render_as_string(hide_password=False)
    restarted = make_app(None, database_url=url, strict_modules=False)
    modules = restarted.extensions["openregie"].modules
    record = modules.get("casemanagement")
    assert (record.state.value, str(record.reason)) == (
        "installed",
        "uitgezet door de functioneel beheerder",
    )
    # the portal needs a case-management provider, so it is blocked too, and says why
    portal = modules.get("portal")
    assert portal.state.value == "blocked"
    assert "vereist capability casemanagement" in str(portal.reason)
