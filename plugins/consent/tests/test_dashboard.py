"""The consent module's dashboard widget warns about given consents that expire soon."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from sqlalchemy import func, select

from openregie_consent.demo import openregie_demo_data
from openregie_consent.hooks import count_given_consents_expiring
from openregie_consent.models import ConsentRecord
from openregie_sdk import capability, module_settings
from openregie_sdk.contributions import DemoContext
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Person
from openregie_sdk.testing.plugin import seed_demo

PURPOSE = "Afstemming met huisarts"


def _consent(
    status: str,
    *,
    expires_in_days: float | None,
    subject: uuid.UUID | None = None,
    recipient: uuid.UUID | None = None,
    recorded_days_ago: float = 100,
) -> ConsentRecord:
    now = utcnow()
    return ConsentRecord(
        subject_id=subject or uuid.uuid4(),
        recipient_id=recipient or uuid.uuid4(),
        purpose=PURPOSE,
        status=status,
        valid_from=now - dt.timedelta(days=100),
        valid_until=None if expires_in_days is None else now + dt.timedelta(days=expires_in_days),
        recorded_at=now - dt.timedelta(days=recorded_days_ago),
    )


def _seed_expiry_mix(db) -> None:
    withdrawn_subject, withdrawn_recipient = uuid.uuid4(), uuid.uuid4()
    db.add_all(
        [
            _consent("given", expires_in_days=10),  # counted
            _consent("given", expires_in_days=29),  # counted
            _consent("given", expires_in_days=40),  # beyond the 30-day window
            _consent("given", expires_in_days=None),  # never expires
            _consent("given", expires_in_days=-1),  # already expired
            _consent("refused", expires_in_days=10),  # not given
            # given and expiring soon, but withdrawn since: the withdrawal is in force
            _consent(
                "given",
                expires_in_days=5,
                subject=withdrawn_subject,
                recipient=withdrawn_recipient,
            ),
            _consent(
                "withdrawn",
                expires_in_days=None,
                subject=withdrawn_subject,
                recipient=withdrawn_recipient,
                recorded_days_ago=1,
            ),
        ]
    )
    db.commit()


def test_widget_counts_only_consents_expiring_within_the_warning_window(app, client, login_as, db):
    _seed_expiry_mix(db)
    login_as("professional")
    page = client.get("/start")
    assert page.status_code == 200
    assert "2 gegeven toestemmingen verlopen binnen 30 dagen." in page.get_data(as_text=True)


def test_widget_says_so_when_nothing_expires_soon(app, client, login_as, db):
    db.add(_consent("given", expires_in_days=200))
    db.commit()
    login_as("team_lead")
    text = client.get("/start").get_data(as_text=True)
    assert "Geen gegeven toestemmingen verlopen binnen 30 dagen." in text


def test_widget_is_hidden_from_actors_who_may_not_read_consents(app, client, login_as, db):
    _seed_expiry_mix(db)
    login_as("policy_officer")
    page = client.get("/start")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Toestemmingen" not in text
    assert "binnen 30 dagen" not in text


class TestWarningWindowFromSettings:
    @pytest.fixture
    def app(self, make_app):
        return make_app(["consent"], module_config={"consent": {"expiry_warning_days": 45}})

    def test_widget_uses_the_configured_warning_window(self, app, client, login_as, db):
        assert module_settings("consent").expiry_warning_days == 45
        _seed_expiry_mix(db)
        login_as("professional")
        text = client.get("/start").get_data(as_text=True)
        assert "3 gegeven toestemmingen verlopen binnen 45 dagen." in text


def test_demo_data_is_seeded_once_and_decides_consistently(app, db):
    assert seed_demo(app) == []
    count = db.scalar(select(func.count()).select_from(ConsentRecord))
    assert count > 0
    context = DemoContext(session=db, rng=random.Random(262), progress=lambda message: None)
    openregie_demo_data(context=context)  # a second run adds nothing
    db.commit()
    assert db.scalar(select(func.count()).select_from(ConsentRecord)) == count

    # The first household's parent's consent expires within the default window.
    assert count_given_consents_expiring(db, utcnow(), dt.timedelta(days=30)) == 1
    statuses = set(db.scalars(select(ConsentRecord.status)))
    assert {"given", "withdrawn", "refused", "requested"} <= statuses
    withdrawal = db.scalars(
        select(ConsentRecord).where(ConsentRecord.status == "withdrawn")
    ).first()
    decision = capability("consent").decide(
        withdrawal.subject_id, withdrawal.recipient_id, withdrawal.purpose, utcnow()
    )
    assert (decision.granted, decision.reason) == (False, "Toestemming ingetrokken.")
    # Every demo consent is about a real person of the registry.
    subjects = set(db.scalars(select(ConsentRecord.subject_id)))
    assert subjects <= set(db.scalars(select(Person.id).where(Person.id.in_(subjects))))
