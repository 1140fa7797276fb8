"""`openregie consent expire`: lapsed consents get an `expired` version (idempotent, safe
from cron) and those expiring within N days are listed; bad input exits non-zero."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from sqlalchemy import select

from openregie_consent.cli import group
from openregie_consent.models import ConsentRecord
from openregie_sdk import capability


def _cli(app, *args):
    runtime = app.extensions["openregie"]
    with app.app_context():
        try:
            return CliRunner().invoke(group, list(args))
        finally:
            runtime.close_cli_session()


def _give(family, subject, by, start, end):
    return capability("consent").record(
        subject.id,
        purpose="team_partner",
        recipient_id=family.organisation.id,
        recipient_kind="organisation",
        status="given",
        given_by_person_ids=by,
        obtained="written",
        valid_from=start,
        valid_until=end,
    )


def test_expire_marks_lapsed_consents_once_and_lists_the_ones_expiring_soon(app, db, family):
    now = dt.datetime.now(dt.UTC)
    lapsed = _give(family, family.parent, [family.parent.id], now - dt.timedelta(days=400),
                   now - dt.timedelta(days=1))  # fmt: skip
    _give(family, family.child, [family.parent.id], now - dt.timedelta(days=300),
          now + dt.timedelta(days=10))  # fmt: skip
    db.commit()
    assert app.extensions["openregie"].modules.get("consent").cli is group

    first = _cli(app, "expire", "--within", "30")
    assert first.exit_code == 0, first.output
    assert "1 consent(s) marked expired." in first.output
    assert "1 given consent(s) expire within 30 days." in first.output
    db.expire_all()
    versions = db.scalars(
        select(ConsentRecord.status)
        .where(ConsentRecord.subject_id == lapsed.subject_id)
        .order_by(ConsentRecord.recorded_at)
    ).all()
    assert versions == ["given", "expired"]

    again = _cli(app, "expire")
    assert again.exit_code == 0
    assert "0 consent(s) marked expired." in again.output
    assert db.scalar(select(ConsentRecord.id).where(ConsentRecord.status == "expired")) is not None
    assert len(db.scalars(select(ConsentRecord.id)).all()) == 3


def test_expire_refuses_a_negative_window(app):
    result = _cli(app, "expire", "--within", "-1")
    assert result.exit_code != 0
    assert "--within" in result.output
