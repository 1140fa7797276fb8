"""Idle timeouts of staff and resident sessions, beyond what the parts test on their own
(issue 10). Already covered, not repeated here:
- staff, the default 30 minutes expire: core/tests/test_login.py test_idle_session_expires
- residents, 15 minutes expire and 14 do not: plugins/portal/tests/test_login.py
    test_the_resident_session_ends_after_15_idle_minutes
    test_a_request_within_the_idle_time_keeps_the_session
Here: activity renews a staff session (the timeout counts from the last request, not the
login), and both timeouts follow the installation's settings (`OPENREGIE_SESSION_IDLE_MINUTES`,
`[modules.portal] idle_minutes`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from openregie_sdk.registry import Municipality, Person
from openregie_sdk.testing.plugin import log_in

RESIDENT_BSN = "123456782"
CALLBACK = "http://localhost/mijn/inloggen/mock_digid/terug"


def _now() -> float:
    return dt.datetime.now(dt.UTC).timestamp()


def _idle_for(client: Any, minutes: float) -> None:
    """Make the session's last request `minutes` ago."""
    with client.session_transaction() as cookie:
        cookie["seen"] = _now() - minutes * 60


def _same_database(app: Any) -> str:
    return app.extensions["openregie"].engine.url.render_as_string(hide_password=False)


def test_a_staff_request_within_the_idle_time_renews_the_session(app, client, login_as):
    login_as("professional")
    idle = app.extensions["openregie"].settings.session_idle_minutes
    assert idle == 30

    _idle_for(client, idle - 1)
    assert client.get("/start").status_code == 200
    with client.session_transaction() as cookie:
        assert _now() - cookie["seen"] < 60  # the clock restarted at this request
    # Another idle stretch just short of the limit, counted from that request: still in.
    _idle_for(client, idle - 1)
    assert client.get("/start").status_code == 200

    _idle_for(client, idle + 1)
    answer = client.get("/start")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]
    with client.session_transaction() as cookie:
        assert "user_id" not in cookie


def test_the_staff_idle_time_follows_the_setting(app, make_app):
    short = make_app(database_url=_same_database(app), session_idle_minutes=5)
    client = short.test_client()
    log_in(short, client, "professional")

    _idle_for(client, 4)
    assert client.get("/start").status_code == 200
    _idle_for(client, 6)
    answer = client.get("/start")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def _resident_login(client: Any, bsn: str) -> None:
    """Log in through the portal's mock DigiD page (test mode) as the person with `bsn`."""
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    started = client.post("/mijn/inloggen/mock_digid", data={"csrf_token": _csrf(page)})
    assert started.status_code == 303
    form = client.get(started.headers["Location"]).get_data(as_text=True)
    sent = client.post(
        "/mijn/testinlog", data={"csrf_token": _csrf(form), "bsn": bsn, "callback": CALLBACK}
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    assert client.get(sent.headers["Location"]).status_code == 303


def _resident(db: Any) -> Person:
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.flush()
    person = Person(
        voornamen="Anna",
        geslachtsnaam="Jansen",
        search_name="jansen",
        bsn=RESIDENT_BSN,
        birth_date=dt.date(1985, 3, 1),
        postcode="7201AB",
        house_number=1,
        city="Zutphen",
        municipality_id=zutphen.id,
    )
    db.add(person)
    db.commit()
    return person


def test_the_resident_idle_time_follows_the_portal_setting(
    app: Any, db: Any, make_app: Callable[..., Any]
) -> None:
    _resident(db)
    short = make_app(
        database_url=_same_database(app), module_config={"portal": {"idle_minutes": 5}}
    )
    client = short.test_client()
    _resident_login(client, RESIDENT_BSN)
    with client.session_transaction() as cookie:
        assert cookie["resident_idle"] == 5

    _idle_for(client, 4)
    assert client.get("/mijn/").status_code == 200
    _idle_for(client, 6)
    answer = client.get("/mijn/")
    assert answer.status_code == 302 and "/mijn/inloggen" in answer.headers["Location"]
    with client.session_transaction() as cookie:
        assert "resident_id" not in cookie
