"""Module administration shared by the admin page and the CLI: enable, disable, purge.

Changes take effect at the next start of the application processes; enabling a module
that ships migrations also needs `openregie db upgrade` before that start.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from openregie_core.config import Settings
from openregie_core.migrate import purge_tables
from openregie_core.models import ModuleEvent, ModuleSelection
from openregie_core.modules.discovery import installed_modules
from openregie_core.modules.loader import load_manifest
from openregie_core.modules.record import ModuleRecord, State


class ModuleAdminError(Exception):
    """The requested module change is refused; the message says why."""


def set_enabled(
    session: Session, settings: Settings, module_id: str, enabled: bool, actor: str
) -> None:
    """Record the functional admin's choice and log it (effective at the next start)."""
    if module_id not in {m.id for m in installed_modules()}:
        raise ModuleAdminError(f"no installed module {module_id!r}")
    if settings.modules is not None:
        raise ModuleAdminError(
            "the enabled modules are set by OPENREGIE_MODULES; change that setting instead"
        )
    choice = session.get(ModuleSelection, module_id)
    if choice is None:
        choice = ModuleSelection(module_id=module_id, enabled=enabled, changed_by=actor)
        session.add(choice)
    else:
        choice.enabled = enabled
        choice.changed_by = actor
    action = "enabled" if enabled else "disabled"
    session.add(ModuleEvent(module_id=module_id, action=action, actor=actor))
    session.commit()


def purge(
    engine: Engine, session: Session, module_id: str, loaded_ids: list[str], actor: str
) -> list[str]:
    """Drop a disabled module's tables and version table, and log it."""
    if module_id in loaded_ids:
        raise ModuleAdminError(
            f"module {module_id} is enabled and loaded; disable it and restart first"
        )
    prefix = module_id
    installed = next((m for m in installed_modules() if m.id == module_id), None)
    if installed is not None:
        record = ModuleRecord(installed, State.ENABLED, "")
        load_manifest(record)
        if record.manifest is not None:
            prefix = record.manifest.prefix
    dropped = purge_tables(engine, module_id, prefix)
    session.add(
        ModuleEvent(
            module_id=module_id,
            action="purged",
            actor=actor,
            detail="dropped: " + (", ".join(dropped) or "nothing"),
        )
    )
    session.commit()
    return dropped


def recent_events(
    session: Session, module_id: str | None = None, limit: int = 20
) -> list[ModuleEvent]:
    query = select(ModuleEvent).order_by(ModuleEvent.at.desc()).limit(limit)
    if module_id:
        query = query.where(ModuleEvent.module_id == module_id)
    return list(session.scalars(query))
