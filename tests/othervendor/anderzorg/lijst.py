"""The list of agreements: its snapshot format and how a list (living or frozen) reads as
the capability's plan. A wish becomes a `GoalView`; the tasks naming it become its
actions, in the list's order. A task naming no wish is AnderZorg-only and not shown.

A snapshot (`Lijstversie.inhoud`) holds one `regel()` dict per row, in AnderZorg's own
words, so an agreed version reads back exactly as it was agreed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from openregie_sdk.capabilities.casemanagement import ActionView, GoalView, Party

from .codes import TAAK_STAND, VOORSTEL, WENS_STAND, WIE
from .models import Afspraak

FIELDS = (
    "id", "volgnummer", "soort", "wens_id", "thema", "tekst", "wie_soort", "wie_persoon_id",
    "wie_medewerker_id", "wie_naam", "uiterlijk", "stand", "voorstel_van_id",
    "voorstel_stand", "opmerking_inwoner", "gewijzigd_op", "gewijzigd_door", "versie",
)  # fmt: skip


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    return value


def regel(afspraak: Afspraak) -> dict[str, Any]:
    """A row as the snapshot holds it (JSON values)."""
    return {name: _json(getattr(afspraak, name)) for name in FIELDS}


def snapshot(afspraken: Iterable[Afspraak]) -> list[dict[str, Any]]:
    """The whole list, frozen, in its order."""
    return [regel(a) for a in sorted(afspraken, key=lambda a: a.volgnummer)]


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _party(r: dict[str, Any]) -> Party | None:
    if not r["wie_soort"]:
        return None
    who = r["wie_persoon_id"] if r["wie_soort"] == "inwoner" else r["wie_medewerker_id"]
    return Party(kind=WIE[r["wie_soort"]], id=_uuid(who), name=r["wie_naam"] or "")  # type: ignore[arg-type]


def action_view(r: dict[str, Any]) -> ActionView:
    """A task row (`regel()` form) as the capability's action."""
    return ActionView(
        id=uuid.UUID(r["id"]),
        goal_id=uuid.UUID(r["wens_id"]),
        description=r["tekst"],
        assignee=_party(r),
        due_on=_date(r["uiterlijk"]),
        status=TAAK_STAND[r["stand"]],  # type: ignore[arg-type]
        proposal=VOORSTEL.get(r["voorstel_stand"] or ""),  # type: ignore[arg-type]
        proposed_by_person_id=_uuid(r["voorstel_van_id"]),
        resident_comment=r["opmerking_inwoner"],
        changed_at=dt.datetime.fromisoformat(r["gewijzigd_op"]),
        changed_by=r["gewijzigd_door"],
        version=r["versie"],
    )


def goal_view(r: dict[str, Any], taken: Sequence[dict[str, Any]] = ()) -> GoalView:
    """A wish row (`regel()` form) with its tasks as the capability's goal."""
    return GoalView(
        id=uuid.UUID(r["id"]),
        life_domain=r["thema"] or "",
        text=r["tekst"],
        owner=_party(r),
        status=WENS_STAND[r["stand"]],  # type: ignore[arg-type]
        target_date=_date(r["uiterlijk"]),
        proposal=VOORSTEL.get(r["voorstel_stand"] or ""),  # type: ignore[arg-type]
        proposed_by_person_id=_uuid(r["voorstel_van_id"]),
        version=r["versie"],
        actions=tuple(action_view(t) for t in taken),
    )


def goals(regels: Sequence[dict[str, Any]]) -> tuple[GoalView, ...]:
    """The list as goals with their actions, in the list's order."""
    ordered = sorted(regels, key=lambda r: r["volgnummer"])
    return tuple(
        goal_view(r, [t for t in ordered if t["soort"] == "taak" and t["wens_id"] == r["id"]])
        for r in ordered
        if r["soort"] == "wens"
    )
