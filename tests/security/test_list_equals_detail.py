"""Over random teams, memberships, cases, involvements and consents (hypothesis, stateful):
what a professional sees in a list is exactly what they may open in detail — for cases
(the worklist against the case page's read) and for persons (the person search against
the person page's check). A list showing one case or person more than the detail opens is
a leak; one fewer is a case a professional cannot find."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from openregie_sdk.registry import (
    Area,
    Household,
    HouseholdMember,
    Membership,
    Municipality,
    Organisation,
    Person,
    Team,
)
from openregie_sdk.testing.plugin import create_test_user

# At least 200 examples in CI; more locally with OPENREGIE_STATEFUL_EXAMPLES.
EXAMPLES = int(os.environ.get("OPENREGIE_STATEFUL_EXAMPLES", "200"))
SINCE = dt.date(2020, 1, 1)
SERIAL = itertools.count(1)
# Names under unique constraints (teams, organisations, usernames) come from a counter:
# random suffixes collided now and then over the hundreds of rows of a run.
NAMES = itertools.count(1)
SEEN: dict[str, int] = {"cases": 0, "persons": 0}  # how often a list was not empty


class Visibility(RuleBasedStateMachine):
    """One example: a fresh municipality in the shared database, with everything the
    rules make; the invariant compares list and detail for each of its professionals."""

    app: Any = None

    teams = Bundle("teams")
    organisations = Bundle("organisations")
    users = Bundle("users")
    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.context = self.app.app_context()
        self.context.push()
        self.runtime = self.app.extensions["openregie"]
        self.db = self.runtime.session()
        serial = next(SERIAL)
        # This example's persons share a surname no other example uses, so the search
        # (indexed on the name) looks at them only, however many examples came before.
        self.surname = f"visser{serial}x"
        self.municipality = Municipality(cbs_code=f"GM{serial:04d}", name=f"Gemeente {serial}")
        self.db.add(self.municipality)
        self.db.flush()
        self.area = Area(municipality_id=self.municipality.id, name="Centrum")
        self.db.add(self.area)
        self.db.commit()
        self.team_list = [self._team(), self._team()]
        self.organisation_list = [self._organisation(), self._organisation()]
        self.user_list: list[Any] = []
        self.case_ids: set[uuid.UUID] = set()
        self.open_case_ids: set[uuid.UUID] = set()
        self.person_ids: set[uuid.UUID] = set()
        self.case_person: dict[uuid.UUID, Person] = {}

    def teardown(self) -> None:
        self.runtime.close_cli_session(failed=True)
        self.context.pop()

    def _team(self) -> Team:
        team = Team(name=f"Team {next(NAMES)}", kind="integral")
        team.areas.append(self.area)
        self.db.add(team)
        self.db.commit()
        return team

    def _organisation(self) -> Organisation:
        organisation = Organisation(name=f"Organisatie {next(NAMES)}")
        self.db.add(organisation)
        self.db.commit()
        return organisation

    # -- the starting point: two teams, two organisations, three professionals -------------
    @initialize(target=teams)
    def two_teams(self) -> Any:
        return multiple(*self.team_list)

    @initialize(target=organisations)
    def two_organisations(self) -> Any:
        return multiple(*self.organisation_list)

    @initialize(
        target=users,
        places=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=3, max_size=3),
    )
    def three_professionals(self, places: list[tuple[int, int]]) -> Any:
        members = [
            self._professional(self.organisation_list[o], self.team_list[t]) for o, t in places
        ]
        return multiple(*members)

    def _professional(self, organisation: Organisation, team: Team | None) -> Any:
        user = create_test_user(self.app, "professional", f"professional-{next(NAMES)}", roles=[])
        self.user_list.append(user)
        member = (user, organisation)
        if team is not None:
            self.join(member, team)
        return member

    # -- rules ------------------------------------------------------------------------------
    @rule(target=teams)
    def new_team(self) -> Team:
        return self._team()

    @rule(target=organisations)
    def new_organisation(self) -> Organisation:
        return self._organisation()

    @rule(target=users, organisation=organisations, team=st.none() | teams)
    def new_professional(self, organisation: Organisation, team: Team | None) -> Any:
        return self._professional(organisation, team)

    @rule(member=users, team=teams)
    def join(self, member: tuple[Any, Organisation], team: Team) -> None:
        user, organisation = member
        self.db.add(
            Membership(
                user_id=user.id,
                team_id=team.id,
                role="professional",
                home_organisation_id=organisation.id,
                start_on=SINCE,
            )
        )
        self.db.commit()

    @rule(member=users, team=teams)
    def leave(self, member: tuple[Any, Organisation], team: Team) -> None:
        for membership in self.db.query(Membership).filter_by(
            user_id=member[0].id, team_id=team.id, end_on=None
        ):
            membership.end_on = dt.date.today()  # ends today: no longer current
        self.db.commit()

    @rule(target=cases, team=teams, manager=users, adult=st.booleans())
    def new_case(self, team: Team, manager: tuple[Any, Organisation], adult: bool) -> Any:
        from openregie_casemanagement.models import Case, CasePerson

        born = dt.date(1980, 1, 1) if adult else dt.date.today() - dt.timedelta(days=365 * 17)
        person = Person(
            voornamen="Kim",
            geslachtsnaam=self.surname.capitalize(),
            search_name=self.surname,
            birth_date=born,
            municipality_id=None,
        )
        household = Household(name="Gezin Visser")
        self.db.add_all([person, household])
        self.db.flush()
        self.db.add(
            HouseholdMember(
                household_id=household.id, person_id=person.id, role="parent", start_on=SINCE
            )
        )
        case = Case(
            household_id=household.id,
            team_id=team.id,
            case_manager_id=manager[0].id,
            title="Casus",
            status="intake",
            opened_on=dt.date.today(),
            evaluation_due_on=dt.date.today(),  # so every case is on the evaluations list
        )
        self.db.add(case)
        self.db.flush()
        self.db.add(CasePerson(case_id=case.id, person_id=person.id))
        self.db.commit()
        self.case_ids.add(case.id)
        self.open_case_ids.add(case.id)
        self.person_ids.add(person.id)
        self.case_person[case.id] = person
        return case

    @rule(member=users, case=cases, active=st.booleans())
    def involve(self, member: tuple[Any, Organisation], case: Any, active: bool) -> None:
        from openregie_casemanagement.models import Involvement

        self.db.add(
            Involvement(
                case_id=case.id,
                kind="professional",
                user_id=member[0].id,
                name="Betrokkene",
                active=active,
            )
        )
        self.db.commit()

    @rule(case=cases, organisation=organisations, status=st.sampled_from(["given", "withdrawn"]))
    def consent(self, case: Any, organisation: Organisation, status: str) -> None:
        from openregie_sdk import capability
        from openregie_sdk.capabilities.consent import ConsentError

        person = self.case_person[case.id]
        try:
            capability("consent").record(
                person.id,
                purpose="team_partner",
                recipient_id=organisation.id,
                recipient_kind="organisation",
                status=status,
                given_by_person_ids=[person.id],
                obtained="verbal",
            )
            self.db.commit()
        except ConsentError:  # e.g. withdrawing what was never given
            self.db.rollback()

    @rule(case=cases, status=st.sampled_from(["uitvoering", "afgesloten"]))
    def change_status(self, case: Any, status: str) -> None:
        case.status = status
        self.db.commit()
        if status == "afgesloten":  # the evaluations list shows open cases only
            self.open_case_ids.discard(case.id)
        else:
            self.open_case_ids.add(case.id)

    # -- the invariant ---------------------------------------------------------------------
    @invariant()
    def lists_show_exactly_what_details_open(self) -> None:
        from openregie_casemanagement.services.cases import read_case
        from openregie_casemanagement.services.worklists import worklist
        from openregie_core.authz.persons import person_is_visible, person_visibility
        from openregie_core.registry.search import search_persons
        from openregie_sdk.capabilities.casemanagement import NotFound

        hooks = self.runtime.hooks
        for user in self.user_list:
            actor = self.runtime.actor_for_user(user)
            listed = {
                row.id
                for row in worklist(
                    actor, "evaluations_due", status="all", page_size=1000, audit_read=False
                ).rows
            } & self.case_ids
            opens = set()
            for case_id in self.open_case_ids:
                try:
                    read_case(actor, case_id)
                    opens.add(case_id)
                except NotFound:
                    pass
            assert listed == opens, (user.display_name, listed ^ opens)
            SEEN["cases"] += bool(listed)

            found = {
                person.id
                for person in search_persons(
                    self.db, person_visibility(actor, hooks), name_prefix=self.surname, limit=1000
                )
            } & self.person_ids
            shown = {p for p in self.person_ids if person_is_visible(self.db, actor, hooks, p)}
            assert found == shown, (user.display_name, found ^ shown)
            SEEN["persons"] += bool(found)
        self.db.rollback()  # the reads' audit records are not what this test is about


def test_what_a_professional_lists_is_what_they_may_open(make_app):
    Visibility.app = make_app(["casemanagement", "consent"])
    run_state_machine_as_test(
        Visibility,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            derandomize=True,
        ),
    )
    # The examples did reach the interesting states: professionals who saw something.
    assert SEEN["cases"] > 0 and SEEN["persons"] > 0, SEEN
