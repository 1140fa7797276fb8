"""This module's implementation of the `consent` capability (protocol version 1.0)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select

from openregie_consent.models import (
    EXPIRED,
    GIVEN,
    REFUSED,
    REQUESTED,
    WITHDRAWN,
    ConsentRecord,
    as_utc,
)
from openregie_sdk import db_session
from openregie_sdk.capabilities.consent import ConsentDecision

# Moments in reasons are shown as professionals read them: in Dutch time.
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")

NOT_IN_FORCE = {
    REQUESTED: "Toestemming is gevraagd, maar nog niet gegeven.",
    REFUSED: "Toestemming geweigerd.",
    WITHDRAWN: "Toestemming ingetrokken.",
    EXPIRED: "Toestemming verlopen.",
}


def dutch_moment(moment: dt.datetime) -> str:
    """`moment` as a Dutch reader expects it: dd-mm-jjjj uu:mm in Dutch time."""
    return moment.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M")


def latest_record(
    subject_id: uuid.UUID, recipient_id: uuid.UUID, purpose: str
) -> ConsentRecord | None:
    """The most recently recorded record for this subject, recipient and purpose."""
    return db_session().scalar(
        select(ConsentRecord)
        .where(
            ConsentRecord.subject_id == subject_id,
            ConsentRecord.recipient_id == recipient_id,
            ConsentRecord.purpose == purpose,
        )
        .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


def decision_at(record: ConsentRecord | None, at: dt.datetime) -> ConsentDecision:
    """Whether `record` (the one in force) grants consent at `at`, and why in Dutch."""
    at = as_utc(at)
    if record is None:
        return ConsentDecision(granted=False, reason="Geen toestemming vastgelegd.")
    if record.status != GIVEN:
        reason = NOT_IN_FORCE.get(record.status, f"Onbekende status {record.status!r}.")
        return ConsentDecision(granted=False, reason=reason, consent_id=record.id)
    if at < record.valid_from:
        reason = f"Toestemming gaat in op {dutch_moment(record.valid_from)}."
        return ConsentDecision(granted=False, reason=reason, consent_id=record.id)
    if record.valid_until is not None and at >= record.valid_until:
        reason = f"Toestemming verlopen op {dutch_moment(record.valid_until)}."
        return ConsentDecision(granted=False, reason=reason, consent_id=record.id)
    return ConsentDecision(granted=True, reason="Toestemming gegeven.", consent_id=record.id)


class ConsentProvider:
    """The latest record decides, also for an earlier `at`: a withdrawal is never outweighed
    by an older consent, whatever moment a caller asks about."""

    def decide(
        self,
        subject_id: uuid.UUID,
        recipient_id: uuid.UUID,
        purpose: str,
        at: dt.datetime,
    ) -> ConsentDecision:
        return decision_at(latest_record(subject_id, recipient_id, purpose), at)
