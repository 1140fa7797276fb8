"""Fixtures of the case-management tests: a small region with two teams, a household with
a parent and a child, professionals of both teams, and helpers to act as one of them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from openregie_casemanagement.models import Case, CasePerson
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
from openregie_sdk.testing.plugin import create_test_user, personal_token


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["casemanagement"]


def _member(app: Any, db: Any, team: Team, role: str, name: str, **fields: Any) -> Any:
    """A user whose only grants come from a current membership of `team` as `role`."""
    user = create_test_user(app, "professional", roles=[], display_name=name, **fields)
    db.add(Membership(user_id=user.id, team_id=team.id, role=role, start_on=dt.date(2020, 1, 1)))
    db.commit()
    return user


@pytest.fixture
def world(app: Any, db: Any) -> SimpleNamespace:
    """Zutphen with area Centrum served by team Noord and team Zuid; household Jansen
    (parent Anna, child Tim); Noord's professionals `manager` (the case manager) and
    `colleague`, its team lead `lead`; Zuid's professional `outsider`; a professional of
    an organisation outside both teams, `partner`, who is in no team; a policy officer."""
    tag = uuid.uuid4().hex[:6]
    municipality = Municipality(cbs_code=f"GM{abs(hash(tag)) % 10000:04d}", name=f"Zutphen {tag}")
    db.add(municipality)
    db.flush()
    area = Area(municipality_id=municipality.id, name="Centrum")
    noord = Team(name=f"Noord {tag}", kind="integral")
    zuid = Team(name=f"Zuid {tag}", kind="integral")
    noord.areas.append(area)
    zuid.areas.append(area)
    organisation = Organisation(name=f"Jeugdzorg {tag}")
    db.add_all([area, noord, zuid, organisation])
    db.flush()
    anna = Person(
        voornamen="Anna",
        geslachtsnaam="Jansen",
        search_name="jansen",
        birth_date=dt.date(1985, 3, 1),
        municipality_id=municipality.id,
    )
    tim = Person(
        voornamen="Tim",
        geslachtsnaam="Jansen",
        search_name="jansen",
        birth_date=dt.date(2014, 6, 1),
        municipality_id=municipality.id,
    )
    household = Household(name=f"Gezin Jansen {tag}")
    db.add_all([anna, tim, household])
    db.flush()
    db.add_all(
        [
            HouseholdMember(
                household_id=household.id,
                person_id=anna.id,
                role="parent",
                start_on=dt.date(2010, 1, 1),
            ),
            HouseholdMember(
                household_id=household.id,
                person_id=tim.id,
                role="child",
                start_on=dt.date(2014, 6, 1),
            ),
        ]
    )
    db.commit()
    return SimpleNamespace(
        municipality=municipality,
        area=area,
        noord=noord,
        zuid=zuid,
        organisation=organisation,
        anna=anna,
        tim=tim,
        household=household,
        manager=_member(app, db, noord, "professional", "Mira Manager"),
        colleague=_member(app, db, noord, "professional", "Cees Collega"),
        lead=_member(app, db, noord, "team_lead", "Lotte Leider"),
        outsider=_member(app, db, zuid, "professional", "Otto Buiten"),
        partner=create_test_user(app, "professional", roles=[], display_name="Pim Partner"),
        policy=create_test_user(app, "policy_officer", display_name="Bea Beleid"),
    )


@pytest.fixture
def new_case(db: Any, world: SimpleNamespace) -> Callable[..., Case]:
    """`new_case(status="intake", team=world.noord, manager=world.manager, **fields)`: a
    committed case of the Jansen household concerning Anna and Tim."""

    def make(
        status: str = "intake", team: Team | None = None, manager: Any = None, **fields: Any
    ) -> Case:
        case = Case(
            household_id=world.household.id,
            team_id=(team or world.noord).id,
            case_manager_id=(manager or world.manager).id,
            title=fields.pop("title", "Schulden en wonen"),
            status=status,
            opened_on=fields.pop("opened_on", dt.date.today() - dt.timedelta(days=10)),
            **fields,
        )
        db.add(case)
        db.flush()
        db.add_all([CasePerson(case_id=case.id, person_id=p.id) for p in (world.anna, world.tim)])
        db.commit()
        return case

    return make


@pytest.fixture
def act_as(app: Any, client: Any) -> Callable[[Any], Any]:
    """`act_as(user)`: log the test client in as an existing user (second factor done)."""

    def login(user: Any) -> Any:
        with client.session_transaction() as cookie:
            cookie.clear()
            cookie.permanent = True
            cookie["user_id"] = str(user.id)
            cookie["session_version"] = user.session_version
            cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()
        return user

    return login


@pytest.fixture
def bearer(app: Any) -> Any:
    """`bearer(user)`: headers with a personal API token of the user (case read and write,
    as far as their grants reach); used by the plan and ZRM API tests."""
    return lambda user: personal_token(
        app, user, ["casemanagement.case.read", "casemanagement.case.write"], name="Koppeling"
    )
