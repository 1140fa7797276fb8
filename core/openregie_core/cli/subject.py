"""`openregie subject ...`: a data subject's rights (export, erasure) across all modules."""

from __future__ import annotations

import json
from pathlib import Path

import click

from openregie_core.cli.context import app_context

WHO = [
    click.option("--person", "person_id", default=None, help="The person's id (UUID)."),
    click.option("--bsn", default=None, help="The person's BSN."),
]


def _who(function):  # type: ignore[no-untyped-def]
    for option in reversed(WHO):
        function = option(function)
    return function


@click.group()
def subject() -> None:
    """Export or erase everything held about a person (AVG art. 15 and 17)."""


@subject.command()
@_who
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Write the export (JSON) to this file.",
)
def export(person_id: str | None, bsn: str | None, output: Path) -> None:
    """Export everything core and the modules hold about a person, as JSON."""
    from openregie_core.subject import SubjectError, export_subject, find_person

    with app_context() as runtime:
        session = runtime.session()
        try:
            person = find_person(session, person_id=person_id, bsn=bsn)
        except SubjectError as exc:
            raise click.ClickException(str(exc)) from None
        document = export_subject(session, runtime.hooks, person)
        session.commit()
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    output.chmod(0o600)
    sections = len(document["modules"])
    click.echo(f"exported to {output}: the person, {sections} module section(s)")
    if document["incomplete_modules"]:
        raise click.ClickException(
            "incomplete: the export of "
            + ", ".join(document["incomplete_modules"])
            + " failed (see the log)"
        )


@subject.command()
@_who
@click.option("--dry-run", is_flag=True, help="Only show what would be erased and kept.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(person_id: str | None, bsn: str | None, dry_run: bool, yes: bool) -> None:
    """Erase a person's data where no retention period requires keeping it."""
    from openregie_core.subject import SubjectError, erase_subject, find_person

    with app_context() as runtime:
        session = runtime.session()
        try:
            person = find_person(session, person_id=person_id, bsn=bsn)
            if not dry_run and not yes:
                click.confirm(f"Erase the data of {person.full_name}?", abort=True)
            report = erase_subject(session, runtime.hooks, person, dry_run=dry_run)
        except SubjectError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:  # a module's erasure raised; the log names the module
            raise click.ClickException(
                f"the erasure failed in a module ({type(exc).__name__}, see the log); "
                "nothing was erased"
            ) from None
    verb = "would erase" if dry_run else "erased"
    for module, outcome in report.outcomes:
        click.echo(f"{module}: {verb} {outcome.erased}, kept {outcome.retained}")
        for reason in outcome.reasons:
            click.echo(f"  - {reason}")
    if report.person_removed:
        click.echo("the person was removed from the registry")
    elif not dry_run:
        click.echo("the person stays in the registry: a module keeps data about them")
