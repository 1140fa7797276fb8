"""Accessibility of the reporting module's pages (WCAG 2.1 A and AA), checked by axe-core
in a real browser: the same approach as `test_accessibility_casemanagement.py`.

The app runs with reporting and case management (demo mode) on a free port of 127.0.0.1,
with the demo data (`openregie demo`: the region, case management's cases and the
formation norms). Debian's chromium, driven by Playwright, logs in through the login and
second-factor pages as a policy officer (the report with its SVG charts and tables, a
report refused for a bad filter, the dashboard widget) and as a functional admin (the
formation norms, the form submitted empty, a norm's page), on a wide and a narrow screen.
A violation of impact serious or critical fails the test with its page, rule, impact and
the offending elements; so does an id used twice or a label or ARIA reference to a missing
id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from openregie_sdk.testing.plugin import (
    TEST_PASSWORD,
    create_test_user,
    seed_demo,
    totp_code_for,
)

TODAY = dt.date.today()


@pytest.fixture
def app(make_app: Any) -> Any:
    """Core with reporting and case management, in demo mode (the demo banner on every page)."""
    return make_app(["reporting", "casemanagement"], mode="demo")


def test_reporting_pages_meet_wcag_21_aa(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_reporting.models import FormationNorm
    from openregie_reporting.web.filters import last_complete_quarter

    assert seed_demo(app) == []
    officer = create_test_user(app, "policy_officer", "beleidsmedewerker")
    admin = create_test_user(app, "functional_admin", "functioneelbeheerder")
    norm_id = db.scalar(select(FormationNorm.id))
    assert norm_id is not None
    page = browser_page

    def check(label: str) -> None:
        accessibility.check(page, label)

    def visit(label: str, path: str, status: int = 200) -> None:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == status, f"{label}: {path}"
        check(label)

    def submit(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    def log_in(user: Any) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server}/auth/login")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
        submit("Inloggen")
        page.wait_for_url("**/auth/code")
        page.locator("input[name=code]").fill(totp_code_for(app, user))
        submit("Inloggen")
        page.wait_for_url(lambda url: "/auth/" not in url)

    quarter = last_complete_quarter(TODAY)
    log_in(officer)
    visit("dashboard with the reporting widget", "/start")
    visit("report, default filters", "/rapportage/")
    assert page.locator("svg.reporting-chart").count() > 0
    visit("report of a municipality", f"/rapportage/?periode={quarter.label}&gemeente=GM0301")
    visit("report of a year", f"/rapportage/?periode={quarter.year - 1}")
    visit("report, bad period", "/rapportage/?periode=2026-Q9", status=400)
    visit("report, unknown municipality", "/rapportage/?gemeente=GM0000", status=400)

    log_in(admin)
    visit("formation norms", "/rapportage/formatienormen")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form[action$='/formatienormen'] button[type=submit]").click()
    page.wait_for_load_state()
    assert posted.value.status == 400
    check("formation norms, empty form")
    visit("formation norm", f"/rapportage/formatienormen/{norm_id}")
    page.get_by_label("Uren per week").fill("200")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit("Opslaan")
    assert posted.value.status == 400
    check("formation norm, too many hours")

    # On a phone (320 CSS pixels, WCAG 1.4.10) wide tables scroll, by keyboard too.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/rapportage/", "/rapportage/formatienormen"):
        page.goto(f"{live_server}{path}")
        check("narrow screen")

    accessibility.assert_none()
