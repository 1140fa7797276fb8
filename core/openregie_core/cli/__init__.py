"""The `openregie` command. Subcommands are imported only when run, so `--help` is fast;
modules' command groups appear as `openregie <module-id> ...`."""

from __future__ import annotations

import importlib
from typing import Any

import click

CORE_COMMANDS = {
    "serve": ("openregie_core.cli.serve", "serve"),
    "db": ("openregie_core.cli.db", "db"),
    "modules": ("openregie_core.cli.modules", "modules"),
    "users": ("openregie_core.cli.users", "users"),
    "demo": ("openregie_core.cli.demo", "demo"),
    "audit": ("openregie_core.cli.audit", "audit"),
    "import": ("openregie_core.cli.importing", "import_group"),
    "subject": ("openregie_core.cli.subject", "subject"),
}
SHORT_HELP = {
    "serve": "Serve the web application.",
    "db": "Migrate the database: upgrade, current, pending, check, revision, downgrade.",
    "modules": "List, inspect, enable, disable and purge modules.",
    "users": "Manage user accounts.",
    "demo": "Seed demo data (development and demo installations only).",
    "audit": "Verify the hash chain of the audit log.",
    "import": "Import persons and households from CSV files.",
    "subject": "Export or erase everything held about a person (AVG art. 15, 17).",
}


class ModuleCommands(click.Group):
    """Stands in for a module's command group until it is used; then builds the app and
    runs the module's subcommands inside its application context."""

    _loaded: tuple[Any, click.Group] | None = None

    def _real(self) -> tuple[Any, click.Group]:
        if self._loaded is None:
            from openregie_core.cli.context import module_cli

            self._loaded = module_cli(self.name or "")
        return self._loaded

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real()[1].list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._real()[1].get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        app, _ = self._real()
        runtime = app.extensions["openregie"]
        with app.app_context():
            try:
                return super().invoke(ctx)
            finally:
                runtime.close_cli_session()


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*CORE_COMMANDS, *_module_ids()]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in CORE_COMMANDS:
            module_name, attribute = CORE_COMMANDS[name]
            return getattr(importlib.import_module(module_name), attribute)
        if name in _module_ids():
            return ModuleCommands(name=name, short_help=f"Commands of the {name} module.")
        return None

    def format_commands(self, ctx: click.Context, formatter: Any) -> None:
        rows = [(name, SHORT_HELP[name]) for name in CORE_COMMANDS]
        rows += [(name, f"Commands of the {name} module.") for name in _module_ids()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _module_ids() -> list[str]:
    from importlib_metadata import entry_points

    return sorted({ep.name for ep in entry_points(group="openregie.modules")})


@click.group(cls=LazyGroup)
@click.version_option(package_name="openregie-core", prog_name="openregie")
def main() -> None:
    """OpenRegie: the regiesysteem for social neighbourhood teams.

    Configuration comes from OPENREGIE_* environment variables and instance/openregie.toml.
    """
