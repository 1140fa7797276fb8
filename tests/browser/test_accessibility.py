"""Accessibility of the core web UI (WCAG 2.1 A and AA), checked by axe-core in a real browser.

The real app runs on a free port of 127.0.0.1 (werkzeug in a thread, over the database the
test kit migrated); Debian's chromium, driven by Playwright, logs in through the login and
second-factor pages and visits every core page. axe-core (the `axe.min.js` that the
`axe-playwright-python` package ships: nothing is fetched at run time) runs on each page;
a violation of impact serious or critical fails the test with its rule, impact and the
offending elements. The browser is Debian's (`make test` installs it): never one that
`playwright install` downloads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

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
from openregie_sdk.testing.plugin import TEST_PASSWORD, create_test_user, totp_code_for


@pytest.fixture
def app(make_app: Any) -> Any:
    """Core's own pages (no module adds navigation, panels or pages of its own), in demo
    mode as `make run` shows them: with the demo banner on every page."""
    return make_app([], mode="demo")


def _seed(db: Any) -> dict[str, Any]:
    """A municipality with an area, a team serving it, an organisation, a household of
    two residents and one resident on their own: enough for every page to show rows."""
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.flush()
    area = Area(municipality_id=zutphen.id, name="De Hoven")
    team = Team(name="Sociaal team Zutphen-Noord", kind="integral", areas=[area])
    organisation = Organisation(name="Stichting Welzijn Zutphen", agb_code="12345678")
    db.add_all([area, team, organisation])
    db.flush()
    people = [
        Person(
            voornamen=voornamen,
            voorvoegsel=voorvoegsel,
            geslachtsnaam=naam,
            search_name=naam.lower(),
            bsn=bsn,
            birth_date=birth,
            postcode="7201AB",
            house_number=12,
            municipality_id=zutphen.id,
        )
        for voornamen, voorvoegsel, naam, bsn, birth in (
            ("Anna Maria", "van", "Aalders", "111222333", dt.date(1985, 3, 14)),
            ("Bram", None, "Aalders", None, dt.date(2012, 9, 2)),
            ("Chris", None, "Aalberts", "123456782", dt.date(1961, 12, 30)),
        )
    ]
    household = Household(name="Gezin Aalders")
    db.add_all([*people, household])
    db.flush()
    for person, role in ((people[0], "parent"), (people[1], "child")):
        db.add(
            HouseholdMember(
                household_id=household.id,
                person_id=person.id,
                role=role,
                start_on=dt.date(2020, 1, 1),
            )
        )
    db.commit()
    return {"municipality": zutphen, "team": team, "person": people[0], "household": household}


def test_core_pages_meet_wcag_21_aa(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_core.auth.tokens import create_client
    from openregie_core.models import Role, User

    seeded = _seed(db)
    admin = create_test_user(app, "functional_admin", "beheerder", display_name="Fien Beheer")
    db.add(
        Membership(
            user_id=admin.id,
            team_id=seeded["team"].id,
            role="team_lead",
            hours_per_week=24,
            start_on=dt.date(2024, 1, 1),
        )
    )
    create_test_user(app, "professional", "regisseur", display_name="Rik Regisseur")
    db.commit()
    create_client(
        db,
        name="Koppeling zorgaanbieder",
        scopes=["core.person.read"],
        known_permissions=list(app.extensions["openregie"].permissions),
        municipality_id=seeded["municipality"].id,
    )
    role = db.scalar(select(Role).where(Role.name == "professional"))
    other = db.scalar(select(User).where(User.username == "regisseur"))

    page = browser_page

    def check(label: str) -> None:
        accessibility.check(page, label)

    def submit(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    # Logging in: the pages as they first show, then with their error messages.
    response = page.goto(f"{live_server}/auth/login")
    assert response is not None and response.status == 200
    check("login")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    submit("Inloggen")
    check("login, wrong password")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    submit("Inloggen")
    page.wait_for_url("**/auth/code")
    check("second factor")
    page.locator("input[name=code]").fill("12")
    submit("Inloggen")
    check("second factor, invalid code")
    page.locator("input[name=code]").fill(totp_code_for(app, admin))
    submit("Inloggen")
    page.wait_for_url(lambda url: "/auth/" not in url)

    for label, path in (
        ("dashboard", "/start"),
        ("person search", "/personen/?naam=Aal"),
        ("person detail", f"/personen/{seeded['person'].id}"),
        ("household detail", f"/huishoudens/{seeded['household'].id}"),
        ("teams", "/teams/"),
        ("users", "/admin/gebruikers/"),
        ("user", f"/admin/gebruikers/{other.id}"),
        ("roles", "/admin/gebruikers/rollen"),
        ("role", f"/admin/gebruikers/rollen/{role.id}"),
        ("modules", "/admin/modules"),
        ("audit viewer", "/admin/audit"),
        ("API clients", "/admin/api-clients"),
        ("account", "/auth/account"),
    ):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, f"{label}: {path}"
        check(label)

    # On a phone (320 CSS pixels, WCAG 1.4.10) wide tables scroll: by keyboard too.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        "/personen/?naam=Aal",
        f"/huishoudens/{seeded['household'].id}",
        "/teams/",
        "/admin/gebruikers/",
        "/admin/modules",
        "/admin/audit",
        "/admin/api-clients",
    ):
        page.goto(f"{live_server}{path}")
        check("narrow screen")
    page.set_viewport_size({"width": 1280, "height": 900})  # back to the desktop width

    page.goto(f"{live_server}/admin/modules")
    page.locator("main table a").first.click()  # an installed module that is not enabled
    page.wait_for_url("**/admin/modules/*")
    check("module")

    # Forms with their errors, a page shown once, an error page and the other language.
    page.goto(f"{live_server}/admin/gebruikers/")
    submit("Account aanmaken")
    check("users, invalid new account")
    page.goto(f"{live_server}/admin/api-clients")
    submit("Koppeling aanmaken")
    check("API clients, invalid new client")
    page.get_by_label("Naam van de koppeling").fill("Koppeling wijkteam-app")
    page.locator("input[name=scopes][value='core.person.read']").check()
    submit("Koppeling aanmaken")
    check("API client created")
    response = page.goto(f"{live_server}/personen/00000000-0000-4000-8000-000000000000")
    assert response is not None and response.status == 404
    check("not found")
    page.goto(f"{live_server}/start")
    submit("English")
    check("dashboard in English")

    # A first login: setting up the second factor.
    page.context.clear_cookies()
    create_test_user(app, "professional", "nieuwkomer", enrolled=False)
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Gebruikersnaam").fill("nieuwkomer")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    submit("Inloggen")
    page.wait_for_url("**/auth/enrol")
    check("second-factor enrolment")

    accessibility.assert_none()
