"""`openregie demo`: seed demo data with a progress bar and print the demo logins."""

from __future__ import annotations

import click

from openregie_core.cli.context import app_context


@click.command()
@click.option("--seed", "seed_value", default=262, show_default=True, help="Random seed.")
def demo(seed_value: int) -> None:
    """Seed demo data (demo and development installations only)."""
    from openregie_core.auth.totp import code_at, current_step, grouped
    from openregie_core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoError, seed

    with app_context() as runtime:
        steps = 1 + len(runtime.hooks.demo_data_implementations())
        with click.progressbar(length=steps, label="Seeding demo data") as bar:
            try:
                problems = seed(runtime, seed_value, lambda message: bar.update(1))
            except DemoError as exc:
                raise click.ClickException(str(exc)) from None
    code_now = code_at(DEMO_TOTP_SECRET, current_step())
    for problem in problems:
        click.echo(f"warning: demo data of {problem}", err=True)
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.username:<12} {account.kind}")
    click.echo("Second factor for all: add this TOTP secret to any authenticator app")
    click.echo(f"  {DEMO_TOTP_SECRET}  ({grouped(DEMO_TOTP_SECRET)})")
    click.echo(f"  and enter the code it shows (the code right now: {code_now}).")
