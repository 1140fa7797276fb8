"""The portal needs a casemanagement provider and shows how many residents use Mijn Regie."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError

from openregie_portal.hooks import openregie_demo_data
from openregie_portal.models import PortalAccount
from openregie_sdk.contributions import DemoContext
from openregie_sdk.db import utcnow


def _account(
    last_login_days_ago: float | None, person_id: uuid.UUID | None = None
) -> PortalAccount:
    now = utcnow()
    return PortalAccount(
        person_id=person_id or uuid.uuid4(),
        created_at=now - dt.timedelta(days=200),
        last_login_at=None
        if last_login_days_ago is None
        else now - dt.timedelta(days=last_login_days_ago),
    )


def test_portal_is_blocked_without_a_casemanagement_provider(make_app):
    app = make_app(["portal"], strict_modules=False)
    record = app.extensions["openregie"].modules.get("portal")
    assert record.state.value == "blocked"
    assert "casemanagement" in str(record.reason)
    assert app.test_client().get("/health").status_code == 200


def test_portal_loads_beside_casemanagement_with_consent_absent(app):
    modules = app.extensions["openregie"].modules
    assert modules.get("portal").state.value == "loaded"
    assert modules.loaded_ids.index("casemanagement") < modules.loaded_ids.index("portal")


def test_widget_counts_residents_who_logged_in_during_the_last_30_days(app, client, login_as, db):
    db.add_all([_account(1), _account(29.5), _account(31), _account(None)])
    db.commit()
    login_as("functional_admin")
    page = client.get("/start")
    assert page.status_code == 200
    assert "2 inwoners logden de afgelopen 30 dagen in op Mijn Regie." in page.get_data(
        as_text=True
    )


def test_widget_says_so_when_no_resident_logged_in(app, client, login_as, db):
    db.add(_account(45))
    db.commit()
    login_as("team_lead")
    text = client.get("/start").get_data(as_text=True)
    assert "Geen inwoners logden de afgelopen 30 dagen in op Mijn Regie." in text


def test_widget_is_hidden_from_professionals(app, client, login_as, db):
    db.add(_account(1))
    db.commit()
    login_as("professional")
    page = client.get("/start")
    assert page.status_code == 200
    assert "Mijn Regie" not in page.get_data(as_text=True)


def test_a_person_has_at_most_one_portal_account(app, db):
    person = uuid.uuid4()
    db.add_all([_account(1, person), _account(2, person)])
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_login_moments_are_stored_in_utc_and_need_a_time_zone(app, db):
    plus_two = dt.timezone(dt.timedelta(hours=2))
    account = PortalAccount(
        person_id=uuid.uuid4(), last_login_at=dt.datetime(2026, 7, 1, 12, 0, tzinfo=plus_two)
    )
    db.add(account)
    db.commit()
    db.expire_all()
    stored = db.get(PortalAccount, account.id).last_login_at
    assert stored == dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)
    assert stored.tzinfo == dt.UTC
    db.add(PortalAccount(person_id=uuid.uuid4(), last_login_at=dt.datetime(2026, 7, 1)))
    with pytest.raises(StatementError, match="time zone"):
        db.flush()
    db.rollback()


def test_demo_data_is_seeded_once(app, db):
    def seed() -> None:
        openregie_demo_data(
            context=DemoContext(session=db, rng=random.Random(262), progress=lambda message: None)
        )
        db.commit()

    seed()
    count = db.scalar(select(func.count()).select_from(PortalAccount))
    assert count > 0
    seed()
    assert db.scalar(select(func.count()).select_from(PortalAccount)) == count
    assert db.scalar(
        select(func.count()).select_from(PortalAccount).where(PortalAccount.last_login_at.is_(None))
    )
