"""Resident login: the mock DigiD page (only outside production), the BSN check, the
resident session (fixation, idle timeout, never mixed with staff), and logout."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from openregie_sdk.db import utcnow

CALLBACK = "http://localhost/mijn/inloggen/mock_digid/terug"


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    if match is None:
        match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def mock_login(client: FlaskClient, bsn: str) -> Any:
    """Log in through the mock DigiD page as the person with `bsn`; returns the answer of
    the callback (not followed)."""
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    started = client.post("/mijn/inloggen/mock_digid", data={"csrf_token": csrf(page)})
    assert started.status_code == 303
    form = client.get(started.headers["Location"])
    assert form.status_code == 200
    sent = client.post(
        "/mijn/testinlog",
        data={"csrf_token": csrf(form.get_data(as_text=True)), "bsn": bsn, "callback": CALLBACK},
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return client.get(sent.headers["Location"])


def test_a_resident_logs_in_with_the_mock_and_sees_their_overview(app, client, world):
    answer = mock_login(client, world.parent.bsn)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/mijn/")
    page = client.get("/mijn/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Rust in huis" in text and "Anna Jansen" in text
    assert "Uitloggen" in text


def test_the_mock_page_says_it_is_no_real_digid(app, client, world):
    page = client.get("/mijn/testinlog", query_string={"callback": CALLBACK})
    assert page.status_code == 200
    assert "Testomgeving — geen echte DigiD" in page.get_data(as_text=True)


@pytest.mark.parametrize("bsn", ["123456789", "12345678", "abc"])
def test_an_invalid_or_unknown_bsn_gets_the_same_page_and_no_session(app, client, world, bsn):
    answer = mock_login(client, bsn)
    assert answer.status_code == 403
    assert "Geen toegang tot Mijn Regie" in answer.get_data(as_text=True)
    assert client.get("/mijn/").status_code == 302


def test_the_mock_does_not_exist_in_production(make_app):
    app = make_app(["portal", "casemanagement"], mode="production", secret_key="x" * 40)
    client = app.test_client()
    assert client.get("/mijn/testinlog", query_string={"callback": CALLBACK}).status_code == 404
    assert client.get("/mijn/inloggen/mock_digid/terug").status_code == 404
    assert "Test-DigiD" not in client.get("/mijn/inloggen").get_data(as_text=True)


def test_signing_in_clears_the_previous_session(app, client, world, login_as):
    login_as("professional")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        assert "user_id" in session
    mock_login(client, world.parent.bsn)
    with client.session_transaction() as session:
        assert "planted" not in session and "user_id" not in session
        assert session["resident_id"] == str(world.parent.id)


def test_a_staff_login_ends_the_resident_session(app, client, world, login_as):
    mock_login(client, world.parent.bsn)
    login_as("professional")
    with client.session_transaction() as session:
        assert "resident_id" not in session
    assert client.get("/mijn/").status_code == 403


def test_the_resident_session_ends_after_15_idle_minutes(app, client, world):
    mock_login(client, world.parent.bsn)
    assert client.get("/mijn/").status_code == 200
    with client.session_transaction() as session:
        assert session["resident_idle"] == 15
        session["seen"] = (utcnow() - dt.timedelta(minutes=16)).timestamp()
    answer = client.get("/mijn/")
    assert answer.status_code == 302
    assert "/mijn/inloggen" in answer.headers["Location"]


def test_a_request_within_the_idle_time_keeps_the_session(app, client, world):
    mock_login(client, world.parent.bsn)
    with client.session_transaction() as session:
        session["seen"] = (utcnow() - dt.timedelta(minutes=14)).timestamp()
    assert client.get("/mijn/").status_code == 200


def test_logout_ends_the_session_and_lands_on_the_portal(app, client, world):
    mock_login(client, world.parent.bsn)
    page = client.get("/mijn/").get_data(as_text=True)
    answer = client.post("/auth/logout", data={"csrf_token": csrf(page)})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/mijn/uitgelogd")
    assert client.get("/mijn/").status_code == 302


def test_a_resident_holds_no_staff_permission(app, client, world):
    mock_login(client, world.parent.bsn)
    assert client.get("/personen/").status_code == 403
    assert client.get("/casussen/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_portal_login(app, client):
    answer = client.get("/mijn/gegevens")
    assert answer.status_code == 302
    assert "/mijn/inloggen?next=/mijn/gegevens" in answer.headers["Location"]


def test_staff_get_403_on_resident_pages(app, client, login_as):
    login_as("professional")
    assert client.get("/mijn/").status_code == 403


def test_login_attempts_are_rate_limited_per_address(make_app):
    app = make_app(
        ["portal", "casemanagement"], module_config={"portal": {"login_limit": "3 per minute"}}
    )
    client = app.test_client()
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    token = csrf(page)
    answers = [
        client.post("/mijn/inloggen/mock_digid", data={"csrf_token": token}) for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [303, 303, 303, 429]
    assert "te vaak geprobeerd" in answers[-1].get_data(as_text=True)
