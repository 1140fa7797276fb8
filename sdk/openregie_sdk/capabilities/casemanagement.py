"""The `casemanagement` capability, version 1: cases, plans and what residents may see of them.

Consumers (the portal, reporting, vendors' modules) obtain the provider with
`openregie_sdk.capability("casemanagement")` and use only what this protocol declares, so
any provider that passes `openregie_sdk.testing.conformance.casemanagement` can replace ours.

Rules every provider follows:

- Every method runs inside the current request's database session (`db_session()`); methods
  that change data flush but never commit: the caller's request commits.
- Reads apply no authorisation of their own: the caller decides what its actor may see
  (the portal: the resident's own household; core: the relation predicate below).
- What a *resident* may see is already filtered here: `resident_*` methods return only
  contact moments and documents marked visible to residents, never notes, never anything
  of another case.
- Resident writes (`update_action`, `propose_*`, `request_appointment`,
  `add_resident_document`) name the person acting (`by_person_id`, the resident or the
  person they represent); the provider checks that this person belongs to the case and
  records the change as theirs.
- The provider records in the audit log, per data subject of the case, every write and
  every read of case content it serves (overview, plan, contact moments, documents), so a
  consumer need not record those reads again; it records what it shows besides (e.g.
  the person's own registry data).
- Errors are the exceptions below, each naming the field concerned: `NotFound` (an unknown
  or foreign id), `Refused` (bad input or not allowed for this person), `Stale` (someone
  changed the object since `expected_version` was read: nothing was changed).
- Identifiers are UUIDs; versions (`version`) are integers that grow on every change.

History: 1.0 had `cases_of_household` and `open_case_count`; 1.1 added the rest but
`resident_overview`; 1.2 added `resident_overview` (a resident's cases in a number of
statements that does not grow with their number) and `AllocationSummary.provider_agb`.
Consumers detect 1.2 by `hasattr(provider, "resident_overview")`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from openregie_sdk.actors import Actor

VERSION = "1.2"
# The methods 1.1 and 1.2 added; a provider that declares 1.0 needs only the others.
SINCE = {
    name: "1.1"
    for name in (
        "cases_of_person", "case_overview", "current_plan", "plan_versions", "plan_version",
        "update_action", "propose_goal", "propose_action", "life_domains",
        "resident_contact_moments", "request_appointment", "appointment_requests",
        "resident_documents", "open_resident_document", "add_resident_document",
        "allocations_of_person", "person_relation",
    )
} | {"resident_overview": "1.2"}  # fmt: skip

ActionStatus = Literal["open", "in_progress", "done", "cancelled"]
GoalStatus = Literal["open", "in_progress", "achieved", "not_achieved", "cancelled"]
PartyKind = Literal["resident", "professional", "external"]
ProposalState = Literal["proposed", "accepted", "discussed"]
Channel = Literal["home_visit", "office", "phone", "video", "message"]
RESIDENT_ACTION_STATUSES: tuple[ActionStatus, ...] = ("open", "in_progress", "done")
"""The statuses a resident may give an action assigned to them."""


class CaseManagementError(Exception):
    """Base of the errors of this capability. `field` names the input concerned."""

    def __init__(self, message: str, field: str = "input") -> None:
        super().__init__(message)
        self.field = field


class NotFound(CaseManagementError):
    """The id is unknown, or belongs to another case or person than the one given."""


class Refused(CaseManagementError):
    """The input is invalid, or the person may not do this (e.g. an action assigned to
    someone else)."""


class Stale(CaseManagementError):
    """The object changed since the caller read it (`expected_version` is behind)."""

    def __init__(self, message: str, current_version: int, field: str = "version") -> None:
        super().__init__(message, field)
        self.current_version = current_version


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CaseSummary(_Frozen):
    """A case as other modules see it: no notes, no plan content."""

    id: uuid.UUID
    household_id: uuid.UUID
    title: str
    status: str
    opened_on: dt.date
    closed_on: dt.date | None = None


class CaseManagerContact(_Frozen):
    """How a resident reaches their case manager (work contact details only)."""

    name: str
    team_name: str
    phone: str | None = None
    email: str | None = None


class CaseOverview(_Frozen):
    """A case for a resident's overview page."""

    case: CaseSummary
    person_ids: tuple[uuid.UUID, ...]
    case_manager: CaseManagerContact | None
    open_actions_for_residents: int
    """Open or in-progress actions assigned to a resident of the case."""


class Party(_Frozen):
    """Who owns a goal or is assigned an action: a resident of the household (person_id),
    a professional (user) or an external party without a login (a contact)."""

    kind: PartyKind
    id: uuid.UUID | None
    name: str


class ActionView(_Frozen):
    id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    assignee: Party | None
    due_on: dt.date | None
    status: ActionStatus
    proposal: ProposalState | None
    """Set when a resident proposed it: proposed until the case manager accepts or
    discusses it."""
    proposed_by_person_id: uuid.UUID | None
    resident_comment: str | None
    changed_at: dt.datetime
    changed_by: str
    """Who changed it last: a name, or "inwoner" with the resident's first names."""
    version: int


class GoalView(_Frozen):
    id: uuid.UUID
    life_domain: str
    text: str
    """The goal in the family's own words."""
    owner: Party | None
    status: GoalStatus
    target_date: dt.date | None
    proposal: ProposalState | None
    proposed_by_person_id: uuid.UUID | None
    version: int
    actions: tuple[ActionView, ...]


class PlanView(_Frozen):
    """The plan of a case: the living goals and actions (`version_number` is the version
    they belong to) or, for an earlier version, its agreed snapshot."""

    case_id: uuid.UUID
    version_number: int
    state: Literal["draft", "agreed"]
    agreed_on: dt.date | None
    agreed_by: tuple[str, ...]
    """Names of who agreed: the family members and the case manager."""
    changes: tuple[str, ...]
    """What changed against the previous agreed version (Dutch sentences)."""
    goals: tuple[GoalView, ...]


class PlanVersionSummary(_Frozen):
    number: int
    state: Literal["draft", "agreed", "superseded"]
    agreed_on: dt.date | None
    changes: tuple[str, ...]


class ContactMomentView(_Frozen):
    id: uuid.UUID
    occurred_at: dt.datetime
    channel: Channel
    participants: str
    summary: str


class DocumentView(_Frozen):
    id: uuid.UUID
    case_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    uploaded_by_resident: bool


class AppointmentRequestView(_Frozen):
    id: uuid.UUID
    case_id: uuid.UUID
    person_id: uuid.UUID
    subject: str
    channel: Channel
    preferred_moments: str
    status: Literal["open", "scheduled", "closed"]
    created_at: dt.datetime


class ResidentCase(_Frozen):
    """One case on a resident's overview (since 1.2): what `case_overview`, `current_plan`
    and `appointment_requests` return for it."""

    overview: CaseOverview
    plan: PlanView | None
    appointment_requests: tuple[AppointmentRequestView, ...]


class AllocationSummary(_Frozen):
    """An allocation (toekenning) in summary: no amounts, no decision letters."""

    id: uuid.UUID
    person_id: uuid.UUID
    law: Literal["wmo", "jeugdwet"]
    product_category: str
    provider_name: str
    status: Literal["requested", "allocated", "started", "stopped"]
    start_on: dt.date | None
    end_on: dt.date | None
    provider_agb: str | None = None
    """The provider's AGB code (8 digits) when recorded; since 1.2 (None from a provider
    built against 1.1)."""


@runtime_checkable
class CaseManagement(Protocol):
    """Cases and plans of households, as other modules (the resident portal, reporting, a
    vendor's module) may see and use them. The provider applies no authorisation of its
    own: the consumer decides who may call what (the portal: the resident and their
    legal representatives). Errors are `NotFound`, `Refused` (naming the field) and
    `Stale` (optimistic locking); views are frozen pydantic models."""

    # -- cases ------------------------------------------------------------------------------
    def cases_of_household(self, household_id: uuid.UUID) -> Sequence[CaseSummary]:
        """All cases of a household, newest first; an unknown household gives []."""
        ...

    def cases_of_person(self, person_id: uuid.UUID) -> Sequence[CaseSummary]:
        """All cases that concern the person, newest first; an unknown person gives []."""
        ...

    def open_case_count(self) -> int:
        """The number of cases not closed, over the whole installation."""
        ...

    def case_overview(self, case_id: uuid.UUID) -> CaseOverview:
        """A case with its persons and case manager. NotFound for an unknown id."""
        ...

    def resident_overview(self, person_id: uuid.UUID) -> Sequence[ResidentCase]:
        """Since 1.2. Every case that concerns the person, newest first (as
        `cases_of_person`), each with its overview, current plan and appointment requests,
        equal to what the three single-case methods return; [] for an unknown person.
        Audited as those reads are. Its number of statements must not grow with the number
        of cases: a resident's portal home page calls it on every visit."""
        ...

    # -- plan -------------------------------------------------------------------------------
    def current_plan(self, case_id: uuid.UUID) -> PlanView | None:
        """The living plan (goals and actions as they are now), or None if the case has no
        plan yet. NotFound for an unknown case."""
        ...

    def plan_versions(self, case_id: uuid.UUID) -> Sequence[PlanVersionSummary]:
        """Every version of the case's plan, newest first ([] without a plan)."""
        ...

    def plan_version(self, case_id: uuid.UUID, number: int) -> PlanView:
        """An agreed earlier version as it was agreed (its snapshot), or the current draft.
        NotFound for an unknown case or number."""
        ...

    def update_action(
        self,
        action_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        expected_version: int,
        status: ActionStatus | None = None,
        comment: str | None = None,
    ) -> ActionView:
        """A resident updates an action assigned to them: a status from
        `RESIDENT_ACTION_STATUSES` and/or a comment (at most 2000 characters). Refused when
        the action is assigned to someone else or the status is not allowed; Stale when
        `expected_version` is not the action's version."""
        ...

    def propose_goal(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, life_domain: str, text: str
    ) -> GoalView:
        """A resident proposes a goal in their own words; it reaches the case manager marked
        `proposal="proposed"`. Refused for an unknown life domain or empty text."""
        ...

    def propose_action(
        self,
        goal_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        description: str,
        due_on: dt.date | None = None,
    ) -> ActionView:
        """A resident proposes an action towards a goal of their case, assigned to
        themselves, marked `proposal="proposed"`."""
        ...

    def life_domains(self) -> Sequence[tuple[str, str]]:
        """The life domains as (code, Dutch label), in display order."""
        ...

    # -- contact moments and appointments --------------------------------------------------
    def resident_contact_moments(self, case_id: uuid.UUID) -> Sequence[ContactMomentView]:
        """The case's contact moments marked visible to the resident, newest first."""
        ...

    def request_appointment(
        self,
        case_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        subject: str,
        channel: Channel,
        preferred_moments: str,
    ) -> AppointmentRequestView:
        """A resident asks for an appointment; it appears on the case manager's worklist."""
        ...

    def appointment_requests(self, case_id: uuid.UUID) -> Sequence[AppointmentRequestView]:
        """The case's appointment requests, newest first."""
        ...

    # -- documents --------------------------------------------------------------------------
    def resident_documents(self, case_id: uuid.UUID) -> Sequence[DocumentView]:
        """Documents shared with the resident and those residents uploaded, newest first."""
        ...

    def open_resident_document(self, document_id: uuid.UUID) -> tuple[DocumentView, bytes]:
        """The content of a document a resident may download; NotFound for a document that
        is not shared with residents (as if absent)."""
        ...

    def add_resident_document(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, filename: str, content: bytes
    ) -> DocumentView:
        """A resident uploads a document to their case. Refused (field "file") for a file
        that is empty, too large or of a type not allowed, decided by its content."""
        ...

    # -- allocations and authorisation -------------------------------------------------------
    def allocations_of_person(self, person_id: uuid.UUID) -> Sequence[AllocationSummary]:
        """The person's allocations, newest first."""
        ...

    def person_relation(self, actor: Actor) -> ColumnElement[bool] | None:
        """The SQL predicate over `openregie_sdk.registry.Person` selecting the persons
        `actor` is related to through cases (team member, case manager, involved
        professional); None when there are none. Set-based, no per-row queries."""
        ...
