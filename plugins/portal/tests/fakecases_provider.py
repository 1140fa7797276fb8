"""A deliberately different, minimal provider of the casemanagement capability for the
portal's tests: everything lives in memory (`FakeCases.store`), no tables, no files. The
portal must work against it exactly as against OpenRegie's own module.

Loaded as `provider.py` of a tiny test distribution (see conftest `fake_provider`)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from openregie_sdk import audit
from openregie_sdk.capabilities.casemanagement import (
    RESIDENT_ACTION_STATUSES,
    ActionView,
    AppointmentRequestView,
    CaseManagerContact,
    CaseOverview,
    CaseSummary,
    ContactMomentView,
    DocumentView,
    GoalView,
    NotFound,
    Party,
    PlanVersionSummary,
    PlanView,
    Refused,
    Stale,
)
from openregie_sdk.db import utcnow

MODULE = "fakecases"
MAX_SIZE = 1024 * 1024


@dataclass
class Store:
    cases: dict[uuid.UUID, CaseSummary] = field(default_factory=dict)
    persons: dict[uuid.UUID, tuple[uuid.UUID, ...]] = field(default_factory=dict)
    managers: dict[uuid.UUID, CaseManagerContact] = field(default_factory=dict)
    plans: dict[uuid.UUID, PlanView] = field(default_factory=dict)
    versions: dict[uuid.UUID, list[PlanView]] = field(default_factory=dict)
    moments: dict[uuid.UUID, list[tuple[ContactMomentView, bool]]] = field(default_factory=dict)
    documents: dict[uuid.UUID, tuple[DocumentView, bytes, bool]] = field(default_factory=dict)
    requests: list[AppointmentRequestView] = field(default_factory=list)


class FakeCases:
    store = Store()

    # -- helpers --------------------------------------------------------------------------
    def _case(self, case_id: uuid.UUID) -> CaseSummary:
        if case_id not in self.store.cases:
            raise NotFound("unknown case", "case_id")
        return self.store.cases[case_id]

    def _member(self, case_id: uuid.UUID, person_id: uuid.UUID) -> None:
        if person_id not in self.store.persons.get(case_id, ()):
            raise Refused("not of this case", "by_person_id")

    def _read(self, case_id: uuid.UUID, what: str) -> None:
        audit.record(
            "read", f"fakecases.{what}", "person", self.store.persons[case_id], module=MODULE
        )

    def _replace_action(self, action_id: uuid.UUID, change: dict[str, Any]) -> ActionView:
        for case_id, plan in self.store.plans.items():
            goals = []
            found = None
            for goal in plan.goals:
                actions = []
                for action in goal.actions:
                    if action.id == action_id:
                        found = action.model_copy(update=change)
                        action = found
                    actions.append(action)
                goals.append(goal.model_copy(update={"actions": tuple(actions)}))
            if found is not None:
                self.store.plans[case_id] = plan.model_copy(update={"goals": tuple(goals)})
                return found
        raise NotFound("unknown action", "action_id")

    def _action(self, action_id: uuid.UUID) -> tuple[uuid.UUID, ActionView]:
        for case_id, plan in self.store.plans.items():
            for goal in plan.goals:
                for action in goal.actions:
                    if action.id == action_id:
                        return case_id, action
        raise NotFound("unknown action", "action_id")

    # -- cases ----------------------------------------------------------------------------
    def cases_of_household(self, household_id: uuid.UUID) -> list[CaseSummary]:
        return [c for c in self.store.cases.values() if c.household_id == household_id]

    def cases_of_person(self, person_id: uuid.UUID) -> list[CaseSummary]:
        found = [c for c in self.store.cases.values() if person_id in self.store.persons[c.id]]
        return sorted(found, key=lambda c: c.opened_on, reverse=True)

    def open_case_count(self) -> int:
        return sum(1 for c in self.store.cases.values() if c.closed_on is None)

    def case_overview(self, case_id: uuid.UUID) -> CaseOverview:
        case = self._case(case_id)
        self._read(case_id, "overview")
        plan = self.store.plans.get(case_id)
        open_actions = sum(
            1
            for goal in (plan.goals if plan else ())
            for a in goal.actions
            if a.status in ("open", "in_progress") and a.assignee and a.assignee.kind == "resident"
        )
        return CaseOverview(
            case=case,
            person_ids=self.store.persons[case_id],
            case_manager=self.store.managers.get(case_id),
            open_actions_for_residents=open_actions,
        )

    # -- plan -----------------------------------------------------------------------------
    def current_plan(self, case_id: uuid.UUID) -> PlanView | None:
        self._case(case_id)
        self._read(case_id, "plan")
        return self.store.plans.get(case_id)

    def plan_versions(self, case_id: uuid.UUID) -> list[PlanVersionSummary]:
        self._case(case_id)
        return [
            PlanVersionSummary(
                number=v.version_number, state="superseded", agreed_on=v.agreed_on, changes=()
            )
            for v in reversed(self.store.versions.get(case_id, []))
        ]

    def plan_version(self, case_id: uuid.UUID, number: int) -> PlanView:
        self._case(case_id)
        for version in self.store.versions.get(case_id, []):
            if version.version_number == number:
                self._read(case_id, "plan")
                return version
        raise NotFound("unknown version", "number")

    def update_action(
        self,
        action_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        expected_version: int,
        status: str | None = None,
        comment: str | None = None,
    ) -> ActionView:
        case_id, action = self._action(action_id)
        self._member(case_id, by_person_id)
        if action.assignee is None or action.assignee.id != by_person_id:
            raise Refused("assigned to someone else", "action_id")
        if status is not None and status not in RESIDENT_ACTION_STATUSES:
            raise Refused("status not allowed", "status")
        if comment is not None and len(comment) > 2000:
            raise Refused("comment too long", "comment")
        if expected_version != action.version:
            raise Stale("changed", action.version)
        change: dict[str, Any] = {"version": action.version + 1, "changed_at": utcnow()}
        if status is not None:
            change["status"] = status
        if comment is not None:
            change["resident_comment"] = comment
        audit.record(
            "update", "fakecases.plan", "person", self.store.persons[case_id], module=MODULE
        )
        return self._replace_action(action_id, change)

    def propose_goal(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, life_domain: str, text: str
    ) -> GoalView:
        self._case(case_id)
        self._member(case_id, by_person_id)
        if life_domain not in dict(self.life_domains()):
            raise Refused("unknown life domain", "life_domain")
        if not text.strip():
            raise Refused("empty", "text")
        goal = GoalView(
            id=uuid.uuid4(),
            life_domain=life_domain,
            text=text,
            owner=Party(kind="resident", id=by_person_id, name="inwoner"),
            status="open",
            target_date=None,
            proposal="proposed",
            proposed_by_person_id=by_person_id,
            version=1,
            actions=(),
        )
        plan = self.store.plans[case_id]
        self.store.plans[case_id] = plan.model_copy(update={"goals": (*plan.goals, goal)})
        audit.record(
            "create", "fakecases.plan", "person", self.store.persons[case_id], module=MODULE
        )
        return goal

    def propose_action(
        self,
        goal_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        description: str,
        due_on: dt.date | None = None,
    ) -> ActionView:
        for case_id, plan in self.store.plans.items():
            for goal in plan.goals:
                if goal.id != goal_id:
                    continue
                self._member(case_id, by_person_id)
                if not description.strip():
                    raise Refused("empty", "description")
                action = ActionView(
                    id=uuid.uuid4(),
                    goal_id=goal_id,
                    description=description,
                    assignee=Party(kind="resident", id=by_person_id, name="inwoner"),
                    due_on=due_on,
                    status="open",
                    proposal="proposed",
                    proposed_by_person_id=by_person_id,
                    resident_comment=None,
                    changed_at=utcnow(),
                    changed_by="inwoner",
                    version=1,
                )
                goals = tuple(
                    g.model_copy(update={"actions": (*g.actions, action)}) if g.id == goal_id else g
                    for g in plan.goals
                )
                self.store.plans[case_id] = plan.model_copy(update={"goals": goals})
                return action
        raise NotFound("unknown goal", "goal_id")

    def life_domains(self) -> list[tuple[str, str]]:
        return [("finances", "Financiën"), ("housing", "Wonen")]

    # -- contact --------------------------------------------------------------------------
    def resident_contact_moments(self, case_id: uuid.UUID) -> list[ContactMomentView]:
        self._case(case_id)
        self._read(case_id, "contact")
        return [m for m, visible in self.store.moments.get(case_id, []) if visible]

    def request_appointment(
        self,
        case_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        subject: str,
        channel: str,
        preferred_moments: str,
    ) -> AppointmentRequestView:
        self._case(case_id)
        self._member(case_id, by_person_id)
        request = AppointmentRequestView(
            id=uuid.uuid4(),
            case_id=case_id,
            person_id=by_person_id,
            subject=subject,
            channel=channel,  # type: ignore[arg-type]
            preferred_moments=preferred_moments,
            status="open",
            created_at=utcnow(),
        )
        self.store.requests.append(request)
        return request

    def appointment_requests(self, case_id: uuid.UUID) -> list[AppointmentRequestView]:
        return [r for r in reversed(self.store.requests) if r.case_id == case_id]

    # -- documents ------------------------------------------------------------------------
    def resident_documents(self, case_id: uuid.UUID) -> list[DocumentView]:
        self._case(case_id)
        self._read(case_id, "documents")
        return [
            d for d, _, shared in self.store.documents.values() if d.case_id == case_id and shared
        ]

    def open_resident_document(self, document_id: uuid.UUID) -> tuple[DocumentView, bytes]:
        found = self.store.documents.get(document_id)
        if found is None or not found[2]:
            raise NotFound("unknown document", "document_id")
        self._read(found[0].case_id, "documents")
        return found[0], found[1]

    def add_resident_document(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, filename: str, content: bytes
    ) -> DocumentView:
        self._case(case_id)
        self._member(case_id, by_person_id)
        if not content:
            raise Refused("Het bestand is leeg.", "file")
        if len(content) > MAX_SIZE:
            raise Refused("Het bestand is te groot.", "file")
        if not content.startswith(b"%PDF-"):
            raise Refused("Alleen PDF-bestanden.", "file")
        view = DocumentView(
            id=uuid.uuid4(),
            case_id=case_id,
            filename=filename,
            content_type="application/pdf",
            size=len(content),
            uploaded_at=utcnow(),
            uploaded_by_resident=True,
        )
        self.store.documents[view.id] = (view, content, True)
        return view

    # -- the rest -------------------------------------------------------------------------
    def allocations_of_person(self, person_id: uuid.UUID) -> list[Any]:
        return []

    def person_relation(self, actor: Any) -> None:
        return None


def provider() -> FakeCases:
    return FakeCases()
