"""`openregie audit ...`: check the audit log. Needs only the database, no module code."""

from __future__ import annotations

import click

from openregie_core.cli.context import settings_or_exit


@click.group()
def audit() -> None:
    """Check the audit log (verwerkingenlogging)."""


@audit.command()
def verify() -> None:
    """Walk the hash chain; exit non-zero naming the first record that breaks it."""
    from sqlalchemy.orm import Session

    from openregie_core.audit import verify as verify_chain
    from openregie_core.database import make_engine

    engine = make_engine(settings_or_exit().resolved_database_url)
    try:
        with Session(engine) as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    if report.broken is not None:
        raise click.ClickException(f"audit chain broken: {report.broken.message}")
    click.echo(f"audit chain intact: {report.checked} records")
