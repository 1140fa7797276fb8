"""The portal's settings are checked at start-up, and the SDK's resident functions refuse
what they cannot honour."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from openregie_portal.settings import PortalSettings
from openregie_sdk import residents


@pytest.mark.parametrize(
    "values",
    [
        {"oidc_metadata_url": "http://broker.example/.well-known/openid-configuration"},
        {"login_limit": "heel vaak"},
        {"upload_limit": "10 per eon"},
        {"idle_minutes": 0},
    ],
)
def test_bad_settings_are_refused_at_start_up(values):
    with pytest.raises(ValidationError):
        PortalSettings(**values)


def test_the_defaults_are_a_15_minute_idle_time_and_no_digid_until_configured():
    settings = PortalSettings()
    assert settings.idle_minutes == 15
    assert not settings.oidc_configured
    assert "**********" in repr(PortalSettings(oidc_client_secret="geheim"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"idle_minutes": 0}, "idle_minutes"), ({"home": "https://elders.example/"}, "home")],
)
def test_sign_in_refuses_a_bad_idle_time_or_an_outside_home(app, kwargs, message):
    with app.test_request_context("/mijn/"), pytest.raises(ValueError, match=message):
        residents.sign_in(uuid.uuid4(), "mock_digid", **kwargs)


def test_act_for_without_a_signed_in_resident_is_refused(app):
    with app.test_request_context("/mijn/"):
        with pytest.raises(residents.NotRepresented):
            residents.act_for(uuid.uuid4())
        assert residents.representations() == []
        assert residents.sign_in_method() is None


def test_sign_in_makes_the_resident_the_actor_at_once_and_sign_out_ends_it(app, world):
    from openregie_sdk import ActorKind, current_actor

    with app.test_request_context("/mijn/"):
        residents.sign_in(world.parent.id, "mock_digid")
        actor = current_actor()
        assert actor.kind is ActorKind.RESIDENT and actor.id == world.parent.id
        assert actor.on_behalf_of == world.parent.id
        assert actor.permissions == frozenset({"portal.use"})
        assert residents.sign_in_method() == "mock_digid"
        assert residents.act_for(world.child.id).kind == "parental_authority"
        assert current_actor().on_behalf_of == world.child.id
        residents.sign_out()
        assert not current_actor().is_authenticated
        assert residents.sign_in_method() is None


def test_signing_in_an_unknown_person_changes_nothing(app, world):
    from flask import session

    with app.test_request_context("/mijn/"):
        session["lang"] = "en"
        session["user_id"] = "staff"
        with pytest.raises(ValueError, match="no person"):
            residents.sign_in(uuid.uuid4(), "mock_digid")
        assert session["user_id"] == "staff"
