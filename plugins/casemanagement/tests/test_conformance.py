"""Our provider passes the `casemanagement` conformance suite every provider must pass.

The scenario is written straight into our tables. An agreed plan version keeps its snapshot
as `{"goals": [GoalView.model_dump(mode="json"), ...]}`: each goal as the capability's
`GoalView` in JSON, its actions nested under `"actions"` as `ActionView` in JSON without
`goal_id` (what `services.plan._snapshot` writes and `snapshot_goals` reads).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from typing import Any

from openregie_casemanagement.models import (
    Action,
    Allocation,
    Case,
    CasePerson,
    ContactMoment,
    Document,
    Goal,
    Plan,
    PlanVersion,
)
from openregie_sdk.capabilities.casemanagement import ActionView, GoalView, Party
from openregie_sdk.db import utcnow
from openregie_sdk.files import file_store
from openregie_sdk.testing.conformance.casemanagement import (
    CaseManagementConformance,
    Scenario,
    World,
    pdf_bytes,
)


def _document(
    case_id: uuid.UUID, filename: str, content: bytes, *, shared: bool, user_id: uuid.UUID
) -> Document:
    return Document(
        id=uuid.uuid4(),
        case_id=case_id,
        filename=filename,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=file_store().put(content),
        shared_with_resident=shared,
        uploaded_by_user_id=user_id,
        uploaded_at=utcnow() - dt.timedelta(days=10),
    )


def _action_view(action: Action, assignee: Party) -> dict[str, Any]:
    """An action as the snapshot holds it: an `ActionView` in JSON, without its goal id
    (the goal it is nested under)."""
    view = ActionView(
        id=action.id,
        goal_id=action.goal_id,
        description=action.description,
        assignee=assignee,
        due_on=action.due_on,
        status=action.status,  # type: ignore[arg-type]
        proposal=None,
        proposed_by_person_id=None,
        resident_comment=None,
        changed_at=action.changed_at,
        changed_by=action.changed_by,
        version=1,
    ).model_dump(mode="json")
    del view["goal_id"]
    return view


class TestConformance(CaseManagementConformance):
    def build_scenario(self, app: Any, db: Any, world: World) -> Scenario:
        today = dt.date.today()
        now = utcnow()
        case = Case(
            id=uuid.uuid4(),
            household_id=world.household_id,
            team_id=world.team_id,
            case_manager_id=world.professional_id,
            title="Schulden en wonen",
            status="uitvoering",
            opened_on=today - dt.timedelta(days=30),
        )
        closed = Case(
            id=uuid.uuid4(),
            household_id=world.household_id,
            team_id=world.team_id,
            case_manager_id=world.professional_id,
            title="Eerdere casus",
            status="afgesloten",
            opened_on=today - dt.timedelta(days=400),
            closed_on=today - dt.timedelta(days=200),
            closure_reason="goals_achieved",
        )
        other = Case(
            id=uuid.uuid4(),
            household_id=world.other_household_id,
            team_id=world.other_team_id,
            case_manager_id=world.other_professional_id,
            title="Andere casus",
            status="intake",
            opened_on=today - dt.timedelta(days=5),
        )
        db.add_all([case, closed, other])
        db.flush()
        db.add_all(
            [
                CasePerson(case_id=case.id, person_id=world.parent_id),
                CasePerson(case_id=case.id, person_id=world.child_id),
                CasePerson(case_id=closed.id, person_id=world.parent_id),
                CasePerson(case_id=other.id, person_id=world.other_person_id),
            ]
        )

        # The agreed plan: one goal of the parent's, one action each for her and the manager.
        plan = Plan(id=uuid.uuid4(), case_id=case.id, current_number=1, state="agreed")
        db.add(plan)
        db.flush()
        goal = Goal(
            id=uuid.uuid4(),
            plan_id=plan.id,
            life_domain="finances",
            text="Wij willen rust in onze financiën.",
            owner_kind="resident",
            owner_person_id=world.parent_id,
            status="in_progress",
            target_date=today + dt.timedelta(days=90),
            changed_at=now,
            changed_by=world.professional_name,
        )
        db.add(goal)
        db.flush()
        mine = Action(
            id=uuid.uuid4(),
            goal_id=goal.id,
            case_id=case.id,
            description="Alle post van schuldeisers in één map verzamelen.",
            assignee_kind="resident",
            assignee_person_id=world.parent_id,
            due_on=today + dt.timedelta(days=7),
            status="open",
            changed_at=now,
            changed_by=world.professional_name,
        )
        theirs = Action(
            id=uuid.uuid4(),
            goal_id=goal.id,
            case_id=case.id,
            description="Aanmelden bij de schuldhulpverlening.",
            assignee_kind="professional",
            assignee_user_id=world.professional_id,
            due_on=today + dt.timedelta(days=14),
            status="open",
            changed_at=now,
            changed_by=world.professional_name,
        )
        db.add_all([mine, theirs])
        parent = Party(kind="resident", id=world.parent_id, name=world.parent_name)
        manager = Party(kind="professional", id=world.professional_id, name=world.professional_name)
        snapshot_goal = GoalView(
            id=goal.id,
            life_domain=goal.life_domain,
            text=goal.text,
            owner=parent,
            status="in_progress",
            target_date=goal.target_date,
            proposal=None,
            proposed_by_person_id=None,
            version=1,
            actions=(),
        ).model_dump(mode="json")
        snapshot_goal["actions"] = [_action_view(mine, parent), _action_view(theirs, manager)]
        db.add(
            PlanVersion(
                id=uuid.uuid4(),
                plan_id=plan.id,
                number=1,
                state="agreed",
                started_at=now - dt.timedelta(days=25),
                started_by_user_id=world.professional_id,
                agreed_on=today - dt.timedelta(days=20),
                agreed_by_user_id=world.professional_id,
                agreed_by=[world.parent_name, world.professional_name],
                changes=[],
                snapshot={"goals": [snapshot_goal]},
            )
        )

        # Contact moments: an older one visible to the family, a newer internal one.
        visible = ContactMoment(
            id=uuid.uuid4(),
            case_id=case.id,
            occurred_at=now - dt.timedelta(days=5),
            channel="home_visit",
            participants="Anna Jansen, Mira Regie",
            summary="Kennismaking thuis; afspraken over de post.",
            visible_to_resident=True,
            created_by_user_id=world.professional_id,
        )
        hidden = ContactMoment(
            id=uuid.uuid4(),
            case_id=case.id,
            occurred_at=now - dt.timedelta(days=3),
            channel="phone",
            participants="Mira Regie, school",
            summary="Overleg met de school over Tim.",
            visible_to_resident=False,
            created_by_user_id=world.professional_id,
        )

        content = pdf_bytes("gedeeld")
        shared = _document(case.id, "plan.pdf", content, shared=True, user_id=world.professional_id)
        unshared = _document(
            case.id,
            "verslag.pdf",
            pdf_bytes("intern"),
            shared=False,
            user_id=world.professional_id,
        )
        allocation = Allocation(
            id=uuid.uuid4(),
            case_id=case.id,
            person_id=world.child_id,
            law="jeugdwet",
            product_category="jeugdhulp_ambulant",
            product_code="45A10",
            provider_name="Jeugdzorg Oost",
            volume=Decimal("2.00"),
            unit="hour",
            frequency="week",
            requested_on=today - dt.timedelta(days=25),
            decided_on=today - dt.timedelta(days=20),
            start_on=today - dt.timedelta(days=15),
            status="started",
        )
        db.add_all([visible, hidden, shared, unshared, allocation])

        # The other household's case has a plan, a visible moment and a shared document too.
        other_plan = Plan(id=uuid.uuid4(), case_id=other.id, current_number=1, state="draft")
        db.add(other_plan)
        db.flush()
        other_goal = Goal(
            id=uuid.uuid4(),
            plan_id=other_plan.id,
            life_domain="housing",
            text="Een eigen woning.",
            owner_kind="resident",
            owner_person_id=world.other_person_id,
            changed_at=now,
        )
        db.add(other_goal)
        db.flush()
        other_action = Action(
            id=uuid.uuid4(),
            goal_id=other_goal.id,
            case_id=other.id,
            description="Inschrijven bij de woningcorporatie.",
            assignee_kind="resident",
            assignee_person_id=world.other_person_id,
            changed_at=now,
        )
        db.add(PlanVersion(id=uuid.uuid4(), plan_id=other_plan.id, number=1, state="draft"))
        other_moment = ContactMoment(
            id=uuid.uuid4(),
            case_id=other.id,
            occurred_at=now - dt.timedelta(days=1),
            channel="office",
            participants="Karel Pietersen",
            summary="Intakegesprek.",
            visible_to_resident=True,
            created_by_user_id=world.other_professional_id,
        )
        other_document = _document(
            other.id,
            "intake.pdf",
            pdf_bytes("ander"),
            shared=True,
            user_id=world.other_professional_id,
        )
        db.add_all([other_action, other_moment, other_document])
        db.flush()

        return Scenario(
            case_id=case.id,
            closed_case_id=closed.id,
            other_case_id=other.id,
            plan_version=1,
            goal_id=goal.id,
            resident_action_id=mine.id,
            professional_action_id=theirs.id,
            visible_contact_moment_id=visible.id,
            hidden_contact_moment_id=hidden.id,
            shared_document_id=shared.id,
            shared_document_content=content,
            unshared_document_id=unshared.id,
            allocation_id=allocation.id,
            other_goal_id=other_goal.id,
            other_action_id=other_action.id,
            other_contact_moment_id=other_moment.id,
            other_document_id=other_document.id,
        )
