"""API clients: the functional admin creates, lists and revokes them; a token is shown once
and stored only as a hash; a bearer token makes an API-client actor limited to its scopes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import inspect, select

from openregie_core.models import ApiClient
from openregie_sdk.db import Base
from openregie_sdk.registry import Municipality
from openregie_sdk.testing.plugin import csrf_token_in, log_in

TOKEN = re.compile(r"or_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")

MODULE_API = """\
from flask import Blueprint, request

from openregie_sdk import current_actor, requires

blueprint = Blueprint("{pkg}", __name__)


@blueprint.get("/things")
@requires("{module_id}.thing.read")
def things():
    return {"things": [], "by": current_actor().display_name}


@blueprint.post("/things")
@requires("{module_id}.thing.write")
def add_thing():
    return {"added": request.get_json()["name"]}, 201


@blueprint.get("/secrets")
@requires("{module_id}.secret.read")
def secrets():
    return {"secrets": ["everything"]}
"""


def _create(client, **fields):
    page = client.get("/admin/api-clients").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "name": "Koppeling Suite", **fields}
    return client.post("/admin/api-clients", data=data)


def _issue(client, scopes=("core.person.read",), **fields) -> str:
    response = _create(client, scopes=list(scopes), **fields)
    assert response.status_code == 201, response.get_data(as_text=True)
    return TOKEN.search(response.get_data(as_text=True)).group(0)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _clients(app) -> list[ApiClient]:
    with app.extensions["openregie"].session_factory() as session:
        return list(session.scalars(select(ApiClient)))


def test_functional_admin_creates_a_client_whose_token_is_shown_once(app, client, login_as):
    login_as("functional_admin")
    page = client.get("/admin/api-clients").get_data(as_text=True)
    assert "API-koppelingen" in page and 'value="core.person.read"' in page
    response = _create(client, scopes=["core.person.read", "core.dashboard.view"])
    html = response.get_data(as_text=True)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    assert "maar één keer" in html
    token = TOKEN.fullmatch(TOKEN.search(html).group(0)).group(0)

    listing = client.get("/admin/api-clients").get_data(as_text=True)
    assert token not in listing and token.split("_", 2)[2] not in listing
    assert f"or_{token.split('_')[1]}_" in listing and "Actief" in listing
    assert "nog nooit" in listing

    [stored] = _clients(app)
    assert stored.token_prefix == token.split("_")[1]
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.scopes == ["core.dashboard.view", "core.person.read"]


def test_the_token_is_nowhere_in_the_database(app, client, login_as):
    login_as("functional_admin")
    token = _issue(client)
    secret = token.split("_", 2)[2]
    with app.extensions["openregie"].engine.connect() as connection:
        # Every table of this database: the metadata also holds the tables of modules that
        # other tests in this process loaded but this app did not.
        existing = set(inspect(connection).get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            for row in connection.execute(table.select()):
                text = repr(tuple(row))
                assert secret not in text, table.name


def test_a_valid_token_is_an_api_client_actor_with_exactly_its_scopes(app, client, login_as):
    login_as("functional_admin")
    token = _issue(client, scopes=["core.person.read"])
    api = app.test_client()
    response = api.get("/api/v1/core/me", headers=_bearer(token))
    assert response.status_code == 200
    assert response.get_json() == {
        "kind": "api_client",
        "name": "Koppeling Suite",
        "scopes": ["core.person.read"],
        "municipality_id": None,
    }
    assert "Set-Cookie" not in response.headers
    [stored] = _clients(app)
    assert stored.last_used_at is not None
    listing = client.get("/admin/api-clients").get_data(as_text=True)
    assert "nog nooit" not in listing


def test_a_client_bound_to_a_municipality_acts_only_there(app, client, login_as, db):
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.commit()
    login_as("functional_admin")
    assert "Zutphen (GM0301)" in client.get("/admin/api-clients").get_data(as_text=True)
    token = _issue(client, municipality=str(zutphen.id))
    body = app.test_client().get("/api/v1/core/me", headers=_bearer(token)).get_json()
    assert body["municipality_id"] == str(zutphen.id)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer rommel",
        "Basic b3I6aGVsbG8=",
        "Bearer or_00000000_" + "A" * 43,
        "wrong secret",
    ],
)
def test_a_missing_or_invalid_token_gets_a_401_json_error(app, client, login_as, header):
    login_as("functional_admin")
    token = _issue(client)
    if header == "wrong secret":
        header = f"Bearer {token[:-4]}AAAA" if not token.endswith("AAAA") else f"Bearer {token}B"
    response = app.test_client().get(
        "/api/v1/core/me", headers={"Authorization": header} if header else {}
    )
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_api_ignores_the_session_cookie(client, login_as):
    login_as("functional_admin")
    assert client.get("/start").status_code == 200
    assert client.get("/api/v1/core/me").status_code == 401


def test_a_revoked_token_stops_working(app, client, login_as):
    login_as("functional_admin")
    token = _issue(client)
    api = app.test_client()
    assert api.get("/api/v1/core/me", headers=_bearer(token)).status_code == 200
    [stored] = _clients(app)
    page = client.get("/admin/api-clients").get_data(as_text=True)
    assert client.post(f"/admin/api-clients/{stored.id}/revoke").status_code == 400
    response = client.post(
        f"/admin/api-clients/{stored.id}/revoke", data={"csrf_token": csrf_token_in(page)}
    )
    assert response.status_code == 303
    assert api.get("/api/v1/core/me", headers=_bearer(token)).status_code == 401
    listing = client.get("/admin/api-clients").get_data(as_text=True)
    assert "Ingetrokken" in listing and "is ingetrokken" in listing


def test_an_expired_token_stops_working(app, client, login_as):
    login_as("functional_admin")
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    token = _issue(client, expires_on=tomorrow)
    api = app.test_client()
    assert api.get("/api/v1/core/me", headers=_bearer(token)).status_code == 200
    with app.extensions["openregie"].session_factory() as session:
        stored = session.scalar(select(ApiClient))
        stored.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
    assert api.get("/api/v1/core/me", headers=_bearer(token)).status_code == 401
    assert "Verlopen" in client.get("/admin/api-clients").get_data(as_text=True)


def test_bad_input_is_refused_naming_the_fields(app, client, login_as):
    login_as("functional_admin")
    response = _create(client, name="", scopes=[])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Geef de koppeling een naam." in html and "Kies minstens één recht." in html
    assert 'aria-describedby="name-error"' in html
    response = _create(client, scopes=["core.person.read"], expires_on="2001-01-01")
    assert response.status_code == 400
    assert "Kies een datum na vandaag." in response.get_data(as_text=True)
    response = _create(client, scopes=["core.nonexistent.power"])
    assert response.status_code == 400
    assert _clients(app) == []


@pytest.mark.parametrize("kind", ["professional", "team_lead", "policy_officer"])
def test_only_functional_admins_manage_api_clients(client, login_as, kind):
    login_as(kind)
    assert "API-koppelingen" not in client.get("/start").get_data(as_text=True)
    assert client.get("/admin/api-clients").status_code == 403
    page = client.get("/start").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "name": "x", "scopes": ["core.person.read"]}
    assert client.post("/admin/api-clients", data=data).status_code == 403


def test_scopes_limit_what_a_client_may_do_in_a_module_api(add_module, new_id, make_app):
    module_id = new_id("things")
    permissions = [
        f"Permission(name={f'{module_id}.{p}'!r}, title={p!r})"
        for p in ("thing.read", "thing.write", "secret.read")
    ]
    add_module(
        module_id,
        raw={
            "blueprints": (
                f"(BlueprintRef(target='{{pkg}}.views:blueprint', "
                f"url_prefix='/api/v1/{module_id}'),)"
            ),
            "permissions": f"({', '.join(permissions)},)",
        },
        files={"views.py": MODULE_API.replace("{module_id}", module_id)},
    )
    app = make_app([module_id])
    admin = app.test_client()
    log_in(app, admin, "functional_admin")
    token = _issue(admin, scopes=[f"{module_id}.thing.read", f"{module_id}.thing.write"])
    api = app.test_client()

    things = api.get(f"/api/v1/{module_id}/things", headers=_bearer(token))
    assert things.status_code == 200 and things.get_json()["by"] == "Koppeling Suite"
    denied = api.get(f"/api/v1/{module_id}/secrets", headers=_bearer(token))
    assert denied.status_code == 403 and denied.get_json()["error"]["status"] == 403
    assert api.get(f"/api/v1/{module_id}/things").status_code == 401
    # No CSRF token: the API is authenticated by the token alone, never by a cookie.
    added = api.post(f"/api/v1/{module_id}/things", json={"name": "fiets"}, headers=_bearer(token))
    assert added.status_code == 201 and added.get_json() == {"added": "fiets"}
