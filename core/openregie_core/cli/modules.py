"""`openregie modules ...`: works even when a module is broken, so it can always be
listed, disabled and purged (no application or module code is needed for that)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from openregie_core.cli.context import settings_or_exit
from openregie_core.i18n import in_english

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from openregie_core.config import Settings
    from openregie_core.modules.states import ModuleSet


def _state() -> tuple[Settings, Engine, ModuleSet]:
    from openregie_core.app import resolve_modules
    from openregie_core.database import make_engine

    settings = settings_or_exit()
    engine = make_engine(settings.resolved_database_url)
    return settings, engine, resolve_modules(settings, engine)


@click.group()
def modules() -> None:
    """List, inspect, enable, disable and purge modules; generate a new one."""


@modules.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_(as_json: bool) -> None:
    """Every installed module with its distribution, version, state and the reason."""
    _, _, module_set = _state()
    rows = [record.as_dict() for record in module_set.records]
    if as_json:
        problems = [in_english(problem) for problem in module_set.problems]
        click.echo(json.dumps({"modules": rows, "problems": problems}, indent=2))
        return
    for row in rows:
        columns = (
            (row["id"], 20),
            (row["distribution"], 28),
            (row["version"], 10),
            (row["state"], 13),
        )
        click.echo(" ".join(f"{value:<{width}}" for value, width in columns) + f" {row['reason']}")
    for problem in module_set.problems:
        click.echo(f"problem: {in_english(problem)}", err=True)


@modules.command()
@click.argument("module_id")
def show(module_id: str) -> None:
    """Details of one module."""
    from openregie_core.modules.loader import settings_as_dict

    _, _, module_set = _state()
    record = module_set.get(module_id)
    if record is None:
        raise click.ClickException(f"no installed module {module_id!r}")
    data = record.as_dict()
    data["settings"] = settings_as_dict(record.settings)
    data["permissions"] = [p.name for p in record.manifest.permissions] if record.manifest else []
    data["tables"] = record.tables
    click.echo(json.dumps(data, indent=2))


def _toggle(module_id: str, enabled: bool) -> None:
    from sqlalchemy.orm import Session

    from openregie_core.modules.admin import ModuleAdminError, set_enabled

    settings, engine, _ = _state()
    with Session(engine) as session:
        try:
            set_enabled(session, settings, module_id, enabled, "cli")
        except ModuleAdminError as exc:
            raise click.ClickException(str(exc)) from None


@modules.command()
@click.argument("module_id")
def enable(module_id: str) -> None:
    """Enable a module (run `openregie db upgrade` and restart afterwards)."""
    _toggle(module_id, True)
    click.echo(f"{module_id} enabled: run `openregie db upgrade` and restart the application")


@modules.command()
@click.argument("module_id")
def disable(module_id: str) -> None:
    """Disable a module; its data is kept (restart the application afterwards)."""
    _toggle(module_id, False)
    click.echo(f"{module_id} disabled: restart the application; its data is kept")


@modules.command()
@click.argument("module_id")
@click.option("--confirm", "confirmation", required=True, help="Repeat the module id.")
def purge(module_id: str, confirmation: str) -> None:
    """Remove a disabled module's tables and data for good (logged)."""
    from sqlalchemy.orm import Session

    from openregie_core.modules.admin import ModuleAdminError
    from openregie_core.modules.admin import purge as purge_module

    if confirmation != module_id:
        raise click.ClickException(f"--confirm must repeat the module id {module_id!r}")
    _, engine, module_set = _state()
    with Session(engine) as session:
        try:
            dropped = purge_module(engine, session, module_id, module_set.loaded_ids, "cli")
        except ModuleAdminError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"purged {module_id}: dropped {', '.join(dropped) or 'nothing'}")


@modules.command(short_help="Generate the package of a new module (docs/first-module.md).")
@click.argument("name")
@click.option(
    "--path",
    type=click.Path(path_type=Path),
    help="Folder to create for the package (default: ./NAME); it must not exist.",
)
@click.option(
    "--publisher",
    default="Onbekend",
    show_default=True,
    help="Who ships the module, shown to functional admins.",
)
@click.option("--title", help="Dutch name shown to functional admins (default: from NAME).")
@click.option(
    "--package",
    help="Import package (default: openregie_NAME); the distribution is named after it.",
)
def new(
    name: str, path: Path | None, publisher: str, title: str | None, package: str | None
) -> None:
    """Generate the package of a new module NAME: manifest, hooks, a model and its first
    migration, a page with its permission and menu item, settings, an English catalogue and
    tests (the SDK's contract test included) that pass once it is installed."""
    from openregie_core.scaffold import ScaffoldError, plan, write

    try:
        scaffold = plan(name, path, publisher=publisher, title=title, package=package)
        write(scaffold)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"could not write the module: {exc}") from None
    target = scaffold.target
    click.echo(
        f"created module {name!r} in {target}\n"
        f"  package {scaffold.package}, distribution {scaffold.distribution}\n"
        "next:\n"
        f"  pip install -e '{target}[test]'   # into the environment that runs OpenRegie\n"
        f"  cd {target} && pytest        # the contract test and the page tests\n"
        f"  openregie modules enable {name} && openregie db upgrade"
    )
