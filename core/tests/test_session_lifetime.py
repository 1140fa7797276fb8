"""A session ends `session_max_hours` after its login however active it is (staff and
residents); behind `trusted_proxies` reverse proxies the forwarded scheme and client
address count, and without the setting forwarded headers are ignored."""

from __future__ import annotations

import datetime as dt

import pytest

from openregie_sdk.testing.plugin import create_test_user


def _staff_cookie(client, user, started_hours_ago: float) -> None:
    now = dt.datetime.now(dt.UTC)
    with client.session_transaction() as cookie:
        cookie["user_id"] = str(user.id)
        cookie["session_version"] = user.session_version
        cookie["seen"] = now.timestamp()  # active a moment ago
        cookie["started"] = (now - dt.timedelta(hours=started_hours_ago)).timestamp()


@pytest.mark.parametrize(("hours", "stays"), [(11.5, True), (12.5, False)])
def test_an_active_staff_session_ends_twelve_hours_after_login(app, client, hours, stays):
    user = create_test_user(app, "professional")
    _staff_cookie(client, user, hours)
    answer = client.get("/start")
    assert (answer.status_code == 200) is stays
    if not stays:
        assert answer.headers["Location"].startswith("/auth/login")
        with client.session_transaction() as cookie:
            assert "user_id" not in cookie


def test_the_lifetime_is_a_setting(make_app):
    app = make_app(session_max_hours=2)
    client = app.test_client()
    user = create_test_user(app, "professional")
    _staff_cookie(client, user, 3)
    assert client.get("/start").status_code == 302


def test_a_session_from_before_the_rule_counts_from_now(app, client):
    user = create_test_user(app, "professional")
    with client.session_transaction() as cookie:
        cookie["user_id"] = str(user.id)
        cookie["session_version"] = user.session_version
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()
    assert client.get("/start").status_code == 200
    with client.session_transaction() as cookie:
        assert cookie["started"] <= dt.datetime.now(dt.UTC).timestamp()


def test_forwarded_headers_are_ignored_without_trusted_proxies(client):
    answer = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in answer.headers


def test_behind_a_trusted_proxy_https_and_the_client_address_are_recognised(make_app):
    app = make_app(trusted_proxies=1)
    seen = {}

    @app.get("/_wie")
    def who():  # a route of this test only: what the app sees of the client
        from flask import request

        seen["remote"], seen["secure"] = request.remote_addr, request.is_secure
        return ""

    who.openregie_permission = "public"
    answer = app.test_client().get(
        "/_wie", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert seen == {"remote": "203.0.113.9", "secure": True}
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
