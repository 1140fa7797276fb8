"""Core's own contributions, made through the same hooks modules use."""

from __future__ import annotations

from flask import current_app

from openregie_core.authz.persons import person_is_visible
from openregie_core.authz.roles import FUNCTIONAL_ADMIN, POLICY_OFFICER, PROFESSIONAL, TEAM_LEAD
from openregie_core.i18n import N_
from openregie_core.metrics import definitions as core_metrics
from openregie_sdk import hookimpl
from openregie_sdk.actors import Actor
from openregie_sdk.contributions import MetricDefinition
from openregie_sdk.manifest import ModuleManifest, NavItem, Permission
from openregie_sdk.registry import Person

STAFF = (FUNCTIONAL_ADMIN, TEAM_LEAD, PROFESSIONAL, POLICY_OFFICER)

CORE_PERMISSIONS = (
    Permission(
        name="core.api.personal_tokens",
        title=N_("Persoonlijke API-tokens maken"),
        description=N_("Een token die namens uzelf op de API werkt, zonder tweede factor."),
    ),
    Permission(name="core.dashboard.view", title=N_("Startpagina bekijken"), default_roles=STAFF),
    Permission(name="core.session.end", title=N_("Uitloggen"), default_roles=STAFF),
    Permission(
        name="core.teams.read", title=N_("Teams en organisaties bekijken"), default_roles=STAFF
    ),
    Permission(
        name="core.person.read",
        title=N_("Personen inzien waarmee u een relatie hebt"),
        description=N_("Alleen personen met wie u via uw werk een relatie hebt (need-to-know)."),
        default_roles=(FUNCTIONAL_ADMIN, TEAM_LEAD, PROFESSIONAL),
    ),
    Permission(
        name="core.registry.manage",
        title=N_("Basisregistratie beheren"),
        description=N_("Alle inwoners van de gemeente(n) waarvoor de rol geldt; importeren."),
        default_roles=(FUNCTIONAL_ADMIN,),
    ),
    Permission(
        name="core.users.manage",
        title=N_("Gebruikers en rollen beheren"),
        default_roles=(FUNCTIONAL_ADMIN,),
    ),
    Permission(
        name="core.audit.read",
        title=N_("Verwerkingenlog inzien"),
        description=N_(
            "Wie welke gegevens van wie heeft verwerkt; het inzien wordt zelf vastgelegd."
        ),
        default_roles=(FUNCTIONAL_ADMIN,),
    ),
    Permission(
        name="core.modules.manage",
        title=N_("Modules beheren"),
        description=N_("Modules inzien, aan- en uitzetten."),
        default_roles=(FUNCTIONAL_ADMIN,),
    ),
    Permission(
        name="core.api_clients.manage",
        title=N_("API-koppelingen beheren"),
        description=N_("Koppelingen met een token aanmaken, inzien en intrekken."),
        default_roles=(FUNCTIONAL_ADMIN,),
    ),
)


class CorePlugin:
    """Registered first, under the name "core"."""

    @hookimpl
    def openregie_permissions(self) -> list[Permission]:
        return list(CORE_PERMISSIONS)

    @hookimpl
    def openregie_nav_items(self) -> list[NavItem]:
        return [
            NavItem(
                label=N_("Start"),
                endpoint="core.dashboard",
                permission="core.dashboard.view",
                order=0,
            ),
            NavItem(
                label=N_("Personen"),
                endpoint="core_persons.search",
                permission="core.person.read",
                order=10,
            ),
            NavItem(
                label=N_("Teams"),
                endpoint="core_teams.index",
                permission="core.teams.read",
                order=80,
            ),
            NavItem(
                label=N_("Gebruikers"),
                endpoint="core_users.users",
                permission="core.users.manage",
                order=850,
            ),
            NavItem(
                label=N_("Modules"),
                endpoint="core_admin.modules",
                permission="core.modules.manage",
                order=900,
            ),
            NavItem(
                label=N_("Verwerkingenlog"),
                endpoint="core_audit.index",
                permission="core.audit.read",
                order=920,
            ),
            NavItem(
                label=N_("API-koppelingen"),
                endpoint="core_api_clients.index",
                permission="core.api_clients.manage",
                order=910,
            ),
            NavItem(
                label=N_("Mijn account"),
                endpoint="core_account.index",
                permission="core.session.end",
                order=990,
            ),
        ]

    @hookimpl
    def openregie_authorize(self, actor: Actor, permission: str, resource: object | None) -> bool:
        # Roles are the ceiling: a module may narrow access, never widen it.
        if not actor.holds(permission):
            return False
        if isinstance(resource, Person):
            # The same predicate lists use, applied to this one person.
            runtime = current_app.extensions["openregie"]
            return person_is_visible(runtime.session(), actor, runtime.hooks, resource.id)
        return True

    @hookimpl
    def openregie_report_metrics(self) -> list[MetricDefinition]:
        return core_metrics()


class ManifestContributions:
    """Turns a manifest's static declarations into hook implementations, so they reach core
    through the same hooks as dynamic contributions."""

    def __init__(self, manifest: ModuleManifest) -> None:
        self._manifest = manifest

    @hookimpl
    def openregie_permissions(self) -> list[Permission]:
        return list(self._manifest.permissions)

    @hookimpl
    def openregie_nav_items(self) -> list[NavItem]:
        return list(self._manifest.nav_items)
