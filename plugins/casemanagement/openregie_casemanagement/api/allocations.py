"""`/api/v1/casemanagement/cases/{case_id}/allocations` and `/allocations/{allocation_id}`:
list, record and update a case's allocations (toekenningen)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Any, Literal

from flask_openapi3.request import validate_request
from pydantic import BaseModel, Field, StringConstraints

from openregie_casemanagement.access import ALLOCATE, READ
from openregie_casemanagement.api import blueprint, fail
from openregie_casemanagement.api.common import CasePath, InModel, OutModel
from openregie_casemanagement.models import Allocation
from openregie_casemanagement.services import allocations as service
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.api import ErrorOut, ValidationErrorOut
from openregie_sdk.capabilities.casemanagement import CaseManagementError

Law = Literal["wmo", "jeugdwet"]
Category = Literal[
    "begeleiding",
    "dagbesteding",
    "huishoudelijke_hulp",
    "hulpmiddelen",
    "jeugdhulp_ambulant",
    "jeugdhulp_verblijf",
    "jeugd_ggz",
    "beschermd_wonen",
    "vervoer",
]
Unit = Literal["hour", "day_part", "day", "piece", "euro"]
Frequency = Literal["week", "month", "total"]
Status = Literal["requested", "allocated", "started", "stopped"]
StopReason = Literal[
    "goals_achieved", "moved", "other_provision", "by_resident", "deceased", "other"
]
Agb = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{8}$")]
ProductCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10)]
ProviderName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
Volume = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2)]


class AllocationPath(BaseModel):
    allocation_id: uuid.UUID


class AllocationOut(OutModel):
    """An allocation; `waiting_days` runs from the decision to the start of care."""

    id: uuid.UUID
    case_id: uuid.UUID
    person_id: uuid.UUID
    law: str
    product_category: str
    product_code: str
    provider_name: str
    provider_agb: str | None
    volume: Decimal
    unit: str
    frequency: str
    requested_on: dt.date
    decided_on: dt.date | None
    start_on: dt.date | None
    end_on: dt.date | None
    status: str
    stop_reason: str | None
    waiting_days: int | None
    version: int

    @classmethod
    def of(cls, row: Allocation) -> AllocationOut:
        return cls.model_validate(
            {
                **{name: getattr(row, name) for name in cls.model_fields if name != "waiting_days"},
                "waiting_days": service.waiting_days(row),
            }
        )


class AllocationList(BaseModel):
    items: list[AllocationOut]


class AllocationIn(InModel):
    """A new allocation for a person the case concerns or a member of its household."""

    person_id: uuid.UUID
    law: Law
    product_category: Category
    product_code: ProductCode = ""
    provider_name: ProviderName
    provider_agb: Agb | None = None
    volume: Volume
    unit: Unit
    frequency: Frequency
    requested_on: dt.date
    decided_on: dt.date | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: Status = "requested"


class AllocationChange(InModel):
    """A change of an allocation: only the fields given change (null clears a date).
    `version` is the version read; a stale one is a 409 and nothing changes."""

    version: int
    status: Status | None = None
    decided_on: dt.date | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    stop_reason: StopReason | None = None
    product_code: ProductCode | None = None
    provider_name: ProviderName | None = None
    provider_agb: Agb | None = None
    volume: Volume | None = None
    unit: Unit | None = None
    frequency: Frequency | None = None


@blueprint.get(
    "/cases/<uuid:case_id>/allocations",
    responses={200: AllocationList, 404: ErrorOut},
)
@requires(READ)
@validate_request()
def list_allocations(path: CasePath) -> Any:
    """List a case's allocations

    Newest request first, each with its waiting time in days. 404 when the case does not
    exist or is not visible. Audited for each allocation's person.
    """
    try:
        rows = service.allocations(current_actor(), path.case_id)
    except CaseManagementError as error:
        fail(error)
    return AllocationList(items=[AllocationOut.of(r) for r in rows]).model_dump(mode="json")


@blueprint.post(
    "/cases/<uuid:case_id>/allocations",
    responses={201: AllocationOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(ALLOCATE)
@validate_request()
def create_allocation(path: CasePath, body: AllocationIn) -> Any:
    """Record an allocation

    Needs `casemanagement.allocation.write` and write access to the case. Dates must be in
    order (requested, decided, start, end); an allocated one needs a decision date, a
    started one a start date.
    """
    try:
        row = service.create_allocation(current_actor(), path.case_id, **body.model_dump())
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return AllocationOut.of(row).model_dump(mode="json"), HTTPStatus.CREATED


@blueprint.patch(
    "/allocations/<uuid:allocation_id>",
    responses={200: AllocationOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(ALLOCATE)
@validate_request()
def change_allocation(path: AllocationPath, body: AllocationChange) -> Any:
    """Change an allocation

    Status moves forward only: requested, allocated, started, stopped (stopping needs
    `stop_reason` and `end_on`). `version` must be the current version (409 otherwise).
    """
    fields = body.model_dump(exclude_unset=True)
    version = fields.pop("version")
    try:
        row = service.update_allocation(
            current_actor(), path.allocation_id, expected_version=version, **fields
        )
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return AllocationOut.of(row).model_dump(mode="json")
