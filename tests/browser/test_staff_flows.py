"""The staff's main flows end to end in a real browser (Debian's chromium, Playwright),
through the UI only: the start page is the one URL typed in, everything after it is a
click or a key press. axe-core checks every page the flows visit (WCAG 2.1 A and AA: no
serious or critical violation, no id problem).

The installation runs its default modules (no OPENREGIE_MODULES: the functional admin
decides on the admin page), in demo mode; the functional admin switched the reporting
module off earlier (`core_module_selection`), so one installed module is not enabled.

1. A case manager logs in (password, authenticator code), finds the household through the
   person search, opens the case from the household page, adds an action to the plan (still
   there after a reload), records a contact moment and logs out; the database holds both
   changes and the audit records of the search, the reads and the changes.
2. A first login: the enrolment page shows the QR code and the key for typing it in; the
   code made from that key logs the newcomer in.
3. A functional admin enables the switched-off module: the page says a restart is needed
   and lists the change, which is recorded; after a restart the module is active.
4. Logging out everywhere ends the sessions of both devices; Back and the address of the
   page seen before show the login page.
5. Back after logging out in a browser with the back-forward cache (as people use them)
   shows the login page too: core's pages are sent with `Cache-Control: no-store`.

The world and the browser steps live in `staff_worlds.py`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from sqlalchemy import select

from openregie_sdk.testing.plugin import create_test_user


def _load_worlds() -> Any:
    """`staff_worlds.py` next to this file (pytest imports tests with `importlib`: a
    sibling module is not importable by name)."""
    name = "openregie_staff_test_worlds"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("staff_worlds.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


worlds = _load_worlds()
CASE_TITLE, GOAL_TEXT = worlds.CASE_TITLE, worlds.GOAL_TEXT
build_case_world, enter_code, follow = worlds.build_case_world, worlds.enter_code, worlds.follow
flashed, log_in, press, serving = worlds.flashed, worlds.log_in, worlds.press, worlds.serving

SWITCHED_OFF = "reporting"  # installed, first-party, switched off by the functional admin


@pytest.fixture
def everyday_browser_page() -> Iterator[Any]:
    """A page of Debian's chromium as the browser kit launches it, but with the back-forward
    cache on, as in the browsers people use: Playwright turns it off by default, so that
    Back always asks the server again."""
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            ignore_default_args=["--disable-back-forward-cache"],
        )
        try:
            context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


def _database_url(app: Any) -> str:
    return app.extensions["openregie"].engine.url.render_as_string(hide_password=False)


@pytest.fixture
def app(make_app: Any) -> Any:
    """The installation's default modules, the reporting module switched off by the
    functional admin: the app (re)started on a database where that choice is recorded."""
    from openregie_core.models import ModuleSelection

    first = make_app(None, mode="demo")
    with first.extensions["openregie"].session_factory() as session:
        session.add(ModuleSelection(module_id=SWITCHED_OFF, enabled=False, changed_by="seed"))
        session.commit()
    app = make_app(None, mode="demo", database_url=_database_url(first))
    assert not app.extensions["openregie"].modules.get(SWITCHED_OFF).enabled
    return app


def _last_audit_id(db: Any) -> int:
    from openregie_core.models.audit import AuditRecord

    return db.scalar(select(AuditRecord.id).order_by(AuditRecord.id.desc()).limit(1)) or 0


def _audit_since(db: Any, after: int, actor_id: Any) -> Counter[tuple[str, str, str, str]]:
    """How many audit records of each (action, processing activity, subject id, status)
    were written after record `after` in requests of `actor_id`."""
    from openregie_core.models.audit import AuditRecord, AuditSecurity

    rows = db.execute(
        select(
            AuditRecord.action,
            AuditRecord.processing_activity,
            AuditRecord.data_subject_id,
            AuditRecord.status,
        )
        .join(AuditSecurity, AuditSecurity.trace_id == AuditRecord.trace_id)
        .where(AuditRecord.id > after, AuditSecurity.actor_id == actor_id)
    ).all()
    return Counter(tuple(row) for row in rows)


def shows_login_instead_of(page: Any, path: str) -> None:
    """The page asked for `path` again and got the login page (which returns there)."""
    page.wait_for_url(lambda url: urlsplit(url).path == "/auth/login")
    assert parse_qs(urlsplit(page.url).query)["next"] == [path], page.url
    assert page.get_by_role("heading", name="Inloggen", exact=True).is_visible()
    assert page.get_by_role("button", name="Uitloggen").count() == 0


def test_a_case_manager_logs_in_finds_the_household_updates_the_plan_and_records_a_contact(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_casemanagement.models import Action, ContactMoment

    world = build_case_world(app, db)
    before = _last_audit_id(db)
    page = browser_page
    action_text = "Samen de brieven van de deurwaarder ordenen"
    summary = "Telefonisch de stand van zaken besproken; de huur is betaald."

    def check(label: str) -> None:
        accessibility.check(page, label)

    # Log in: password, then the code of the authenticator app.
    page.goto(f"{live_server}/")
    page.wait_for_url("**/auth/login")
    check("login")
    log_in(page, "regisseur")
    page.wait_for_url("**/auth/code")
    check("second factor")
    enter_code(page, app, world.manager)
    page.wait_for_url("**/start")
    assert page.locator("header").get_by_text("Mira Regisseur").is_visible()
    check("dashboard")

    # Find the household: search the parent by name, open her page, then the household's.
    follow(page, "Personen", within="nav")
    check("person search")
    # The start of the surname (the search runs as a GET: what is typed lands in the URL,
    # so in the server's access log; a whole surname there fails the log scanner).
    page.get_by_label("Achternaam (begin)").fill("Aald")
    page.get_by_role("button", name="Zoeken", exact=True).click()  # htmx swaps the results in
    result = page.get_by_role("link", name="Anna Maria van Aalders", exact=True)
    result.wait_for()
    assert page.get_by_role("link", name="Bram Aalders", exact=True).is_visible()
    check("person search results")
    follow(page, "Anna Maria van Aalders", within="main")
    assert page.get_by_role("heading", name="Anna Maria van Aalders").is_visible()
    check("person")
    follow(page, "Gezin Aalders", within="main")
    assert page.get_by_role("heading", name="Gezin Aalders").is_visible()
    check("household")

    # Open the case from the household's panel; on to its plan.
    follow(page, CASE_TITLE, within="main")
    assert page.get_by_role("heading", name=CASE_TITLE, exact=True).is_visible()
    check("case overview")
    follow(page, "Plan", within="main nav")
    check("plan")

    # Add an action to the goal: for the parent, due in two weeks.
    goal = page.locator(f"#doel-{world.goal_id}")
    goal.locator("summary", has_text="Actie toevoegen").click()
    form = goal.get_by_role("form", name=f"Actie toevoegen bij {GOAL_TEXT}")
    form.get_by_label("Actie", exact=True).fill(action_text)
    assignee = form.get_by_label("Wie voert het uit")
    parent_option = assignee.locator("option", has_text="Anna Maria van Aalders")
    assignee.select_option(label=parent_option.inner_text().strip())
    due = dt.date.today() + dt.timedelta(days=14)
    form.get_by_label("Klaar op").fill(due.isoformat())
    press(page, "Actie toevoegen", within=f"#doel-{world.goal_id} form")
    assert flashed(page, "De actie is toegevoegd.")
    check("plan after adding an action")

    # The action is stored: after a reload it is still in the goal's table.
    page.reload()
    actions = page.locator(f"#doel-{world.goal_id} table")
    row = actions.get_by_role("row").filter(has_text=action_text)
    assert row.count() == 1
    assert due.strftime("%d-%m-%Y") in row.inner_text()
    assert "Anna Maria van Aalders" in row.inner_text()
    assert page.get_by_text("De actie is toegevoegd.").count() == 0

    # Record a contact moment: a phone call, visible to the resident.
    follow(page, "Contactmomenten", within="main nav")
    assert page.get_by_text("Er zijn nog geen contactmomenten vastgelegd.").is_visible()
    check("contact moments")
    page.get_by_label("Kanaal").select_option(label="Telefoon")
    page.get_by_label("Deelnemers").fill("Anna Maria van Aalders, casusregisseur")
    page.get_by_label("Samenvatting").fill(summary)
    page.get_by_label("Zichtbaar voor de inwoner").check()
    press(page, "Contactmoment opslaan")
    assert flashed(page, "Het contactmoment is vastgelegd.")
    listed = page.get_by_role("table", name="Contactmomenten, nieuwste eerst")
    row = listed.get_by_role("row").filter(has_text=summary)
    assert row.count() == 1
    for text in ("Telefoon", "ja", "Mira Regisseur"):
        assert text in row.inner_text()
    check("contact moments after recording one")

    # Log out: going back shows the login page, not the case.
    press(page, "Uitloggen")
    page.wait_for_url("**/auth/login")
    check("logged out")
    contacts_path = f"/casussen/{world.case_id}/contacten"
    page.go_back()
    shows_login_instead_of(page, contacts_path)
    assert summary not in page.content()

    accessibility.assert_none()

    # In the database: the action and the contact moment, and the audit records of the
    # search, the reads and both changes, all "ok" and by the case manager.
    db.expire_all()
    action = db.scalar(select(Action).where(Action.description == action_text))
    assert action is not None
    assert (action.goal_id, action.case_id) == (world.goal_id, world.case_id)
    assert (action.assignee_kind, action.assignee_person_id) == ("resident", world.parent.id)
    assert action.due_on == due
    moment = db.scalar(select(ContactMoment).where(ContactMoment.case_id == world.case_id))
    assert moment is not None
    assert (moment.summary, moment.channel, moment.visible_to_resident) == (
        summary,
        "phone",
        True,
    )
    assert moment.created_by_user_id == world.manager.id
    audit = _audit_since(db, before, world.manager.id)
    parent, child = str(world.parent.id), str(world.child.id)
    for subject in (parent, child):
        assert audit[("search", "core.person.search", subject, "ok")] == 1
        assert audit[("read", "core.household.view", subject, "ok")] == 1
        # the case overview, the plan (twice: added to, reloaded), the contact moments
        assert audit[("read", "casemanagement.case.read", subject, "ok")] >= 4
        assert audit[("create", "casemanagement.case.write", subject, "ok")] == 2  # both changes
    assert audit[("read", "core.person.view", parent, "ok")] == 1
    assert {status for *_, status in audit} == {"ok"}, audit


def test_a_first_login_sets_up_the_authenticator_app_and_reaches_the_start_page(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_core.models import User

    newcomer = create_test_user(app, "professional", "nieuwkomer", enrolled=False)
    page = browser_page

    page.goto(f"{live_server}/")
    log_in(page, "nieuwkomer")
    page.wait_for_url("**/auth/enrol")
    assert page.get_by_role("heading", name="Tweede stap instellen").is_visible()
    qr = page.get_by_role("img", name=re.compile("^QR-code om OpenRegie toe te voegen"))
    assert qr.is_visible()
    assert qr.get_attribute("src").startswith("data:image/")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the image decodes
    secret = page.locator("code.or-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret), secret
    accessibility.check(page, "second-factor enrolment")

    # The newcomer types the secret into their app and enters the code it shows.
    page.get_by_label("Code uit uw authenticator-app").fill(
        pyotp.TOTP(secret.replace(" ", "")).now()
    )
    press(page, "Koppelen en inloggen")
    page.wait_for_url("**/start")
    assert page.locator("header").get_by_text("Test professional").is_visible()
    accessibility.check(page, "start page after enrolment")
    accessibility.assert_none()

    db.expire_all()
    stored = db.get(User, newcomer.id)
    assert stored.totp_confirmed_at is not None
    assert stored.totp_secret == secret.replace(" ", "")


def test_a_functional_admin_enables_a_switched_off_module_which_is_active_after_a_restart(
    app: Any, db: Any, make_app: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_core.models import ModuleEvent, ModuleSelection

    admin = create_test_user(app, "functional_admin", "beheerder", display_name="Fien Beheer")
    page = browser_page

    def check(label: str) -> None:
        accessibility.check(page, label)

    def module_row() -> tuple[str, str]:
        """The status and the explanation the modules table shows for the module."""
        table = page.get_by_role("table", name="Geïnstalleerde modules")
        row = table.get_by_role("row").filter(has=page.locator(f"code:text-is('{SWITCHED_OFF}')"))
        cells = row.get_by_role("cell")  # version, status, explanation, action
        return cells.nth(1).inner_text().strip(), cells.nth(2).inner_text().strip()

    page.goto(f"{live_server}/")
    log_in(page, "beheerder")
    enter_code(page, app, admin)
    page.wait_for_url("**/start")
    check("dashboard of the functional admin")
    follow(page, "Modules", within="nav")
    check("modules")
    assert module_row() == ("niet aangezet", "uitgezet door de functioneel beheerder")

    # Enabling takes effect at the next start: the page says so, and lists the change.
    press(page, f"Aanzetten {SWITCHED_OFF}", within="main table")
    page.wait_for_url(f"**/admin/modules/{SWITCHED_OFF}")
    assert flashed(page, f"Module {SWITCHED_OFF} staat aan.")
    assert "herstart de applicatie" in page.get_by_role("status").first.inner_text()
    changes = page.get_by_role("heading", name="Recente wijzigingen").locator(
        "xpath=following-sibling::ul[1]"
    )
    assert f"{SWITCHED_OFF}: enabled door Fien Beheer ({admin.id})" in changes.inner_text()
    # What the page shows as the state is the running application's: not active yet.
    state = page.locator("dt", has_text="Status").locator("xpath=following-sibling::dd[1]")
    assert not state.inner_text().startswith("actief"), state.inner_text()
    check("module after enabling it")

    # Recorded: the admin's choice, and the event with who made it.
    db.expire_all()
    choice = db.get(ModuleSelection, SWITCHED_OFF)
    assert choice.enabled
    assert choice.changed_by == f"Fien Beheer ({admin.id})"
    events = db.scalars(select(ModuleEvent).where(ModuleEvent.module_id == SWITCHED_OFF)).all()
    assert [(e.action, e.actor) for e in events] == [("enabled", f"Fien Beheer ({admin.id})")]

    # After a restart (the same installation and database) the module is active.
    restarted = make_app(None, mode="demo", database_url=_database_url(app))
    with serving(restarted) as base:
        page.goto(f"{base}/")  # the start page of the restarted app: still logged in
        page.wait_for_url("**/start")
        follow(page, "Modules", within="nav")
        assert module_row() == ("actief", "aangezet door de functioneel beheerder")
        assert page.get_by_role("button", name=f"Uitzetten {SWITCHED_OFF}").is_visible()
        check("modules after the restart")
    accessibility.assert_none()


def test_logging_out_everywhere_ends_every_session_and_back_shows_the_login_page(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_core.models import User

    world = build_case_world(app, db)
    case_path = f"/casussen/{world.case_id}"
    page = browser_page

    def log_in_on(device: Any) -> None:
        device.goto(f"{live_server}/")
        log_in(device, "regisseur")
        enter_code(device, app, world.manager)
        device.wait_for_url("**/start")

    # A second device (its own cookies) logged in as the same case manager, on the worklist.
    other = page.context.browser.new_context(locale="nl-NL", viewport=page.viewport_size)
    phone = other.new_page()
    log_in_on(phone)
    follow(phone, "Casussen", within="nav")
    assert phone.get_by_role("link", name=CASE_TITLE).is_visible()

    # This device opens the case, then logs out everywhere from the account page.
    log_in_on(page)
    follow(page, "Casussen", within="nav")
    accessibility.check(page, "worklist")
    follow(page, CASE_TITLE, within="main table")
    assert page.get_by_role("heading", name=CASE_TITLE, exact=True).is_visible()
    follow(page, "Mijn account", within="nav")
    accessibility.check(page, "account")
    press(page, "Overal uitloggen")
    page.wait_for_url("**/auth/login")
    assert flashed(page, "U bent op al uw apparaten uitgelogd.")
    accessibility.check(page, "logged out everywhere")

    # Back, and back again: each page asks the server again and gets the login page (the
    # kit's chromium keeps no back-forward cache; the last test covers a browser that does).
    page.go_back()
    shows_login_instead_of(page, "/auth/account")
    page.go_back()
    shows_login_instead_of(page, case_path)
    assert CASE_TITLE not in page.content()
    # Opening the case's address again: the login page too.
    page.goto(f"{live_server}{case_path}")
    shows_login_instead_of(page, case_path)

    # The other device is logged out as well.
    phone.reload()
    shows_login_instead_of(phone, "/casussen/")
    assert CASE_TITLE not in phone.content()
    other.close()
    accessibility.assert_none()

    db.expire_all()
    assert db.get(User, world.manager.id).session_version == world.manager.session_version + 1


def test_back_after_logging_out_shows_the_login_page_also_with_the_back_forward_cache(
    app: Any, db: Any, live_server: str, everyday_browser_page: Any
):
    world = build_case_world(app, db)
    page = everyday_browser_page
    page.goto(f"{live_server}/")
    log_in(page, "regisseur")
    enter_code(page, app, world.manager)
    follow(page, "Casussen", within="nav")
    follow(page, CASE_TITLE, within="main table")
    assert page.get_by_role("heading", name=CASE_TITLE, exact=True).is_visible()
    press(page, "Uitloggen")
    page.wait_for_url("**/auth/login")

    # A page restored from the back-forward cache fires no new load event: wait for the
    # document that Back shows, whichever way it came.
    page.go_back(wait_until="commit")
    page.wait_for_function("() => document.readyState === 'complete'")
    assert urlsplit(page.url).path == "/auth/login", page.url
    assert CASE_TITLE not in page.content()
