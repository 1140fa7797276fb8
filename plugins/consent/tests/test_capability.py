"""The consent module provides the `consent` capability: the latest record decides, at a moment."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy.exc import StatementError

from openregie_consent.models import ConsentRecord
from openregie_sdk import capability
from openregie_sdk.capabilities.consent import Consent

UTC = dt.UTC
START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
PURPOSE = "Afstemming met school"


def _record(
    subject: uuid.UUID,
    recipient: uuid.UUID,
    status: str,
    *,
    recorded_at: dt.datetime = START,
    valid_from: dt.datetime = START,
    valid_until: dt.datetime | None = None,
    purpose: str = PURPOSE,
) -> ConsentRecord:
    return ConsentRecord(
        subject_id=subject,
        recipient_id=recipient,
        purpose=purpose,
        status=status,
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_at=recorded_at,
    )


def test_provider_satisfies_the_consent_protocol(app, db):
    assert isinstance(capability("consent"), Consent)


def test_without_a_record_consent_is_not_granted(app, db):
    decision = capability("consent").decide(uuid.uuid4(), uuid.uuid4(), PURPOSE, START)
    assert decision.granted is False
    assert decision.reason == "Geen toestemming vastgelegd."
    assert decision.consent_id is None


def test_given_consent_in_force_is_granted(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    record = _record(subject, recipient, "given", valid_until=START + dt.timedelta(days=365))
    db.add(record)
    db.commit()
    decision = capability("consent").decide(
        subject, recipient, PURPOSE, START + dt.timedelta(days=10)
    )
    assert decision.granted is True
    assert decision.reason == "Toestemming gegeven."
    assert decision.consent_id == record.id


def test_withdrawn_consent_is_not_granted_from_the_next_check_on(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    db.add(_record(subject, recipient, "given"))
    db.commit()
    consent = capability("consent")
    check = START + dt.timedelta(days=30)
    assert consent.decide(subject, recipient, PURPOSE, check).granted is True

    withdrawal = _record(subject, recipient, "withdrawn", recorded_at=START + dt.timedelta(days=20))
    db.add(withdrawal)
    db.commit()
    decision = consent.decide(subject, recipient, PURPOSE, check)
    assert decision.granted is False
    assert decision.reason == "Toestemming ingetrokken."
    assert decision.consent_id == withdrawal.id


def test_consent_given_again_after_a_withdrawal_is_granted(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    db.add_all(
        [
            _record(subject, recipient, "given"),
            _record(subject, recipient, "withdrawn", recorded_at=START + dt.timedelta(days=1)),
            _record(subject, recipient, "given", recorded_at=START + dt.timedelta(days=2)),
        ]
    )
    db.commit()
    decision = capability("consent").decide(
        subject, recipient, PURPOSE, START + dt.timedelta(days=3)
    )
    assert decision.granted is True


def test_expired_consent_is_not_granted(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    until = dt.datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    db.add(_record(subject, recipient, "given", valid_until=until))
    db.commit()
    consent = capability("consent")

    assert consent.decide(subject, recipient, PURPOSE, until - dt.timedelta(seconds=1)).granted
    decision = consent.decide(subject, recipient, PURPOSE, until)
    assert decision.granted is False
    # Shown in Dutch summer time (UTC+2).
    assert decision.reason == "Toestemming verlopen op 01-07-2026 12:00."


def test_consent_is_not_granted_before_it_takes_effect(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    db.add(_record(subject, recipient, "given", valid_from=dt.datetime(2026, 2, 1, tzinfo=UTC)))
    db.commit()
    decision = capability("consent").decide(subject, recipient, PURPOSE, START)
    assert decision.granted is False
    assert decision.reason == "Toestemming gaat in op 01-02-2026 01:00."


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("requested", "Toestemming is gevraagd, maar nog niet gegeven."),
        ("refused", "Toestemming geweigerd."),
        ("expired", "Toestemming verlopen."),
    ],
)
def test_consent_that_is_not_given_is_not_granted(app, db, status, reason):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    db.add(_record(subject, recipient, status))
    db.commit()
    decision = capability("consent").decide(subject, recipient, PURPOSE, START)
    assert (decision.granted, decision.reason) == (False, reason)


def test_consent_covers_only_its_own_recipient_and_purpose(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    db.add(_record(subject, recipient, "given"))
    db.commit()
    consent = capability("consent")
    assert consent.decide(subject, recipient, PURPOSE, START).granted is True
    assert consent.decide(subject, uuid.uuid4(), PURPOSE, START).granted is False
    assert consent.decide(subject, recipient, "Schuldhulpverlening", START).granted is False
    assert consent.decide(uuid.uuid4(), recipient, PURPOSE, START).granted is False


def test_a_moment_without_time_zone_is_refused(app, db):
    with pytest.raises(ValueError, match="time zone"):
        capability("consent").decide(uuid.uuid4(), uuid.uuid4(), PURPOSE, dt.datetime(2026, 1, 1))
    db.add(_record(uuid.uuid4(), uuid.uuid4(), "given", valid_from=dt.datetime(2026, 1, 1)))
    with pytest.raises(StatementError, match="time zone"):  # refused by the SDK's UtcDateTime
        db.flush()
    db.rollback()


def test_an_unknown_status_is_refused(app):
    with pytest.raises(ValueError, match="status must be one of"):
        _record(uuid.uuid4(), uuid.uuid4(), "maybe")


def test_moments_in_another_time_zone_are_stored_as_utc(app, db):
    subject, recipient = uuid.uuid4(), uuid.uuid4()
    plus_two = dt.timezone(dt.timedelta(hours=2))
    # 1 July 12:00 at UTC+2 is 10:00 UTC; one second before that consent is in force.
    until = dt.datetime(2026, 7, 1, 12, 0, tzinfo=plus_two)
    db.add(_record(subject, recipient, "given", valid_until=until))
    db.commit()
    db.expire_all()  # read back from the database, not from the identity map
    consent = capability("consent")
    ten_utc = dt.datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert consent.decide(subject, recipient, PURPOSE, ten_utc - dt.timedelta(seconds=1)).granted
    assert not consent.decide(subject, recipient, PURPOSE, ten_utc).granted
