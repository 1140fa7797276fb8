"""Staff login and logout: argon2 passwords, no open redirects, CSRF on every form."""

from __future__ import annotations

import re

from openregie_sdk.testing.plugin import TEST_PASSWORD


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _login(client, username: str, password: str, next_: str = ""):
    page = client.get("/auth/login" + (f"?next={next_}" if next_ else "")).get_data(as_text=True)
    return client.post(
        "/auth/login" + (f"?next={next_}" if next_ else ""),
        data={"csrf_token": _csrf(page), "username": username, "password": password},
    )


def test_right_password_logs_in_and_follows_a_local_next(client, login_as):
    user = login_as("functional_admin", username="fenna")
    client.post(
        "/auth/logout", data={"csrf_token": _csrf(client.get("/start").get_data(as_text=True))}
    )
    response = _login(client, "fenna", TEST_PASSWORD, next_="/admin/modules")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/modules"
    assert client.get("/start").status_code == 200
    assert user.display_name in client.get("/start").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_dutch_message(client, login_as):
    login_as("professional", username="rosa")
    client = client.application.test_client()  # a browser without the session
    response = _login(client, "rosa", "verkeerd-wachtwoord")
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.get_data(as_text=True)
    assert client.get("/start").status_code == 302


def test_unknown_user_gets_the_same_message(client):
    response = _login(client, "niemand", "wat-dan-ook-123")
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.get_data(as_text=True)


def test_an_external_next_is_not_followed(client, login_as):
    login_as("professional", username="kees")
    client = client.application.test_client()  # a browser without the session
    response = _login(client, "kees", TEST_PASSWORD, next_="//evil.example/steal")
    assert response.headers["Location"] == "/start"


def test_login_without_csrf_token_is_refused(client, login_as):
    login_as("professional", username="anna")
    client = client.application.test_client()  # a browser without the session
    response = client.post("/auth/login", data={"username": "anna", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/start").status_code == 302


def test_logout_needs_post_with_csrf_and_ends_the_session(client, login_as):
    login_as("professional")
    html = client.get("/start").get_data(as_text=True)
    assert "Uitloggen" in html
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.post("/auth/logout", data={"csrf_token": _csrf(html)}).status_code == 302
    assert client.get("/start").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, login_as):
    login_as("professional", username="joop")
    client = client.application.test_client()  # a browser without the session
    response = _login(client, "joop", TEST_PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_idle_session_expires(app, client, login_as):
    login_as("professional")
    assert client.get("/start").status_code == 200
    with client.session_transaction() as cookie:
        cookie["seen"] -= app.extensions["openregie"].settings.session_idle_minutes * 60 + 1
    assert client.get("/start").status_code == 302
