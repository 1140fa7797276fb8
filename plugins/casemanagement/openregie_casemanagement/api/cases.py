"""`/api/v1/casemanagement/cases`: worklists, a case, opening and changing a case, its
status workflow, transfers and involved parties.

Every operation goes through the services (the same access rule, validation and audit as
the pages): a case the caller may not see is a 404, invalid input a 400 naming the field
(a refused status transition names "status"), a stale `version` a 409 (nothing written).
"""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus
from typing import Annotated, Any, Literal, get_type_hints

from flask_openapi3.request import validate_request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from openregie_casemanagement import codes
from openregie_casemanagement.access import READ, TRANSFER, WRITE
from openregie_casemanagement.api import blueprint, fail
from openregie_casemanagement.api.common import CasePath, InModel, OutModel
from openregie_casemanagement.models import Case, Involvement
from openregie_casemanagement.services import cases as service
from openregie_casemanagement.services.worklists import KINDS, SORTS, WorklistRow, worklist
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.api import ErrorOut, ValidationErrorOut
from openregie_sdk.capabilities.casemanagement import CaseManagementError

Status = Literal[tuple(codes.STATUSES)]  # type: ignore[valid-type]
ReferralSource = Literal[tuple(codes.REFERRAL_SOURCES)]  # type: ignore[valid-type]
Urgency = Literal[tuple(codes.URGENCIES)]  # type: ignore[valid-type]
LifeDomain = Literal[tuple(codes.LIFE_DOMAINS)]  # type: ignore[valid-type]
ClosureReason = Literal[tuple(codes.CLOSURE_REASONS)]  # type: ignore[valid-type]
Kind = Literal[tuple(KINDS)]  # type: ignore[valid-type]
Sort = Literal[tuple(SORTS)]  # type: ignore[valid-type]
InvolvementKind = Literal[tuple(codes.INVOLVEMENT_KINDS)]  # type: ignore[valid-type]


def _text(min_length: int, max_length: int) -> Any:
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
    ]


Version = Annotated[int, Field(ge=1, description="The case's version this change is based on")]

# -- input ---------------------------------------------------------------------------------


class InvolvementPath(BaseModel):
    case_id: uuid.UUID
    involvement_id: uuid.UUID


class WorklistQuery(BaseModel):
    """A worklist: `kind` (mine, team, overdue_actions, evaluations_due, no_contact,
    appointments), filters and sort; `status` is a status code, "open" or "all" (mine and
    team show open cases by default)."""

    kind: Kind = "mine"
    status: Status | Literal["open", "all"] | None = None
    team_id: uuid.UUID | None = None
    urgency: Urgency | None = None
    life_domain: LifeDomain | None = None
    sort: Sort = "urgency"
    page: Annotated[int, Field(ge=1, le=100000)] = 1


class CaseIn(BaseModel):  # not InModel: ruff reads only BaseModel as pydantic (RUF012)
    """A new case (status "aanmelding"). `person_ids` are current members of the household;
    the caller becomes the case manager unless `case_manager_id` names another current
    member of the team."""

    model_config = ConfigDict(extra="forbid")

    household_id: uuid.UUID
    team_id: uuid.UUID
    title: _text(1, 200)  # type: ignore[valid-type]
    person_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=50)]
    referral_source: ReferralSource
    referral_reason: _text(1, 4000)  # type: ignore[valid-type]
    urgency: Urgency = "normal"
    life_domains: Annotated[list[LifeDomain], Field(max_length=len(codes.LIFE_DOMAINS))] = []
    case_manager_id: uuid.UUID | None = None


class CaseChange(InModel):
    """A change of a case's facts: only the fields given change. `version` is the version
    the change is based on; a newer case gives 409 and nothing is written."""

    version: Version
    title: _text(1, 200) | None = None  # type: ignore[valid-type]
    person_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=50)] | None = None
    referral_source: ReferralSource | None = None
    referral_reason: _text(1, 4000) | None = None  # type: ignore[valid-type]
    urgency: Urgency | None = None
    life_domains: list[LifeDomain] | None = None
    evaluation_due_on: dt.date | None = None

    def changes(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True, exclude={"version"})
        # Only evaluation_due_on may be cleared with null.
        return {k: v for k, v in given.items() if v is not None or k == "evaluation_due_on"}


class TransitionIn(InModel):
    """A step in the workflow: `status` must be allowed from the current status. Closing
    ("afgesloten") needs `closure_reason` ("anders" also a `reason`)."""

    status: Status
    version: Version | None = None
    reason: _text(0, 2000) = ""  # type: ignore[valid-type]
    closure_reason: ClosureReason | None = None


class ReopenIn(InModel):
    """Reopen a closed case (back to intake), with a reason."""

    reason: _text(1, 2000)  # type: ignore[valid-type]
    version: Version | None = None


class TransferIn(InModel):
    """Transfer to a team and a case manager who is a current member of it."""

    team_id: uuid.UUID
    case_manager_id: uuid.UUID
    reason: _text(1, 2000)  # type: ignore[valid-type]
    version: Version | None = None


class InvolvementIn(InModel):
    """An involved party: a professional (`user_id` of any active professional; `role`
    optional) or an external party without a login (`name` and `role` required, `phone`
    and `email` optional)."""

    kind: InvolvementKind
    user_id: uuid.UUID | None = None
    name: _text(1, 200) | None = None  # type: ignore[valid-type]
    role: _text(0, 200) | None = None  # type: ignore[valid-type]
    phone: _text(0, 30) | None = None  # type: ignore[valid-type]
    email: _text(0, 254) | None = None  # type: ignore[valid-type]


# -- output --------------------------------------------------------------------------------


class InvolvementOut(OutModel):
    id: uuid.UUID
    kind: str
    user_id: uuid.UUID | None
    organisation_id: uuid.UUID | None
    name: str
    role: str
    phone: str | None
    email: str | None
    active: bool
    added_at: dt.datetime


class TransitionOut(OutModel):
    kind: str = Field(description="status, reopen or transfer")
    from_status: str | None
    to_status: str | None
    from_team_id: uuid.UUID | None
    to_team_id: uuid.UUID | None
    reason: str
    at: dt.datetime
    by_user_id: uuid.UUID | None


class CaseOut(OutModel):
    id: uuid.UUID
    household_id: uuid.UUID
    team_id: uuid.UUID
    case_manager_id: uuid.UUID | None
    title: str
    referral_source: str
    referral_reason: str
    urgency: str
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    closure_reason: str | None
    evaluation_due_on: dt.date | None
    version: int
    person_ids: list[uuid.UUID]
    life_domains: list[str]
    next_statuses: list[str] = Field(description="The statuses the case may go to now")
    involvements: list[InvolvementOut]
    history: list[TransitionOut]

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        return cls(
            id=case.id,
            household_id=case.household_id,
            team_id=case.team_id,
            case_manager_id=case.case_manager_id,
            title=case.title,
            referral_source=case.referral_source,
            referral_reason=case.referral_reason,
            urgency=case.urgency,
            status=case.status,
            opened_on=case.opened_on,
            closed_on=case.closed_on,
            closure_reason=case.closure_reason,
            evaluation_due_on=case.evaluation_due_on,
            version=case.version,
            person_ids=[p.id for p in service.case_persons(case)],
            life_domains=service.case_life_domains(case),
            next_statuses=list(service.next_statuses(case)),
            involvements=[InvolvementOut.model_validate(i) for i in service.involvements(case)],
            history=[TransitionOut.model_validate(t) for t in service.history(case)],
        )


# A worklist row as the API shows it: the fields of the service's `WorklistRow`, one for one.
CaseRowOut = create_model(
    "CaseRowOut",
    __base__=OutModel,
    __module__=__name__,
    **{name: (hint, ...) for name, hint in get_type_hints(WorklistRow).items()},
)


class CasePage(OutModel):
    items: list[CaseRowOut]
    total: int
    page: int
    pages: int


def _row(row: WorklistRow) -> CaseRowOut:
    return CaseRowOut.model_validate(row)


def _case(case: Case, status: int = 200) -> Any:
    body = CaseOut.of(case).model_dump(mode="json")
    db_session().commit()
    return body, status


# -- operations ----------------------------------------------------------------------------


@blueprint.get("/cases", responses={200: CasePage, 400: ValidationErrorOut})
@requires(READ)
@validate_request()
def list_cases(query: WorklistQuery) -> Any:
    """List cases (a worklist)

    The cases of one worklist the caller may see, filtered, sorted and paginated (the
    module's `page_size` a page). The persons of the cases returned are audited as read.
    """
    try:
        page = worklist(
            current_actor(),
            query.kind,
            status=query.status,
            team_id=query.team_id,
            urgency=query.urgency,
            life_domain=query.life_domain,
            sort=query.sort,
            page=query.page,
        )
    except CaseManagementError as error:
        fail(error)
    body = CasePage(
        items=[_row(r) for r in page.rows], total=page.total, page=page.page, pages=page.pages
    ).model_dump(mode="json")
    db_session().commit()
    return body


@blueprint.get("/cases/<uuid:case_id>", responses={200: CaseOut, 404: ErrorOut})
@requires(READ)
@validate_request()
def get_case(path: CasePath) -> Any:
    """Read a case

    With its persons, life domains, involved parties, allowed next statuses and history.
    404 when it does not exist or is not visible to the caller. Audited per person.
    """
    try:
        case = service.read_case(current_actor(), path.case_id)
    except CaseManagementError as error:
        fail(error)
    return _case(case)


@blueprint.post("/cases", responses={201: CaseOut, 400: ValidationErrorOut, 404: ErrorOut})
@requires(WRITE)
@validate_request()
def create_case(body: CaseIn) -> Any:
    """Open a case

    For a household the caller can see (404 otherwise), a team they may write for. The
    case starts at "aanmelding".
    """
    try:
        case = service.create_case(
            current_actor(),
            household_id=body.household_id,
            team_id=body.team_id,
            title=body.title,
            person_ids=body.person_ids,
            referral_source=body.referral_source,
            referral_reason=body.referral_reason,
            urgency=body.urgency,
            life_domains=body.life_domains,
            case_manager_id=body.case_manager_id,
        )
    except CaseManagementError as error:
        fail(error)
    return _case(case, HTTPStatus.CREATED)


@blueprint.patch(
    "/cases/<uuid:case_id>",
    responses={200: CaseOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def change_case(path: CasePath, body: CaseChange) -> Any:
    """Change a case

    Only the fields given change. `version` must be the case's current version: a stale
    version is a 409 naming the current one, and nothing is written.
    """
    try:
        case = service.update_case(
            current_actor(), path.case_id, expected_version=body.version, **body.changes()
        )
    except CaseManagementError as error:
        fail(error)
    return _case(case)


@blueprint.post(
    "/cases/<uuid:case_id>/transitions",
    responses={200: CaseOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def transition_case(path: CasePath, body: TransitionIn) -> Any:
    """Change a case's status

    Only the transitions of the workflow are allowed (aanmelding → intake → plan →
    uitvoering → evaluatie → afgesloten, evaluatie back to uitvoering or plan, closing from
    any open status); another is a 400 naming "status".
    """
    try:
        case = service.transition(
            current_actor(),
            path.case_id,
            body.status,
            expected_version=body.version,
            reason=body.reason,
            closure_reason=body.closure_reason,
        )
    except CaseManagementError as error:
        fail(error)
    return _case(case)


@blueprint.post(
    "/cases/<uuid:case_id>/reopen",
    responses={200: CaseOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def reopen_case(path: CasePath, body: ReopenIn) -> Any:
    """Reopen a closed case

    Back to intake, with a reason; a case that is not closed is a 400 naming "status".
    """
    try:
        case = service.reopen(
            current_actor(), path.case_id, body.reason, expected_version=body.version
        )
    except CaseManagementError as error:
        fail(error)
    return _case(case)


@blueprint.post(
    "/cases/<uuid:case_id>/transfer",
    responses={200: CaseOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(TRANSFER)
@validate_request()
def transfer_case(path: CasePath, body: TransferIn) -> Any:
    """Transfer a case

    To another team and/or case manager (a current member of that team). Needs
    `casemanagement.case.transfer` for the case (its team's team lead by default).
    """
    try:
        case = service.transfer(
            current_actor(),
            path.case_id,
            team_id=body.team_id,
            case_manager_id=body.case_manager_id,
            reason=body.reason,
            expected_version=body.version,
        )
    except CaseManagementError as error:
        fail(error)
    return _case(case)


@blueprint.post(
    "/cases/<uuid:case_id>/involvements",
    responses={201: InvolvementOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def add_involvement(path: CasePath, body: InvolvementIn) -> Any:
    """Add an involved party

    A professional from any organisation (who can then see the case) or an external party
    without a login.
    """
    try:
        involvement: Involvement = service.add_involvement(
            current_actor(),
            path.case_id,
            kind=body.kind,
            user_id=body.user_id,
            name=body.name,
            role=body.role,
            phone=body.phone,
            email=body.email,
        )
    except CaseManagementError as error:
        fail(error)
    out = InvolvementOut.model_validate(involvement).model_dump(mode="json")
    db_session().commit()
    return out, HTTPStatus.CREATED


@blueprint.delete(
    "/cases/<uuid:case_id>/involvements/<uuid:involvement_id>",
    responses={200: InvolvementOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def remove_involvement(path: InvolvementPath) -> Any:
    """End an involvement

    The party stays in the case's history as no longer involved; a professional loses
    access through it.
    """
    try:
        involvement = service.deactivate_involvement(
            current_actor(), path.case_id, path.involvement_id
        )
    except CaseManagementError as error:
        fail(error)
    out = InvolvementOut.model_validate(involvement).model_dump(mode="json")
    db_session().commit()
    return out


__all__ = ["CaseIn", "CaseOut", "CasePage"]
