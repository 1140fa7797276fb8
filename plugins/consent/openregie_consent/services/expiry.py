"""The expiry run behind `openregie consent expire`: a given consent whose period has
ended gets a new version with status expired (so the history says when it lapsed), and
the consents that expire within N days are listed. Idempotent: an expired consent's
latest version is already `expired`, so a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from openregie_consent.models import EXPIRED, GIVEN, ConsentRecord
from openregie_consent.services.common import MODULE
from openregie_consent.services.predicates import latest_version
from openregie_sdk import audit, db_session


def lapsed(now: dt.datetime) -> list[ConsentRecord]:
    """Latest versions that are given but whose period ended at or before `now`."""
    return list(
        db_session().scalars(
            select(ConsentRecord).where(
                ConsentRecord.status == GIVEN,
                ConsentRecord.valid_until.is_not(None),
                ConsentRecord.valid_until <= now,
                latest_version(),
            )
        )
    )


def expiring_within(now: dt.datetime, days: int) -> list[ConsentRecord]:
    """Latest versions in force at `now` that end within `days` days, soonest first."""
    return list(
        db_session().scalars(
            select(ConsentRecord)
            .where(
                ConsentRecord.status == GIVEN,
                ConsentRecord.valid_from <= now,
                ConsentRecord.valid_until > now,
                ConsentRecord.valid_until <= now + dt.timedelta(days=days),
                latest_version(),
            )
            .order_by(ConsentRecord.valid_until, ConsentRecord.id)
        )
    )


def expire(now: dt.datetime) -> list[ConsentRecord]:
    """Add an `expired` version for each lapsed consent; returns the new versions."""
    session = db_session()
    added = []
    for record in lapsed(now):
        version = ConsentRecord(
            subject_id=record.subject_id,
            recipient_id=record.recipient_id,
            recipient_kind=record.recipient_kind,
            recipient_name=record.recipient_name,
            purpose=record.purpose,
            data_categories=list(record.data_categories or ()),
            legal_basis=record.legal_basis,
            special_category_exception=record.special_category_exception,
            status=EXPIRED,
            valid_from=record.valid_until,
            valid_until=None,
            obtained=None,
            given_by=[],
            note="",
            recorded_at=max(now, record.recorded_at + dt.timedelta(microseconds=1)),
            recorded_by_name="systeem",
        )
        session.add(version)
        added.append(version)
    session.flush()
    if added:
        audit.record(
            "update", "consent.expire", "person", [r.subject_id for r in added], module=MODULE
        )
    return added
