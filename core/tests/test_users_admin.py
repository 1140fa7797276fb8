"""The functional admin manages accounts, scoped role assignments and role permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from openregie_core.models import Role, RoleAssignment, User
from openregie_sdk.registry import Municipality
from openregie_sdk.testing.plugin import csrf_token_in


@pytest.fixture
def admin(client, login_as):
    return login_as("functional_admin")


def _create(client, **fields):
    token = csrf_token_in(client.get("/admin/gebruikers/").get_data(as_text=True))
    data = {
        "username": "wim",
        "display_name": "Wim Wijk",
        "kind": "professional",
        "password": "een-lang-wachtwoord",
        "email": "",
        **fields,
        "csrf_token": token,
    }
    return client.post("/admin/gebruikers/", data=data)


def _roles_of(db, user):
    return db.scalars(
        select(Role.name).join(RoleAssignment).where(RoleAssignment.user_id == user.id)
    ).all()


def test_admin_creates_an_office_account_with_its_kind_role_installation_wide(admin, client, db):
    response = _create(client, kind="policy_officer")
    assert response.status_code == 303
    user = db.scalar(select(User).where(User.username == "wim"))
    assert user.display_name == "Wim Wijk"
    assert _roles_of(db, user) == ["policy_officer"]


@pytest.mark.parametrize("kind", ["professional", "team_lead"])
def test_team_staff_get_no_installation_wide_role_and_see_nothing_before_joining_a_team(
    admin, app, client, db, kind
):
    """Need-to-know: the professional role held installation-wide would let a new
    professional read every person and case of the installation."""
    assert _create(client, kind=kind).status_code == 303
    user = db.scalar(select(User).where(User.username == "wim"))
    assert _roles_of(db, user) == []
    with app.app_context():
        actor = app.extensions["openregie"].actor_for_user(user)
    assert not actor.holds("core.person.read")
    assert not actor.scope_of("core.person.read").everywhere


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "kort"}, "minstens 12 tekens"),
        ({"username": "met spatie"}, "letters, cijfers"),
        ({"email": "geen-adres"}, "Ongeldig e-mailadres."),
    ],
)
def test_bad_account_input_is_refused_next_to_the_field_and_writes_nothing(
    admin, client, db, fields, message
):
    response = _create(client, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(User).where(User.username.in_(["wim", "met spatie"]))) is None


def test_role_for_one_municipality_is_assigned_and_revoked(admin, client, db):
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    db.add(zutphen)
    db.commit()
    _create(client)
    user = db.scalar(select(User).where(User.username == "wim"))
    page = client.get(f"/admin/gebruikers/{user.id}").get_data(as_text=True)
    role_id = db.scalar(select(Role.id).where(Role.name == "functional_admin"))
    client.post(
        f"/admin/gebruikers/{user.id}",
        data={
            "csrf_token": csrf_token_in(page),
            "role": str(role_id),
            "municipality": str(zutphen.id),
        },
    )
    db.expire_all()
    assignment = db.scalar(
        select(RoleAssignment).where(
            RoleAssignment.user_id == user.id, RoleAssignment.role_id == role_id
        )
    )
    assert assignment.municipality_id == zutphen.id
    assert "Zutphen" in client.get(f"/admin/gebruikers/{user.id}").get_data(as_text=True)

    response = client.post(
        f"/admin/gebruikers/{user.id}/rollen/{assignment.id}/intrekken",
        data={"csrf_token": csrf_token_in(page)},
    )
    assert response.status_code == 303
    assert db.scalar(select(RoleAssignment.id).where(RoleAssignment.id == assignment.id)) is None


def test_removing_a_permission_from_a_role_takes_effect_on_the_next_request(app, db):
    professional_client, admin_client = app.test_client(), app.test_client()
    from openregie_sdk.testing.plugin import csrf_token_in, log_in

    log_in(app, professional_client, "professional")
    log_in(app, admin_client, "functional_admin")
    assert professional_client.get("/start").status_code == 200

    role = db.scalar(select(Role).where(Role.name == "professional"))
    page = admin_client.get(f"/admin/gebruikers/rollen/{role.id}").get_data(as_text=True)
    kept = [p.permission for p in role.permissions if p.permission != "core.dashboard.view"]
    response = admin_client.post(
        f"/admin/gebruikers/rollen/{role.id}",
        data={"csrf_token": csrf_token_in(page), "permission": kept},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert professional_client.get("/start").status_code == 403


def test_unknown_permission_is_refused(admin, client, db):
    role = db.scalar(select(Role).where(Role.name == "professional"))
    page = client.get(f"/admin/gebruikers/rollen/{role.id}").get_data(as_text=True)
    response = client.post(
        f"/admin/gebruikers/rollen/{role.id}",
        data={"csrf_token": csrf_token_in(page), "permission": ["core.bestaat.niet"]},
    )
    assert response.status_code == 400
    assert "core.bestaat.niet" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["professional", "team_lead", "policy_officer"])
def test_only_functional_admins_manage_users(client, login_as, kind):
    login_as(kind)
    assert client.get("/admin/gebruikers/").status_code == 403
    assert client.get("/admin/gebruikers/rollen").status_code == 403


def test_admin_unlocks_an_account_and_resets_its_second_factor(admin, client, db, make_user):
    locked = db.get(User, make_user("professional").id)
    locked.failed_logins, locked.locked_until = 5, dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    db.commit()
    page = client.get(f"/admin/gebruikers/{locked.id}").get_data(as_text=True)
    assert "ja, na herhaalde mislukte pogingen" in page
    client.post(
        f"/admin/gebruikers/{locked.id}/ontgrendelen", data={"csrf_token": csrf_token_in(page)}
    )
    db.expire_all()
    unlocked = db.get(User, locked.id)
    assert (unlocked.failed_logins, unlocked.locked_until) == (0, None)

    version = unlocked.session_version
    client.post(
        f"/admin/gebruikers/{locked.id}/tweede-factor-resetten",
        data={"csrf_token": csrf_token_in(page)},
    )
    db.expire_all()
    reset = db.get(User, locked.id)
    assert reset.totp_secret is None and reset.totp_confirmed_at is None
    assert reset.session_version == version + 1
