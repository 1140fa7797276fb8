"""The portal section (through `openregie_portal_sections`, called as the portal will),
subject export and erasure, and the reporting metrics."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from openregie_sdk import ActorKind, capability, report_metrics
from openregie_sdk.actors import Actor
from openregie_sdk.contributions import MetricFilters, PortalSection
from openregie_sdk.db import utcnow


def _give(family, subject, by):
    return capability("consent").record(
        subject.id,
        purpose="team_partner",
        recipient_id=family.organisation.id,
        recipient_kind="organisation",
        status="given",
        given_by_person_ids=by,
        obtained="written",
    )


def test_the_portal_section_lists_the_residents_consents_for_them_only(app, db, family):
    _give(family, family.parent, [family.parent.id])
    db.commit()
    hooks = app.extensions["openregie"].hooks
    resident = Actor(kind=ActorKind.RESIDENT, id=family.parent.id)
    with app.test_request_context("/mijn"):
        sections = hooks.portal_sections(resident, family.parent)
        stranger = Actor(kind=ActorKind.RESIDENT, id=family.teen.id)
        assert hooks.portal_sections(stranger, family.parent) == []
    assert len(sections) == 1 and isinstance(sections[0], PortalSection)
    body = str(sections[0].body)
    assert sections[0].id == "consent.overview"
    assert family.organisation.name in body and "Intrekken" in body
    assert f"/toestemming/mijn/{family.parent.id}/team_partner/" in body


def test_a_resident_withdraws_and_gives_again_through_the_portal_service(app, db, family):
    from openregie_consent.services import resident

    _give(family, family.parent, [family.parent.id])
    db.commit()
    actor = Actor(kind=ActorKind.RESIDENT, id=family.parent.id)
    args = {"purpose": "team_partner", "recipient_id": family.organisation.id}
    withdrawn = resident.decide(actor, family.parent.id, give=False, **args)
    assert (withdrawn.status, withdrawn.obtained, withdrawn.recorded_by_name) == (
        "withdrawn",
        "portal",
        "inwoner",
    )
    again = resident.decide(actor, family.parent.id, give=True, **args)
    assert again.status == "given"
    decision = capability("consent").decide(
        family.parent.id, family.organisation.id, "team_partner", utcnow()
    )
    assert decision.granted


def test_the_subject_export_holds_every_version_and_erasure_keeps_them_as_evidence(app, db, family):
    from openregie_consent.subject import openregie_subject_erasure, openregie_subject_export

    _give(family, family.child, [family.parent.id])
    db.commit()
    child = openregie_subject_export(person=family.child)
    assert child[0].title == "Toestemmingen" and child[0].records[0]["status"] == "given"
    parent = openregie_subject_export(person=family.parent)
    assert [s.title for s in parent] == [
        "Toestemmingen",
        "Toestemmingen gegeven als vertegenwoordiger",
    ]
    outcome = openregie_subject_erasure(person=family.child, dry_run=False)
    assert (outcome.erased, outcome.retained) == (0, 1)
    assert "AVG art. 5 lid 2" in outcome.reasons[0]
    assert db.execute(text("SELECT count(*) FROM consent_record")).scalar() == 1


def test_the_metrics_count_consents_by_status_and_purpose(app, db, family):
    _give(family, family.parent, [family.parent.id])
    _give(family, family.child, [family.parent.id])
    db.commit()
    capability("consent").record(
        family.parent.id,
        purpose="team_partner",
        recipient_id=family.organisation.id,
        recipient_kind="organisation",
        status="withdrawn",
        given_by_person_ids=[family.parent.id],
        obtained="verbal",
    )
    db.commit()
    metrics = {m.id: m for m in report_metrics() if m.id.startswith("consent.")}
    assert set(metrics) == {
        "consent.consents_by_status",
        "consent.statements_recorded",
        "consent.overrides",
    }
    today = dt.date.today()
    filters = MetricFilters(
        period_start=today - dt.timedelta(days=1),
        period_end=today + dt.timedelta(days=1),
        dialect=db.bind.dialect.name,
    )
    stock = {
        (r.purpose, r.status): r.value
        for r in db.execute(metrics["consent.consents_by_status"].query(filters))
    }
    assert stock == {("team_partner", "given"): 1, ("team_partner", "withdrawn"): 1}
    flow = {
        (r.purpose, r.status): r.value
        for r in db.execute(metrics["consent.statements_recorded"].query(filters))
    }
    assert flow == {("team_partner", "given"): 2, ("team_partner", "withdrawn"): 1}
    assert metrics["consent.consents_by_status"].labels["status"]["given"] == "gegeven"
