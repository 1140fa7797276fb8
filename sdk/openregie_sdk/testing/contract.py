"""The module contract test: every module runs it against itself.

    from openregie_sdk.testing.contract import ModuleContract

    class TestContract(ModuleContract):
        module_id = "consent"
        with_modules = ()  # providers of capabilities this module requires

It checks: the manifest is valid and its id equals the entry-point name; hook
implementations match the SDK's specs; tables carry the module's prefix; migrations go
up → down → up with no drift; settings defaults are valid; permissions are namespaced and
unique; the module enables and disables cleanly, keeping its data when disabled.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from sqlalchemy import inspect

from openregie_sdk.manifest import ModuleManifest


class ModuleContract:
    module_id: ClassVar[str] = ""
    with_modules: ClassVar[tuple[str, ...]] = ()

    @property
    def modules(self) -> list[str]:
        return [self.module_id, *self.with_modules]

    def _record(self) -> Any:
        from openregie_core.modules.discovery import installed_modules
        from openregie_core.modules.loader import load_contributions, load_manifest
        from openregie_core.modules.record import ModuleRecord, State

        found = [m for m in installed_modules() if m.id == self.module_id]
        assert len(found) == 1, f"exactly one installed distribution registers {self.module_id!r}"
        record = ModuleRecord(found[0], State.ENABLED, "")
        load_manifest(record)
        assert record.state is State.ENABLED, record.reason
        load_contributions(record, {})
        assert record.state is State.ENABLED, record.reason
        return record

    def test_manifest_is_valid_and_named_by_its_entry_point(self) -> None:
        record = self._record()
        assert isinstance(record.manifest, ModuleManifest)
        assert record.manifest.id == record.installed.entry_point.name == self.module_id

    def test_module_loads_with_the_installed_sdk(self, make_app: Any) -> None:
        app = make_app(self.modules)
        state = app.extensions["openregie"].modules.get(self.module_id)
        assert state.state.value == "loaded", state.reason

    def test_hook_implementations_match_the_specs(self) -> None:
        from openregie_core.modules.loader import _check_hookimpls

        assert _check_hookimpls(self._record()) is None

    def test_tables_carry_the_module_prefix(self) -> None:
        record = self._record()
        prefix = record.manifest.prefix + "_"
        assert all(t.startswith(prefix) for t in record.tables), record.tables

    def test_settings_defaults_are_valid(self) -> None:
        from openregie_core.modules.loader import resolve_import

        manifest = self._record().manifest
        if manifest.settings is None:
            pytest.skip("the module declares no settings")
        resolve_import(manifest.settings)()

    def test_permissions_are_namespaced_and_unique(self) -> None:
        manifest = self._record().manifest
        names = [p.name for p in manifest.permissions]
        assert manifest.foreign_permissions() == []
        assert len(names) == len(set(names))

    def test_migrations_go_up_down_up_without_drift(self, make_app: Any) -> None:
        from openregie_core.migrate import Migrator, lineages_for

        app = make_app(self.modules, migrate=False)
        runtime = app.extensions["openregie"]
        migrator = Migrator(runtime.engine, lineages_for(runtime.modules))
        migrator.upgrade()
        assert migrator.check() == {}
        tables = self._record().tables
        if self.module_id in {lineage.id for lineage in migrator.lineages}:
            migrator.downgrade(self.module_id, "base")
            remaining = set(inspect(runtime.engine).get_table_names())
            assert not remaining & set(tables), "downgrade to base leaves the module's tables"
            migrator.upgrade(only=self.module_id)
        assert migrator.check() == {}
        assert set(tables) <= set(inspect(runtime.engine).get_table_names())

    def test_enables_and_disables_cleanly(self, make_app: Any) -> None:
        enabled = make_app(self.modules)
        url = enabled.extensions["openregie"].engine.url.render_as_string(hide_password=False)
        tables = set(self._record().tables)
        others = [m for m in self.with_modules]
        disabled = make_app(others, database_url=url)
        record = disabled.extensions["openregie"].modules.get(self.module_id)
        assert record.state.value == "installed"
        assert disabled.test_client().get("/health").status_code == 200
        assert tables <= set(inspect(disabled.extensions["openregie"].engine).get_table_names())
