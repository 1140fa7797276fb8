"""Hook implementations of the portal module: the activity widget and demo data."""

from __future__ import annotations

import datetime as dt
import uuid

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openregie_portal.models import PortalAccount
from openregie_sdk import Actor, authorize, db_session, hookimpl, render
from openregie_sdk.contributions import DashboardWidget, DemoContext
from openregie_sdk.db import utcnow

ACTIVITY_DAYS = 30


def count_residents_logged_in_since(session: Session, since: dt.datetime) -> int:
    """Residents whose last login to the portal was at or after `since`."""
    count = session.scalar(
        select(func.count()).select_from(PortalAccount).where(PortalAccount.last_login_at >= since)
    )
    return count or 0


@hookimpl
def openregie_dashboard_widgets(actor: Actor) -> list[DashboardWidget]:
    if not authorize("portal.accounts.view"):
        return []
    since = utcnow() - dt.timedelta(days=ACTIVITY_DAYS)
    active = count_residents_logged_in_since(db_session(), since)
    body = render("portal/widget.html", active=active, days=ACTIVITY_DAYS)
    return [DashboardWidget(title=gettext("Mijn Regie"), body=body, order=40)]


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    if context.session.scalar(select(func.count()).select_from(PortalAccount)):
        return
    now = utcnow()
    for index in range(8):
        created = now - dt.timedelta(days=context.rng.randint(40, 400))
        # Every third resident never logged in; the others at some point since joining.
        last_login = None
        if index % 3:
            last_login = now - dt.timedelta(days=context.rng.randint(0, 39), hours=index)
        context.session.add(
            PortalAccount(
                person_id=uuid.UUID(int=context.rng.getrandbits(128)),
                created_at=created,
                last_login_at=last_login,
            )
        )
