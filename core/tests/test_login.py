"""Staff login and logout: argon2 passwords, a second factor, no open redirects, CSRF on
every form. (The second factor, lockout and rate limits in depth: test_identity.py.)"""

from __future__ import annotations

from openregie_sdk.testing.plugin import TEST_PASSWORD, csrf_token_in


def _login(client, username: str, password: str, next_: str = ""):
    page = client.get("/auth/login" + (f"?next={next_}" if next_ else "")).get_data(as_text=True)
    return client.post(
        "/auth/login" + (f"?next={next_}" if next_ else ""),
        data={"csrf_token": csrf_token_in(page), "username": username, "password": password},
    )


def _code(client, code: str):
    page = client.get("/auth/code").get_data(as_text=True)
    return client.post("/auth/code", data={"csrf_token": csrf_token_in(page), "code": code})


def test_right_password_and_code_log_in_and_follow_a_local_next(client, login_as, totp_code):
    user = login_as("functional_admin", username="fenna")
    client.post(
        "/auth/logout",
        data={"csrf_token": csrf_token_in(client.get("/start").get_data(as_text=True))},
    )
    response = _login(client, "fenna", TEST_PASSWORD, next_="/admin/modules")
    assert response.status_code == 303 and response.headers["Location"] == "/auth/code"
    assert client.get("/start").status_code == 302  # a password alone opens nothing
    response = _code(client, totp_code(user))
    assert response.status_code == 303 and response.headers["Location"] == "/admin/modules"
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


def test_an_external_next_is_not_followed(client, login_as, totp_code):
    user = login_as("professional", username="kees")
    client = client.application.test_client()  # a browser without the session
    _login(client, "kees", TEST_PASSWORD, next_="//evil.example/steal")
    assert _code(client, totp_code(user)).headers["Location"] == "/start"


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
    assert client.post("/auth/logout", data={"csrf_token": csrf_token_in(html)}).status_code == 302
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
