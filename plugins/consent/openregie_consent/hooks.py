"""Hook implementations of the consent module: the expiry widget and demo data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from flask_babel import gettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from openregie_consent.models import GIVEN, REFUSED, REQUESTED, WITHDRAWN, ConsentRecord
from openregie_consent.settings import ConsentSettings
from openregie_sdk import Actor, authorize, db_session, hookimpl, module_settings, render
from openregie_sdk.contributions import DashboardWidget, DemoContext
from openregie_sdk.db import utcnow

DEMO_PURPOSES = (
    "Afstemming met school",
    "Afstemming met huisarts",
    "Schuldhulpverlening",
    "Aanvraag Wmo-voorziening",
)


def count_given_consents_expiring(session: Session, now: dt.datetime, window: dt.timedelta) -> int:
    """Given consents, in force at `now`, that expire within `window`. Only the latest record
    of each subject, recipient and purpose counts: a later withdrawal supersedes a consent."""
    later = aliased(ConsentRecord)
    superseded = exists().where(
        later.subject_id == ConsentRecord.subject_id,
        later.recipient_id == ConsentRecord.recipient_id,
        later.purpose == ConsentRecord.purpose,
        or_(
            later.recorded_at > ConsentRecord.recorded_at,
            and_(later.recorded_at == ConsentRecord.recorded_at, later.id > ConsentRecord.id),
        ),
    )
    count = session.scalar(
        select(func.count())
        .select_from(ConsentRecord)
        .where(
            ConsentRecord.status == GIVEN,
            ConsentRecord.valid_from <= now,
            ConsentRecord.valid_until > now,
            ConsentRecord.valid_until <= now + window,
            ~superseded,
        )
    )
    return count or 0


@hookimpl
def openregie_dashboard_widgets(actor: Actor) -> list[DashboardWidget]:
    if not authorize("consent.record.read"):
        return []
    days = cast(ConsentSettings, module_settings("consent")).expiry_warning_days
    expiring = count_given_consents_expiring(db_session(), utcnow(), dt.timedelta(days=days))
    body = render("consent/widget.html", expiring=expiring, days=days)
    return [DashboardWidget(title=gettext("Toestemmingen"), body=body, order=30)]


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    if context.session.scalar(select(func.count()).select_from(ConsentRecord)):
        return
    now = utcnow()
    rng = context.rng

    def record(
        subject: uuid.UUID,
        recipient: uuid.UUID,
        purpose: str,
        status: str,
        days_ago: int,
        valid_days: int | None,
    ) -> ConsentRecord:
        recorded = now - dt.timedelta(days=days_ago)
        return ConsentRecord(
            subject_id=subject,
            recipient_id=recipient,
            purpose=purpose,
            status=status,
            valid_from=recorded,
            valid_until=None if valid_days is None else recorded + dt.timedelta(days=valid_days),
            recorded_at=recorded,
        )

    for index in range(10):
        subject = uuid.UUID(int=rng.getrandbits(128))
        recipient = uuid.UUID(int=rng.getrandbits(128))
        purpose = rng.choice(DEMO_PURPOSES)
        days_ago = rng.randint(20, 350)
        if index % 5 == 0:  # given, then withdrawn: the withdrawal is in force
            context.session.add(record(subject, recipient, purpose, GIVEN, days_ago, 365))
            context.session.add(record(subject, recipient, purpose, WITHDRAWN, days_ago // 2, None))
        elif index % 5 == 1:
            context.session.add(record(subject, recipient, purpose, REFUSED, days_ago, None))
        elif index % 5 == 2:
            context.session.add(record(subject, recipient, purpose, REQUESTED, 2, None))
        elif index % 5 == 3:  # a year's consent that expires in 10 to 25 days
            context.session.add(
                record(subject, recipient, purpose, GIVEN, rng.randint(340, 355), 365)
            )
        else:  # a year's consent with months to go
            context.session.add(
                record(subject, recipient, purpose, GIVEN, rng.randint(200, 300), 365)
            )
