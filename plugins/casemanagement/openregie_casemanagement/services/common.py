"""Helpers the services share: version checks, audit per case, text checks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openregie_casemanagement.access import case_subject_ids, case_subject_ids_of
from openregie_casemanagement.models import Case
from openregie_sdk import Actor, ActorKind, audit
from openregie_sdk.capabilities.casemanagement import Refused, Stale

MODULE = "casemanagement"


def check_version(current: int, expected: int | None, what: str = "Dit item") -> None:
    """Raise `Stale` when the caller read an older version than the current one."""
    if expected is not None and expected != current:
        raise Stale(
            f"{what} is intussen door iemand anders gewijzigd (nu versie {current}, u "
            f"bewerkte versie {expected}). Er is niets opgeslagen; laad opnieuw en pas uw "
            "wijziging opnieuw toe.",
            current_version=current,
        )


def audit_case(case: Case, action: str, activity: str) -> None:
    """Record `action` for every data subject of the case (in the same transaction)."""
    audit.record(action, activity, "person", case_subject_ids(case), module=MODULE)


def audit_cases(
    cases: Sequence[Case],
    action: str,
    activity: str,
    concerned: Mapping[uuid.UUID, Sequence[uuid.UUID]] | None = None,
) -> None:
    """`audit_case` for several cases in one record call: every data subject of any of them
    once (`concerned`, the persons each case concerns, when the caller has them)."""
    subjects = case_subject_ids_of(cases, concerned)
    audit.record(
        action,
        activity,
        "person",
        sorted({s for ids in subjects.values() for s in ids}),
        module=MODULE,
    )


def text(value: Any, field: str, *, max_length: int, required: bool = True) -> str:
    """A stripped text; Refused naming `field` when it is missing or too long."""
    cleaned = (value or "").strip() if isinstance(value, str) or value is None else None
    if cleaned is None:
        raise Refused("Dit moet tekst zijn.", field)
    if required and not cleaned:
        raise Refused("Vul dit in.", field)
    if len(cleaned) > max_length:
        raise Refused(f"Dit mag hoogstens {max_length} tekens zijn.", field)
    return cleaned


def code(value: Any, field: str, allowed: Mapping[str, str] | Iterable[str]) -> str:
    """One of the allowed codes; Refused naming `field` otherwise."""
    if value not in allowed:
        raise Refused("Kies een van de mogelijkheden.", field)
    return str(value)


def actor_name(actor: Actor) -> str:
    """How a change is signed: the user's name, or "systeem"."""
    if actor.kind is ActorKind.SYSTEM:
        return "systeem"
    return actor.display_name or "onbekend"


def today() -> dt.date:
    return dt.date.today()
