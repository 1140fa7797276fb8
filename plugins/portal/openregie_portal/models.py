"""Tables of the portal module (prefix `portal_`)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow


class PortalAccount(UuidPrimaryKey, Base):
    """A resident's account on Mijn Regie: at most one per person."""

    __tablename__ = "portal_account"

    # An opaque person id until the core registry of persons is reachable through the SDK.
    person_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
