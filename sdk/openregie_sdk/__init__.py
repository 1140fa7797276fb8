"""The OpenRegie SDK: everything a module may import from the platform.

A module imports `openregie_sdk`, its own package and third-party libraries, nothing else.
What core provides at run time (database session, actor, authorisation, settings,
capabilities, templates) is reached through the accessors re-exported here; the audit log
through `openregie_sdk.audit`.
"""

from openregie_sdk import audit
from openregie_sdk.actors import Actor, ActorKind, Grant, Scope
from openregie_sdk.audit import AccessEntry
from openregie_sdk.hookspecs import HookKind, hookimpl
from openregie_sdk.manifest import BlueprintRef, ModuleManifest, ModuleSettings, NavItem, Permission
from openregie_sdk.runtime import (
    authorize,
    capability,
    current_actor,
    db_session,
    module_settings,
    person_visibility,
    render,
    report_metrics,
)
from openregie_sdk.version import SDK_VERSION
from openregie_sdk.web import PUBLIC, public, requires

__all__ = [
    "PUBLIC",
    "SDK_VERSION",
    "AccessEntry",
    "Actor",
    "ActorKind",
    "BlueprintRef",
    "Grant",
    "HookKind",
    "ModuleManifest",
    "ModuleSettings",
    "NavItem",
    "Permission",
    "Scope",
    "audit",
    "authorize",
    "capability",
    "current_actor",
    "db_session",
    "hookimpl",
    "module_settings",
    "person_visibility",
    "public",
    "render",
    "report_metrics",
    "requires",
]
