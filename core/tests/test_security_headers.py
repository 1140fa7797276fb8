"""Every answer carries the security headers; pages, API answers and downloads are never
stored by a browser or proxy; a failed statement's values (BSNs, names) never reach an
error message or the log."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError


@pytest.mark.parametrize("path", ["/", "/auth/login", "/api/v1/openapi.json", "/bestaat-niet"])
def test_answers_carry_the_security_headers_and_are_not_stored(client, path):
    headers = client.get(path).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # plain http: only behind https


def test_hsts_is_sent_over_https(client):
    headers = client.get("/", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_static_files_keep_their_own_caching(app, client):
    static = next(
        rule.rule.replace("<path:filename>", "")
        for rule in app.url_map.iter_rules()
        if rule.endpoint == "static"
    )
    answer = client.get(static + "openregie.css")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] != "no-store"


def test_a_failed_statement_does_not_show_its_values(app):
    engine = app.extensions["openregie"].engine
    with engine.connect() as connection, pytest.raises(DBAPIError) as failed:
        connection.execute(
            text("SELECT * FROM no_such_table WHERE bsn = :bsn"), {"bsn": "111222333"}
        )
    assert "111222333" not in str(failed.value)
