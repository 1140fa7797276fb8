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
    # The docstring under each field is its description (and its line in the reference).
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Permission(_Frozen):
    """A permission a module declares. `name` starts with the declaring module's id
    (`consent.record.read`); `default_roles` lists the seeded roles that get it."""

    name: PermissionName
    """Dotted name starting with the module id, e.g. `consent.record.read`."""
    title: str
    """Dutch title shown on the roles page."""
    description: str = ""
    """Dutch explanation shown on the roles page."""
    default_roles: tuple[str, ...] = ()
    """Seeded roles (`professional`, `team_lead`, `functional_admin`, `policy_officer`, ...)
    that get the permission when it is first seen; admins can change it afterwards."""


class NavItem(_Frozen):
    """An entry in the main navigation, shown to actors holding `permission`.
    `label` is Dutch and is translated through the module's message catalog."""

    label: str
    """Dutch label of the entry (translated through the module's catalogue)."""
    endpoint: str
    """Flask endpoint the entry links to, e.g. `casemanagement.worklist`."""
    permission: PermissionName
    """Only actors holding this permission see the entry."""
    order: int = 100
    """Position in the navigation: lower comes first."""


class BlueprintRef(_Frozen):
    """A Flask blueprint the module contributes, mounted at `url_prefix` (unique per
    installation; a module API goes under `/api/v1/<module id>`)."""

    target: ImportString
    """Import string of the blueprint object, e.g. `my_module.web:blueprint`."""
    url_prefix: UrlPrefix
    """Where it is mounted, e.g. `/casussen`; unique in the installation."""


class ModuleSettings(BaseModel):
    """Base class for a module's settings model: every field needs a valid default, values
    come from the installation's configuration (`[modules.<id>]` in the TOML file or
    `OPENREGIE_<ID>__<FIELD>` environment variables) and are validated at start-up.
    Mark secrets with pydantic's `SecretStr` so the admin page redacts them."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ModuleManifest(_Frozen):
    """Declares one OpenRegie module. See docs/first-module.md for a worked example
    and docs/modules.md for the reference.

    Identity: `id` equals the entry-point name; the version is read from the distribution's
    metadata, never declared here. Compatibility: `sdk` is a PEP 440 specifier the installed
    SDK version must satisfy. Dependencies are capabilities, not module ids: `provides` maps a
    capability to the version implemented (the implementation is `capability_providers`);
    `requires` and `optional` map a capability to a specifier. `conflicts` names module ids
    that may not be enabled beside this one.
    """

    id: ModuleId
    """The module id: equals the entry-point name, `[a-z][a-z0-9_]*`, not a reserved word."""
    title: str = Field(min_length=1, max_length=80)
    """Dutch name shown to functional admins."""
    description: str = ""
    """Dutch description shown to functional admins."""
    publisher: str = Field(min_length=1, max_length=80)
    """Who ships the module (a vendor, a municipality, OpenRegie)."""
    sdk: Specifier
    """PEP 440 specifier the installed SDK version must satisfy, e.g. `>=1.2,<2`; otherwise
    the module is shown as incompatible and not loaded."""

    provides: dict[CapabilityName, VersionString] = Field(default_factory=dict)
    """Capabilities this module implements, with the version implemented."""
    capability_providers: dict[CapabilityName, ImportString] = Field(default_factory=dict)
    """Per provided capability, the import string of a zero-argument factory of the
    provider object (checked against the capability's protocol at load time)."""
    requires: dict[CapabilityName, Specifier] = Field(default_factory=dict)
    """Capabilities that must be provided by another enabled module (with a version
    specifier); without them the module is blocked, with the reason shown."""
    optional: dict[CapabilityName, Specifier] = Field(default_factory=dict)
    """Capabilities used when present (`openregie_sdk.capability(name)` may return None)."""
    conflicts: tuple[ModuleId, ...] = ()
    """Module ids that may not be enabled beside this one."""

    hooks: tuple[ImportString, ...] = ()
    """Modules holding `@hookimpl` functions (registered with the plugin manager)."""
    models: tuple[ImportString, ...] = ()
    """Modules defining the module's tables on `openregie_sdk.db.Base`."""
    settings: ImportString | None = None
    """The module's `ModuleSettings` subclass (values from `[modules.<id>]` or
    `OPENREGIE_<ID>__<FIELD>`)."""
    permissions: tuple[Permission, ...] = ()
    """The permissions the module declares (names start with its id)."""
    blueprints: tuple[BlueprintRef, ...] = ()
    """Flask blueprints (pages, a JSON API under `/api/v1/<id>`)."""
    nav_items: tuple[NavItem, ...] = ()
    """Entries in the main navigation."""
    cli: ImportString | None = None
    """A click group run as `openregie <id> ...` inside the application (another name can
    be announced in the entry-point group `openregie.commands`)."""
    migrations: ImportString | None = None
    """Package holding the module's Alembic `versions/` (its own branch)."""
    table_prefix: Annotated[str, StringConstraints(pattern=MODULE_ID_PATTERN)] | None = None
    """Prefix of every table of the module (`<prefix>_...`); default: the module id."""

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
