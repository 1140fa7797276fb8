"""Accessibility of the consent module's pages (WCAG 2.1 A and AA), checked by axe-core in
a real browser with the kit of `conftest.py`.

The app runs with consent and case management in demo mode, with the demo data (the region,
cases and the demo consents). Debian's chromium logs in as a team lead and visits a person
page with the consent panel, the person's consents (history, the record and withdraw
forms), the record form submitted empty (its errors at the fields) and the list of
overrides to review, on a wide and a narrow screen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from openregie_sdk.registry import HouseholdMember, Membership
from openregie_sdk.testing.plugin import TEST_PASSWORD, create_test_user, seed_demo, totp_code_for


@pytest.fixture
def app(make_app: Any) -> Any:
    """Core with consent and case management, in demo mode (the demo banner on every page)."""
    return make_app(["consent", "casemanagement"], mode="demo")


def test_consent_pages_meet_wcag_21_aa(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    from openregie_casemanagement.models import Case
    from openregie_consent.models import ConsentRecord

    assert seed_demo(app) == []
    # A team lead of the team holding the case of a household with demo consents.
    person_id, team_id = db.execute(
        select(ConsentRecord.subject_id, Case.team_id)
        .join(HouseholdMember, HouseholdMember.person_id == ConsentRecord.subject_id)
        .join(Case, Case.household_id == HouseholdMember.household_id)
        .order_by(ConsentRecord.recorded_at)
        .limit(1)
    ).one()
    lead = create_test_user(app, "team_lead", "teamleider_toestemming")
    db.add(
        Membership(user_id=lead.id, team_id=team_id, role="team_lead", start_on=dt.date(2024, 1, 1))
    )
    db.commit()
    page = browser_page

    def visit(label: str, path: str, status: int = 200) -> None:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == status, f"{label}: {path}"
        accessibility.check(page, label)

    def submit(name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Gebruikersnaam").fill(lead.username)
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    submit("Inloggen")
    page.wait_for_url("**/auth/code")
    page.locator("input[name=code]").fill(totp_code_for(app, lead))
    submit("Inloggen")
    page.wait_for_url(lambda url: "/auth/" not in url)

    visit("person page with the consent panel", f"/personen/{person_id}")
    visit("the person's consents", f"/toestemming/personen/{person_id}")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit("Vastleggen")
    assert posted.value.status == 400
    accessibility.check(page, "consent record form, submitted empty")
    visit("overrides to review", "/toestemming/doorbrekingen")

    # On a phone (320 CSS pixels, WCAG 1.4.10) nothing needs scrolling sideways but tables.
    page.set_viewport_size({"width": 320, "height": 640})
    visit("the person's consents, narrow screen", f"/toestemming/personen/{person_id}")

    accessibility.assert_none()
