"""Personal data: phone, e-mail and preferred channel changed directly (through the SDK's
narrow registry write), bad input refused naming the field, a stale form gets 409; other
data proposed as a correction, reviewed by a professional who may see the person."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

from sqlalchemy import select

from openregie_portal.models import PortalAccount, PortalCorrection
from openregie_sdk.registry import Municipality, Person

_spec = importlib.util.spec_from_file_location(
    "openregie_portal_test_login_p", Path(__file__).with_name("test_login.py")
)
_login = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_login)
csrf, mock_login = _login.csrf, _login.mock_login


def _post(client, url, **data):
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf(page), **data})


def test_a_resident_changes_phone_email_and_preferred_channel(app, client, db, world):
    mock_login(client, world.parent.bsn)
    answer = _post(
        client,
        "/mijn/gegevens/contact",
        version=world.parent.version,
        phone="06 98765432",
        email="anna.nieuw@example.org",
        preferred_channel="email",
    )
    assert answer.status_code == 303
    db.expire_all()
    person = db.get(Person, world.parent.id)
    assert (person.phone, person.email) == ("0698765432", "anna.nieuw@example.org")
    account = db.scalar(select(PortalAccount).where(PortalAccount.person_id == person.id))
    assert account.preferred_channel == "email"


def test_a_bad_phone_number_is_refused_naming_the_field_and_nothing_changes(app, client, db, world):
    mock_login(client, world.parent.bsn)
    answer = _post(
        client,
        "/mijn/gegevens/contact",
        version=world.parent.version,
        phone="12",
        email="anna.nieuw@example.org",
        preferred_channel="",
    )
    assert answer.status_code == 400
    assert 'id="phone-error"' in answer.get_data(as_text=True)
    db.expire_all()
    assert db.get(Person, world.parent.id).email == "anna@example.org"


def test_a_stale_contact_form_gets_409(app, client, db, world):
    mock_login(client, world.parent.bsn)
    answer = _post(
        client,
        "/mijn/gegevens/contact",
        version=world.parent.version + 100,
        phone="",
        preferred_channel="",
    )
    assert answer.status_code == 409
    assert "intussen gewijzigd" in answer.get_data(as_text=True)


def test_a_correction_is_proposed_and_a_professional_who_may_see_the_person_handles_it(
    app, client, db, world, login_as
):
    mock_login(client, world.parent.bsn)
    answer = _post(
        client, "/mijn/gegevens/correctie", field="address", proposal="Ik woon op nummer 12."
    )
    assert answer.status_code == 303
    correction = db.scalar(select(PortalCorrection))
    assert correction.person_id == world.parent.id and correction.state == "open"
    login_as("functional_admin")  # sees every person installation-wide
    page = client.get("/mijn/correcties").get_data(as_text=True)
    assert "Ik woon op nummer 12." in page
    handled = client.post(
        f"/mijn/correcties/{correction.id}",
        data={"csrf_token": csrf(page), "state": "processed", "note": "Aangepast."},
    )
    assert handled.status_code == 303
    db.expire_all()
    assert db.get(PortalCorrection, correction.id).state == "processed"


def test_a_professional_without_relation_does_not_see_the_proposal(
    app, client, db, world, login_as
):
    mock_login(client, world.parent.bsn)
    _post(client, "/mijn/gegevens/correctie", field="name", proposal="Anna Maria Jansen")
    correction = db.scalar(select(PortalCorrection))
    elsewhere = Municipality(id=uuid.uuid4(), cbs_code="GM9999", name="Elders")
    db.add(elsewhere)
    db.commit()
    login_as("professional", roles=[("professional", elsewhere.id)])
    page = client.get("/mijn/correcties")
    assert page.status_code == 200
    assert "Anna Maria Jansen" not in page.get_data(as_text=True)
    answer = client.post(
        f"/mijn/correcties/{correction.id}",
        data={"csrf_token": csrf(page.get_data(as_text=True)), "state": "rejected"},
    )
    assert answer.status_code == 404


def test_residents_cannot_reach_the_review_list(app, client, world):
    mock_login(client, world.parent.bsn)
    assert client.get("/mijn/correcties").status_code == 403
