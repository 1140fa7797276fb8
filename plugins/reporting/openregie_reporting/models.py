"""Tables of the reporting module (prefix `reporting_`)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow


class FormationNorm(UuidPrimaryKey, Base):
    """The hours a week an organisation commits to a team (its formatie), against which the
    hours actually deployed are accounted for."""

    __tablename__ = "reporting_formation_norm"
    __table_args__ = (UniqueConstraint("team_id", "organisation_id"),)

    # Ids of core's team and organisation (`openregie_sdk.registry`), checked when a norm is
    # set (openregie_reporting.norms); no foreign key, so that core may remove a team or an
    # organisation: its norms then show as "onbekend" on the norms page and are left out
    # of the report.
    team_id: Mapped[uuid.UUID]
    organisation_id: Mapped[uuid.UUID]
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
