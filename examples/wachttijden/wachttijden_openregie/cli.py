"""Commands of the Wachttijden module, run as `openregie wachttijden ...` inside the
application:

    openregie wachttijden import [FEED.csv] [--dry-run]

checks every row of the feed (format in README.md) and imports it all or nothing: each
problem is printed with its row number, column and reason, nothing is written and the
command exits with status 1. Without FEED the `feed_path` setting is read. Importing the
same feed again changes nothing (`0 created, 0 updated, N unchanged`), so it is safe to
run from cron after every delivery.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from openregie_sdk import db_session, module_settings

from wachttijden_openregie.feed import read_feed
from wachttijden_openregie.module import MANIFEST
from wachttijden_openregie.store import store


@click.group()
def group() -> None:
    """Wachttijden: waiting times of care providers from the feed of Wachttijd BV."""


@group.command("import")
@click.argument("feed", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the feed only; write nothing.")
def import_command(feed: Path | None, dry_run: bool) -> None:
    """Import the waiting times of FEED (default: the feed_path setting), all or nothing."""
    if feed is None:
        feed = module_settings(MANIFEST.id).feed_path  # type: ignore[attr-defined]
        if feed is None:
            raise click.UsageError(
                "give the feed file (FEED.csv) or set feed_path in [modules.wachttijden]"
            )
    try:
        text = feed.read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        raise click.ClickException(f"{feed}: no such file") from error
    except OSError as error:
        raise click.ClickException(f"{feed}: cannot be read ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{feed}: not UTF-8; save the file as UTF-8") from error
    rows, problems = read_feed(text, dt.date.today())
    if problems:
        for problem in problems:
            click.echo(f"{feed.name}: {problem}", err=True)
        raise click.ClickException(
            f"nothing was imported: {len(problems)} problem(s) in {feed.name}"
        )
    session = db_session()
    try:
        outcome = store(rows)
    except Exception:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
        click.echo(f"{feed.name}: checked, nothing written (would be: {outcome})")
        return
    session.commit()
    click.echo(f"{feed.name}: {outcome}")
