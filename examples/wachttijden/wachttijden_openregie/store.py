"""Reading and writing waiting times: the import of checked feed rows (idempotent: a
measurement is identified by provider, category and day) and the current waiting times
(a provider's latest measurement per category)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from openregie_sdk import db_session
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from wachttijden_openregie.feed import FeedRow
from wachttijden_openregie.models import WaitingTime


@dataclass(frozen=True)
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def store(rows: list[FeedRow], session: Session | None = None) -> Outcome:
    """Add or update the measurements of `rows` in `session` (default: the current one;
    the caller commits, or rolls back to write nothing). Rows already stored as they are
    count as unchanged, so importing the same feed twice changes nothing."""
    session = session or db_session()
    existing = {
        (w.agb_code, w.product_category, w.measured_on): w
        for w in session.scalars(
            select(WaitingTime).where(WaitingTime.agb_code.in_({r.agb_code for r in rows}))
        )
    }
    created = updated = unchanged = 0
    for row in rows:
        stored = existing.get((row.agb_code, row.product_category, row.measured_on))
        if stored is None:
            session.add(
                WaitingTime(
                    provider_name=row.provider_name,
                    agb_code=row.agb_code,
                    product_category=row.product_category,
                    waiting_weeks=row.waiting_weeks,
                    measured_on=row.measured_on,
                )
            )
            created += 1
        elif (stored.provider_name, stored.waiting_weeks) != (
            row.provider_name,
            row.waiting_weeks,
        ):
            stored.provider_name = row.provider_name
            stored.waiting_weeks = row.waiting_weeks
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return Outcome(created, updated, unchanged)


def _latest() -> tuple[Any, Any]:
    latest = (
        select(
            WaitingTime.agb_code,
            WaitingTime.product_category,
            func.max(WaitingTime.measured_on).label("measured_on"),
        )
        .group_by(WaitingTime.agb_code, WaitingTime.product_category)
        .subquery()
    )
    return latest, and_(
        WaitingTime.agb_code == latest.c.agb_code,
        WaitingTime.product_category == latest.c.product_category,
        WaitingTime.measured_on == latest.c.measured_on,
    )


def current_waiting_times(category: str | None = None) -> list[WaitingTime]:
    """The latest measurement of every provider and category (of `category` only when
    given), by category, then waiting time, then provider name."""
    latest, joined = _latest()
    query = select(WaitingTime).join(latest, joined)
    if category:
        query = query.where(WaitingTime.product_category == category)
    return list(
        db_session().scalars(
            query.order_by(
                WaitingTime.product_category, WaitingTime.waiting_weeks, WaitingTime.provider_name
            )
        )
    )


def current_for(agb_code: str | None, provider_name: str, category: str) -> WaitingTime | None:
    """The latest measurement of a provider for `category`: found by its AGB code when
    given, else by its name (ignoring case and spacing; None when that is ambiguous)."""
    query = select(WaitingTime).where(WaitingTime.product_category == category)
    if agb_code:
        query = query.where(WaitingTime.agb_code == agb_code)
    else:
        name = " ".join(provider_name.split()).lower()
        if not name:
            return None
        query = query.where(func.lower(WaitingTime.provider_name) == name)
    found = list(db_session().scalars(query.order_by(WaitingTime.measured_on.desc()).limit(20)))
    if not found or len({w.agb_code for w in found}) > 1:
        return None
    return found[0]


def is_stale(waiting: WaitingTime, today: dt.date, stale_after_days: int) -> bool:
    """Whether the measurement is older than the installation accepts as current."""
    return (today - waiting.measured_on).days > stale_after_days
