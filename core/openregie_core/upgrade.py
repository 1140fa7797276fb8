"""`openregie db upgrade` in full: migrate every lineage, then hand newly declared
permissions to their seeded roles. The CLI and the test kit both use this."""

from __future__ import annotations

from flask import Flask

from openregie_core.authz.roles import sync_builtin_roles
from openregie_core.migrate import Migrator, lineages_for


def upgrade_installation(app: Flask, only: str | None = None) -> list[str]:
    """Returns the ids of the lineages that changed."""
    runtime = app.extensions["openregie"]
    changed = Migrator(runtime.engine, lineages_for(runtime.modules)).upgrade(only=only)
    with runtime.session_factory() as session:
        sync_builtin_roles(session, runtime.permissions.values())
        session.commit()
    return changed
