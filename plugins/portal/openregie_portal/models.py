"""Tables of the portal module (prefix `portal_`)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow

CHANNELS = ("phone", "email", "letter", "portal")
"""How a resident prefers to be contacted."""
CORRECTION_FIELDS = ("name", "birth_date", "address", "other")
CORRECTION_STATES = ("open", "processed", "rejected")


class PortalAccount(UuidPrimaryKey, Base):
    """A resident's account on Mijn Regie: at most one per person."""

    __tablename__ = "portal_account"

    # An opaque person id (accounts predate the registry being reachable).
    person_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    preferred_channel: Mapped[str | None] = mapped_column(String(10))  # one of CHANNELS


class PortalCorrection(UuidPrimaryKey, Base):
    """A resident's proposal to correct registry data that they may not change themselves
    (names, birth date, address come from the BRP): a professional reviews it."""

    __tablename__ = "portal_correction"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"), index=True)
    proposed_by_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"))
    field: Mapped[str] = mapped_column(String(20))  # one of CORRECTION_FIELDS
    proposal: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[dt.datetime | None]
    handled_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))
    handled_note: Mapped[str | None] = mapped_column(Text)
