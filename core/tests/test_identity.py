"""Staff identity: the mandatory second factor (enrolment, codes, no replay), lockout, rate
limits, sessions (fixation, versions, log out everywhere), CSRF on every form, demo secrets."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pyotp
import pytest
from click.testing import CliRunner
from flask import url_for
from sqlalchemy import select
from werkzeug.routing import AnyConverter, UUIDConverter
from werkzeug.routing.converters import NumberConverter

from openregie_core.auth.lockout import LOCK_MINUTES
from openregie_core.auth.totp import (
    FixedSecretRefused,
    assign_known_secret,
    code_at,
    current_step,
    matching_step,
)
from openregie_core.cli import main
from openregie_core.config import ConfigError, load_settings
from openregie_core.demo import DEMO_TOTP_SECRET
from openregie_core.models import User
from openregie_sdk.testing.plugin import TEST_PASSWORD, csrf_token_in

WRONG_PASSWORD = "Gebruikersnaam of wachtwoord klopt niet."
WRONG_CODE = "Deze code klopt niet of is al gebruikt."
LOCKED = "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen."


def _token(client, path: str = "/auth/login") -> str:
    return csrf_token_in(client.get(path).get_data(as_text=True))


def _password(client, username: str, password: str = TEST_PASSWORD):
    data = {"csrf_token": _token(client), "username": username, "password": password}
    return client.post("/auth/login", data=data)


def _code(client, code: str, path: str = "/auth/code"):
    return client.post(path, data={"csrf_token": _token(client, path), "code": code})


def _stored(app, user) -> User:
    with app.extensions["openregie"].session_factory() as session:
        return session.get(User, user.id)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _session_keys(client) -> set[str]:
    with client.session_transaction() as cookie:
        return set(cookie.keys())


# -- the second factor ------------------------------------------------------------------------


def test_a_right_password_alone_opens_no_page(client, make_user):
    user = make_user("functional_admin")
    response = _password(client, user.username)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/code"
    assert "user_id" not in _session_keys(client)
    for path in ("/start", "/auth/account", "/admin/modules", "/admin/api-clients"):
        assert client.get(path).status_code == 302, path


def test_first_login_enrols_an_authenticator_app_from_a_qr_code(app, client, make_user):
    user = make_user("professional", enrolled=False)
    response = _password(client, user.username)
    assert response.headers["Location"] == "/auth/enrol"
    assert client.get("/auth/code").headers["Location"] == "/auth/enrol"

    page = _text(client.get("/auth/enrol"))
    assert re.search(r'<img src="data:image/svg\+xml[^"]+"[^>]* alt="QR-code om OpenRegie', page)
    typed = re.search(r'<code class="or-secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    secret = typed.replace(" ", "")
    assert len(secret) == 32 and '<label class="utrecht-form-label" for="code">' in page
    assert client.get("/start").status_code == 302  # not logged in while enrolling

    response = _code(client, pyotp.TOTP(secret).now(), "/auth/enrol")
    assert response.status_code == 303 and response.headers["Location"] == "/start"
    assert client.get("/start").status_code == 200
    stored = _stored(app, user)
    assert stored.totp_secret == secret and stored.totp_confirmed_at is not None
    assert stored.last_login_at is not None


def test_a_wrong_enrolment_code_is_refused_at_the_field_and_counts(app, client, make_user):
    user = make_user("professional", enrolled=False)
    _password(client, user.username)
    response = _code(client, "000000", "/auth/enrol")
    page = _text(response)
    assert response.status_code == 401 and WRONG_CODE in page
    assert 'id="code-error"' in page and 'aria-invalid="true"' in page
    assert 'aria-describedby="code-hint code-error"' in page
    assert client.get("/start").status_code == 302
    stored = _stored(app, user)
    assert stored.failed_logins == 1 and stored.totp_confirmed_at is None


def test_malformed_code_gets_a_400_naming_the_field(client, make_user):
    user = make_user("professional")
    _password(client, user.username)
    response = _code(client, "12ab")
    assert response.status_code == 400
    assert "Een code bestaat uit 6 cijfers." in _text(response)


def test_code_of_a_neighbouring_step_is_accepted_but_not_two_steps_away(app, client, make_user):
    secret = pyotp.random_base32()
    assert matching_step(secret, code_at(secret, 1000), at=1001 * 30) == 1000
    assert matching_step(secret, code_at(secret, 1002), at=1001 * 30 + 29) == 1002
    assert matching_step(secret, code_at(secret, 999), at=1001 * 30) is None
    spaced = code_at(secret, 7)
    assert matching_step(secret, f"{spaced[:3]} {spaced[3:]}", at=7 * 30) == 7

    user = make_user("professional", totp_secret=secret)
    _password(client, user.username)
    response = _code(client, code_at(secret, current_step() - 1))
    assert response.status_code == 303 and client.get("/start").status_code == 200


def test_a_used_code_cannot_be_used_again(app, client, make_user, totp_code):
    user = make_user("professional")
    code = totp_code(user)
    _password(client, user.username)
    assert _code(client, code).status_code == 303

    other = app.test_client()  # someone who saw the code being typed
    _password(other, user.username)
    response = _code(other, code)
    assert response.status_code == 401 and WRONG_CODE in _text(response)
    assert other.get("/start").status_code == 302
    assert _stored(app, user).failed_logins == 1


# -- lockout ----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_without_hinting_at_the_password(
    app, client, make_user
):
    user = make_user("professional")
    for _ in range(4):
        response = _password(client, user.username, "verkeerd-wachtwoord")
        assert response.status_code == 401 and WRONG_PASSWORD in _text(response)
    fifth = _password(client, user.username, "verkeerd-wachtwoord")
    assert fifth.status_code == 403 and LOCKED in _text(fifth)
    assert "Probeer het over 15 minuten opnieuw." in _text(fifth)

    stored = _stored(app, user)
    until = stored.locked_until.replace(tzinfo=stored.locked_until.tzinfo or dt.UTC)
    left = until - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=LOCK_MINUTES - 1) < left <= dt.timedelta(minutes=LOCK_MINUTES)

    right = _password(client, user.username)
    wrong = _password(client, user.username, "nog-steeds-verkeerd")
    assert right.status_code == wrong.status_code == 403
    strip = lambda r: re.sub(r'value="[^"]*"', "", _text(r))  # noqa: E731 - the CSRF tokens
    assert strip(right) == strip(wrong)
    assert "user_id" not in _session_keys(client) and "pending_user_id" not in _session_keys(client)


def test_the_lock_ends_after_its_time_and_a_login_resets_the_count(
    app, client, make_user, totp_code
):
    user = make_user("professional")
    for _ in range(5):
        _password(client, user.username, "verkeerd-wachtwoord")
    with app.extensions["openregie"].session_factory() as session:
        session.get(User, user.id).locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
    _password(client, user.username, "verkeerd-wachtwoord")
    assert _password(client, user.username).headers["Location"] == "/auth/code"
    assert _stored(app, user).failed_logins == 1  # a right password alone resets nothing
    assert _code(client, totp_code(user)).status_code == 303
    stored = _stored(app, user)
    assert stored.failed_logins == 0 and stored.locked_until is None


def test_wrong_codes_count_toward_the_lockout_too(app, client, make_user, totp_code):
    user = make_user("professional")
    _password(client, user.username, "verkeerd-wachtwoord")
    _password(client, user.username)
    for _ in range(3):
        assert _code(client, "000000").status_code == 401
    # Entering the password again does not buy more tries.
    _password(client, user.username)
    response = _code(client, "000000")
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    assert LOCKED in _text(client.get("/auth/login"))
    assert "pending_user_id" not in _session_keys(client)

    response = _password(client, user.username)
    assert response.status_code == 403 and LOCKED in _text(response)
    assert _stored(app, user).locked_until is not None


# -- rate limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/auth/login", "/auth/code", "/auth/enrol"])
def test_too_many_attempts_from_one_address_get_a_429_in_dutch(client, path):
    for _ in range(10):
        data = {"csrf_token": _token(client), "username": "niemand", "password": "x", "code": "1"}
        assert client.post(path, data=data).status_code != 429
    data = {"csrf_token": _token(client), "username": "niemand", "password": "x", "code": "1"}
    response = client.post(path, data=data)
    assert response.status_code == 429
    assert "Te veel verzoeken" in _text(response) and "Wacht een minuut" in _text(response)
    other = client.post(path, data=data, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code != 429  # per client address
    assert client.get("/auth/login").status_code == 200  # only the POSTs are limited


def test_rate_limit_storage_is_configurable_and_checked():
    assert load_settings(ratelimit_storage_url="redis://127.0.0.1:6379/0").ratelimit_storage_url
    with pytest.raises(ConfigError, match="OPENREGIE_RATELIMIT_STORAGE_URL: expected"):
        load_settings(ratelimit_storage_url="ftp://example.invalid")


def test_an_unreachable_rate_limit_store_does_not_stop_logins(make_app):
    # Nothing listens on port 1; the limiter falls back to counting in memory.
    app = make_app(ratelimit_storage_url="redis://127.0.0.1:1/0")
    response = _password(app.test_client(), "niemand", "verkeerd-wachtwoord")
    assert response.status_code == 401 and WRONG_PASSWORD in _text(response)


# -- sessions ---------------------------------------------------------------------------------


def test_each_login_step_starts_a_fresh_session(client, make_user, totp_code):
    user = make_user("professional")
    with client.session_transaction() as cookie:
        cookie["planted"] = "by someone else"
    _password(client, user.username)
    assert "planted" not in _session_keys(client)
    _code(client, totp_code(user))
    keys = _session_keys(client)
    assert "user_id" in keys and "session_version" in keys
    assert not keys & {"planted", "pending_user_id", "pending_at", "enrol_secret"}


def test_a_pending_login_expires(client, make_user, totp_code):
    user = make_user("professional")
    _password(client, user.username)
    with client.session_transaction() as cookie:
        cookie["pending_at"] -= 11 * 60
    response = client.get("/auth/code")
    assert response.headers["Location"] == "/auth/login"
    assert "Uw inlogpoging is verlopen." in _text(client.get("/auth/login"))


def test_session_cookie_is_secure_httponly_and_lax_outside_development(make_app):
    app = make_app(migrate=False, mode="production")
    cookie = app.test_client().get("/auth/login").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_log_out_everywhere_ends_the_sessions_of_other_browsers(app, client, login_as, totp_code):
    user = login_as("professional")
    laptop = app.test_client()
    _password(laptop, user.username)
    _code(laptop, totp_code(user))
    assert laptop.get("/start").status_code == 200

    page = _text(client.get("/auth/account"))
    assert "Overal uitloggen" in page
    response = client.post(
        "/auth/account/logout-everywhere", data={"csrf_token": csrf_token_in(page)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    assert laptop.get("/start").status_code == 302
    assert client.get("/start").status_code == 302
    assert _stored(app, user).session_version == 2

    _password(laptop, user.username)
    _code(laptop, totp_code(user))
    assert laptop.get("/start").status_code == 200  # a new login carries the new version


def test_account_page_shows_the_last_and_previous_login(client, make_user, totp_code):
    user = make_user("professional")
    for _ in range(2):
        _password(client, user.username)
        _code(client, totp_code(user))
    page = _text(client.get("/auth/account"))
    assert "Ingelogd sinds" in page and "Vorige keer ingelogd" in page
    assert len(re.findall(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", page)) == 3  # now, before, enrolled
    assert "Mijn account" in _text(client.get("/start"))


def test_linking_a_new_app_needs_a_current_code_and_replaces_the_secret(
    app, client, login_as, totp_code
):
    user = login_as("professional")
    old_secret = _stored(app, user).totp_secret
    response = client.post(
        "/auth/account/second-factor",
        data={"csrf_token": _token(client, "/auth/account"), "code": "000000"},
    )
    assert response.status_code == 400 and WRONG_CODE in _text(response)
    assert _stored(app, user).failed_logins == 1
    assert client.get("/auth/account/second-factor/new").headers["Location"] == "/auth/account"

    response = client.post(
        "/auth/account/second-factor",
        data={"csrf_token": _token(client, "/auth/account"), "code": totp_code(user)},
    )
    assert response.headers["Location"] == "/auth/account/second-factor/new"
    page = _text(client.get("/auth/account/second-factor/new"))
    new_secret = re.search(r'<code class="or-secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    new_secret = new_secret.replace(" ", "")
    assert new_secret != old_secret and "data:image/svg+xml" in page

    response = _code(client, pyotp.TOTP(new_secret).now(), "/auth/account/second-factor/new")
    assert response.status_code == 303
    assert "Uw nieuwe app is gekoppeld." in _text(client.get("/auth/account"))
    stored = _stored(app, user)
    assert stored.totp_secret == new_secret and stored.failed_logins == 0

    other = app.test_client()
    _password(other, user.username)
    assert _code(other, pyotp.TOTP(old_secret).now()).status_code == 401


# -- CSRF on every form -----------------------------------------------------------------------


def _sample_url(app, rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, UUIDConverter):
            values[name] = uuid.uuid4()
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif isinstance(converter, NumberConverter):
            values[name] = 1
        else:
            values[name] = "x"
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_every_form_post_without_csrf_token_is_refused(app, client, login_as):
    user = login_as("functional_admin")
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/")
    ]
    paths = {_sample_url(app, rule) for rule in posts}
    assert {"/auth/login", "/auth/code", "/auth/enrol", "/auth/logout"} <= paths
    assert {"/auth/account/logout-everywhere", "/admin/api-clients"} <= paths
    for path in sorted(paths):
        response = client.post(path, data={"code": "123456", "name": "x", "username": "x"})
        assert response.status_code == 400, path
    assert client.get("/start").status_code == 200  # nothing logged the user out
    assert _stored(app, user).session_version == 1


# -- demo secrets -----------------------------------------------------------------------------


def test_a_fixed_secret_is_refused_in_production_mode(tmp_path):
    production = load_settings(instance_path=tmp_path, mode="production")
    user = User(username="x", display_name="X", kind="professional", password_hash="-")
    with pytest.raises(FixedSecretRefused, match="only allowed in demo, development and test"):
        assign_known_secret(user, DEMO_TOTP_SECRET, production)
    assert user.totp_secret is None
    assign_known_secret(user, DEMO_TOTP_SECRET, load_settings(instance_path=tmp_path, mode="demo"))
    assert user.totp_secret == DEMO_TOTP_SECRET and user.totp_confirmed_at is not None


def test_demo_accounts_log_in_with_the_printed_secret(app, tmp_path):
    url = app.extensions["openregie"].engine.url.render_as_string(hide_password=False)
    env = {
        **dict.fromkeys(("OPENREGIE_CONFIG_FILE", "OPENREGIE_SECRET_KEY", "OPENREGIE_SAFE_MODE")),
        "OPENREGIE_DATABASE_URL": url,
        "OPENREGIE_INSTANCE_PATH": str(tmp_path / "cli"),
        "OPENREGIE_MODE": "test",
        "OPENREGIE_MODULES": "",
    }
    result = CliRunner().invoke(main, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    assert DEMO_TOTP_SECRET in result.output and "the code right now: " in result.output
    refused = CliRunner().invoke(main, ["demo"], env={**env, "OPENREGIE_MODE": "production"})
    assert refused.exit_code != 0

    client = app.test_client()
    _password(client, "regisseur", "demo-wachtwoord")
    assert _code(client, pyotp.TOTP(DEMO_TOTP_SECRET).now()).status_code == 303
    assert client.get("/start").status_code == 200
    with app.extensions["openregie"].session_factory() as session:
        secrets = set(session.scalars(select(User.totp_secret)))
    assert secrets == {DEMO_TOTP_SECRET}
