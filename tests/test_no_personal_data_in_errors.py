"""Error pages and API errors do not echo personal data (issue 10): requests that carry a
BSN, a name or an e-mail address in their URL, query or body get their 400, 401, 403, 404,
405, 409 or 500 answer without any of it.

One place may hold the user's own input on an HTML page: the value of a form field. The
search form is shown again with what was typed, and the layout's language form carries
the page's own URL back in a hidden `next` field (core/openregie_core/templates/layout.html)
so switching language returns to the same page; both only ever go back to the browser
that sent them. Everything else on the page (the message, the title, links) must not."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event

from openregie_core.auth.tokens import create_client
from openregie_sdk.registry import Municipality, Person

KNOWN_BSN = "111222333"  # the registered person's (passes the 11-proef)
OTHER_BSN = "123456782"  # valid too, nobody's
BAD_BSN = "111222334"  # fails the 11-proef
NAME = "Jansen"
EMAIL = "anna.jansen@example.org"
PERSONAL = (KNOWN_BSN, OTHER_BSN, BAD_BSN, NAME, EMAIL, "Anna")
MANAGE = ("core.person.read", "core.registry.manage")


@dataclass
class World:
    zutphen: Municipality
    anna: Person


@pytest.fixture
def world(db: Any) -> World:
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.flush()
    anna = Person(
        voornamen="Anna",
        geslachtsnaam=NAME,
        search_name=NAME.lower(),
        bsn=KNOWN_BSN,
        birth_date=dt.date(1985, 3, 1),
        email=EMAIL,
        postcode="7201AB",
        house_number=1,
        city="Zutphen",
        municipality_id=zutphen.id,
    )
    db.add(anna)
    db.commit()
    return World(zutphen, anna)


@pytest.fixture
def bearer(app: Any, db: Any) -> Callable[..., dict[str, str]]:
    def issue(scopes: tuple[str, ...] = MANAGE) -> dict[str, str]:
        _, token = create_client(
            db,
            name=f"Koppeling {uuid.uuid4().hex[:6]}",
            scopes=list(scopes),
            known_permissions=app.extensions["openregie"].permissions,
        )
        return {"Authorization": f"Bearer {token}"}

    return issue


def _echoed(text: str) -> list[str]:
    return [value for value in PERSONAL if value in text]


FIELD_VALUE = re.compile(r'\svalue="[^"]*"')


def _assert_no_echo(answer: Any, status: int) -> None:
    body = answer.get_data(as_text=True)
    assert answer.status_code == status, body[:500]
    if answer.mimetype == "text/html":
        body = FIELD_VALUE.sub("", body)  # the user's own input in form fields, see above
    assert _echoed(body) == [], body
    headers = "\n".join(f"{k}: {v}" for k, v in answer.headers.items())
    assert _echoed(headers) == [], headers


def _person_body(**overrides: Any) -> dict[str, Any]:
    return {
        "bsn": OTHER_BSN,
        "voornamen": "Anna",
        "geslachtsnaam": NAME,
        "birth_date": "1985-03-01",
        "email": EMAIL,
        **overrides,
    }


@contextmanager
def _failing(app: Any, statement: str) -> Iterator[None]:
    """Every SQL statement starting with `statement` fails (an unexpected error: 500)."""
    engine = app.extensions["openregie"].engine

    def fail(connection, cursor, sql, parameters, context, executemany) -> None:
        if sql.lstrip().startswith(statement):
            raise RuntimeError("injected fault")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


# -- the web pages --------------------------------------------------------------------------


def test_a_404_page_does_not_echo_a_bsn_or_name_from_the_url(client, login_as, world):
    login_as("professional")
    _assert_no_echo(client.get(f"/personen/{OTHER_BSN}/{NAME}?email={EMAIL}"), 404)
    _assert_no_echo(client.get(f"/personen/{uuid.uuid4()}?bsn={KNOWN_BSN}&naam={NAME}"), 404)
    _assert_no_echo(client.get(f"/niet-bestaand/{KNOWN_BSN}/Anna%20{NAME}"), 404)


def test_a_403_page_does_not_echo_the_search(client, login_as, world):
    login_as("professional", roles=[])  # no permission to read persons
    _assert_no_echo(client.get(f"/personen/?bsn={KNOWN_BSN}&naam={NAME}"), 403)


def test_a_405_page_does_not_echo_the_posted_form(client, login_as, world):
    login_as("professional")
    answer = client.post(f"/personen/{world.anna.id}", data={"bsn": KNOWN_BSN, "naam": NAME})
    _assert_no_echo(answer, 405)


def test_a_csrf_refusal_does_not_echo_the_posted_form(client, world):
    answer = client.post("/auth/login", data={"username": EMAIL, "password": f"{NAME}{KNOWN_BSN}"})
    _assert_no_echo(answer, 400)


def test_a_search_refused_as_400_shows_the_input_only_in_its_own_form_fields(
    client, login_as, world
):
    login_as("professional", roles=[("professional", None)])
    answer = client.get(f"/personen/?bsn={OTHER_BSN}&naam={NAME}&huisnummer=0")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    # The form shows what the user typed, in its fields: that is the page working.
    assert f'value="{OTHER_BSN}"' in body and f'value="{NAME}"' in body
    assert _echoed(FIELD_VALUE.sub("", body)) == []


def test_a_500_page_does_not_echo_the_search(app, client, login_as, world):
    login_as("professional", roles=[("professional", None)])
    with _failing(app, "SELECT"):
        answer = client.get(f"/personen/?bsn={KNOWN_BSN}&naam={NAME}")
    _assert_no_echo(answer, 500)
    assert "Er ging iets mis" in answer.get_data(as_text=True)


# -- the API --------------------------------------------------------------------------------


def test_api_404_and_401_do_not_echo_the_url(client, bearer, world):
    headers = bearer()
    _assert_no_echo(client.get(f"/api/v1/core/persons/{uuid.uuid4()}?bsn={KNOWN_BSN}"), 401)
    answer = client.get(f"/api/v1/core/persons/{uuid.uuid4()}?bsn={KNOWN_BSN}", headers=headers)
    _assert_no_echo(answer, 404)
    answer = client.get(f"/api/v1/core/persons/{OTHER_BSN}?name={NAME}", headers=headers)
    _assert_no_echo(answer, 404)


def test_api_403_does_not_echo_the_body(client, bearer, world):
    headers = bearer(("core.person.read",))
    answer = client.post(
        "/api/v1/core/persons",
        json=_person_body(municipality_id=str(world.zutphen.id)),
        headers=headers,
    )
    _assert_no_echo(answer, 403)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": "01-03-1985"}, "birth_date"),
        ({"bsn": BAD_BSN}, "bsn"),
        ({"email": f"Anna {NAME} <{EMAIL}"}, "email"),
        ({"hobby": f"{NAME} {KNOWN_BSN}"}, "hobby"),
    ],
    ids=["bad-date", "bsn-fails-11-proef", "bad-email", "unknown-field"],
)
def test_api_400_names_the_field_without_echoing_the_body(client, bearer, world, overrides, field):
    answer = client.post("/api/v1/core/persons", json=_person_body(**overrides), headers=bearer())
    _assert_no_echo(answer, 400)
    assert field in [problem["field"] for problem in answer.get_json()["error"]["fields"]]


def test_api_400_on_a_search_does_not_echo_the_query(client, bearer, world):
    answer = client.get(
        f"/api/v1/core/persons?bsn={KNOWN_BSN}&name={NAME}&page=0", headers=bearer()
    )
    _assert_no_echo(answer, 400)


def test_api_registering_a_known_bsn_is_refused_without_echoing_it(client, bearer, world):
    answer = client.post("/api/v1/core/persons", json=_person_body(bsn=KNOWN_BSN), headers=bearer())
    assert answer.status_code in (400, 409)
    _assert_no_echo(answer, answer.status_code)


def test_api_409_on_a_stale_change_does_not_echo_the_body(client, bearer, world):
    answer = client.patch(
        f"/api/v1/core/persons/{world.anna.id}",
        json={"version": world.anna.version + 7, "geslachtsnaam": f"{NAME}-Bakker", "email": EMAIL},
        headers=bearer(),
    )
    _assert_no_echo(answer, 409)


def test_api_500_does_not_echo_the_body(app, client, bearer, world):
    headers = bearer()
    with _failing(app, "INSERT INTO core_person"):
        answer = client.post("/api/v1/core/persons", json=_person_body(), headers=headers)
    _assert_no_echo(answer, 500)
    assert answer.get_json()["error"]["status"] == 500
