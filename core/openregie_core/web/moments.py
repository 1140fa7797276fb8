"""Moments shown to people: stored in UTC, shown in Dutch local time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    LOCAL_ZONE: dt.tzinfo = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # a system without time zone data: show UTC rather than fail
    LOCAL_ZONE = dt.UTC


def local_time(moment: dt.datetime | None) -> str | None:
    """`31-12-2025 23:59` in Dutch local time; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back UTC without a zone
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")
