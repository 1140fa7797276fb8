"""The world of the staff end-to-end tests (`test_staff_flows.py`), and the small pieces of
browser work every flow repeats: logging in, following a link, sending a form.

The world: Zutphen with area De Hoven, served by one team; household Aalders (a parent and
a child); the case manager `regisseur`, a professional whose only grants come from their
membership of that team; a case of the household in execution, its plan a draft with one
goal. Everything is made through the registry models and the case-management services, as
the module's own tests do.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openregie_sdk.registry import (
    Area,
    Household,
    HouseholdMember,
    Membership,
    Municipality,
    Person,
    Team,
)
from openregie_sdk.testing.plugin import TEST_PASSWORD, create_test_user, totp_code_for

TODAY = dt.date.today()
CASE_TITLE = "Schulden en wonen"
GOAL_TEXT = "We hebben overzicht over onze schulden en betalen de huur op tijd."


@dataclass
class CaseWorld:
    manager: Any
    household: Any
    parent: Any
    child: Any
    case_id: Any
    goal_id: Any


def build_case_world(app: Any, db: Any) -> CaseWorld:
    """Seed the registry, the case manager and one case with a draft plan of one goal."""
    from openregie_casemanagement.models import Case, CaseLifeDomain, CasePerson
    from openregie_casemanagement.services import plan as plans
    from openregie_casemanagement.services.plan import PartyRef

    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.flush()
    area = Area(municipality_id=zutphen.id, name="De Hoven")
    team = Team(name="Sociaal team Zutphen-Noord", kind="integral", areas=[area])
    db.add_all([area, team])
    db.flush()
    address = {"postcode": "7201AB", "house_number": 12, "municipality_id": zutphen.id}
    parent = Person(
        voornamen="Anna Maria",
        voorvoegsel="van",
        geslachtsnaam="Aalders",
        search_name="aalders",
        bsn="111222333",
        birth_date=dt.date(1985, 3, 14),
        **address,
    )
    child = Person(
        voornamen="Bram",
        geslachtsnaam="Aalders",
        search_name="aalders",
        birth_date=dt.date(2012, 9, 2),
        **address,
    )
    household = Household(name="Gezin Aalders")
    db.add_all([parent, child, household])
    db.flush()
    db.add_all(
        HouseholdMember(
            household_id=household.id, person_id=person.id, role=role, start_on=dt.date(2012, 9, 2)
        )
        for person, role in ((parent, "parent"), (child, "child"))
    )
    db.commit()
    manager = create_test_user(
        app, "professional", "regisseur", roles=[], display_name="Mira Regisseur"
    )
    db.add(
        Membership(
            user_id=manager.id,
            team_id=team.id,
            role="professional",
            hours_per_week=32,
            start_on=dt.date(2020, 1, 1),
        )
    )
    case = Case(
        household_id=household.id,
        team_id=team.id,
        case_manager_id=manager.id,
        title=CASE_TITLE,
        referral_source="gp",
        referral_reason="Huurachterstand van drie maanden.",
        urgency="high",
        status="uitvoering",
        opened_on=TODAY - dt.timedelta(days=30),
    )
    db.add(case)
    db.flush()
    db.add_all(CasePerson(case_id=case.id, person_id=p.id) for p in (parent, child))
    db.add_all(CaseLifeDomain(case_id=case.id, life_domain=d) for d in ("finances", "housing"))
    db.commit()
    actor = app.extensions["openregie"].actor_for_user(manager)
    goal = plans.add_goal(
        case.id,
        actor,
        life_domain="finances",
        text=GOAL_TEXT,
        owner=PartyRef("resident", parent.id),
        target_date=TODAY + dt.timedelta(days=90),
    )
    db.commit()
    return CaseWorld(manager, household, parent, child, case.id, goal.id)


# -- browser steps ------------------------------------------------------------------------


def follow(page: Any, name: str, *, within: str = "body") -> Any:
    """Click the link `name` (exact, the first one inside `within`) and wait for the page
    it leads to; returns the navigation's response."""
    with page.expect_navigation() as navigation:
        page.locator(within).get_by_role("link", name=name, exact=True).first.click()
    return navigation.value


def press(page: Any, name: str, *, within: str = "body", status: int = 200) -> Any:
    """Press the button `name` (exact, the first one inside `within`), wait for the page
    the form leads to and check its status; returns that response."""
    with page.expect_navigation() as navigation:
        page.locator(within).get_by_role("button", name=name, exact=True).first.click()
    response = navigation.value
    assert response is not None and response.status == status, (name, response and response.url)
    return response


def flashed(page: Any, text: str) -> bool:
    """Whether the page shows `text` as a status message (the message of the step before).

    A case page shows each message twice for now: core's layout and the module's
    `case_base.html` both render the flashed messages."""
    return page.get_by_role("status").filter(has_text=text).first.is_visible()


def log_in(page: Any, username: str, password: str = TEST_PASSWORD) -> None:
    """Fill in the login form the page shows and send it (landing on the next step)."""
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    press(page, "Inloggen")


def enter_code(page: Any, app: Any, user: Any) -> None:
    """On the second-factor page: type the code the user's authenticator app shows."""
    assert page.get_by_role("heading", name="Code invullen").is_visible()
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code_for(app, user))
    press(page, "Inloggen")


# -- a second server: the same installation after a restart ------------------------------


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 (as the browser kit's `live_server` does for
    the `app` fixture); yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, name="restarted", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
