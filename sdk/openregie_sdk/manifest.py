"""The module manifest: what a module is, what it needs and what it contributes.

A module registers one entry point in the group `openregie.modules`; its name is the module
id and its value a `ModuleManifest`. Core reads the manifest before it imports anything else
of the module, so keep the module that defines it light: contributions that need imports
(hooks, views, settings, CLI) are named here as import strings `"package.module:attribute"`
and resolved by core only when the module is enabled.
"""

from __future__ import annotations

import re
from typing import Annotated

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

ENTRY_POINT_GROUP = "openregie.modules"

MODULE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
IMPORT_STRING_PATTERN = r"^[A-Za-z_][\w.]*(:[A-Za-z_][\w.]*)?$"
PERMISSION_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
RESERVED_IDS = frozenset({"core", "sdk", "api", "static", "admin"})


def _specifier(value: str) -> str:
    try:
        SpecifierSet(value)
    except InvalidSpecifier as exc:
        raise ValueError(f"not a PEP 440 version specifier: {value!r}") from exc
    return value


def _version(value: str) -> str:
    try:
        Version(value)
    except InvalidVersion as exc:
        raise ValueError(f"not a PEP 440 version: {value!r}") from exc
    return value


def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError(f"{value!r} is reserved for the platform")
    return value


ModuleId = Annotated[
    str, StringConstraints(pattern=MODULE_ID_PATTERN, max_length=40), AfterValidator(_not_reserved)
]
CapabilityName = Annotated[str, StringConstraints(pattern=MODULE_ID_PATTERN, max_length=40)]
ImportString = Annotated[str, StringConstraints(pattern=IMPORT_STRING_PATTERN)]
Specifier = Annotated[str, AfterValidator(_specifier)]
VersionString = Annotated[str, AfterValidator(_version)]
PermissionName = Annotated[str, StringConstraints(pattern=PERMISSION_PATTERN, max_length=120)]
UrlPrefix = Annotated[str, StringConstraints(pattern=r"^(/[a-z0-9][a-z0-9_-]*)+$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Permission(_Frozen):
    """A permission a module declares. `name` starts with the declaring module's id
    (`consent.record.read`); `default_roles` lists the seeded roles that get it."""

    name: PermissionName
    title: str
    description: str = ""
    default_roles: tuple[str, ...] = ()


class NavItem(_Frozen):
    """An entry in the main navigation, shown to actors holding `permission`.
    `label` is Dutch and is translated through the module's message catalog."""

    label: str
    endpoint: str
    permission: PermissionName
    order: int = 100


class BlueprintRef(_Frozen):
    """A Flask blueprint the module contributes, mounted at `url_prefix` (unique per
    installation; a module API goes under `/api/v1/<module id>`)."""

    target: ImportString
    url_prefix: UrlPrefix


class ModuleSettings(BaseModel):
    """Base class for a module's settings model: every field needs a valid default, values
    come from the installation's configuration (`[modules.<id>]` in the TOML file or
    `OPENREGIE_<ID>__<FIELD>` environment variables) and are validated at start-up.
    Mark secrets with pydantic's `SecretStr` so the admin page redacts them."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ModuleManifest(_Frozen):
    """Declares one OpenRegie module. See docs/module-authors.md for a worked example.

    Identity: `id` equals the entry-point name; the version is read from the distribution's
    metadata, never declared here. Compatibility: `sdk` is a PEP 440 specifier the installed
    SDK version must satisfy. Dependencies are capabilities, not module ids: `provides` maps a
    capability to the version implemented (the implementation is `capability_providers`);
    `requires` and `optional` map a capability to a specifier. `conflicts` names module ids
    that may not be enabled beside this one.
    """

    id: ModuleId
    title: str = Field(min_length=1, max_length=80)
    description: str = ""
    publisher: str = Field(min_length=1, max_length=80)
    sdk: Specifier

    provides: dict[CapabilityName, VersionString] = Field(default_factory=dict)
    capability_providers: dict[CapabilityName, ImportString] = Field(default_factory=dict)
    requires: dict[CapabilityName, Specifier] = Field(default_factory=dict)
    optional: dict[CapabilityName, Specifier] = Field(default_factory=dict)
    conflicts: tuple[ModuleId, ...] = ()

    hooks: tuple[ImportString, ...] = ()
    models: tuple[ImportString, ...] = ()
    settings: ImportString | None = None
    permissions: tuple[Permission, ...] = ()
    blueprints: tuple[BlueprintRef, ...] = ()
    nav_items: tuple[NavItem, ...] = ()
    cli: ImportString | None = None
    migrations: ImportString | None = None
    table_prefix: Annotated[str, StringConstraints(pattern=MODULE_ID_PATTERN)] | None = None

    @model_validator(mode="after")
    def _providers_match(self) -> ModuleManifest:
        mismatch = set(self.provides) ^ set(self.capability_providers)
        if mismatch:
            raise ValueError(
                "provides and capability_providers must name the same capabilities; "
                f"mismatch: {', '.join(sorted(mismatch))}"
            )
        return self

    @property
    def prefix(self) -> str:
        """The prefix every table of this module carries (`<prefix>_...`)."""
        return self.table_prefix or self.id

    def foreign_permissions(self) -> list[str]:
        """Declared permissions that are not namespaced by this module's id."""
        return [p.name for p in self.permissions if not p.name.startswith(self.id + ".")]


def is_valid_module_id(value: str) -> bool:
    return re.fullmatch(MODULE_ID_PATTERN, value) is not None and value not in RESERVED_IDS
