"""This module's implementation of the `casemanagement` capability (protocol version 1.2).

A thin adapter: the services do the work (and the auditing); this class checks that the
resident acting belongs to the case, and turns rows into the protocol's views.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from openregie_casemanagement import access
from openregie_casemanagement.codes import CLOSED, LIFE_DOMAINS, OPEN_STATUSES
from openregie_casemanagement.models import Action, Case, CasePerson, Document, Goal
from openregie_casemanagement.services import allocations as allocation_service
from openregie_casemanagement.services import plan as plan_service
from openregie_casemanagement.services import records as record_service
from openregie_casemanagement.services.common import audit_case, audit_cases
from openregie_casemanagement.services.records import RESIDENT_READ
from openregie_sdk import Actor, db_session
from openregie_sdk.capabilities.casemanagement import (
    ActionView,
    AllocationSummary,
    AppointmentRequestView,
    CaseManagerContact,
    CaseOverview,
    CaseSummary,
    Channel,
    ContactMomentView,
    DocumentView,
    GoalView,
    NotFound,
    PlanVersionSummary,
    PlanView,
    Refused,
    ResidentCase,
)
from openregie_sdk.registry import HouseholdMember, Person, Team
from openregie_sdk.users import users

NEWEST_FIRST = (Case.opened_on.desc(), Case.created_at.desc())


def _summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        household_id=case.household_id,
        title=case.title,
        status=case.status,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
    )


def _case(case_id: uuid.UUID) -> Case:
    case = db_session().get(Case, case_id)
    if case is None:
        raise NotFound("Deze casus bestaat niet.", "case_id")
    return case


def _person_ids_of(case: Case) -> set[uuid.UUID]:
    """The persons of a case: those it concerns and the household's members."""
    session = db_session()
    concerned = session.scalars(select(CasePerson.person_id).where(CasePerson.case_id == case.id))
    members = session.scalars(
        select(HouseholdMember.person_id).where(HouseholdMember.household_id == case.household_id)
    )
    return set(concerned) | set(members)


def _resident(case: Case, person_id: uuid.UUID) -> Person:
    """The person acting, who must belong to the case."""
    person = db_session().get(Person, person_id)
    if person is None or person_id not in _person_ids_of(case):
        raise Refused("Deze persoon hoort niet bij deze casus.", "by_person_id")
    return person


def _document_view(document: Document) -> DocumentView:
    return DocumentView(
        id=document.id,
        case_id=document.case_id,
        filename=document.filename,
        content_type=document.content_type,
        size=document.size,
        uploaded_at=document.uploaded_at,
        uploaded_by_resident=document.uploaded_by_person_id is not None,
    )


def _appointment_view(request: Any) -> AppointmentRequestView:
    return AppointmentRequestView(
        id=request.id,
        case_id=request.case_id,
        person_id=request.person_id,
        subject=request.subject,
        channel=request.channel,
        preferred_moments=request.preferred_moments,
        status=request.status,
        created_at=request.created_at,
    )


def _cases_of_person(person_id: uuid.UUID) -> list[Case]:
    concerned = select(CasePerson.case_id).where(CasePerson.person_id == person_id)
    return list(
        db_session().scalars(select(Case).where(Case.id.in_(concerned)).order_by(*NEWEST_FIRST))
    )


def _case_managers(cases: Sequence[Case]) -> dict[uuid.UUID, CaseManagerContact]:
    """The case manager of each case that has one, with their team's name (two queries)."""
    managed = {case.id: case.case_manager_id for case in cases if case.case_manager_id}
    if not managed:
        return {}
    found = users(set(managed.values()))
    team_ids = {case.team_id for case in cases if case.id in managed}
    teams = dict(
        db_session().execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all()
    )
    contacts = {}
    for case in cases:
        user = found.get(managed[case.id]) if case.id in managed else None
        if user is not None:
            contacts[case.id] = CaseManagerContact(
                name=user.display_name, team_name=teams.get(case.team_id, ""), email=user.email
            )
    return contacts


def _overviews(cases: Sequence[Case]) -> dict[uuid.UUID, CaseOverview]:
    """`case_overview` of each case in six queries at most, recorded in one audit call for
    the data subjects of all of them."""
    session = db_session()
    persons: dict[uuid.UUID, list[uuid.UUID]] = {case.id: [] for case in cases}
    if not persons:
        return {}
    for case_id, person_id in session.execute(
        select(CasePerson.case_id, CasePerson.person_id)
        .where(CasePerson.case_id.in_(list(persons)))
        .order_by(CasePerson.case_id, CasePerson.person_id)
    ):
        persons[case_id].append(person_id)
    managers = _case_managers(cases)
    open_actions = dict(
        session.execute(
            select(Action.case_id, func.count())
            .where(
                Action.case_id.in_(list(persons)),
                Action.assignee_kind == "resident",
                Action.status.in_(("open", "in_progress")),
                or_(Action.proposal.is_(None), Action.proposal != "discussed"),
            )
            .group_by(Action.case_id)
        ).all()
    )
    audit_cases(cases, "read", RESIDENT_READ, persons)
    overviews = {}
    for case in cases:
        overviews[case.id] = CaseOverview(
            case=_summary(case),
            person_ids=tuple(persons[case.id]),
            case_manager=managers.get(case.id),
            open_actions_for_residents=open_actions.get(case.id, 0),
        )
    return overviews


class CaseManagementProvider:
    # -- cases ------------------------------------------------------------------------------
    def cases_of_household(self, household_id: uuid.UUID) -> Sequence[CaseSummary]:
        rows = db_session().scalars(
            select(Case).where(Case.household_id == household_id).order_by(*NEWEST_FIRST)
        )
        return [_summary(c) for c in rows]

    def cases_of_person(self, person_id: uuid.UUID) -> Sequence[CaseSummary]:
        return [_summary(c) for c in _cases_of_person(person_id)]

    def open_case_count(self) -> int:
        return db_session().scalar(select(func.count()).where(Case.status.in_(OPEN_STATUSES))) or 0

    def case_overview(self, case_id: uuid.UUID) -> CaseOverview:
        return _overviews([_case(case_id)])[case_id]

    def resident_overview(self, person_id: uuid.UUID) -> Sequence[ResidentCase]:
        cases = _cases_of_person(person_id)
        overviews = _overviews(cases)
        plans = plan_service.plan_views(cases)
        requests = record_service.appointment_requests_of(cases)
        return [
            ResidentCase(
                overview=overviews[case.id],
                plan=plans[case.id],
                appointment_requests=tuple(_appointment_view(r) for r in requests[case.id]),
            )
            for case in cases
        ]

    # -- plan -------------------------------------------------------------------------------
    def current_plan(self, case_id: uuid.UUID) -> PlanView | None:
        case = _case(case_id)
        view = plan_service.plan_view(case)
        if view is not None:
            audit_case(case, "read", RESIDENT_READ)
        return view

    def plan_versions(self, case_id: uuid.UUID) -> Sequence[PlanVersionSummary]:
        return plan_service.plan_versions(_case(case_id))

    def plan_version(self, case_id: uuid.UUID, number: int) -> PlanView:
        case = _case(case_id)
        view = plan_service.plan_version_view(case, number)
        audit_case(case, "read", RESIDENT_READ)
        return view

    def update_action(
        self,
        action_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        expected_version: int,
        status: str | None = None,
        comment: str | None = None,
    ) -> ActionView:
        action = db_session().get(Action, action_id)
        if action is None:
            raise NotFound("Deze actie bestaat niet.", "action_id")
        person = _resident(_case(action.case_id), by_person_id)
        updated = plan_service.resident_update_action(
            action, person, expected_version=expected_version, status=status, comment=comment
        )
        return plan_service.action_view(updated)

    def propose_goal(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, life_domain: str, text: str
    ) -> GoalView:
        case = _case(case_id)
        goal = plan_service.propose_goal(case, _resident(case, by_person_id), life_domain, text)
        return plan_service.goal_view(goal)

    def propose_action(
        self,
        goal_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        description: str,
        due_on: Any = None,
    ) -> ActionView:
        goal = db_session().get(Goal, goal_id)
        if goal is None:
            raise NotFound("Dit doel bestaat niet.", "goal_id")
        case = plan_service.case_of_goal(goal)
        action = plan_service.propose_action(
            goal, _resident(case, by_person_id), description, due_on
        )
        return plan_service.action_view(action)

    def life_domains(self) -> Sequence[tuple[str, str]]:
        return list(LIFE_DOMAINS.items())

    # -- contact moments and appointments --------------------------------------------------
    def resident_contact_moments(self, case_id: uuid.UUID) -> Sequence[ContactMomentView]:
        return [
            ContactMomentView(
                id=m.id,
                occurred_at=m.occurred_at,
                channel=m.channel,
                participants=m.participants,
                summary=m.summary,
            )
            for m in record_service.resident_contact_moments(_case(case_id))
        ]

    def request_appointment(
        self,
        case_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        subject: str,
        channel: Channel,
        preferred_moments: str,
    ) -> AppointmentRequestView:
        case = _case(case_id)
        request = record_service.request_appointment(
            case,
            _resident(case, by_person_id),
            subject=subject,
            channel=channel,
            preferred_moments=preferred_moments,
        )
        return _appointment_view(request)

    def appointment_requests(self, case_id: uuid.UUID) -> Sequence[AppointmentRequestView]:
        return [_appointment_view(r) for r in record_service.appointment_requests(_case(case_id))]

    # -- documents --------------------------------------------------------------------------
    def resident_documents(self, case_id: uuid.UUID) -> Sequence[DocumentView]:
        return [_document_view(d) for d in record_service.resident_documents(_case(case_id))]

    def open_resident_document(self, document_id: uuid.UUID) -> tuple[DocumentView, bytes]:
        document, content = record_service.open_resident_document(document_id)
        return _document_view(document), content

    def add_resident_document(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, filename: str, content: bytes
    ) -> DocumentView:
        case = _case(case_id)
        document = record_service.resident_upload_document(
            case, _resident(case, by_person_id), filename=filename, content=content
        )
        return _document_view(document)

    # -- allocations and authorisation -------------------------------------------------------
    def allocations_of_person(self, person_id: uuid.UUID) -> Sequence[AllocationSummary]:
        return [
            AllocationSummary(
                id=a.id,
                person_id=a.person_id,
                law=a.law,
                product_category=a.product_category,
                provider_name=a.provider_name,
                provider_agb=a.provider_agb,
                status=a.status,
                start_on=a.start_on,
                end_on=a.end_on,
            )
            for a in allocation_service.allocations_of_person(person_id)
        ]

    def person_relation(self, actor: Actor) -> ColumnElement[bool] | None:
        return access.persons_related(actor)


__all__ = ["CLOSED", "CaseManagementProvider"]
