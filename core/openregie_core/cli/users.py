"""`openregie users ...`: user accounts."""

from __future__ import annotations

import os

import click

from openregie_core.cli.context import app_context


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command()
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Full name as shown in the UI.")
@click.option(
    "--kind",
    type=click.Choice(["professional", "team_lead", "functional_admin", "policy_officer"]),
    required=True,
)
@click.option("--email", default=None)
@click.option(
    "--password-env",
    default=None,
    metavar="VAR",
    help="Read the password from this environment variable instead of prompting.",
)
def create(
    username: str, display_name: str, kind: str, email: str | None, password_env: str | None
) -> None:
    """Create a user account."""
    from openregie_core.accounts import AccountError, create_user

    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise click.ClickException(f"environment variable {password_env} is empty or unset")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with app_context() as runtime:
        try:
            user = create_user(
                runtime.session(),
                runtime.hooks,
                username=username,
                display_name=display_name,
                kind=kind,
                email=email,
                password=password,
            )
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"created {user.kind} {user.username} ({user.id})")
