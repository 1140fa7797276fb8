"""Commands of the reporting module, run as `openregie report ...` inside the
application (core pushes the application context and closes the session).

    openregie report export --municipality GM0262 --period 2026-Q3 --format xlsx \\
        --output verantwoording-2026-Q3.xlsx

for scheduled delivery to the municipality. Bad input exits non-zero with a clear message.
"""

from __future__ import annotations

from pathlib import Path

import click

from openregie_reporting.engine.export import FORMATS, deliver
from openregie_reporting.engine.periods import PeriodError, parse_period
from openregie_reporting.engine.report import build_report
from openregie_reporting.engine.runner import UnknownFilter


@click.group()
def group() -> None:
    """Reports and accountability: aggregate figures, exported for the municipality."""


@group.command("export")
@click.option("--municipality", required=True, help="CBS code of the municipality, e.g. GM0262.")
@click.option("--period", "period_text", required=True,
              help="2026 (year), 2026-H1, 2026-Q3 or 2026-07 (month).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False),
              default="xlsx", show_default=True)  # fmt: skip
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write; default report-<code>-<period>.<format>.",
)
def export_command(municipality: str, period_text: str, fmt: str, output: Path | None) -> None:
    """Export the report of a municipality and period (suppressed, aggregates only)."""
    try:
        period = parse_period(period_text)
    except PeriodError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    if not municipality.strip():
        raise click.BadParameter(
            "give the municipality's CBS code like GM0262", param_hint="--municipality"
        )
    try:
        report = build_report(period, municipality=municipality)
    except UnknownFilter as exc:
        raise click.BadParameter(str(exc), param_hint="--municipality") from None
    fmt = fmt.lower()
    target = output or Path(f"report-{report.municipality}-{period.label}.{fmt}")
    if target.parent and not target.parent.exists():
        raise click.BadParameter(f"directory {target.parent} does not exist", param_hint="--output")
    size = deliver(report, fmt, target)
    unavailable = [t.id for t in report.tables if not t.available]
    click.echo(f"exported {len(report.tables)} metrics to {target} ({size} bytes)")
    if unavailable:
        click.echo(f"unavailable: {', '.join(unavailable)}", err=True)
