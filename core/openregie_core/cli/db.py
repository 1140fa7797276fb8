"""`openregie db ...`: migrations of core and the loaded modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from openregie_core.cli.context import settings_or_exit

if TYPE_CHECKING:
    from openregie_core.migrate import Migrator

T = TypeVar("T")


def _migrator() -> Migrator:
    from openregie_core.app import resolve_modules
    from openregie_core.database import make_engine
    from openregie_core.migrate import Migrator, lineages_for

    settings = settings_or_exit()
    engine = make_engine(settings.resolved_database_url)
    modules = resolve_modules(settings, engine)
    errors = modules.strict_errors()
    if errors and settings.strict_modules:
        raise click.ClickException("strict mode: " + "; ".join(errors))
    for error in errors:
        click.echo(f"warning: {error}", err=True)
    return Migrator(engine, lineages_for(modules))


def _run(action: Callable[[], T]) -> T:
    from openregie_core.migrate import MigrationError

    try:
        return action()
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def db() -> None:
    """Migrate the database: core first, then the loaded modules in dependency order."""


@db.command()
@click.option("--module", "module_id", help="Only this lineage (core or a module id).")
def upgrade(module_id: str | None) -> None:
    """Create or upgrade the tables of core and every loaded module."""
    from openregie_core.cli.context import app_or_exit
    from openregie_core.upgrade import upgrade_installation

    app = app_or_exit()
    changed = _run(lambda: upgrade_installation(app, only=module_id))
    app.extensions["openregie"].engine.dispose()
    click.echo("upgraded: " + (", ".join(changed) if changed else "nothing to do"))


@db.command()
def current() -> None:
    """Show the applied revision of every lineage."""
    for lineage, revisions in _migrator().current().items():
        click.echo(f"{lineage}: {', '.join(revisions) or '(none)'}")


@db.command()
def pending() -> None:
    """List revisions not yet applied; exit 1 when there are any."""
    result = _run(lambda: _migrator().pending())
    waiting = False
    for lineage, revisions in result.items():
        click.echo(f"{lineage}: {', '.join(revisions) or 'up to date'}")
        waiting = waiting or bool(revisions)
    if waiting:
        raise SystemExit(1)


@db.command()
def check() -> None:
    """Fail when the models and the migrations differ (drift)."""
    drift = _run(lambda: _migrator().check())
    if drift:
        for lineage, diffs in drift.items():
            click.echo(f"{lineage}: models and migrations differ:", err=True)
            for diff in diffs:
                click.echo(f"  {diff}", err=True)
        raise SystemExit(1)
    click.echo("no drift: models and migrations agree")


@db.command()
@click.option("--module", "module_id", required=True, help="core or a loaded module id.")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def revision(module_id: str, message: str) -> None:
    """Autogenerate a revision for one lineage from its models."""
    path = _run(lambda: _migrator().revision(module_id, message))
    click.echo(f"written: {path}")


@db.command()
@click.option("--module", "module_id", required=True, help="core or a loaded module id.")
@click.argument("target")
def downgrade(module_id: str, target: str) -> None:
    """Downgrade one lineage to TARGET (a revision, or `base` for nothing).

    Outside development this asks you to type the module id to confirm."""
    settings = settings_or_exit()
    if not settings.is_development:
        typed = click.prompt(f"Type {module_id!r} to downgrade it to {target}", default="")
        if typed != module_id:
            raise click.ClickException("not confirmed; nothing changed")
    _run(lambda: _migrator().downgrade(module_id, target))
    click.echo(f"{module_id} downgraded to {target}")
