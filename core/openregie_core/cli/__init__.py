"""The `openregie` command. Subcommands are imported only when run, so a core command
starts fast. A module's command group appears as `openregie <module-id> ...`, or under the
name its distribution announces in the entry-point group `openregie.commands` (name = the
command, value = the same manifest reference as its `openregie.modules` entry point), e.g.
`openregie report export` for the reporting module; the module id keeps working too. Names
come from entry-point metadata, so `--help` imports nothing of the application."""

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
    "modules": "List, inspect, enable, disable and purge modules; generate a new one.",
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

    def __init__(self, name: str, module_id: str) -> None:
        super().__init__(name=name, short_help=f"Commands of the {module_id} module.")
        self.module_id = module_id

    def _real(self) -> tuple[Any, click.Group]:
        if self._loaded is None:
            from openregie_core.cli.context import module_cli

            self._loaded = module_cli(self.module_id)
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
        return [*CORE_COMMANDS, *_module_commands()]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in CORE_COMMANDS:
            module_name, attribute = CORE_COMMANDS[name]
            return getattr(importlib.import_module(module_name), attribute)
        if name in _module_ids():
            return ModuleCommands(name, name)
        module_id = _module_commands().get(name)
        return None if module_id is None else ModuleCommands(name, module_id)

    def format_commands(self, ctx: click.Context, formatter: Any) -> None:
        rows = [(name, SHORT_HELP[name]) for name in CORE_COMMANDS]
        rows += [
            (name, f"Commands of the {module_id} module.")
            for name, module_id in _module_commands().items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _entry_points(group: str) -> list[Any]:
    from importlib_metadata import entry_points

    return list(entry_points(group=group))


def _module_ids() -> list[str]:
    return sorted({ep.name for ep in _entry_points("openregie.modules")})


def _module_commands() -> dict[str, str]:
    """Command name -> module id: each module under the name its distribution announces
    in `openregie.commands` (matched to the module by the manifest reference), else under
    its id. A name taken by a core command or by another module is ignored."""
    modules = {ep.value: ep.name for ep in _entry_points("openregie.modules")}
    named: dict[str, str] = {}
    for ep in sorted(_entry_points("openregie.commands"), key=lambda ep: ep.name):
        module_id = modules.get(ep.value)
        taken = ep.name in CORE_COMMANDS or ep.name in named or ep.name in modules.values()
        if module_id is not None and module_id not in named.values() and not taken:
            named[ep.name] = module_id
    unnamed = {module_id: module_id for module_id in modules.values()}
    for module_id in named.values():
        unnamed.pop(module_id)
    return dict(sorted({**named, **unnamed}.items()))


@click.group(cls=LazyGroup)
@click.version_option(package_name="openregie-core", prog_name="openregie")
def main() -> None:
    """OpenRegie: the regiesysteem for social neighbourhood teams.

    Configuration comes from OPENREGIE_* environment variables and instance/openregie.toml.
    """
