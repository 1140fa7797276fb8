"""The table of the Wachttijden module: one row per measurement of the feed (a provider's
waiting time for a product category on a day). The current waiting time of a provider
and category is its latest measurement; older ones stay for the reporting metric.

A change here needs a new migration in `migrations/versions/`.
"""

from __future__ import annotations

import datetime as dt

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class WaitingTime(UuidPrimaryKey, Base):
    """The waiting time in whole weeks of provider `agb_code` for `product_category`, as
    measured on `measured_on`; unique per provider, category and day, so importing the
    same feed again changes nothing."""

    __tablename__ = "wachttijden_waiting_time"
    __table_args__ = (UniqueConstraint("agb_code", "product_category", "measured_on"),)

    provider_name: Mapped[str] = mapped_column(String(200))
    agb_code: Mapped[str] = mapped_column(String(8), index=True)
    product_category: Mapped[str] = mapped_column(String(30))
    waiting_weeks: Mapped[int]
    measured_on: Mapped[dt.date]
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
