"""Mijn Regie in a real browser: the main resident flow end to end, and axe-core on every
portal page (WCAG 2.1 A and AA, no serious or critical violation, no id problems).

The app runs in demo mode with the portal, case management and consent, on the world of
the portal's own tests (a parent with three minors, one case with an agreed plan, a
visible contact moment and a shared document) and a consent the parent gave. Debian's
chromium logs in through the mock DigiD page, updates the action assigned to the parent,
proposes a goal, requests an appointment, downloads the shared document, changes the phone
number, proposes a correction, withdraws the consent (the consent module's section, through
the hook), switches to acting for the child and logs out; every page (and each form
sent empty, the 409 page and a 320-pixel-wide screen) is checked by axe-core.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

WORLDS = Path(__file__).parents[2] / "plugins" / "portal" / "tests" / "portal_worlds.py"


def _worlds() -> Any:
    name = "openregie_portal_test_worlds"  # the name the portal's conftest uses too
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, WORLDS)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def app(make_app: Any) -> Any:
    return make_app(["portal", "casemanagement", "consent"], mode="demo")


def _consent_given_by(app: Any, person: Any) -> None:
    """A consent of the parent in force: to share with an external party (given in writing)."""
    from openregie_sdk import capability

    with app.test_request_context():
        provider = capability("consent")
        provider.record(
            person.id,
            purpose="plan_school",
            recipient_id=uuid.uuid4(),
            recipient_kind="external",
            recipient_name="Basisschool De Wilg",
            status="given",
            given_by_person_ids=[person.id],
            obtained="written",
        )
        app.extensions["openregie"].session().commit()


def test_the_resident_flow_works_and_every_portal_page_meets_wcag_21_aa(
    app: Any, db: Any, live_server: str, browser_page: Any, accessibility: Any
):
    world = _worlds().build_ours(app, db)
    _consent_given_by(app, world.parent)
    page = browser_page
    case = f"/mijn/casus/{world.case_id}"

    def check(label: str) -> None:
        accessibility.check(page, label)

    def visit(label: str, path: str, status: int = 200) -> None:
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == status, f"{label}: {path}"
        check(label)

    def click(name: str, status: int = 200) -> None:
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=name, exact=True).first.click()
        response = navigation.value
        assert response is not None and response.status == status, name

    # Log in through the mock DigiD page.
    page.goto(f"{live_server}/mijn/")
    page.wait_for_url("**/mijn/inloggen**")
    check("login page")
    click("Test-DigiD (geen echte DigiD)")
    assert "Testomgeving — geen echte DigiD" in page.content()
    check("mock DigiD page")
    click("Inloggen", status=400)  # sent empty: the field says what is missing
    check("mock DigiD page, empty")
    page.get_by_label("Burgerservicenummer (BSN)").fill(world.parent.bsn)
    click("Inloggen")
    page.wait_for_url("**/mijn/")
    assert "Rust in huis" in page.content() and "Mira Regie" in page.content()
    check("overview")

    # Update the action assigned to the parent: done, with a comment.
    visit("plan", f"{case}/plan")
    action = page.locator(f"#actie-{world.action_id}")
    action.get_by_label("Status").select_option("done")
    action.get_by_label("Opmerking (niet verplicht)").fill("De map ligt klaar.")
    with page.expect_navigation():
        action.get_by_role("button", name="Opslaan").click()
    assert "De actie is bijgewerkt." in page.content()
    assert "De map ligt klaar." in page.content()
    check("plan after an update")
    visit("plan, only mine", f"{case}/plan?filter=mijn")

    # Propose a goal in our own words; first sent empty.
    page.goto(f"{live_server}{case}/plan")
    click("Doel voorstellen", status=400)
    check("plan, empty goal proposal")
    page.get_by_label("Uw doel, in uw eigen woorden").fill("Elke maand iets sparen.")
    click("Doel voorstellen")
    assert "Elke maand iets sparen." in page.content()
    visit("earlier agreed version", f"{case}/plan/versies/1")

    # Request an appointment; first sent empty.
    visit("contact moments", f"{case}/contact")
    click("Verzoek versturen", status=400)
    check("contact, empty appointment request")
    page.get_by_label("Waarover wilt u praten?").fill("De brief van de verhuurder")
    page.get_by_label("Hoe wilt u afspreken?").select_option("phone")
    page.get_by_label("Wanneer kunt u?").fill("Dinsdagochtend")
    click("Verzoek versturen")
    assert "De brief van de verhuurder" in page.content()
    check("contact after a request")

    # Download the shared document.
    visit("documents", f"{case}/documenten")
    with page.expect_download() as download:
        page.get_by_role("link", name="plan.pdf").click()
    assert download.value.suggested_filename == "plan.pdf"
    click("Document toevoegen", status=400)
    check("documents, no file")

    # Personal data: change the phone number, propose a correction.
    visit("personal data", "/mijn/gegevens")
    page.get_by_label("Telefoonnummer").fill("06 11122233")
    click("Opslaan")
    assert "Uw contactgegevens zijn opgeslagen." in page.content()
    page.get_by_label("Telefoonnummer").fill("12")
    click("Opslaan", status=400)
    check("personal data, bad phone number")
    page.get_by_label("Wat moet het zijn?").fill("Mijn huisnummer is 12a.")
    click("Voorstel versturen")
    assert "Mijn huisnummer is 12a." in page.content()

    # The consent section (the consent module's, through the hook): withdraw the consent.
    assert "Basisschool De Wilg" in page.content()
    click("Intrekken (Het plan delen met school, Basisschool De Wilg)")
    check("personal data after withdrawing a consent")
    assert page.get_by_role("button", name="Toestemming geven", exact=False).count() == 1
    visit("who looked at my data", "/mijn/wie-keek")

    # A stale update gets the 409 page.
    page.goto(f"{live_server}{case}/plan")
    page.evaluate("() => document.querySelector('input[name=version]').value = '1'")
    with page.expect_navigation() as navigation:
        page.locator(f"#actie-{world.action_id}").get_by_role("button", name="Opslaan").click()
    assert navigation.value.status == 409
    check("conflict page")

    # On a phone (320 CSS pixels) every page still works.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        "/mijn/",
        f"{case}/plan",
        f"{case}/contact",
        f"{case}/documenten",
        "/mijn/gegevens",
        "/mijn/wie-keek",
    ):
        page.goto(f"{live_server}{path}")
        check(f"narrow screen {path}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Act for the child, then log out.
    page.goto(f"{live_server}/mijn/")
    page.get_by_label("U handelt namens").select_option(str(world.child.id))
    click("Wisselen")
    assert "U bekijkt de gegevens van Tim Jansen." in page.content()
    check("overview, acting for the child")
    click("Uitloggen")
    page.wait_for_url("**/mijn/uitgelogd")
    check("logged out")
    response = page.goto(f"{live_server}/mijn/")
    assert response is not None and "/mijn/inloggen" in page.url

    accessibility.assert_none()
