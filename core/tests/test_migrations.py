"""Migrations: one lineage per module, fresh installs, modules enabled later, disabling,
purging and drift — on whichever database the suite runs on. The module under test is a
real tiny distribution with its own model and migration, written per test."""

from __future__ import annotations

import importlib
import uuid

import pytest
from sqlalchemy import inspect, select, text

from openregie_core.migrate import MigrationError, Migrator, lineages_for
from openregie_core.models import ModuleEvent
from openregie_core.modules.admin import ModuleAdminError, purge

MANIFEST = """
from openregie_sdk import ModuleManifest
MANIFEST = ModuleManifest(
    id="{id}", title="Migrating", publisher="Tests", sdk=">=1.0,<2",
    models=("{pkg}.models",), migrations="{pkg}.migrations",
)
"""
MODELS = """
import uuid
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from openregie_sdk.db import Base

class Item(Base):
    __tablename__ = "{id}_item"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), index=True)
"""
MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "{id}_0001"
down_revision = None
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        "{id}_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_{id}_item"),
    )
    op.create_index("ix_{id}_item_status", "{id}_item", ["status"])

def downgrade():
    op.drop_index("ix_{id}_item_status", table_name="{id}_item")
    op.drop_table("{id}_item")
"""


@pytest.fixture
def module_id(module_distributions) -> str:
    """A fresh module with one table and one migration (ids are unique per test because
    every test's tables share the process-wide metadata)."""
    mid = f"mig{uuid.uuid4().hex[:6]}"
    module_distributions.add(
        mid,
        MANIFEST.replace("{id}", mid),
        {
            "models.py": MODELS.replace("{id}", mid),
            "migrations/__init__.py": "",
            f"migrations/versions/0001_{mid}.py": MIGRATION.replace("{id}", mid),
        },
    )
    return mid


def _migrator(app) -> Migrator:
    runtime = app.extensions["openregie"]
    return Migrator(runtime.engine, lineages_for(runtime.modules))


def _url(app) -> str:
    return app.extensions["openregie"].engine.url.render_as_string(hide_password=False)


def _tables(app) -> set[str]:
    return set(inspect(app.extensions["openregie"].engine).get_table_names())


def test_fresh_install_creates_and_stamps_every_lineage(make_app, module_id):
    app = make_app([module_id], migrate=False)
    migrator = _migrator(app)
    assert migrator.current() == {"core": (), module_id: ()}

    assert migrator.upgrade() == ["core", module_id]

    assert migrator.current() == migrator.heads()
    assert {
        "core_user",
        f"{module_id}_item",
        "alembic_version_core",
        f"alembic_version_{module_id}",
    } <= _tables(app)
    assert migrator.pending() == {"core": [], module_id: []}
    assert migrator.upgrade() == []


def test_a_module_enabled_later_gets_its_tables_with_the_next_upgrade(make_app, module_id):
    core_only = make_app([])
    assert f"{module_id}_item" not in _tables(core_only)

    later = make_app([module_id], database_url=_url(core_only))
    migrator = _migrator(later)
    assert migrator.pending()[module_id] == [f"{module_id}_0001"]
    assert migrator.upgrade() == [module_id]
    assert f"{module_id}_item" in _tables(later)


def test_disabling_a_module_keeps_its_data(make_app, module_id):
    app = make_app([module_id])
    items = importlib.import_module(
        app.extensions["openregie"].modules.get(module_id).installed.package + ".models"
    )
    with app.extensions["openregie"].session_factory() as session:
        session.add(items.Item(title="bewaard", status="open"))
        session.commit()

    disabled = make_app([], database_url=_url(app))
    assert disabled.extensions["openregie"].modules.get(module_id).state.value == "installed"
    assert _migrator(disabled).upgrade() == []
    with disabled.extensions["openregie"].engine.connect() as connection:
        titles = connection.execute(text(f"SELECT title FROM {module_id}_item")).scalars().all()
    assert titles == ["bewaard"]


def test_purge_removes_a_disabled_modules_tables_and_logs_it(make_app, module_id):
    app = make_app([module_id])
    disabled = make_app([], database_url=_url(app))
    runtime = disabled.extensions["openregie"]

    with runtime.session_factory() as session:
        dropped = purge(runtime.engine, session, module_id, runtime.modules.loaded_ids, "test")
        events = session.scalars(
            select(ModuleEvent).where(ModuleEvent.module_id == module_id)
        ).all()

    assert dropped == [f"alembic_version_{module_id}", f"{module_id}_item"]
    assert not {t for t in _tables(disabled) if t.startswith(module_id)}
    assert f"alembic_version_{module_id}" not in _tables(disabled)
    assert [(e.action, e.actor) for e in events] == [("purged", "test")]
    assert f"{module_id}_item" in events[0].detail


def test_purge_refuses_a_loaded_module(make_app, module_id):
    app = make_app([module_id])
    runtime = app.extensions["openregie"]
    with runtime.session_factory() as session, pytest.raises(ModuleAdminError, match="disable it"):
        purge(runtime.engine, session, module_id, runtime.modules.loaded_ids, "test")
    assert f"{module_id}_item" in _tables(app)


def test_downgrade_to_base_and_upgrade_again_restores_the_module(make_app, module_id):
    app = make_app([module_id])
    migrator = _migrator(app)
    migrator.downgrade(module_id, "base")
    assert f"{module_id}_item" not in _tables(app)
    assert "core_user" in _tables(app)
    migrator.upgrade(only=module_id)
    assert f"{module_id}_item" in _tables(app)
    assert migrator.check() == {}


def test_check_detects_drift_between_models_and_database(make_app, module_id):
    app = make_app([module_id])
    migrator = _migrator(app)
    assert migrator.check() == {}
    with app.extensions["openregie"].engine.begin() as connection:
        connection.execute(text("CREATE TABLE core_rogue (id INTEGER PRIMARY KEY)"))
        connection.execute(text(f"DROP INDEX ix_{module_id}_item_status"))
    drift = migrator.check()
    assert set(drift) == {"core", module_id}
    assert "core_rogue" in " ".join(drift["core"])
    assert f"ix_{module_id}_item_status" in " ".join(drift[module_id])


def test_check_refuses_a_database_with_pending_migrations(make_app, module_id):
    app = make_app([module_id], migrate=False)
    with pytest.raises(MigrationError, match="not up to date"):
        _migrator(app).check()


def test_unknown_lineage_is_named_in_the_error(make_app):
    app = make_app([])
    with pytest.raises(MigrationError, match="no loaded lineage 'nosuchmodule'"):
        _migrator(app).downgrade("nosuchmodule", "base")
