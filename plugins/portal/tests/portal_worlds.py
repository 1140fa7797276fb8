"""The people and cases the portal's tests use, for both casemanagement providers.

A household: a parent (adult, with a BSN) who has parental authority over a child of 8,
a teen of 13 and a young person of 17; an adult for whom the parent is bewindvoerder and
one for whom the parent is mentor; and a stranger in another household. One open case of
the household concerns the parent and the three minors: an agreed plan (version 1) with
one goal and two actions (one assigned to the parent, one to the case manager), a visible
and a hidden contact moment, a shared and an unshared document. The stranger has a case
of their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openregie_sdk.db import utcnow
from openregie_sdk.registry import Household, HouseholdMember, LegalRepresentation, Person, Team
from openregie_sdk.testing.conformance.casemanagement import pdf_bytes
from openregie_sdk.testing.plugin import create_test_user

FAKE_PROVIDER_SOURCE = (Path(__file__).parent / "fakecases_provider.py").read_text()
SHARED_CONTENT = pdf_bytes("gedeeld")


def valid_bsn(rng: random.Random) -> str:
    """A random number that passes the 11-proef."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        if digits[0] == 0:
            continue
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


@dataclass
class World:
    parent: Person
    child: Person
    teen: Person
    young: Person
    ward: Person
    mentee: Person
    stranger: Person
    case_id: uuid.UUID
    other_case_id: uuid.UUID
    goal_id: uuid.UUID
    action_id: uuid.UUID
    pro_action_id: uuid.UUID
    visible_moment_id: uuid.UUID
    hidden_moment_id: uuid.UUID
    shared_document_id: uuid.UUID
    unshared_document_id: uuid.UUID
    manager_name: str = "Mira Regie"


def _age(years: int, today: dt.date) -> dt.date:
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


def registry(db: Any) -> dict[str, Any]:
    """Persons, households and representations (committed)."""
    rng = random.Random()
    today = dt.date.today()

    def person(first: str, last: str, years: int) -> Person:
        return Person(
            id=uuid.uuid4(),
            bsn=valid_bsn(rng),
            voornamen=first,
            geslachtsnaam=last,
            search_name=last.lower(),
            birth_date=_age(years, today),
            phone="0612345678",
            email=f"{first.lower()}@example.org",
        )

    people = {
        "parent": person("Anna", "Jansen", 40),
        "child": person("Tim", "Jansen", 8),
        "teen": person("Sara", "Jansen", 13),
        "young": person("Joost", "Jansen", 17),
        "ward": person("Henk", "Bakker", 70),
        "mentee": person("Els", "Visser", 55),
        "stranger": person("Karel", "Pietersen", 45),
    }
    home = Household(id=uuid.uuid4(), name="Jansen")
    other = Household(id=uuid.uuid4(), name="Pietersen")
    db.add_all([*people.values(), home, other])
    db.flush()
    start = today - dt.timedelta(days=3000)
    for name, role in (
        ("parent", "parent"),
        ("child", "child"),
        ("teen", "child"),
        ("young", "child"),
    ):
        db.add(
            HouseholdMember(
                household_id=home.id, person_id=people[name].id, role=role, start_on=start
            )
        )
    db.add(
        HouseholdMember(
            household_id=other.id, person_id=people["stranger"].id, role="parent", start_on=start
        )
    )
    for name, kind in (
        ("child", "parental_authority"),
        ("teen", "parental_authority"),
        ("young", "parental_authority"),
        ("ward", "bewindvoering"),
        ("mentee", "mentorship"),
    ):
        db.add(
            LegalRepresentation(
                representative_id=people["parent"].id,
                represented_id=people[name].id,
                kind=kind,
                start_on=start,
            )
        )
    db.commit()
    return {"people": people, "household": home, "other_household": other}


def build_ours(app: Any, db: Any) -> World:
    """The world on OpenRegie's own casemanagement module."""
    from openregie_casemanagement.models import (
        Action,
        Case,
        CasePerson,
        ContactMoment,
        Document,
        Goal,
        Plan,
        PlanVersion,
    )
    from openregie_sdk.files import file_store

    base = registry(db)
    p = base["people"]
    manager = create_test_user(app, "professional", roles=[], display_name="Mira Regie")
    team = Team(id=uuid.uuid4(), name=f"Team Noord {uuid.uuid4().hex[:6]}", kind="integral")
    db.add(team)
    db.flush()
    today = dt.date.today()
    now = utcnow()
    case = Case(
        id=uuid.uuid4(),
        household_id=base["household"].id,
        team_id=team.id,
        case_manager_id=manager.id,
        title="Rust in huis",
        status="uitvoering",
        opened_on=today - dt.timedelta(days=30),
    )
    other = Case(
        id=uuid.uuid4(),
        household_id=base["other_household"].id,
        team_id=team.id,
        case_manager_id=manager.id,
        title="Andere casus",
        status="intake",
        opened_on=today - dt.timedelta(days=5),
    )
    db.add_all([case, other])
    db.flush()
    for name in ("parent", "child", "teen", "young"):
        db.add(CasePerson(case_id=case.id, person_id=p[name].id))
    db.add(CasePerson(case_id=other.id, person_id=p["stranger"].id))
    plan = Plan(id=uuid.uuid4(), case_id=case.id, current_number=1, state="agreed")
    db.add(plan)
    db.flush()
    goal = Goal(
        id=uuid.uuid4(),
        plan_id=plan.id,
        life_domain="finances",
        text="Wij willen rust in onze financiën.",
        owner_kind="resident",
        owner_person_id=p["parent"].id,
        status="in_progress",
        changed_at=now,
        changed_by="Mira Regie",
    )
    db.add(goal)
    db.flush()
    mine = Action(
        id=uuid.uuid4(),
        goal_id=goal.id,
        case_id=case.id,
        description="Alle post in één map verzamelen.",
        assignee_kind="resident",
        assignee_person_id=p["parent"].id,
        due_on=today + dt.timedelta(days=7),
        status="open",
        changed_at=now,
        changed_by="Mira Regie",
    )
    theirs = Action(
        id=uuid.uuid4(),
        goal_id=goal.id,
        case_id=case.id,
        description="Aanmelden bij de schuldhulpverlening.",
        assignee_kind="professional",
        assignee_user_id=manager.id,
        status="open",
        changed_at=now,
        changed_by="Mira Regie",
    )
    db.add_all([mine, theirs])
    db.add(
        PlanVersion(
            id=uuid.uuid4(),
            plan_id=plan.id,
            number=1,
            state="agreed",
            started_at=now - dt.timedelta(days=25),
            started_by_user_id=manager.id,
            agreed_on=today - dt.timedelta(days=20),
            agreed_by_user_id=manager.id,
            agreed_by=["Anna Jansen", "Mira Regie"],
            changes=[],
            snapshot={"goals": []},
        )
    )
    visible = ContactMoment(
        id=uuid.uuid4(),
        case_id=case.id,
        occurred_at=now - dt.timedelta(days=5),
        channel="home_visit",
        participants="Anna Jansen, Mira Regie",
        summary="Kennismaking thuis; afspraken over de post.",
        visible_to_resident=True,
        created_by_user_id=manager.id,
    )
    hidden = ContactMoment(
        id=uuid.uuid4(),
        case_id=case.id,
        occurred_at=now - dt.timedelta(days=3),
        channel="phone",
        participants="Mira Regie, school",
        summary="Intern overleg met de school.",
        visible_to_resident=False,
        created_by_user_id=manager.id,
    )

    def document(name: str, content: bytes, shared: bool) -> Document:
        return Document(
            id=uuid.uuid4(),
            case_id=case.id,
            filename=name,
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            storage_key=file_store().put(content),
            shared_with_resident=shared,
            uploaded_by_user_id=manager.id,
            uploaded_at=now - dt.timedelta(days=10),
        )

    shared = document("plan.pdf", SHARED_CONTENT, True)
    unshared = document("intern-verslag.pdf", pdf_bytes("intern"), False)
    db.add_all([visible, hidden, shared, unshared])
    db.commit()
    return World(
        **{k: p[k] for k in p},
        case_id=case.id,
        other_case_id=other.id,
        goal_id=goal.id,
        action_id=mine.id,
        pro_action_id=theirs.id,
        visible_moment_id=visible.id,
        hidden_moment_id=hidden.id,
        shared_document_id=shared.id,
        unshared_document_id=unshared.id,
    )


def build_fake(app: Any, db: Any, provider: Any) -> World:
    """The same world in the fake provider's memory."""
    from openregie_sdk.capabilities.casemanagement import (
        ActionView,
        CaseManagerContact,
        CaseSummary,
        ContactMomentView,
        DocumentView,
        GoalView,
        Party,
        PlanView,
    )

    base = registry(db)
    p = base["people"]
    store = type(provider.store)()
    type(provider).store = store
    today = dt.date.today()
    now = utcnow()
    case = CaseSummary(
        id=uuid.uuid4(),
        household_id=base["household"].id,
        title="Rust in huis",
        status="uitvoering",
        opened_on=today - dt.timedelta(days=30),
    )
    other = CaseSummary(
        id=uuid.uuid4(),
        household_id=base["other_household"].id,
        title="Andere casus",
        status="intake",
        opened_on=today - dt.timedelta(days=5),
    )
    store.cases = {case.id: case, other.id: other}
    store.persons = {
        case.id: tuple(p[n].id for n in ("parent", "child", "teen", "young")),
        other.id: (p["stranger"].id,),
    }
    store.managers = {
        case.id: CaseManagerContact(
            name="Mira Regie", team_name="Team Noord", phone="0201234567", email="mira@example.org"
        )
    }
    goal_id = uuid.uuid4()

    def action(description: str, assignee: Party) -> ActionView:
        return ActionView(
            id=uuid.uuid4(),
            goal_id=goal_id,
            description=description,
            assignee=assignee,
            due_on=None,
            status="open",
            proposal=None,
            proposed_by_person_id=None,
            resident_comment=None,
            changed_at=now,
            changed_by="Mira Regie",
            version=1,
        )

    mine = action(
        "Alle post in één map verzamelen.", Party(kind="resident", id=p["parent"].id, name="Anna")
    )
    theirs = action(
        "Aanmelden bij de schuldhulpverlening.",
        Party(kind="professional", id=uuid.uuid4(), name="Mira Regie"),
    )
    goal = GoalView(
        id=goal_id,
        life_domain="finances",
        text="Wij willen rust in onze financiën.",
        owner=None,
        status="in_progress",
        target_date=None,
        proposal=None,
        proposed_by_person_id=None,
        version=1,
        actions=(mine, theirs),
    )
    plan = PlanView(
        case_id=case.id,
        version_number=1,
        state="agreed",
        agreed_on=today - dt.timedelta(days=20),
        agreed_by=("Anna Jansen", "Mira Regie"),
        changes=(),
        goals=(goal,),
    )
    store.plans = {case.id: plan}
    store.versions = {case.id: [plan]}
    visible = ContactMomentView(
        id=uuid.uuid4(),
        occurred_at=now - dt.timedelta(days=5),
        channel="home_visit",
        participants="Anna Jansen, Mira Regie",
        summary="Kennismaking thuis; afspraken over de post.",
    )
    hidden = ContactMomentView(
        id=uuid.uuid4(),
        occurred_at=now - dt.timedelta(days=3),
        channel="phone",
        participants="Mira Regie, school",
        summary="Intern overleg met de school.",
    )
    store.moments = {case.id: [(visible, True), (hidden, False)]}

    def document(name: str, content: bytes) -> DocumentView:
        return DocumentView(
            id=uuid.uuid4(),
            case_id=case.id,
            filename=name,
            content_type="application/pdf",
            size=len(content),
            uploaded_at=now - dt.timedelta(days=10),
            uploaded_by_resident=False,
        )

    shared = document("plan.pdf", SHARED_CONTENT)
    unshared = document("intern-verslag.pdf", pdf_bytes("intern"))
    store.documents = {
        shared.id: (shared, SHARED_CONTENT, True),
        unshared.id: (unshared, pdf_bytes("intern"), False),
    }
    return World(
        **{k: p[k] for k in p},
        case_id=case.id,
        other_case_id=other.id,
        goal_id=goal_id,
        action_id=mine.id,
        pro_action_id=theirs.id,
        visible_moment_id=visible.id,
        hidden_moment_id=hidden.id,
        shared_document_id=shared.id,
        unshared_document_id=unshared.id,
    )
