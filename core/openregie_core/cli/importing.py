"""`openregie import persons|households FILE.csv`: check every row, then write all or
nothing, with progress bars. The work is in `openregie_core.registry.importer`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from openregie_core.cli.context import app_context

FILE_FORMAT = """The file: UTF-8 (with or without BOM), a header row, `;` or `,` between
fields (whichever the header uses most). Dates as 2024-03-31 or 31-03-2024. Column names
are not case sensitive; the Dutch name in brackets is accepted too. More in docs/import.md."""

PERSON_HELP = f"""Import persons from a CSV file.

Every row is checked first; if any row is refused, each refusal is reported with its row
number (the header is row 1) and nothing is written. Persons are matched on BSN: importing
the same file again changes nothing, a changed row updates that person, and columns the file
does not have are left as they are.

{FILE_FORMAT}

\b
Columns (* required):
  bsn*                 (burgerservicenummer) 9 digits, 11-proef
  voornamen*           (voornaam)
  voorvoegsel          (tussenvoegsel) e.g. van der
  geslachtsnaam*       (achternaam)
  birth_date           (geboortedatum) not in the future, not before 1900
  phone                (telefoon) 10-15 digits, may start with +
  email                (e-mail)
  street               (straat)
  house_number         (huisnummer) 1-99999
  house_number_suffix  (toevoeging) e.g. A or 2-hoog
  postcode             e.g. 1234 AB
  city                 (woonplaats)
  municipality         (gemeente) CBS code of a registered municipality, e.g. GM0262
"""

HOUSEHOLD_HELP = f"""Import households and their members from a CSV file.

One row per member period. Members are persons found by BSN: already registered, or in the
--persons file imported in the same run. Importing the same file again changes nothing; a
changed row (role, end date) updates that period. All rows or nothing, as for persons.

{FILE_FORMAT}

\b
Columns (* required):
  household*       (huishouden) the household's key in the source system
  household_name   (naam) required on at least one row of each new household
  bsn*             the member's BSN
  role*            (rol) parent, child, partner, carer, other (ouder, kind, verzorger, overig)
  start_on*        (begindatum) first day in the household
  end_on           (einddatum) first day no longer in it; empty while still a member
"""


class ProgressBars:
    """The importer's progress, as one click progress bar per stage."""

    def __init__(self) -> None:
        self._bar: Any = None

    def stage(self, label: str, total: int) -> None:
        self.close()
        self._bar = click.progressbar(length=max(total, 1), label=label.ljust(14), file=sys.stderr)
        self._bar.__enter__()

    def advance(self, rows: int) -> None:
        if self._bar is not None:
            self._bar.update(rows)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@click.group(name="import")
def import_group() -> None:
    """Import persons and households from CSV files."""


@import_group.command(help=PERSON_HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
def persons(file: Path, dry_run: bool) -> None:
    from openregie_core.registry.importer import import_persons

    _run([("persons", import_persons, file)], dry_run)


@import_group.command(help=HOUSEHOLD_HELP)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--persons",
    "persons_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A persons file to import first, in the same transaction.",
)
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
def households(file: Path, persons_file: Path | None, dry_run: bool) -> None:
    from openregie_core.registry.importer import import_households, import_persons

    steps = [("persons", import_persons, persons_file)] if persons_file else []
    _run([*steps, ("households", import_households, file)], dry_run)


def _run(steps: list[tuple[str, Any, Path]], dry_run: bool) -> None:
    """Run the import steps in one transaction; commit only when every row of every file
    passed (and not in a dry run). Every person written is audited in that transaction."""
    from openregie_core.registry.importer import record_import

    with app_context() as runtime:
        session = runtime.session()
        summaries = []
        for what, importer, path in steps:
            bars = ProgressBars()
            try:
                result = importer(session, path.read_bytes(), progress=bars, dry_run=dry_run)
            finally:
                bars.close()
            if not result.ok:
                session.rollback()
                for problem in result.problems:
                    click.echo(f"{path.name}: {problem}", err=True)
                raise click.ClickException(
                    f"nothing was imported: {len(result.problems)} problem(s) in {path.name}"
                )
            if not dry_run:
                record_import(result)
            summaries.append(_summary(what, result, dry_run))
        if dry_run:
            session.rollback()
        else:
            session.commit()
    for line in summaries:
        click.echo(line)


def _summary(what: str, result: Any, dry_run: bool) -> str:
    if dry_run:
        return f"{what}: {result.rows} rows checked, all valid (dry run: nothing written)"
    line = (
        f"{what}: {result.rows} rows: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )
    if what == "households":
        line += f" ({result.households} new households)"
    return line
