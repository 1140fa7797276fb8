"""Small helpers the portal's templates share: Dutch dates and labels."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")

CHANNELS = {
    "home_visit": _l("Huisbezoek"),
    "office": _l("Op kantoor"),
    "phone": _l("Telefoon"),
    "video": _l("Videobellen"),
    "message": _l("Bericht"),
}
ACTION_STATUSES = {
    "open": _l("Nog niet begonnen"),
    "in_progress": _l("Bezig"),
    "done": _l("Klaar"),
    "cancelled": _l("Vervallen"),
}
GOAL_STATUSES = {
    "open": _l("Nog niet begonnen"),
    "in_progress": _l("Bezig"),
    "achieved": _l("Bereikt"),
    "not_achieved": _l("Niet bereikt"),
    "cancelled": _l("Vervallen"),
}
PROPOSALS = {
    "proposed": _l("Uw voorstel, nog niet besproken"),
    "accepted": _l("Voorstel overgenomen"),
    "discussed": _l("Voorstel besproken"),
}
REQUEST_STATUSES = {
    "open": _l("Verstuurd"),
    "scheduled": _l("Afspraak gemaakt"),
    "closed": _l("Afgehandeld"),
}


def when(moment: dt.datetime | None) -> str:
    """`31-12-2025 23:59` in Dutch local time (moments are stored in UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M")


def day(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%d-%m-%Y")


def size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n / 1024 / 1024:.1f} MB"


HELPERS = {
    "when": when,
    "day": day,
    "size": size,
    "channels": CHANNELS,
    "action_statuses": ACTION_STATUSES,
    "goal_statuses": GOAL_STATUSES,
    "proposals": PROPOSALS,
    "request_statuses": REQUEST_STATUSES,
}
