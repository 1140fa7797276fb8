"""Loading one enabled module: import its manifest and contributions and check each alone.

Each function takes a `ModuleRecord` in state ENABLED and either leaves it so or marks it
FAILED or INCOMPATIBLE with a reason a functional admin can act on. Checks that need all
modules at once (clashes, capabilities, order) live in `states.py`.
"""

from __future__ import annotations

import importlib
from typing import Any

import pluggy
from flask import Blueprint
from packaging.specifiers import SpecifierSet
from pydantic import BaseModel, ValidationError

from openregie_core.modules.record import ModuleRecord, State
from openregie_core.modules.settings import module_settings_values
from openregie_sdk import hookspecs
from openregie_sdk.capabilities import CAPABILITIES
from openregie_sdk.db import Base
from openregie_sdk.manifest import ModuleManifest, ModuleSettings


def resolve_import(target: str) -> Any:
    """`package.module:attribute` → the attribute; `package.module` → the module."""
    module_name, _, attribute = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        obj = getattr(obj, part)
    return obj


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(x) for x in err['loc']) or 'manifest'}: {err['msg']}"
            for err in exc.errors()
        ]
        return "; ".join(parts)
    return f"{type(exc).__name__}: {exc}"


def load_manifest(record: ModuleRecord) -> None:
    try:
        manifest = record.installed.entry_point.load()
    except ValidationError as exc:
        record.mark(State.FAILED, f"invalid manifest: {_describe(exc)}")
        return
    except Exception as exc:  # any import error of third-party code is reported, not raised
        record.mark(State.FAILED, f"import failed: {_describe(exc)}")
        return
    if not isinstance(manifest, ModuleManifest):
        record.mark(
            State.FAILED,
            f"invalid manifest: entry point gives {type(manifest).__name__}, not a ModuleManifest",
        )
        return
    if manifest.id != record.id:
        record.mark(
            State.FAILED,
            f"invalid manifest: id {manifest.id!r} differs from entry-point name {record.id!r}",
        )
        return
    record.manifest = manifest


def check_sdk(record: ModuleRecord, sdk_version: str) -> None:
    assert record.manifest is not None
    if not SpecifierSet(record.manifest.sdk).contains(sdk_version, prereleases=True):
        record.mark(
            State.INCOMPATIBLE,
            f"needs SDK {record.manifest.sdk}, but SDK {sdk_version} is installed",
        )


def load_contributions(record: ModuleRecord, module_config: dict[str, dict[str, Any]]) -> None:
    """Import hooks, models, views, CLI and providers; validate hookimpls and settings."""
    manifest = record.manifest
    assert manifest is not None
    current = "?"
    try:
        for current in manifest.models:
            resolve_import(current)
        for current in manifest.hooks:  # a loop, not a comprehension: `current` names the culprit
            record.hook_objects.append(resolve_import(current))
        for ref in manifest.blueprints:
            current = ref.target
            blueprint = resolve_import(ref.target)
            if not isinstance(blueprint, Blueprint):
                record.mark(State.FAILED, f"{ref.target} is not a Flask Blueprint")
                return
            record.blueprints.append((blueprint, ref.url_prefix))
        if manifest.cli:
            current = manifest.cli
            record.cli = resolve_import(manifest.cli)
        settings_cls = None
        if manifest.settings:
            current = manifest.settings
            settings_cls = resolve_import(manifest.settings)
        for capability, target in manifest.capability_providers.items():
            current = target
            record.providers[capability] = resolve_import(target)()
    except Exception as exc:
        record.mark(State.FAILED, f"cannot load {current}: {_describe(exc)}")
        return

    problem = (
        _check_hookimpls(record)
        or _check_settings(record, settings_cls, module_config)
        or _check_providers(record)
    )
    if problem:
        record.mark(State.FAILED, problem)
        return
    record.tables = tables_of_package(record.installed.package)


def _check_hookimpls(record: ModuleRecord) -> str | None:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    try:
        for index, obj in enumerate(record.hook_objects):
            pm.register(obj, name=f"{record.id}#{index}")
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        return f"hook implementation does not match the SDK's hook specs: {exc}"
    wrappers = [
        impl.function.__name__
        for caller in pm.hook.__dict__.values()
        if isinstance(caller, pluggy.HookCaller)
        for impl in caller.get_hookimpls()
        if impl.wrapper or impl.hookwrapper
    ]
    if wrappers:
        # The facade calls each implementation on its own; wrappers would bypass its policy.
        return f"hook wrappers are not supported: {', '.join(sorted(wrappers))}"
    return None


def _check_settings(
    record: ModuleRecord, settings_cls: Any, module_config: dict[str, dict[str, Any]]
) -> str | None:
    if settings_cls is None:
        return None
    if not (isinstance(settings_cls, type) and issubclass(settings_cls, ModuleSettings)):
        return f"settings {record.manifest.settings} is not a ModuleSettings subclass"  # type: ignore[union-attr]
    try:
        record.settings = settings_cls(**module_settings_values(record.id, module_config))
    except ValidationError as exc:
        details = "; ".join(
            f"{record.id}.{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
            for err in exc.errors()
        )
        return f"invalid settings: {details}"
    return None


def _check_providers(record: ModuleRecord) -> str | None:
    for capability, provider in record.providers.items():
        spec = CAPABILITIES.get(capability)
        if spec is None:
            continue
        declared = record.manifest.provides.get(capability, spec.version)  # type: ignore[union-attr]
        missing = [
            name
            for name in spec.methods_for(declared)
            if not callable(getattr(provider, name, None))
        ]
        if missing:
            return (
                f"its {capability} provider lacks what the {capability} {declared} "
                f"protocol requires: {', '.join(missing)}"
            )
    return None


def tables_of_package(package: str) -> list[str]:
    """Names of the tables mapped by classes defined in `package` (on the shared Base)."""
    tables: set[str] = set()
    for mapper in Base.registry.mappers:
        if mapper.class_.__module__.split(".", 1)[0] == package:
            tables.update(t.name for t in mapper.tables)
    return sorted(tables)


def settings_as_dict(settings: BaseModel | None) -> dict[str, Any]:
    """Settings for display: secrets redacted by pydantic's SecretStr repr."""
    if settings is None:
        return {}
    return {name: str(getattr(settings, name)) for name in type(settings).model_fields}
