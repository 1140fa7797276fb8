"""Tables of the consent module (prefix `consent_`).

`consent_record` is an append-only history: a change (giving, refusing, withdrawing, an
expiry) is a new row, and for each subject, recipient and purpose the most recently
recorded row is in force. Subjects and recipients are opaque ids without foreign keys: the
records are evidence that must outlive an erasure of the registry row (see subject.py).
`consent_override` records each doorbreking and its review by the team lead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow

REQUESTED = "requested"
GIVEN = "given"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"
STATUSES = (REQUESTED, GIVEN, REFUSED, WITHDRAWN, EXPIRED)
OBTAINED = ("verbal", "written", "portal")
RECIPIENT_KINDS = ("organisation", "team", "external")


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC; a naive value is refused (a moment needs a time zone)."""
    if moment.tzinfo is None:
        raise ValueError(f"a moment needs a time zone, got the naive datetime {moment!r}")
    return moment.astimezone(dt.UTC)


class ConsentRecord(UuidPrimaryKey, Base):
    """One version of a person's consent to share data with a recipient for a purpose."""

    __tablename__ = "consent_record"
    __table_args__ = (
        Index(
            "ix_consent_record_subject_recipient_purpose", "subject_id", "recipient_id", "purpose"
        ),
    )

    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The organisation, team or external party that would receive the data.
    recipient_id: Mapped[uuid.UUID]
    recipient_kind: Mapped[str] = mapped_column(
        String(15), default="organisation", server_default="organisation"
    )
    recipient_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    purpose: Mapped[str] = mapped_column(String(80))
    data_categories: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    legal_basis: Mapped[str] = mapped_column(String(10), default="", server_default="")
    special_category_exception: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.datetime]
    valid_until: Mapped[dt.datetime | None]
    obtained: Mapped[str | None] = mapped_column(String(10))
    # Person ids (strings) of who spoke: the subject and/or their legal representatives.
    given_by: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence_key: Mapped[str | None] = mapped_column(String(200))
    evidence_filename: Mapped[str | None] = mapped_column(String(255))
    evidence_content_type: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by_user_id: Mapped[uuid.UUID | None]
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @validates("status")
    def _known_status(self, _key: str, status: str) -> str:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        return status


class ConsentOverride(UuidPrimaryKey, Base):
    """A doorbreking: `user_id` may see the subject's data without consent until
    `valid_until`, for `reason`; the team lead of `review_team_id` reviews it."""

    __tablename__ = "consent_override"
    __table_args__ = (Index("ix_consent_override_subject_user", "subject_id", "user_id"),)

    subject_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(String(300), default="")
    valid_from: Mapped[dt.datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[dt.datetime]
    review_team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by_user_id: Mapped[uuid.UUID | None]
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
