"""Tables of the consent module (prefix `consent_`).

Records are a history: a change (a withdrawal, a renewal) is a new record, and for each
subject, recipient and purpose the most recently recorded one is in force.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow

REQUESTED = "requested"
GIVEN = "given"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"
STATUSES = (REQUESTED, GIVEN, REFUSED, WITHDRAWN, EXPIRED)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC; a naive value is refused (a moment needs a time zone)."""
    if moment.tzinfo is None:
        raise ValueError(f"a moment needs a time zone, got the naive datetime {moment!r}")
    return moment.astimezone(dt.UTC)


class ConsentRecord(UuidPrimaryKey, Base):
    """One statement of a person's consent to share data with a recipient for a purpose."""

    __tablename__ = "consent_record"
    __table_args__ = (
        Index(
            "ix_consent_record_subject_recipient_purpose", "subject_id", "recipient_id", "purpose"
        ),
    )

    # An opaque person id until the core registry of persons is reachable through the SDK.
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The organisation, team or external party that would receive the data.
    recipient_id: Mapped[uuid.UUID]
    purpose: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.datetime]
    valid_until: Mapped[dt.datetime | None]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("status")
    def _known_status(self, _key: str, status: str) -> str:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        return status
