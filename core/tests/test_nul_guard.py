"""A NUL character anywhere in a request (query, form, JSON) is a 400 naming the field before
any view runs — PostgreSQL cannot store it, so without the guard it was a 500 there and
stored on SQLite. Found by tests/test_bad_input_catalogue.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from openregie_core.auth.tokens import create_client
from openregie_core.web.nul_guard import field_with_nul
from openregie_sdk.registry import Municipality, Person

MESSAGE = "bevat een teken dat hier niet is toegestaan (zoals een stuurteken)"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"a": "x", "b": "y\x00"}, "b"),
        ({"items": [{"text": "ok"}, {"text": "\x00"}]}, "items.1.text"),
        ({"ke\x00y": 1}, "ke\x00y"),
        ("\x00", "input"),
        ({"a": ["x", 1, None, {"b": "fine"}]}, None),
    ],
)
def test_the_field_holding_a_nul_is_named_by_its_path(value, field):
    assert field_with_nul(value) == field


@pytest.fixture
def headers(app, db):
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.commit()
    _, token = create_client(
        db,
        name="Koppeling",
        scopes=("core.person.read", "core.registry.manage"),
        known_permissions=app.extensions["openregie"].permissions,
        municipality_id=zutphen.id,
    )
    return {"Authorization": f"Bearer {token}"}, zutphen


def test_a_nul_in_a_json_body_is_a_400_naming_the_field_and_writes_nothing(app, db, headers):
    auth, zutphen = headers
    body = {"voornamen": "Jan", "geslachtsnaam": "Nul\x00", "municipality_id": str(zutphen.id)}
    answer = app.test_client().post("/api/v1/core/persons", json=body, headers=auth)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["fields"] == [{"field": "geslachtsnaam", "message": MESSAGE}]
    assert db.scalar(select(func.count()).select_from(Person)) == 0


def test_a_nul_in_a_query_is_a_400_naming_the_parameter(app, headers):
    auth, _ = headers
    answer = app.test_client().get("/api/v1/core/persons?name=Ja%00n", headers=auth)
    assert answer.status_code == 400
    assert [f["field"] for f in answer.get_json()["error"]["fields"]] == ["name"]


def test_without_a_token_a_nul_still_gets_the_401(app):
    answer = app.test_client().get("/api/v1/core/persons?name=%00")
    assert answer.status_code == 401


def test_a_nul_in_a_form_field_is_a_400_page_naming_the_field(app, client, login_as):
    login_as("professional")
    answer = client.get("/personen/?q=Ja%00n")
    assert answer.status_code == 400
    assert "q:" in answer.get_data(as_text=True)


def test_a_multipart_part_without_a_name_is_no_server_error(app, headers):
    # Found by tests/test_api_fuzz.py on PostgreSQL: such a part has the key None.
    auth, _ = headers
    for content in (b"x", b"x\x00"):
        body = b"--B\r\nContent-Disposition: form-data\r\n\r\n" + content + b"\r\n--B--\r\n"
        answer = app.test_client().post(
            "/api/v1/core/persons",
            data=body,
            content_type="multipart/form-data; boundary=B",
            headers=auth,
        )
        assert answer.status_code == 400
    assert answer.get_json()["error"]["fields"][0]["field"] == "input"
