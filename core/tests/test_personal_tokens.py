"""Personal API tokens act as their user — same need-to-know as on the pages — narrowed to
the scopes chosen, and only for users granted `core.api.personal_tokens`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from openregie_core.models import Role, RolePermission, User
from openregie_sdk.testing.plugin import csrf_token_in

pytestmark = pytest.mark.openregie_modules("casemanagement")
PAGE = "/auth/account/tokens"


@pytest.fixture
def may_make_tokens(db):
    """Grant the (unseeded) personal-token permission to the professional role."""
    role = db.scalar(select(Role).where(Role.name == "professional"))
    role.permissions.append(RolePermission(permission="core.api.personal_tokens"))
    db.commit()


def _make_token(client, scopes, name="Mijn script", days=30):
    html = client.get(PAGE).get_data(as_text=True)
    expires = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    response = client.post(
        PAGE,
        data={
            "csrf_token": csrf_token_in(html),
            "name": name,
            "scopes": scopes,
            "expires_on": expires,
        },
    )
    found = re.search(r"or_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", response.get_data(as_text=True))
    return response, found.group(0) if found else None


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_without_the_permission_there_is_no_token_page(client, login_as):
    login_as("professional")
    assert client.get(PAGE).status_code == 403


def test_a_personal_token_sees_exactly_what_its_user_sees(
    app, client, db, world, professional_in, may_make_tokens
):
    user = professional_in(client, world.team_a)
    # the membership's team role carries the permission, so grant it on that path too
    response, token = _make_token(client, ["core.person.read"])
    assert response.status_code == 201 and token
    assert response.headers["Cache-Control"] == "no-store"

    api = app.test_client()
    found = api.get("/api/v1/core/persons?name=Aa", headers=_bearer(token)).get_json()
    assert sorted(p["geslachtsnaam"] for p in found["items"]) == ["Aalberts", "Aalders"]
    assert api.get("/api/v1/core/persons?name=Ba", headers=_bearer(token)).get_json()["items"] == []
    assert (
        api.get(f"/api/v1/core/persons/{world.family_b[0].id}", headers=_bearer(token)).status_code
        == 404
    )
    assert (
        api.get(f"/api/v1/core/persons/{world.family_a[0].id}", headers=_bearer(token)).status_code
        == 200
    )
    # no cookie session is needed or used
    assert (
        api.get("/api/v1/core/me", headers=_bearer(token))
        .get_json()["name"]
        .startswith(user.display_name)
    )


def test_scopes_narrow_the_user_and_must_be_the_users_own(
    app, client, db, world, professional_in, may_make_tokens
):
    professional_in(client, world.team_a)
    refused, token = _make_token(client, ["core.registry.manage"])
    assert refused.status_code == 400 and token is None

    _, token = _make_token(client, ["core.teams.read"])
    api = app.test_client()
    assert api.get("/api/v1/core/persons?name=Aa", headers=_bearer(token)).status_code == 403


def test_revoked_token_and_deactivated_user_are_refused(
    app, client, db, world, professional_in, may_make_tokens
):
    user = professional_in(client, world.team_a)
    _, token = _make_token(client, ["core.person.read"])
    api = app.test_client()
    url = f"/api/v1/core/persons/{world.family_a[0].id}"
    assert api.get(url, headers=_bearer(token)).status_code == 200

    db.get(User, user.id).active = False
    db.commit()
    assert api.get(url, headers=_bearer(token)).status_code == 401

    db.get(User, user.id).active = True
    db.commit()
    html = client.get(PAGE).get_data(as_text=True)
    token_id = re.search(r"/auth/account/tokens/([0-9a-f-]{36})/revoke", html).group(1)
    assert (
        client.post(
            f"{PAGE}/{token_id}/revoke", data={"csrf_token": csrf_token_in(html)}
        ).status_code
        == 303
    )
    assert api.get(url, headers=_bearer(token)).status_code == 401


def test_expiry_must_be_within_a_year(client, world, professional_in, may_make_tokens):
    professional_in(client, world.team_a)
    response, token = _make_token(client, ["core.person.read"], days=400)
    assert response.status_code == 400 and token is None
    assert "binnen een jaar" in response.get_data(as_text=True)
