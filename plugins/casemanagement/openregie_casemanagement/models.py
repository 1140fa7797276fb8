"""Tables of the case-management module (prefix `casemanagement_`)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow

OPEN_STATUSES = ("aanmelding", "intake", "plan", "uitvoering", "evaluatie")
CLOSED = "afgesloten"


class Case(UuidPrimaryKey, Base):
    """The support trajectory of one household."""

    __tablename__ = "casemanagement_case"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_household.id"), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_team.id"), index=True)
    case_manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="aanmelding", index=True)
    opened_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
