"""Allocations (toekenningen): Wmo and Jeugdwet provisions allocated to a person of a case.

An allocation names the person, the law, the product (category and iWmo/iJw product code),
the care provider (name, AGB code), volume, unit and frequency, and its dates: requested,
decided (the allocation decision), start and end of care. Its status moves forward only:
requested -> allocated -> started -> stopped (an allocation that never started may also be
stopped, e.g. when the resident withdraws); stopping needs a stop reason and an end date.
The waiting time is the number of days from the decision to the start of care.

Writes need `casemanagement.allocation.write` and write access to the case; reads need read
access to the case. Every read and write is audited for the allocations' persons.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from openregie_casemanagement.access import ALLOCATE, READ, WRITE, load_case, visible_cases
from openregie_casemanagement.codes import (
    ALLOCATION_STATUSES,
    FREQUENCIES,
    LAWS,
    PRODUCT_CATEGORIES,
    STOP_REASONS,
    UNITS,
)
from openregie_casemanagement.models import Allocation, Case, CasePerson
from openregie_casemanagement.services.common import MODULE, check_version, code, text
from openregie_sdk import Actor, audit, db_session
from openregie_sdk.capabilities.casemanagement import NotFound, Refused, Stale
from openregie_sdk.registry import HouseholdMember

# The statuses an allocation may move to from each status (besides staying where it is).
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    "requested": ("allocated",),
    "allocated": ("started", "stopped"),
    "started": ("stopped",),
    "stopped": (),
}
# Product categories that exist under one law only.
CATEGORY_LAW = {
    "jeugdhulp_ambulant": "jeugdwet",
    "jeugdhulp_verblijf": "jeugdwet",
    "jeugd_ggz": "jeugdwet",
    "huishoudelijke_hulp": "wmo",
    "beschermd_wonen": "wmo",
}
FIELDS = (
    "person_id",
    "law",
    "product_category",
    "product_code",
    "provider_name",
    "provider_agb",
    "volume",
    "unit",
    "frequency",
    "requested_on",
    "decided_on",
    "start_on",
    "end_on",
    "status",
    "stop_reason",
)
DATES = ("requested_on", "decided_on", "start_on", "end_on")
DATE_LABELS = {
    "requested_on": "de aanvraagdatum",
    "decided_on": "de besluitdatum",
    "start_on": "de startdatum",
    "end_on": "de einddatum",
}
MAX_VOLUME = Decimal("99999999.99")
AGB = re.compile(r"\d{8}")
ACTIVITY_READ = READ
ACTIVITY_WRITE = ALLOCATE


def waiting_days(allocation: Allocation) -> int | None:
    """Days from the allocation decision to the start of care (None until both are known)."""
    if allocation.decided_on is None or allocation.start_on is None:
        return None
    return (allocation.start_on - allocation.decided_on).days


def allocations(actor: Actor, case_id: uuid.UUID) -> list[Allocation]:
    """The allocations of a case the actor may read, newest request first; audited."""
    case = load_case(case_id, actor, READ)
    found = list(
        db_session().scalars(
            select(Allocation)
            .where(Allocation.case_id == case.id)
            .order_by(Allocation.requested_on.desc(), Allocation.created_at.desc())
        )
    )
    _audit("read", ACTIVITY_READ, [a.person_id for a in found])
    return found


def allocation(actor: Actor, allocation_id: uuid.UUID) -> Allocation:
    """One allocation the actor may read (NotFound otherwise); audited."""
    found = _visible(actor, allocation_id, READ)
    _audit("read", ACTIVITY_READ, [found.person_id])
    return found


def allocations_of_person(person_id: uuid.UUID) -> list[Allocation]:
    """Every allocation of a person, oldest first. No authorisation: for the capability
    provider and the module's own hooks, whose callers decide what may be seen."""
    return list(
        db_session().scalars(
            select(Allocation)
            .where(Allocation.person_id == person_id)
            .order_by(Allocation.requested_on, Allocation.created_at)
        )
    )


def create_allocation(actor: Actor, case_id: uuid.UUID, **fields: Any) -> Allocation:
    """Record an allocation for a person of the case. `status` defaults to "requested"; an
    allocation may be recorded in a later status when its dates say so."""
    case = _writable_case(actor, case_id)
    _unknown(fields)
    values = {"product_code": "", "provider_agb": None, "status": "requested"}
    values.update({key: value for key, value in fields.items() if value is not None})
    values.setdefault("requested_on", dt.date.today())
    cleaned = _validate(case, values)
    row = Allocation(id=uuid.uuid4(), case_id=case.id, **cleaned)
    session = db_session()
    session.add(row)
    session.flush()
    _audit("create", ACTIVITY_WRITE, [row.person_id])
    return row


def update_allocation(
    actor: Actor, allocation_id: uuid.UUID, *, expected_version: int | None, **fields: Any
) -> Allocation:
    """Change an allocation (only the fields given; `None` clears an optional field). The
    status may move forward only; `expected_version` must be the current version."""
    row = _visible(actor, allocation_id, WRITE)
    case = _writable_case(actor, row.case_id)
    check_version(row.version, expected_version, "Deze toekenning")
    _unknown(fields)
    values = {name: getattr(row, name) for name in FIELDS}
    values.update(fields)
    if values["status"] != row.status and values["status"] not in NEXT_STATUSES.get(row.status, ()):
        raise Refused(
            f"De status kan niet van {ALLOCATION_STATUSES.get(row.status, row.status)!r} naar "
            f"{ALLOCATION_STATUSES.get(values['status'], values['status'])!r}.",
            "status",
        )
    cleaned = _validate(case, values)
    subjects = {row.person_id, cleaned["person_id"]}
    for name, value in cleaned.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    try:
        db_session().flush()
    except StaleDataError:
        db_session().rollback()
        current = db_session().scalar(
            select(Allocation.version).where(Allocation.id == allocation_id)
        )
        raise Stale(
            "Deze toekenning is intussen door iemand anders gewijzigd. Er is niets opgeslagen.",
            current_version=current or 0,
        ) from None
    _audit("update", ACTIVITY_WRITE, sorted(subjects))
    return row


def candidates(case: Case) -> list[uuid.UUID]:
    """The persons an allocation of `case` may be for: those it concerns and the members
    of its household."""
    session = db_session()
    ids = set(session.scalars(select(CasePerson.person_id).where(CasePerson.case_id == case.id)))
    ids.update(
        session.scalars(
            select(HouseholdMember.person_id).where(
                HouseholdMember.household_id == case.household_id
            )
        )
    )
    return sorted(ids)


# -- internals ----------------------------------------------------------------------------


def _audit(action: str, activity: str, person_ids: list[uuid.UUID]) -> None:
    if person_ids:
        audit.record(action, activity, "person", sorted(set(person_ids)), module=MODULE)


def _visible(actor: Actor, allocation_id: uuid.UUID, permission: str) -> Allocation:
    found = db_session().scalar(
        select(Allocation)
        .join(Case, Case.id == Allocation.case_id)
        .where(Allocation.id == allocation_id, visible_cases(actor, permission))
    )
    if found is None:
        raise NotFound("Deze toekenning bestaat niet of is niet voor u zichtbaar.", "allocation_id")
    return found


def _writable_case(actor: Actor, case_id: uuid.UUID) -> Case:
    """The case when the actor may change it and record allocations for it."""
    case = load_case(case_id, actor, WRITE)
    allowed = db_session().scalar(
        select(Case.id).where(Case.id == case.id, visible_cases(actor, ALLOCATE))
    )
    if allowed is None:
        raise Refused("U mag voor deze casus geen toekenningen vastleggen.", "case_id")
    return case


def _unknown(fields: dict[str, Any]) -> None:
    for name in fields:
        if name not in FIELDS:
            raise Refused("Dit veld bestaat niet bij een toekenning.", name)


def _date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise Refused("Vul een datum in.", field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Refused("Dit is geen geldige datum.", field)


def _volume(value: Any) -> Decimal:
    if value is None or value == "" or isinstance(value, bool):
        raise Refused("Vul de omvang in.", "volume")
    try:
        number = Decimal(str(value).replace(",", ".")) if isinstance(value, str) else value
        number = Decimal(number)
    except (InvalidOperation, TypeError, ValueError):
        raise Refused("De omvang moet een getal zijn.", "volume") from None
    if not number.is_finite() or number <= 0:
        raise Refused("De omvang moet groter dan 0 zijn.", "volume")
    if number > MAX_VOLUME or number != number.quantize(Decimal("0.01")):
        raise Refused(
            "De omvang mag hoogstens twee decimalen hebben en niet te groot zijn.", "volume"
        )
    return number.quantize(Decimal("0.01"))


def _person(case: Case, value: Any) -> uuid.UUID:
    if value is None or value == "":
        raise Refused("Kies voor wie de toekenning is.", "person_id")
    try:
        person_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Refused("Kies een persoon van deze casus.", "person_id") from None
    allowed = db_session().scalar(
        select(CasePerson.person_id)
        .where(CasePerson.case_id == case.id, CasePerson.person_id == person_id)
        .union(
            select(HouseholdMember.person_id).where(
                HouseholdMember.household_id == case.household_id,
                HouseholdMember.person_id == person_id,
            )
        )
    )
    if allowed is None:
        raise Refused("Deze persoon hoort niet bij de casus of het huishouden.", "person_id")
    return person_id


def _validate(case: Case, values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values of a whole allocation; Refused naming the first bad field."""
    cleaned: dict[str, Any] = {"person_id": _person(case, values.get("person_id"))}
    cleaned["law"] = code(values.get("law"), "law", LAWS)
    cleaned["product_category"] = code(
        values.get("product_category"), "product_category", PRODUCT_CATEGORIES
    )
    required_law = CATEGORY_LAW.get(cleaned["product_category"])
    if required_law and required_law != cleaned["law"]:
        raise Refused(
            f"Deze productcategorie valt onder de {LAWS[required_law]}.", "product_category"
        )
    cleaned["product_code"] = text(
        values.get("product_code"), "product_code", max_length=10, required=False
    ).upper()
    cleaned["provider_name"] = text(values.get("provider_name"), "provider_name", max_length=200)
    agb = text(values.get("provider_agb"), "provider_agb", max_length=8, required=False)
    if agb and not AGB.fullmatch(agb):
        raise Refused("Een AGB-code bestaat uit 8 cijfers.", "provider_agb")
    cleaned["provider_agb"] = agb or None
    cleaned["volume"] = _volume(values.get("volume"))
    cleaned["unit"] = code(values.get("unit"), "unit", UNITS)
    cleaned["frequency"] = code(values.get("frequency"), "frequency", FREQUENCIES)
    for name in DATES:
        cleaned[name] = _date(values.get(name), name, required=name == "requested_on")
    known = [(name, cleaned[name]) for name in DATES if cleaned[name] is not None]
    for (earlier, first), (later, second) in itertools.pairwise(known):
        if second < first:
            raise Refused(f"Deze datum mag niet vóór {DATE_LABELS[earlier]} liggen.", later)
    status = code(values.get("status"), "status", ALLOCATION_STATUSES)
    cleaned["status"] = status
    if status in ("allocated", "started") and cleaned["decided_on"] is None:
        raise Refused("Vul de besluitdatum in bij een toegekende voorziening.", "decided_on")
    if status == "started" and cleaned["start_on"] is None:
        raise Refused("Vul de startdatum in bij een gestarte voorziening.", "start_on")
    if status == "stopped":
        if cleaned["end_on"] is None:
            raise Refused("Vul de einddatum in bij een gestopte voorziening.", "end_on")
        cleaned["stop_reason"] = code(values.get("stop_reason"), "stop_reason", STOP_REASONS)
    else:
        if values.get("stop_reason"):
            raise Refused(
                "Alleen een gestopte voorziening heeft een reden van stoppen.", "stop_reason"
            )
        cleaned["stop_reason"] = None
    return cleaned


__all__ = [
    "NEXT_STATUSES",
    "allocation",
    "allocations",
    "allocations_of_person",
    "candidates",
    "create_allocation",
    "update_allocation",
    "waiting_days",
]
