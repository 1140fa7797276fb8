"""Core's own contributions, made through the same hooks modules use."""

from __future__ import annotations

from openregie_core.roles import FUNCTIONAL_ADMIN, POLICY_OFFICER, PROFESSIONAL, TEAM_LEAD
from openregie_sdk import hookimpl
from openregie_sdk.actors import Actor
from openregie_sdk.manifest import ModuleManifest, NavItem, Permission

STAFF = (FUNCTIONAL_ADMIN, TEAM_LEAD, PROFESSIONAL, POLICY_OFFICER)

CORE_PERMISSIONS = (
    Permission(name="core.dashboard.view", title="Startpagina bekijken", default_roles=STAFF),
    Permission(name="core.session.end", title="Uitloggen", default_roles=STAFF),
    Permission(
        name="core.modules.manage",
        title="Modules beheren",
        description="Modules inzien, aan- en uitzetten.",
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
                label="Start", endpoint="core.dashboard", permission="core.dashboard.view", order=0
            ),
            NavItem(
                label="Modules",
                endpoint="core_admin.modules",
                permission="core.modules.manage",
                order=900,
            ),
        ]

    @hookimpl
    def openregie_authorize(self, actor: Actor, permission: str) -> bool:
        # Roles are the ceiling: a module may narrow access, never widen it.
        return actor.holds(permission)


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
