"""Accessibility of the case-management module's pages (WCAG 2.1 A and AA), checked by
axe-core in a real browser: the same approach as `test_accessibility.py` for core.

The app runs with the casemanagement module enabled (demo mode, as `make run` shows it) on
a free port of 127.0.0.1; a case of one household is seeded through the module's own
services and models (a plan with an agreed version, a goal and an action, a proposal of
the family, a contact moment, a note, a document, an allocation, a ZRM assessment and an
open appointment request). Debian's chromium, driven by Playwright, logs in as the case
manager (a professional whose team membership gives the grants) through the login and
second-factor pages and visits every page of the module, the household and person pages
with the module's panels and the dashboard with its widget. A violation of impact serious
or critical fails the test with its page, rule, impact and the offending elements; so does
an id used twice or a label or ARIA reference to a missing id (axe-core no longer checks
those).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

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
WORKLISTS = ("mine", "team", "overdue_actions", "evaluations_due", "no_contact", "appointments")


@pytest.fixture
def app(make_app: Any) -> Any:
    """Core with the case-management module, in demo mode (the demo banner on every page)."""
    return make_app(["casemanagement"], mode="demo")


def _seed_registry(app: Any, db: Any) -> dict[str, Any]:
    """Zutphen with area De Hoven, served by one team; household Aalders (a parent and a
    child); the case manager `regisseur`, a professional whose only grants come from a
    membership of that team, a colleague in it and its team lead `teamleider`."""
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.flush()
    area = Area(municipality_id=zutphen.id, name="De Hoven")
    team = Team(name="Sociaal team Zutphen-Noord", kind="integral", areas=[area])
    db.add_all([area, team])
    db.flush()
    parent = Person(
        voornamen="Anna Maria",
        voorvoegsel="van",
        geslachtsnaam="Aalders",
        search_name="aalders",
        bsn="111222333",
        birth_date=dt.date(1985, 3, 14),
        postcode="7201AB",
        house_number=12,
        municipality_id=zutphen.id,
    )
    child = Person(
        voornamen="Bram",
        geslachtsnaam="Aalders",
        search_name="aalders",
        birth_date=dt.date(2012, 9, 2),
        postcode="7201AB",
        house_number=12,
        municipality_id=zutphen.id,
    )
    household = Household(name="Gezin Aalders")
    db.add_all([parent, child, household])
    db.flush()
    for person, role in ((parent, "parent"), (child, "child")):
        db.add(
            HouseholdMember(
                household_id=household.id,
                person_id=person.id,
                role=role,
                start_on=dt.date(2012, 9, 2),
            )
        )
    db.commit()
    manager = create_test_user(
        app, "professional", "regisseur", roles=[], display_name="Mira Regisseur"
    )
    colleague = create_test_user(app, "professional", roles=[], display_name="Cees Collega")
    lead = create_test_user(
        app, "professional", "teamleider", roles=[], display_name="Lotte Leider"
    )
    db.add_all(
        [
            Membership(
                user_id=user.id,
                team_id=team.id,
                role=role,
                hours_per_week=32,
                start_on=dt.date(2020, 1, 1),
            )
            for user, role in ((manager, "professional"), (colleague, "professional"))
        ]
        + [Membership(user_id=lead.id, team_id=team.id, role="team_lead", start_on=TODAY)]
    )
    db.commit()
    return {
        "team": team,
        "lead": lead,
        "parent": parent,
        "child": child,
        "household": household,
        "manager": manager,
    }


def _seed_case(app: Any, db: Any, world: dict[str, Any]) -> dict[str, Any]:
    """A case in execution with everything its pages show, through the module's services
    (and its models where a service needs a resident or an earlier moment)."""
    from openregie_casemanagement.models import Case, CaseLifeDomain, CasePerson, Document, Plan
    from openregie_casemanagement.services import allocations, records
    from openregie_casemanagement.services import plan as plans
    from openregie_casemanagement.services.plan import PartyRef
    from openregie_sdk.files import file_store

    parent, child = world["parent"], world["child"]
    actor = app.extensions["openregie"].actor_for_user(world["manager"])
    case = Case(
        household_id=world["household"].id,
        team_id=world["team"].id,
        case_manager_id=world["manager"].id,
        title="Schulden en wonen",
        referral_source="gp",
        referral_reason="Huurachterstand van drie maanden; de verhuurder dreigt met ontruiming.",
        urgency="high",
        status="uitvoering",
        opened_on=TODAY - dt.timedelta(days=120),
    )
    db.add(case)
    db.flush()
    db.add_all([CasePerson(case_id=case.id, person_id=p.id) for p in (parent, child)])
    db.add_all([CaseLifeDomain(case_id=case.id, life_domain=d) for d in ("finances", "housing")])
    db.commit()

    goal = plans.add_goal(
        case.id,
        actor,
        life_domain="finances",
        text="We hebben overzicht over onze schulden en betalen de huur op tijd.",
        owner=PartyRef("resident", parent.id),
        target_date=TODAY + dt.timedelta(days=90),
    )
    action = plans.add_action(
        goal.id,
        actor,
        description="Aanmelden bij de schuldhulpverlening",
        assignee=PartyRef("resident", parent.id),
        due_on=TODAY - dt.timedelta(days=7),  # overdue: on the worklist of overdue actions
    )
    db.commit()
    plan = db.scalar(select(Plan).where(Plan.case_id == case.id))
    plans.agree_plan(
        case.id,
        actor,
        expected_version=plan.version,
        agreed_on=TODAY - dt.timedelta(days=60),
        family_person_ids=[parent.id],
    )
    db.commit()
    plans.propose_goal(case, parent, "housing", "We blijven in ons huis wonen.")
    plans.record_zrm(
        case.id,
        actor,
        moment="intake",
        assessed_on=TODAY - dt.timedelta(days=100),
        scores={"finances": 1, "housing": 2, "parenting": 3},
    )
    records.add_contact_moment(
        actor,
        case.id,
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=50),
        channel="home_visit",
        participants="Anna Maria van Aalders",
        summary="Huisbezoek: de post samen doorgenomen.\nVolgende week bellen.",
        visible_to_resident=True,
    )
    records.add_note(
        actor, case.id, text="Verhuurder is bereid tot een regeling.", confidentiality="case_team"
    )
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    db.add(
        Document(
            case_id=case.id,
            filename="betalingsregeling.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            storage_key=file_store().put(content),
            description="Voorstel betalingsregeling van de verhuurder",
            shared_with_resident=True,
            uploaded_by_user_id=world["manager"].id,
        )
    )
    allocation = allocations.create_allocation(
        actor,
        case.id,
        person_id=child.id,
        law="jeugdwet",
        product_category="jeugdhulp_ambulant",
        product_code="45A48",
        provider_name="Stichting Jeugdhulp Oost-Gelderland",
        provider_agb="98100215",
        volume=Decimal("4"),
        unit="hour",
        frequency="week",
        requested_on=TODAY - dt.timedelta(days=40),
    )
    records.request_appointment(
        case,
        parent,
        subject="Graag een gesprek over de huur",
        channel="office",
        preferred_moments="Maandagochtend of dinsdagmiddag",
    )
    db.commit()
    # Past its evaluation date: on the worklist of evaluations due.
    case = db.get(Case, case.id)
    case.evaluation_due_on = TODAY - dt.timedelta(days=3)
    db.commit()
    # A case in the plan stage (its plan a draft, to agree) and a closed case (to reopen).
    drafting = Case(
        household_id=world["household"].id,
        team_id=world["team"].id,
        case_manager_id=world["manager"].id,
        title="Opvoedondersteuning",
        status="plan",
        opened_on=TODAY - dt.timedelta(days=20),
    )
    closed = Case(
        household_id=world["household"].id,
        team_id=world["team"].id,
        case_manager_id=world["manager"].id,
        title="Zorg na ziekenhuisopname",
        status="afgesloten",
        opened_on=TODAY - dt.timedelta(days=400),
        closed_on=TODAY - dt.timedelta(days=30),
        closure_reason="doelen_bereikt",
    )
    db.add_all([drafting, closed])
    db.flush()
    db.add_all([CasePerson(case_id=c.id, person_id=parent.id) for c in (drafting, closed)])
    db.commit()
    plans.add_goal(
        drafting.id,
        actor,
        life_domain="parenting",
        text="Thuis is er minder ruzie en we maken samen afspraken.",
        owner=PartyRef("resident", parent.id),
    )
    db.commit()
    return {
        "case": case,
        "goal": goal,
        "action": action,
        "allocation": allocation,
        "drafting": drafting,
        "closed": closed,
    }


def test_case_management_pages_meet_wcag_21_aa(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_casemanagement.services import plan as plans
    from openregie_casemanagement.services.plan import PartyRef

    world = _seed_registry(app, db)
    seeded = _seed_case(app, db, world)
    case_id = seeded["case"].id
    case_url = f"/casussen/{case_id}"

    page = browser_page

    def check(label: str) -> None:
        accessibility.check(page, label)

    def submit_form(label: str, form: str, status: int = 400) -> None:
        """Submit the form matching the CSS selector `form` as it is (empty)."""
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator(f"main {form} button[type=submit]").click()
        page.wait_for_load_state()
        assert posted.value.status == status, label
        check(label)

    def visit(label: str, path: str, status: int = 200) -> None:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == status, f"{label}: {path}"
        check(label)

    def submit(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Gebruikersnaam").fill("regisseur")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    submit("Inloggen")
    page.wait_for_url("**/auth/code")
    page.locator("input[name=code]").fill(totp_code_for(app, world["manager"]))
    submit("Inloggen")
    page.wait_for_url(lambda url: "/auth/" not in url)

    visit("dashboard with the case widget", "/start")
    visit("worklist", "/casussen/")
    for kind in WORKLISTS:
        visit(f"worklist {kind}", f"/casussen/?kind={kind}")
    visit("worklist, invalid page number", "/casussen/?page=0", status=400)
    visit("new case", f"/casussen/nieuw?household={world['household'].id}")
    visit("case overview", case_url)
    visit("case overview, professionals found", f"{case_url}?zoek=Cees")
    visit("case edit", f"{case_url}/bewerken")
    visit("plan", f"{case_url}/plan")
    visit("plan version", f"{case_url}/plan/versies/1")
    visit("goal edit", f"{case_url}/plan/doelen/{seeded['goal'].id}")
    visit("action edit", f"{case_url}/plan/acties/{seeded['action'].id}")
    visit("ZRM", f"{case_url}/zrm")
    visit("contacts", f"{case_url}/contacten")
    visit("notes", f"{case_url}/notities")
    visit("documents", f"{case_url}/documenten")
    visit("allocations", f"{case_url}/toekenningen")
    visit("allocation edit", f"{case_url}/toekenningen/{seeded['allocation'].id}")
    visit("household with the case panel", f"/huishoudens/{world['household'].id}")
    visit("person with the case panel", f"/personen/{world['parent'].id}")
    drafting_url = f"/casussen/{seeded['drafting'].id}"
    closed_url = f"/casussen/{seeded['closed'].id}"
    visit("case in the plan stage", drafting_url)
    visit("draft plan, to agree", f"{drafting_url}/plan")
    visit("closed case, to reopen", closed_url)

    # Forms submitted empty come back with their errors.
    for label, path, form in (
        ("new case, empty", f"/casussen/nieuw?household={world['household'].id}", "form"),
        ("case overview, empty external party", case_url, "form[action$='/betrokkenen/extern']"),
        ("plan, empty goal", f"{case_url}/plan", "form[action$='/plan/doelen']"),
        ("draft plan, agreed by nobody", f"{drafting_url}/plan", "form[action$='/vaststellen']"),
        ("ZRM, no scores", f"{case_url}/zrm", "form[aria-labelledby=zrm-vastleggen]"),
        ("contacts, empty contact moment", f"{case_url}/contacten", "form[action$='/contacten']"),
        ("notes, empty note", f"{case_url}/notities", "form[action$='/notities']"),
        ("documents, no file", f"{case_url}/documenten", "form[action$='/documenten']"),
        ("allocations, empty", f"{case_url}/toekenningen", "form[action$='/toekenningen']"),
        ("closed case, reopened without a reason", closed_url, "form[action$='/heropenen']"),
    ):
        page.goto(f"{live_server}{path}")
        submit_form(label, form)
    for label, path in (
        ("case edit, without a title", f"{case_url}/bewerken"),
        ("action edit, without a description", f"{case_url}/plan/acties/{seeded['action'].id}"),
    ):
        page.goto(f"{live_server}{path}")
        page.locator("main form :is(input[type=text], textarea)").first.fill("")
        submit_form(label, "form")

    # Someone else changed the goal meanwhile: the form comes back with a 409.
    page.goto(f"{live_server}{case_url}/plan/doelen/{seeded['goal'].id}")
    goal = seeded["goal"]
    db.refresh(goal)
    actor = app.extensions["openregie"].actor_for_user(world["manager"])
    plans.update_goal(
        goal.id,
        actor,
        expected_version=goal.version,
        life_domain=goal.life_domain,
        text="We hebben overzicht over onze schulden.",
        owner=PartyRef("resident", world["parent"].id),
        target_date=goal.target_date,
    )
    db.commit()
    submit_form("goal edit, changed meanwhile", "form", status=409)

    # On a phone (320 CSS pixels, WCAG 1.4.10) wide tables scroll: by keyboard too.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        "/casussen/",
        "/casussen/?kind=appointments",
        case_url,
        f"{case_url}/plan",
        f"{case_url}/plan/versies/1",
        f"{case_url}/zrm",
        f"{case_url}/contacten",
        f"{case_url}/notities",
        f"{case_url}/documenten",
        f"{case_url}/toekenningen",
        f"/huishoudens/{world['household'].id}",
        f"/personen/{world['parent'].id}",
    ):
        page.goto(f"{live_server}{path}")
        check("narrow screen")
    page.set_viewport_size({"width": 1280, "height": 900})  # back to the desktop width

    # The team lead sees more of the overview: transferring the case next to closing it.
    page.context.clear_cookies()
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Gebruikersnaam").fill("teamleider")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    submit("Inloggen")
    page.wait_for_url("**/auth/code")
    page.locator("input[name=code]").fill(totp_code_for(app, world["lead"]))
    submit("Inloggen")
    page.wait_for_url(lambda url: "/auth/" not in url)
    visit("case overview, team lead", f"{case_url}?zoek=Cees")
    submit_form("case overview, empty transfer", "form[action$='/overdragen']")

    accessibility.assert_none()
