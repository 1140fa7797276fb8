"""The conformance suite of the `casemanagement` capability (protocol version 1.2; a provider
of 1.1, without `resident_overview`, skips that method's test).

Any provider of `openregie_sdk.capabilities.casemanagement.CaseManagement` — the module
OpenRegie ships, a vendor's replacement, or a small fake in another module's tests — proves
that it follows the protocol's rules by subclassing `CaseManagementConformance` in its own
tests. The suite builds the registry part of a small world itself (two households, persons,
two teams, two professionals: `World`); the provider writes its own rows for that world
through its own storage and returns their ids (`Scenario`). Every test then calls the
provider exactly as consumers do, `openregie_sdk.capability("casemanagement")`, inside an
application context whose `db_session()` is the SDK's `db` fixture session.

How a vendor uses it::

    # tests/test_conformance.py of the vendor's module "acme_cases"
    import datetime as dt

    from openregie_sdk.testing.conformance.casemanagement import (
        CaseManagementConformance,
        Scenario,
        World,
    )

    from acme_cases.models import AcmeCase, ...


    class TestConformance(CaseManagementConformance):
        modules = ("acme_cases",)  # the modules the `app` fixture enables

        def build_scenario(self, app, db, world: World) -> Scenario:
            case = AcmeCase(household_id=world.household_id, ...)
            ...  # plan, goal, actions, contact moments, documents, allocation
            db.add_all([...])
            db.flush()
            return Scenario(case_id=case.id, closed_case_id=..., ...)

`build_scenario` may flush; the suite commits after it. A provider that no loaded module
registers (a fake in another module's tests) overrides `provider_under_test()` to return
it; by default the suite checks `capability("casemanagement")`. Run the suite with the SDK's pytest
plugin active (it is, once `openregie-sdk` is installed): it uses the `app` and `db`
fixtures. `modules` may stay empty when a conftest overrides `openregie_modules`.

What the scenario must hold (see `Scenario` for the fields):

- `case_id`: an open case of `world.household_id` concerning the parent and the child,
  `world.professional_id` its case manager (in team `world.team_id`), opened recently.
- `closed_case_id`: an earlier case of the same household, closed, concerning the parent
  only, opened before `case_id`, without a plan.
- `other_case_id`: an open case of `world.other_household_id` concerning
  `world.other_person_id`, managed by `world.other_professional_id` (team
  `world.other_team_id`); it has nothing to do with the first household.
- For `case_id`: an agreed plan whose current version (`plan_version`) is agreed, with one
  goal (`goal_id`) holding exactly two actions: `resident_action_id`, assigned to the parent
  and open, and `professional_action_id`, assigned to `world.professional_id`. No other
  action of the case is assigned to a resident.
- Two contact moments of `case_id`: `visible_contact_moment_id`, visible to residents, and
  a newer one `hidden_contact_moment_id`, not visible.
- Two documents of `case_id`, uploaded by a professional some days ago:
  `shared_document_id` (shared with residents, content `shared_document_content`) and
  `unshared_document_id` (not shared).
- `allocation_id`: an allocation of the child (on `case_id`); nobody else has one.
- No appointment requests yet, in any case.
- Optionally, the other case's `other_goal_id`, `other_action_id` (assigned to the other
  person), `other_contact_moment_id` (visible) and `other_document_id` (shared): when
  given, the suite checks that none of them leaks into the first household's calls.
- The database holds no other cases than these three.
"""

from __future__ import annotations

import datetime as dt
import struct
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from sqlalchemy import select

from openregie_sdk import capability
from openregie_sdk.actors import SYSTEM, Actor, ActorKind
from openregie_sdk.capabilities import CAPABILITIES
from openregie_sdk.capabilities.casemanagement import (
    RESIDENT_ACTION_STATUSES,
    ActionView,
    CaseManagement,
    GoalView,
    NotFound,
    PlanView,
    Refused,
    ResidentCase,
    Stale,
)
from openregie_sdk.registry import Household, HouseholdMember, Membership, Person, Team
from openregie_sdk.testing.plugin import create_test_user

__all__ = ["CaseManagementConformance", "Scenario", "World", "pdf_bytes", "png_bytes"]


@dataclass(frozen=True)
class World:
    """The registry rows the suite creates (committed) before `build_scenario` runs."""

    household_id: uuid.UUID
    parent_id: uuid.UUID
    """A parent of `household_id`: the resident who acts in the suite (first names
    `parent_first_names`)."""
    child_id: uuid.UUID
    parent_first_names: str
    parent_name: str
    other_household_id: uuid.UUID
    other_person_id: uuid.UUID
    """The only member of `other_household_id`."""
    team_id: uuid.UUID
    professional_id: uuid.UUID
    """A user (kind professional) with a current membership of `team_id`."""
    professional_name: str
    other_team_id: uuid.UUID
    other_professional_id: uuid.UUID
    """A user with a current membership of `other_team_id` only."""


@dataclass(frozen=True)
class Scenario:
    """The ids of what the provider created for the suite (module docstring: the rules)."""

    case_id: uuid.UUID
    closed_case_id: uuid.UUID
    other_case_id: uuid.UUID
    plan_version: int
    """The number of the plan's current, agreed version."""
    goal_id: uuid.UUID
    resident_action_id: uuid.UUID
    professional_action_id: uuid.UUID
    visible_contact_moment_id: uuid.UUID
    hidden_contact_moment_id: uuid.UUID
    shared_document_id: uuid.UUID
    shared_document_content: bytes
    unshared_document_id: uuid.UUID
    allocation_id: uuid.UUID
    other_goal_id: uuid.UUID | None = None
    other_action_id: uuid.UUID | None = None
    other_contact_moment_id: uuid.UUID | None = None
    other_document_id: uuid.UUID | None = None


def png_bytes() -> bytes:
    """A valid 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "conformance") -> bytes:
    """A small PDF file (what the magic-bytes check recognises as application/pdf)."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% "
        + text.encode()
        + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def _ids(items: Sequence[Any]) -> list[uuid.UUID]:
    return [item.id for item in items]


def _goal(plan: PlanView, goal_id: uuid.UUID) -> GoalView:
    found = [g for g in plan.goals if g.id == goal_id]
    assert len(found) == 1, f"goal {goal_id} is in the plan once: {[g.id for g in plan.goals]}"
    return found[0]


def _action(plan: PlanView, action_id: uuid.UUID) -> ActionView:
    found = [a for g in plan.goals for a in g.actions if a.id == action_id]
    assert len(found) == 1, f"action {action_id} is in the plan once"
    return found[0]


def _live_action(provider: CaseManagement, case_id: uuid.UUID, action_id: uuid.UUID) -> ActionView:
    plan = provider.current_plan(case_id)
    assert plan is not None
    return _action(plan, action_id)


def _newest_first(items: Sequence[Any], attribute: str) -> bool:
    values = [getattr(item, attribute) for item in items]
    return values == sorted(values, reverse=True)


class CaseManagementConformance:
    """Subclass as `Test...`, set `modules` and implement `build_scenario`."""

    modules: ClassVar[tuple[str, ...]] = ()
    """The modules the `app` fixture enables (empty: the `openregie_modules` fixture's)."""

    def build_scenario(self, app: Any, db: Any, world: World) -> Scenario:
        """Create the scenario's cases, plan, contact moments, documents and allocation for
        `world` through the provider's own storage (in `db`, flushing is enough) and return
        their ids. See the module docstring for what each id must be."""
        raise NotImplementedError("a provider's conformance test implements build_scenario")

    # -- fixtures -----------------------------------------------------------------------------
    @pytest.fixture
    def openregie_modules(self, openregie_modules: list[str] | None) -> list[str] | None:
        return list(self.modules) if self.modules else openregie_modules

    @pytest.fixture
    def world(self, app: Any, db: Any) -> World:
        tag = uuid.uuid4().hex[:6]
        professional = create_test_user(app, "professional", roles=[], display_name="Mira Regie")
        other_professional = create_test_user(
            app, "professional", roles=[], display_name="Otto Elders"
        )
        team = Team(id=uuid.uuid4(), name=f"Team Noord {tag}", kind="integral")
        other_team = Team(id=uuid.uuid4(), name=f"Team Zuid {tag}", kind="integral")
        parent = Person(
            id=uuid.uuid4(),
            voornamen="Anna Maria",
            geslachtsnaam="Jansen",
            search_name="jansen",
            birth_date=dt.date(1985, 3, 1),
        )
        child = Person(
            id=uuid.uuid4(),
            voornamen="Tim",
            geslachtsnaam="Jansen",
            search_name="jansen",
            birth_date=dt.date(2014, 6, 1),
        )
        other = Person(
            id=uuid.uuid4(),
            voornamen="Karel",
            geslachtsnaam="Pietersen",
            search_name="pietersen",
            birth_date=dt.date(1970, 1, 1),
        )
        household = Household(id=uuid.uuid4(), name=f"Gezin Jansen {tag}")
        other_household = Household(id=uuid.uuid4(), name=f"Huishouden Pietersen {tag}")
        db.add_all([team, other_team, parent, child, other, household, other_household])
        db.flush()
        since = dt.date(2010, 1, 1)
        db.add_all(
            [
                HouseholdMember(
                    household_id=household.id, person_id=parent.id, role="parent", start_on=since
                ),
                HouseholdMember(
                    household_id=household.id, person_id=child.id, role="child", start_on=since
                ),
                HouseholdMember(
                    household_id=other_household.id,
                    person_id=other.id,
                    role="other",
                    start_on=since,
                ),
                Membership(
                    user_id=professional.id, team_id=team.id, role="professional", start_on=since
                ),
                Membership(
                    user_id=other_professional.id,
                    team_id=other_team.id,
                    role="professional",
                    start_on=since,
                ),
            ]
        )
        db.commit()
        return World(
            household_id=household.id,
            parent_id=parent.id,
            child_id=child.id,
            parent_first_names="Anna Maria",
            parent_name="Anna Maria Jansen",
            other_household_id=other_household.id,
            other_person_id=other.id,
            team_id=team.id,
            professional_id=professional.id,
            professional_name="Mira Regie",
            other_team_id=other_team.id,
            other_professional_id=other_professional.id,
        )

    @pytest.fixture
    def scenario(self, app: Any, db: Any, world: World) -> Scenario:
        built = self.build_scenario(app, db, world)
        assert isinstance(built, Scenario), "build_scenario returns a Scenario"
        db.commit()
        return built

    @pytest.fixture
    def provider(self, app: Any, db: Any, scenario: Scenario) -> CaseManagement:
        """The provider as consumers get it, inside the `db` fixture's application context."""
        found = self.provider_under_test()
        assert found is not None, "a loaded module provides the casemanagement capability"
        return found

    def provider_under_test(self) -> CaseManagement:
        """The provider the suite checks: by default the installation's, as consumers get
        it. A fake that is not registered by a loaded module may be returned instead."""
        provider: CaseManagement = capability("casemanagement")
        return provider

    def _actor(self, app: Any, db: Any, user_id: uuid.UUID) -> Actor:
        from openregie_core.models import User

        return app.extensions["openregie"].actor_for_user(db.get(User, user_id))

    # -- the protocol -------------------------------------------------------------------------
    def test_provider_satisfies_the_protocol(self, provider: CaseManagement) -> None:
        """Every method of the protocol version it implements: 1.2 when it has
        `resident_overview`, else 1.1 (`isinstance` against the protocol would ask for all
        of 1.2)."""
        version = "1.2" if hasattr(provider, "resident_overview") else "1.1"
        methods = CAPABILITIES["casemanagement"].methods_for(version)
        assert [m for m in methods if not callable(getattr(provider, m, None))] == []

    # -- cases --------------------------------------------------------------------------------
    def test_cases_of_household_newest_first(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        cases = provider.cases_of_household(world.household_id)
        assert _ids(cases) == [scenario.case_id, scenario.closed_case_id]
        assert all(c.household_id == world.household_id for c in cases)
        assert _newest_first(cases, "opened_on")
        assert provider.cases_of_household(world.other_household_id)[0].id == (
            scenario.other_case_id
        )
        assert list(provider.cases_of_household(uuid.uuid4())) == []

    def test_cases_of_person_lists_only_cases_that_concern_them(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        assert _ids(provider.cases_of_person(world.parent_id)) == [
            scenario.case_id,
            scenario.closed_case_id,
        ]
        assert _ids(provider.cases_of_person(world.other_person_id)) == [scenario.other_case_id]
        assert list(provider.cases_of_person(uuid.uuid4())) == []

    def test_cases_of_person_leaves_out_household_cases_that_do_not_concern_them(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        """The closed case concerns the parent only: it is not among the child's cases."""
        assert _ids(provider.cases_of_person(world.child_id)) == [scenario.case_id]

    def test_open_case_count_leaves_out_closed_cases(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        assert provider.open_case_count() == 2

    def test_case_overview_names_the_persons(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        overview = provider.case_overview(scenario.case_id)
        assert overview.case.id == scenario.case_id
        assert overview.case.household_id == world.household_id
        assert set(overview.person_ids) == {world.parent_id, world.child_id}
        assert overview.open_actions_for_residents == 1
        if overview.case_manager is not None:
            assert overview.case_manager.name
        closed = provider.case_overview(scenario.closed_case_id)
        assert set(closed.person_ids) == {world.parent_id}
        with pytest.raises(NotFound):
            provider.case_overview(uuid.uuid4())

    def test_resident_overview_equals_the_single_case_reads(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        """Since 1.2: each of the person's cases, newest first, with exactly what
        `case_overview`, `current_plan` and `appointment_requests` return for it."""
        if not hasattr(provider, "resident_overview"):
            pytest.skip("a casemanagement 1.1 provider: resident_overview came with 1.2")
        provider.request_appointment(
            scenario.case_id,
            by_person_id=world.parent_id,
            subject="Gesprek",
            channel="phone",
            preferred_moments="",
        )
        for person in (world.parent_id, world.child_id, world.other_person_id):
            cases = provider.resident_overview(person)
            assert [c.overview.case.id for c in cases] == _ids(provider.cases_of_person(person))
            assert list(cases) == [
                ResidentCase(
                    overview=provider.case_overview(c.id),
                    plan=provider.current_plan(c.id),
                    appointment_requests=tuple(provider.appointment_requests(c.id)),
                )
                for c in provider.cases_of_person(person)
            ]
        assert list(provider.resident_overview(uuid.uuid4())) == []

    # -- plan ---------------------------------------------------------------------------------
    def test_current_plan_holds_the_living_goals_and_actions(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        plan = provider.current_plan(scenario.case_id)
        assert plan is not None
        assert plan.case_id == scenario.case_id
        assert plan.version_number == scenario.plan_version
        assert plan.state == "agreed"
        goal = _goal(plan, scenario.goal_id)
        assert {a.id for a in goal.actions} == {
            scenario.resident_action_id,
            scenario.professional_action_id,
        }
        mine = _action(plan, scenario.resident_action_id)
        assert mine.goal_id == scenario.goal_id
        assert mine.assignee is not None
        assert (mine.assignee.kind, mine.assignee.id) == ("resident", world.parent_id)
        assert mine.status == "open"
        theirs = _action(plan, scenario.professional_action_id)
        assert theirs.assignee is not None
        assert (theirs.assignee.kind, theirs.assignee.id) == (
            "professional",
            world.professional_id,
        )

    def test_current_plan_is_none_without_a_plan_and_not_found_for_an_unknown_case(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        assert provider.current_plan(scenario.closed_case_id) is None
        with pytest.raises(NotFound):
            provider.current_plan(uuid.uuid4())

    def test_plan_versions_newest_first(self, provider: CaseManagement, scenario: Scenario) -> None:
        versions = provider.plan_versions(scenario.case_id)
        numbers = [v.number for v in versions]
        assert scenario.plan_version in numbers
        assert numbers == sorted(numbers, reverse=True)
        agreed = next(v for v in versions if v.number == scenario.plan_version)
        assert agreed.state == "agreed"
        assert agreed.agreed_on is not None
        assert list(provider.plan_versions(scenario.closed_case_id)) == []

    def test_plan_version_reads_the_agreed_version(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        plan = provider.plan_version(scenario.case_id, scenario.plan_version)
        assert plan.case_id == scenario.case_id
        assert plan.version_number == scenario.plan_version
        assert plan.state == "agreed"
        assert plan.agreed_on is not None
        goal = _goal(plan, scenario.goal_id)
        assert {a.id for a in goal.actions} == {
            scenario.resident_action_id,
            scenario.professional_action_id,
        }

    def test_plan_version_not_found_for_an_unknown_number_or_case(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        with pytest.raises(NotFound):
            provider.plan_version(scenario.case_id, scenario.plan_version + 100)
        with pytest.raises(NotFound):
            provider.plan_version(uuid.uuid4(), scenario.plan_version)
        with pytest.raises(NotFound):
            provider.plan_version(scenario.closed_case_id, 1)

    # -- update_action ------------------------------------------------------------------------
    def test_resident_updates_their_own_action(
        self, provider: CaseManagement, db: Any, world: World, scenario: Scenario
    ) -> None:
        before = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        updated = provider.update_action(
            scenario.resident_action_id,
            by_person_id=world.parent_id,
            expected_version=before.version,
            status="done",
            comment="Het formulier is ingeleverd.",
        )
        assert updated.id == scenario.resident_action_id
        assert updated.status == "done"
        assert updated.resident_comment == "Het formulier is ingeleverd."
        assert updated.version > before.version
        assert world.parent_first_names.split()[0] in updated.changed_by
        after = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        assert (after.status, after.version) == ("done", updated.version)
        db.commit()

        commented = provider.update_action(
            scenario.resident_action_id,
            by_person_id=world.parent_id,
            expected_version=updated.version,
            comment="Nog een opmerking.",
        )
        assert commented.status == "done"
        assert commented.resident_comment == "Nog een opmerking."
        assert commented.version > updated.version

    @pytest.mark.parametrize("status", sorted(RESIDENT_ACTION_STATUSES))
    def test_resident_may_give_each_resident_status(
        self, provider: CaseManagement, world: World, scenario: Scenario, status: str
    ) -> None:
        before = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        updated = provider.update_action(
            scenario.resident_action_id,
            by_person_id=world.parent_id,
            expected_version=before.version,
            status=status,  # type: ignore[arg-type]
        )
        assert updated.status == status

    def test_update_action_refuses_an_action_assigned_to_someone_else(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        theirs = _live_action(provider, scenario.case_id, scenario.professional_action_id)
        with pytest.raises(Refused):
            provider.update_action(
                scenario.professional_action_id,
                by_person_id=world.parent_id,
                expected_version=theirs.version,
                status="done",
            )
        mine = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        with pytest.raises(Refused):
            provider.update_action(
                scenario.resident_action_id,
                by_person_id=world.child_id,
                expected_version=mine.version,
                status="done",
            )
        assert _live_action(provider, scenario.case_id, scenario.professional_action_id) == theirs
        assert _live_action(provider, scenario.case_id, scenario.resident_action_id) == mine

    @pytest.mark.parametrize("status", ["cancelled", "klaar", ""])
    def test_update_action_refuses_a_status_residents_may_not_give(
        self, provider: CaseManagement, world: World, scenario: Scenario, status: str
    ) -> None:
        mine = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        with pytest.raises(Refused):
            provider.update_action(
                scenario.resident_action_id,
                by_person_id=world.parent_id,
                expected_version=mine.version,
                status=status,  # type: ignore[arg-type]
            )
        assert _live_action(provider, scenario.case_id, scenario.resident_action_id) == mine

    def test_update_action_refuses_a_comment_over_2000_characters(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        mine = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        with pytest.raises(Refused):
            provider.update_action(
                scenario.resident_action_id,
                by_person_id=world.parent_id,
                expected_version=mine.version,
                comment="x" * 2001,
            )
        assert _live_action(provider, scenario.case_id, scenario.resident_action_id) == mine

    def test_update_action_is_stale_for_an_old_version_and_changes_nothing(
        self, provider: CaseManagement, db: Any, world: World, scenario: Scenario
    ) -> None:
        read = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        updated = provider.update_action(
            scenario.resident_action_id,
            by_person_id=world.parent_id,
            expected_version=read.version,
            status="in_progress",
        )
        db.commit()
        with pytest.raises(Stale) as stale:
            provider.update_action(
                scenario.resident_action_id,
                by_person_id=world.parent_id,
                expected_version=read.version,
                status="done",
                comment="Te laat.",
            )
        assert stale.value.current_version == updated.version
        now = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        assert (now.status, now.version, now.resident_comment) == (
            "in_progress",
            updated.version,
            updated.resident_comment,
        )

    def test_update_action_not_found_for_an_unknown_action(
        self, provider: CaseManagement, world: World
    ) -> None:
        with pytest.raises(NotFound):
            provider.update_action(
                uuid.uuid4(), by_person_id=world.parent_id, expected_version=1, status="done"
            )

    # -- proposals ----------------------------------------------------------------------------
    def test_propose_goal_reaches_the_plan_marked_proposed(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        domain = provider.life_domains()[0][0]
        goal = provider.propose_goal(
            scenario.case_id,
            by_person_id=world.parent_id,
            life_domain=domain,
            text="Ik wil mijn rekeningen op tijd betalen.",
        )
        assert goal.proposal == "proposed"
        assert goal.proposed_by_person_id == world.parent_id
        assert goal.life_domain == domain
        assert goal.text == "Ik wil mijn rekeningen op tijd betalen."
        plan = provider.current_plan(scenario.case_id)
        assert plan is not None
        assert _goal(plan, goal.id).proposal == "proposed"

    @pytest.mark.parametrize(
        ("life_domain", "text"),
        [("no_such_domain", "Een doel"), (None, ""), (None, "   ")],
    )
    def test_propose_goal_refuses_an_unknown_life_domain_or_empty_text(
        self,
        provider: CaseManagement,
        world: World,
        scenario: Scenario,
        life_domain: str | None,
        text: str,
    ) -> None:
        with pytest.raises(Refused):
            provider.propose_goal(
                scenario.case_id,
                by_person_id=world.parent_id,
                life_domain=life_domain or provider.life_domains()[0][0],
                text=text,
            )

    def test_propose_action_is_assigned_to_the_resident_and_marked_proposed(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        due = dt.date.today() + dt.timedelta(days=14)
        action = provider.propose_action(
            scenario.goal_id,
            by_person_id=world.parent_id,
            description="Ik bel de schuldhulpverlening.",
            due_on=due,
        )
        assert action.goal_id == scenario.goal_id
        assert action.proposal == "proposed"
        assert action.proposed_by_person_id == world.parent_id
        assert action.assignee is not None
        assert (action.assignee.kind, action.assignee.id) == ("resident", world.parent_id)
        assert action.description == "Ik bel de schuldhulpverlening."
        assert action.due_on == due
        plan = provider.current_plan(scenario.case_id)
        assert plan is not None
        assert _action(plan, action.id).goal_id == scenario.goal_id

    def test_propose_action_refuses_an_empty_description_and_an_unknown_goal(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        with pytest.raises(Refused):
            provider.propose_action(scenario.goal_id, by_person_id=world.parent_id, description="")
        with pytest.raises(NotFound):
            provider.propose_action(uuid.uuid4(), by_person_id=world.parent_id, description="Iets")

    def test_writes_flush_but_leave_the_commit_to_the_caller(
        self, provider: CaseManagement, db: Any, world: World, scenario: Scenario
    ) -> None:
        goal = provider.propose_goal(
            scenario.case_id,
            by_person_id=world.parent_id,
            life_domain=provider.life_domains()[0][0],
            text="Teruggedraaid doel",
        )
        db.rollback()
        plan = provider.current_plan(scenario.case_id)
        assert plan is not None
        assert goal.id not in {g.id for g in plan.goals}

    def test_life_domains_are_code_label_pairs(self, provider: CaseManagement) -> None:
        domains = list(provider.life_domains())
        assert domains
        for code, label in domains:
            assert isinstance(code, str) and code
            assert isinstance(label, str) and label
        assert len({code for code, _ in domains}) == len(domains)

    # -- contact moments and appointments ----------------------------------------------------
    def test_resident_contact_moments_are_only_the_visible_ones(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        moments = provider.resident_contact_moments(scenario.case_id)
        assert _ids(moments) == [scenario.visible_contact_moment_id]
        assert moments[0].summary

    def test_request_appointment_appears_among_the_requests(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        request = provider.request_appointment(
            scenario.case_id,
            by_person_id=world.parent_id,
            subject="Gesprek over de schulden",
            channel="phone",
            preferred_moments="dinsdagmiddag",
        )
        assert request.case_id == scenario.case_id
        assert request.person_id == world.parent_id
        assert request.status == "open"
        assert request.channel == "phone"
        assert request.subject == "Gesprek over de schulden"
        listed = provider.appointment_requests(scenario.case_id)
        assert _ids(listed)[0] == request.id
        assert listed[0].status == "open"
        assert request.id not in _ids(provider.appointment_requests(scenario.other_case_id))

    def test_request_appointment_refuses_an_unknown_channel(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        with pytest.raises(Refused):
            provider.request_appointment(
                scenario.case_id,
                by_person_id=world.parent_id,
                subject="Gesprek",
                channel="pigeon",  # type: ignore[arg-type]
                preferred_moments="",
            )
        assert list(provider.appointment_requests(scenario.case_id)) == []

    # -- documents ------------------------------------------------------------------------------
    def test_resident_documents_are_only_the_shared_ones(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        documents = provider.resident_documents(scenario.case_id)
        assert _ids(documents) == [scenario.shared_document_id]
        assert documents[0].case_id == scenario.case_id
        assert documents[0].size == len(scenario.shared_document_content)
        assert documents[0].uploaded_by_resident is False

    def test_open_resident_document_returns_the_content(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        view, content = provider.open_resident_document(scenario.shared_document_id)
        assert view.id == scenario.shared_document_id
        assert content == scenario.shared_document_content

    def test_open_resident_document_not_found_for_an_unshared_or_unknown_document(
        self, provider: CaseManagement, scenario: Scenario
    ) -> None:
        with pytest.raises(NotFound):
            provider.open_resident_document(scenario.unshared_document_id)
        with pytest.raises(NotFound):
            provider.open_resident_document(uuid.uuid4())

    @pytest.mark.parametrize(
        ("filename", "content", "content_type"),
        [
            ("foto.png", png_bytes(), "image/png"),
            ("brief.pdf", pdf_bytes(), "application/pdf"),
        ],
    )
    def test_add_resident_document_accepts_an_allowed_file(
        self,
        provider: CaseManagement,
        world: World,
        scenario: Scenario,
        filename: str,
        content: bytes,
        content_type: str,
    ) -> None:
        added = provider.add_resident_document(
            scenario.case_id, by_person_id=world.parent_id, filename=filename, content=content
        )
        assert added.case_id == scenario.case_id
        assert added.uploaded_by_resident is True
        assert added.content_type == content_type
        assert added.size == len(content)
        listed = provider.resident_documents(scenario.case_id)
        assert _ids(listed)[0] == added.id
        assert listed[0].uploaded_by_resident is True
        view, stored = provider.open_resident_document(added.id)
        assert view.id == added.id
        assert stored == content

    @pytest.mark.parametrize(
        ("filename", "content"),
        [
            ("leeg.pdf", b""),
            ("setup.pdf", EXE),
            ("pagina.png", HTML),
        ],
        ids=["empty", "exe", "html"],
    )
    def test_add_resident_document_refuses_an_empty_or_disallowed_file(
        self,
        provider: CaseManagement,
        world: World,
        scenario: Scenario,
        filename: str,
        content: bytes,
    ) -> None:
        with pytest.raises(Refused) as refused:
            provider.add_resident_document(
                scenario.case_id, by_person_id=world.parent_id, filename=filename, content=content
            )
        assert refused.value.field == "file"
        assert _ids(provider.resident_documents(scenario.case_id)) == [scenario.shared_document_id]

    # -- allocations and authorisation ---------------------------------------------------------
    def test_allocations_of_person(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        allocations = provider.allocations_of_person(world.child_id)
        assert _ids(allocations) == [scenario.allocation_id]
        assert allocations[0].person_id == world.child_id
        assert list(provider.allocations_of_person(world.parent_id)) == []
        assert list(provider.allocations_of_person(world.other_person_id)) == []
        assert list(provider.allocations_of_person(uuid.uuid4())) == []

    def test_person_relation_of_the_case_manager_selects_the_case_persons(
        self, app: Any, db: Any, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        relation = provider.person_relation(self._actor(app, db, world.professional_id))
        assert relation is not None, "the case manager is related to the case's persons"
        related = set(db.scalars(select(Person.id).where(relation)))
        assert {world.parent_id, world.child_id} <= related
        assert world.other_person_id not in related

    def test_person_relation_of_the_other_teams_professional_leaves_out_the_household(
        self, app: Any, db: Any, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        relation = provider.person_relation(self._actor(app, db, world.other_professional_id))
        related = (
            set(db.scalars(select(Person.id).where(relation))) if relation is not None else set()
        )
        assert world.parent_id not in related
        assert world.child_id not in related

    def test_person_relation_of_an_actor_without_teams_or_cases_does_not_raise(
        self, db: Any, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        stranger = Actor(kind=ActorKind.USER, id=uuid.uuid4(), display_name="Niemand")
        relation = provider.person_relation(stranger)
        if relation is not None:
            related = set(db.scalars(select(Person.id).where(relation)))
            assert not related & {world.parent_id, world.child_id, world.other_person_id}
        relation = provider.person_relation(SYSTEM)
        if relation is not None:
            db.scalars(select(Person.id).where(relation)).all()

    # -- nothing of another household leaks ------------------------------------------------------
    def test_nothing_of_the_other_household_leaks_into_reads(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        ours = {scenario.case_id, scenario.closed_case_id}
        assert set(_ids(provider.cases_of_household(world.household_id))) == ours
        for person in (world.parent_id, world.child_id):
            assert scenario.other_case_id not in _ids(provider.cases_of_person(person))
        assert world.other_person_id not in provider.case_overview(scenario.case_id).person_ids
        plan = provider.current_plan(scenario.case_id)
        assert plan is not None
        goal_ids = {g.id for g in plan.goals}
        action_ids = {a.id for g in plan.goals for a in g.actions}
        if scenario.other_goal_id is not None:
            assert scenario.other_goal_id not in goal_ids
        if scenario.other_action_id is not None:
            assert scenario.other_action_id not in action_ids
        moments = _ids(provider.resident_contact_moments(scenario.case_id))
        assert scenario.other_contact_moment_id not in moments
        other_moments = _ids(provider.resident_contact_moments(scenario.other_case_id))
        assert scenario.visible_contact_moment_id not in other_moments
        documents = _ids(provider.resident_documents(scenario.case_id))
        assert scenario.other_document_id not in documents
        other_documents = _ids(provider.resident_documents(scenario.other_case_id))
        assert scenario.shared_document_id not in other_documents

    def test_residents_cannot_write_to_a_case_that_is_not_theirs(
        self, provider: CaseManagement, world: World, scenario: Scenario
    ) -> None:
        domain = provider.life_domains()[0][0]
        errors = (NotFound, Refused)
        with pytest.raises(errors):
            provider.propose_goal(
                scenario.other_case_id,
                by_person_id=world.parent_id,
                life_domain=domain,
                text="Een doel",
            )
        with pytest.raises(errors):
            provider.propose_goal(
                scenario.case_id,
                by_person_id=world.other_person_id,
                life_domain=domain,
                text="Een doel",
            )
        with pytest.raises(errors):
            provider.propose_action(
                scenario.goal_id, by_person_id=world.other_person_id, description="Iets"
            )
        with pytest.raises(errors):
            provider.request_appointment(
                scenario.other_case_id,
                by_person_id=world.parent_id,
                subject="Gesprek",
                channel="phone",
                preferred_moments="",
            )
        with pytest.raises(errors):
            provider.add_resident_document(
                scenario.other_case_id,
                by_person_id=world.parent_id,
                filename="foto.png",
                content=png_bytes(),
            )
        mine = _live_action(provider, scenario.case_id, scenario.resident_action_id)
        with pytest.raises(errors):
            provider.update_action(
                scenario.resident_action_id,
                by_person_id=world.other_person_id,
                expected_version=mine.version,
                status="done",
            )
        if scenario.other_goal_id is not None:
            with pytest.raises(errors):
                provider.propose_action(
                    scenario.other_goal_id, by_person_id=world.parent_id, description="Iets"
                )
        if scenario.other_action_id is not None:
            other_plan = provider.current_plan(scenario.other_case_id)
            assert other_plan is not None
            other = _action(other_plan, scenario.other_action_id)
            with pytest.raises(errors):
                provider.update_action(
                    scenario.other_action_id,
                    by_person_id=world.parent_id,
                    expected_version=other.version,
                    status="done",
                )
            assert _live_action(provider, scenario.other_case_id, scenario.other_action_id) == other
        assert list(provider.appointment_requests(scenario.other_case_id)) == []
        assert _live_action(provider, scenario.case_id, scenario.resident_action_id) == mine
