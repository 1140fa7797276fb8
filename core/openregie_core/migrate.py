"""Migrations: one Alembic lineage for core and one per module, each with its own version
table `alembic_version_<id>`, all run through the one shared env in `migrations/env.py`.

`upgrade` runs core first, then the loaded modules in load order; a fresh database is thus
created and stamped by one `openregie db upgrade`. Disabled modules are never touched.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect, text

from openregie_core.modules.states import ModuleSet
from openregie_sdk.db import metadata

ENV_DIR = Path(__file__).parent / "migrations"


class MigrationError(Exception):
    """A migration command cannot proceed; the message says why."""


@dataclass(frozen=True)
class Lineage:
    id: str
    prefix: str
    versions_dir: Path

    @property
    def version_table(self) -> str:
        return f"alembic_version_{self.id}"

    def owns(self, table: str) -> bool:
        return table.startswith(self.prefix + "_")

    def include_name(self, name: str | None, type_: str, parent_names: Any) -> bool:
        return type_ != "table" or (name is not None and self.owns(name))

    def include_object(self, obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        return type_ != "table" or (name is not None and self.owns(name))


def core_lineage() -> Lineage:
    import openregie_core.models  # noqa: F401 - registers core's tables

    return Lineage("core", "core", ENV_DIR / "versions")


def lineages_for(modules: ModuleSet) -> list[Lineage]:
    """Core, then every loaded module that ships migrations, in load order."""
    found = [core_lineage()]
    for record in modules.order:
        target = record.manifest.migrations  # type: ignore[union-attr]
        if target:
            package = importlib.import_module(target)
            found.append(
                Lineage(record.id, record.manifest.prefix, Path(package.__path__[0]) / "versions")  # type: ignore[union-attr]
            )
    return found


class Migrator:
    def __init__(self, engine: Engine, lineages: list[Lineage]) -> None:
        self.engine = engine
        self.lineages = lineages

    def lineage(self, lineage_id: str) -> Lineage:
        for lineage in self.lineages:
            if lineage.id == lineage_id:
                return lineage
        known = ", ".join(lineage.id for lineage in self.lineages)
        raise MigrationError(f"no loaded lineage {lineage_id!r}; known: {known}")

    def _config(self, lineage: Lineage, connection: Connection | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", str(ENV_DIR))
        config.set_main_option("version_locations", str(lineage.versions_dir))
        config.set_main_option("path_separator", "os")
        config.set_main_option(
            "file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"
        )
        config.attributes["lineage"] = lineage
        config.attributes["connection"] = connection
        return config

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A connection for DDL. SQLite's batch mode recreates tables, which foreign keys
        would block: they are switched off for the run and checked afterwards."""
        with self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(
                            f"foreign key violations after migration: {broken[:5]}"
                        )
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()

    # -- commands ---------------------------------------------------------------------------
    def upgrade(self, only: str | None = None, target: str = "head") -> list[str]:
        """Upgrade every lineage (or `only` one); returns the ids that changed."""
        changed = []
        for lineage in self.lineages if only is None else [self.lineage(only)]:
            before = self.current().get(lineage.id)
            with self._connection() as connection:
                command.upgrade(self._config(lineage, connection), target)
            if self.current().get(lineage.id) != before:
                changed.append(lineage.id)
        return changed

    def downgrade(self, lineage_id: str, target: str) -> None:
        lineage = self.lineage(lineage_id)
        with self._connection() as connection:
            command.downgrade(self._config(lineage, connection), target)

    def heads(self) -> dict[str, tuple[str, ...]]:
        return {
            lineage.id: tuple(ScriptDirectory.from_config(self._config(lineage)).get_heads())
            for lineage in self.lineages
        }

    def current(self) -> dict[str, tuple[str, ...]]:
        with self.engine.connect() as connection:
            return {
                lineage.id: tuple(
                    MigrationContext.configure(
                        connection, opts={"version_table": lineage.version_table}
                    ).get_current_heads()
                )
                for lineage in self.lineages
            }

    def pending(self) -> dict[str, list[str]]:
        """Revisions not yet applied, per lineage, oldest first."""
        current = self.current()
        result = {}
        for lineage in self.lineages:
            script = ScriptDirectory.from_config(self._config(lineage))
            applied = current[lineage.id]
            revisions = [
                rev.revision
                for rev in script.iterate_revisions("heads", applied[0] if applied else "base")
                if rev.revision not in applied
            ]
            result[lineage.id] = list(reversed(revisions))
        return result

    def check(self) -> dict[str, list[str]]:
        """Differences between the models and the migrated database, per lineage."""
        pending = {k: v for k, v in self.pending().items() if v}
        if pending:
            raise MigrationError(
                "the database is not up to date (run `openregie db upgrade` first): "
                + "; ".join(f"{k}: {len(v)} pending" for k, v in pending.items())
            )
        drift = {}
        with self.engine.connect() as connection:
            for lineage in self.lineages:
                context = MigrationContext.configure(
                    connection,
                    opts={
                        "include_name": lineage.include_name,
                        "include_object": lineage.include_object,
                        "compare_type": True,
                        "target_metadata": metadata,
                    },
                )
                diffs = compare_metadata(context, metadata)
                if diffs:
                    drift[lineage.id] = [repr(d) for d in diffs]
        return drift

    def revision(self, lineage_id: str, message: str) -> str:
        """Autogenerate a revision for one lineage from the difference with its models."""
        lineage = self.lineage(lineage_id)
        lineage.versions_dir.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            script = command.revision(
                self._config(lineage, connection), message=message, autogenerate=True
            )
        assert script is not None and not isinstance(script, list)
        return script.path


def purge_tables(engine: Engine, module_id: str, prefix: str) -> list[str]:
    """Drop a module's tables and its version table; returns the dropped names.

    Tables of another lineage whose prefix starts with this one's are spared."""
    table_names = inspect(engine).get_table_names()
    others = [
        name.removeprefix("alembic_version_")
        for name in table_names
        if name.startswith("alembic_version_") and name != f"alembic_version_{module_id}"
    ]
    mine = [
        name
        for name in table_names
        if name.startswith(prefix + "_")
        and not any(name.startswith(o + "_") for o in others if o.startswith(prefix + "_"))
    ]
    version_table = f"alembic_version_{module_id}"
    reflected = MetaData()
    reflected.reflect(
        engine, only=[*mine, *([version_table] if version_table in table_names else [])]
    )
    with engine.begin() as connection:
        reflected.drop_all(connection)
    return sorted(reflected.tables)


def database_is_reachable(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
