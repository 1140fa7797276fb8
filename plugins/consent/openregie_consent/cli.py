"""Commands of the consent module, run as `openregie consent ...` inside the application.

    openregie consent expire [--within 30]

marks the consents whose period has ended as expired (a new history version each) and
lists those expiring within N days. Idempotent and safe to run from cron: a second run
changes nothing. Bad input exits non-zero with a clear message.
"""

from __future__ import annotations

import click

from openregie_consent.services.common import purpose_label
from openregie_consent.services.expiry import expire, expiring_within
from openregie_consent.web.common import local
from openregie_sdk import db_session
from openregie_sdk.db import utcnow


@click.group()
def group() -> None:
    """Consent: recorded consent of residents to share data."""


@group.command("expire")
@click.option(
    "--within",
    type=click.IntRange(0, 3650),
    default=30,
    show_default=True,
    help="Also list the given consents that expire within this many days.",
)
def expire_command(within: int) -> None:
    """Mark lapsed consents as expired and list those expiring soon."""
    now = utcnow()
    added = expire(now)
    db_session().commit()
    click.echo(f"{len(added)} consent(s) marked expired.")
    soon = expiring_within(now, within) if within else []
    click.echo(f"{len(soon)} given consent(s) expire within {within} days.")
    for record in soon:
        click.echo(
            f"  {local(record.valid_until)}  {record.id}  subject {record.subject_id}  "
            f"{purpose_label(record.purpose)} -> {record.recipient_name}"
        )
