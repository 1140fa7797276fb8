"""The plan of a case in the API: `/cases/{case_id}/plan` (the living plan, its versions,
agreeing it), `/goals/...` and `/actions/...` (add and change; PATCH needs the version read,
409 when stale), proposals of the family (accept or discuss) and the ZRM
(`/cases/{case_id}/zrm`). Every read and write is audited per data subject of the case."""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus
from typing import Annotated, Any, Literal

from flask_openapi3.request import validate_request
from pydantic import BaseModel, Field, StringConstraints

from openregie_casemanagement.access import READ, WRITE
from openregie_casemanagement.api import blueprint, fail
from openregie_casemanagement.api.common import CasePath, InModel
from openregie_casemanagement.services import plan as service
from openregie_casemanagement.services.plan import PartyRef
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.api import ErrorOut, ValidationErrorOut, refuse
from openregie_sdk.capabilities.casemanagement import (
    ActionStatus,
    ActionView,
    CaseManagementError,
    GoalStatus,
    GoalView,
    PartyKind,
    PlanVersionSummary,
    PlanView,
)

LifeDomain = Literal[
    "finances",
    "daytime_activities",
    "housing",
    "domestic_relations",
    "mental_health",
    "physical_health",
    "addiction",
    "daily_living",
    "social_network",
    "participation",
    "justice",
    "parenting",
    "education",
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


# Version numbers are 32-bit integer columns; a larger number in the URL is refused (400)
# instead of overflowing the database driver (a 500).
MAX_VERSION_NUMBER = 2**31 - 1


class VersionPath(BaseModel):
    case_id: uuid.UUID
    number: int = Field(ge=1, le=MAX_VERSION_NUMBER)


class GoalPath(BaseModel):
    goal_id: uuid.UUID


class ActionPath(BaseModel):
    action_id: uuid.UUID


class PartyIn(InModel):
    """A goal's owner or an action's assignee: a resident (person id), a professional
    (user id) or an external party (involvement id) of the case."""

    kind: PartyKind
    id: uuid.UUID

    def ref(self) -> PartyRef:
        return PartyRef(self.kind, self.id)


class GoalIn(InModel):
    """A new goal, in the family's own words. Adding to an agreed plan starts a new draft
    version."""

    life_domain: LifeDomain
    text: Text
    owner: PartyIn | None = None
    target_date: dt.date | None = None


class GoalChange(InModel):
    """Only the fields given change (null clears owner or target date). Text, life domain,
    owner and target date are content (a new draft version of an agreed plan); status is
    progress. `version` is the goal's version read: a stale one is a 409."""

    version: int
    life_domain: LifeDomain | None = None
    text: Text | None = None
    owner: PartyIn | None = None
    target_date: dt.date | None = None
    status: GoalStatus | None = None


class ActionIn(InModel):
    description: Text
    assignee: PartyIn | None = None
    due_on: dt.date | None = None


class ActionChange(InModel):
    """Only the fields given change. Description, assignee and due date are content;
    status is progress (recorded with who and when). `version`: 409 when stale."""

    version: int
    description: Text | None = None
    assignee: PartyIn | None = None
    due_on: dt.date | None = None
    status: ActionStatus | None = None


class ProposalDecision(InModel):
    """Accept a family's proposal into the plan, or mark it discussed (not taken over)."""

    version: int
    decision: Literal["accepted", "discussed"]


class AgreeIn(InModel):
    """Agree the current draft: the plan's `version` read, the date (not in the future)
    and the family members who agreed (at least one); the caller agrees as case manager."""

    version: int
    agreed_on: dt.date
    family_person_ids: list[uuid.UUID] = Field(min_length=1)


class PlanOut(BaseModel):
    """The plan itself: its version for optimistic locking, and the living view."""

    version: int
    plan: PlanView


class VersionList(BaseModel):
    items: list[PlanVersionSummary]


class ZrmIn(InModel):
    """A ZRM assessment: a score 1-5 per life domain (at least one)."""

    moment: Literal["intake", "evaluation"]
    assessed_on: dt.date
    scores: dict[str, int]


class ZrmAssessmentOut(BaseModel):
    id: uuid.UUID
    moment: str
    assessed_on: dt.date
    scores: dict[str, int]


class ZrmDomainOut(BaseModel):
    life_domain: str
    intake: int | None
    latest_evaluation: int | None
    difference: int | None


class ZrmOut(BaseModel):
    """Assessments oldest first; per life domain the intake, the latest evaluation and
    the difference."""

    assessments: list[ZrmAssessmentOut]
    domains: list[ZrmDomainOut]


def _plan_out(case_id: uuid.UUID) -> dict[str, Any]:
    found = service.read_plan(case_id, current_actor())
    if found is None:
        refuse(404, "Deze casus heeft nog geen plan.", [("case_id", "has no plan")])
    version, view = found
    return PlanOut(version=version, plan=view).model_dump(mode="json")


def _goal_out(goal: Any) -> dict[str, Any]:
    return service.goal_view(goal, service.actions_of_goal(goal)).model_dump(mode="json")


def _action_out(action: Any) -> dict[str, Any]:
    return service.action_view(action).model_dump(mode="json")


def _changes(body: BaseModel, party_field: str) -> tuple[int, dict[str, Any]]:
    fields = body.model_dump(exclude_unset=True)
    version = fields.pop("version")
    if party_field in fields:
        party = getattr(body, party_field)
        fields[party_field] = party.ref() if party else None
    return version, fields


@blueprint.get("/cases/<uuid:case_id>/plan", responses={200: PlanOut, 404: ErrorOut})
@requires(READ)
@validate_request()
def get_plan(path: CasePath) -> Any:
    """Read the plan of a case

    The living plan: goals and actions as they are now, the family's proposals marked.
    For a draft, `changes` lists what changed since the last agreed version. 404 when the
    case is not visible or has no plan. Audited.
    """
    try:
        return _plan_out(path.case_id)
    except CaseManagementError as error:
        fail(error)


@blueprint.post(
    "/cases/<uuid:case_id>/plan",
    responses={201: PlanOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def create_plan(path: CasePath) -> Any:
    """Create the plan of a case

    Version 1, a draft. 400 when the case has a plan already.
    """
    try:
        service.start_plan(path.case_id, current_actor())
        out = _plan_out(path.case_id)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out, HTTPStatus.CREATED


@blueprint.get("/cases/<uuid:case_id>/plan/versions", responses={200: VersionList, 404: ErrorOut})
@requires(READ)
@validate_request()
def list_plan_versions(path: CasePath) -> Any:
    """List the versions of a case's plan

    Newest first, each with its state and what changed against the previous agreed one.
    """
    try:
        items = service.read_versions(path.case_id, current_actor())
    except CaseManagementError as error:
        fail(error)
    return VersionList(items=items).model_dump(mode="json")


@blueprint.get(
    "/cases/<uuid:case_id>/plan/versions/<int:number>",
    responses={200: PlanView, 404: ErrorOut},
)
@requires(READ)
@validate_request()
def get_plan_version(path: VersionPath) -> Any:
    """Read one version of a case's plan

    An agreed (or superseded) version as it was agreed, with what changed; the current
    draft as it is now.
    """
    try:
        view = service.read_version(path.case_id, path.number, current_actor())
    except CaseManagementError as error:
        fail(error)
    return view.model_dump(mode="json")


@blueprint.post(
    "/cases/<uuid:case_id>/plan/agree",
    responses={200: PlanOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def agree_plan(path: CasePath, body: AgreeIn) -> Any:
    """Agree the current draft of the plan

    Stores what was agreed, who agreed and what changed; the previous agreed version is
    superseded; the case's evaluation date is set. `version` is the plan's version (409
    when the plan changed since it was read).
    """
    try:
        service.agree_plan(
            path.case_id,
            current_actor(),
            expected_version=body.version,
            agreed_on=body.agreed_on,
            family_person_ids=body.family_person_ids,
        )
        out = _plan_out(path.case_id)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out


@blueprint.post(
    "/cases/<uuid:case_id>/plan/goals",
    responses={201: GoalView, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def create_goal(path: CasePath, body: GoalIn) -> Any:
    """Add a goal to the plan

    Creates the plan when the case has none. A content change: an agreed plan gets a new
    draft version.
    """
    try:
        goal = service.add_goal(
            path.case_id,
            current_actor(),
            life_domain=body.life_domain,
            text=body.text,
            owner=body.owner.ref() if body.owner else None,
            target_date=body.target_date,
        )
        out = _goal_out(goal)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out, HTTPStatus.CREATED


@blueprint.patch(
    "/goals/<uuid:goal_id>",
    responses={200: GoalView, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def change_goal(path: GoalPath, body: GoalChange) -> Any:
    """Change a goal

    Only the fields given change. `version` must be the goal's current version (409
    otherwise; nothing changes).
    """
    version, fields = _changes(body, "owner")
    try:
        goal = service.update_goal(
            path.goal_id, current_actor(), expected_version=version, **fields
        )
        out = _goal_out(goal)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out


@blueprint.post(
    "/goals/<uuid:goal_id>/actions",
    responses={201: ActionView, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def create_action(path: GoalPath, body: ActionIn) -> Any:
    """Add an action towards a goal

    A content change of the plan (a new draft version of an agreed plan).
    """
    try:
        action = service.add_action(
            path.goal_id,
            current_actor(),
            description=body.description,
            assignee=body.assignee.ref() if body.assignee else None,
            due_on=body.due_on,
        )
        out = _action_out(action)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out, HTTPStatus.CREATED


@blueprint.patch(
    "/actions/<uuid:action_id>",
    responses={200: ActionView, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def change_action(path: ActionPath, body: ActionChange) -> Any:
    """Change an action

    Only the fields given change. `version` must be the action's current version (409
    otherwise; nothing changes).
    """
    version, fields = _changes(body, "assignee")
    try:
        action = service.update_action(
            path.action_id, current_actor(), expected_version=version, **fields
        )
        out = _action_out(action)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out


@blueprint.post(
    "/goals/<uuid:goal_id>/proposal",
    responses={200: GoalView, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def decide_goal_proposal(path: GoalPath, body: ProposalDecision) -> Any:
    """Accept or discuss a goal the family proposed

    Accepted: part of the plan (a content change). Discussed: stays visible to the family
    as "besproken, niet overgenomen", not part of the plan.
    """
    try:
        goal = service.decide_proposal(
            "goal",
            path.goal_id,
            current_actor(),
            expected_version=body.version,
            decision=body.decision,
        )
        out = _goal_out(goal)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out


@blueprint.post(
    "/actions/<uuid:action_id>/proposal",
    responses={200: ActionView, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(WRITE)
@validate_request()
def decide_action_proposal(path: ActionPath, body: ProposalDecision) -> Any:
    """Accept or discuss an action the family proposed"""
    try:
        action = service.decide_proposal(
            "action",
            path.action_id,
            current_actor(),
            expected_version=body.version,
            decision=body.decision,
        )
        out = _action_out(action)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out


def _zrm_out(case_id: uuid.UUID) -> dict[str, Any]:
    overview = service.zrm_overview(case_id, current_actor())
    assessments = [
        ZrmAssessmentOut(
            id=a.id,
            moment=a.moment,
            assessed_on=a.assessed_on,
            scores={
                row.life_domain: score
                for row in overview.rows
                if (score := row.scores[i]) is not None
            },
        )
        for i, a in enumerate(overview.assessments)
    ]
    domains = [
        ZrmDomainOut(
            life_domain=row.life_domain,
            intake=row.intake,
            latest_evaluation=row.latest,
            difference=row.difference,
        )
        for row in overview.rows
    ]
    return ZrmOut(assessments=assessments, domains=domains).model_dump(mode="json")


@blueprint.get("/cases/<uuid:case_id>/zrm", responses={200: ZrmOut, 404: ErrorOut})
@requires(READ)
@validate_request()
def get_zrm(path: CasePath) -> Any:
    """Read the ZRM scores of a case"""
    try:
        return _zrm_out(path.case_id)
    except CaseManagementError as error:
        fail(error)


@blueprint.post(
    "/cases/<uuid:case_id>/zrm",
    responses={201: ZrmOut, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(WRITE)
@validate_request()
def record_zrm(path: CasePath, body: ZrmIn) -> Any:
    """Record a ZRM assessment

    Intake (once per case) or evaluation; a date not in the future; a score 1-5 for at
    least one life domain. A bad score is a 400 naming `scores.<life domain>`.
    """
    try:
        service.record_zrm(
            path.case_id,
            current_actor(),
            moment=body.moment,
            assessed_on=body.assessed_on,
            scores=body.scores,
        )
        out = _zrm_out(path.case_id)
    except CaseManagementError as error:
        fail(error)
    db_session().commit()
    return out, HTTPStatus.CREATED
