"""Who may act for whom (openregie_sdk.registry.representation) and the portal's
"acting for" switch: the age rules (under 12, 12–15, 16+), guardian, curator, mentor and
bewindvoerder each for what their role covers."""

from __future__ import annotations

import datetime as dt
import importlib.util
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from openregie_sdk.registry import LegalRepresentation, Person
from openregie_sdk.registry.representation import (
    SELF,
    age_on,
    may_act_for,
    represented_by,
)
from openregie_sdk.testing.statements import Statements

_spec = importlib.util.spec_from_file_location(
    "openregie_portal_test_login_r", Path(__file__).with_name("test_login.py")
)
_login = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_login)
csrf, mock_login = _login.csrf, _login.mock_login

TODAY = dt.date.today()


def _kinds(db, person_id):
    return {r.person_id: r for r in represented_by(db, person_id, TODAY)}


def test_a_parent_acts_for_children_under_16_and_not_for_a_17_year_old(app, db, world):
    reps = _kinds(db, world.parent.id)
    assert reps[world.parent.id].kind == SELF
    assert reps[world.child.id].kind == "parental_authority"
    assert reps[world.child.id].jointly_with_child is False
    assert reps[world.teen.id].jointly_with_child is True  # 12-15: decisions together
    assert world.young.id not in reps  # 16+: the young person alone


def test_a_child_under_12_does_not_act_for_themselves_a_teen_does(app, db, world):
    assert may_act_for(db, world.child.id, world.child.id, TODAY) is None
    assert may_act_for(db, world.teen.id, world.teen.id, TODAY).kind == SELF
    assert may_act_for(db, world.young.id, world.young.id, TODAY).kind == SELF


def test_bewindvoering_covers_money_and_personal_data_not_care(app, db, world):
    rep = may_act_for(db, world.parent.id, world.ward.id, TODAY)
    assert rep.allows("finances") and rep.allows("personal_data")
    assert not rep.allows("care") and not rep.allows("consent")


def test_mentorship_covers_care_and_consent_not_money(app, db, world):
    rep = may_act_for(db, world.parent.id, world.mentee.id, TODAY)
    assert rep.allows("care") and rep.allows("consent") and rep.allows("personal_data")
    assert not rep.allows("finances")


def _represent(db, representative, represented, kind, start, end=None):
    db.add(
        LegalRepresentation(
            representative_id=representative.id,
            represented_id=represented.id,
            kind=kind,
            start_on=start,
            end_on=end,
        )
    )
    db.commit()


def test_a_guardian_acts_for_a_child_and_curatele_covers_everything(app, db, world):
    _represent(db, world.stranger, world.child, "guardianship", TODAY - dt.timedelta(days=10))
    _represent(db, world.stranger, world.ward, "curatele", TODAY - dt.timedelta(days=10))
    reps = _kinds(db, world.stranger.id)
    assert reps[world.child.id].kind == "guardianship"
    assert all(reps[world.ward.id].allows(d) for d in ("care", "consent", "finances"))


def test_a_representation_counts_only_while_in_force(app, db, world):
    _represent(
        db, world.stranger, world.child, "guardianship", TODAY - dt.timedelta(days=10), TODAY
    )
    _represent(db, world.stranger, world.teen, "guardianship", TODAY + dt.timedelta(days=1))
    reps = _kinds(db, world.stranger.id)
    assert world.child.id not in reps and world.teen.id not in reps


def test_measures_for_adults_do_not_count_for_minors_and_unknown_age_is_adult(app, db, world):
    _represent(db, world.stranger, world.teen, "mentorship", TODAY - dt.timedelta(days=1))
    assert may_act_for(db, world.stranger.id, world.teen.id, TODAY) is None
    nameless = Person(
        id=uuid.uuid4(), voornamen="Onbekend", geslachtsnaam="Leeftijd", search_name="leeftijd"
    )
    db.add(nameless)
    db.commit()
    _represent(db, world.stranger, nameless, "parental_authority", TODAY - dt.timedelta(days=1))
    assert may_act_for(db, world.stranger.id, nameless.id, TODAY) is None
    assert may_act_for(db, nameless.id, nameless.id, TODAY).kind == SELF


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2010, 5, 10), dt.date(2026, 5, 9), 15),
        (dt.date(2010, 5, 10), dt.date(2026, 5, 10), 16),
        (dt.date(2012, 2, 29), dt.date(2024, 2, 28), 11),
        (dt.date(2012, 2, 29), dt.date(2024, 2, 29), 12),
    ],
)
def test_age_counts_whole_years_on_the_day(born, on, age):
    assert age_on(born, on) == age


def _switch(client, person_id):
    page = client.get("/mijn/").get_data(as_text=True)
    return client.post("/mijn/namens", data={"csrf_token": csrf(page), "person_id": str(person_id)})


def test_a_parent_switches_to_their_child_and_the_audit_says_on_whose_behalf(app, client, world):
    mock_login(client, world.parent.bsn)
    page = client.get("/mijn/").get_data(as_text=True)
    assert "U handelt namens" in page and "Tim Jansen" in page
    assert _switch(client, world.child.id).status_code == 303
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    assert "U bekijkt de gegevens van Tim Jansen." in page
    assert "tim@example.org" in page
    with app.extensions["openregie"].engine.connect() as connection:
        behalf = connection.execute(
            text(
                "select distinct on_behalf_of from core_audit_security "
                "where actor_kind = 'resident'"
            )
        ).scalars()
        seen = {str(b).replace("-", "") for b in behalf}
    assert world.child.id.hex in seen and world.parent.id.hex in seen


@pytest.mark.parametrize("who", ["young", "stranger"])
def test_a_parent_cannot_switch_to_a_16_year_old_or_a_stranger(app, client, world, who):
    mock_login(client, world.parent.bsn)
    answer = _switch(client, getattr(world, who).id)
    assert answer.status_code == 400
    assert "person_id" in answer.get_data(as_text=True)
    with client.session_transaction() as session:
        assert session["resident_for"] == str(world.parent.id)


def test_a_bewindvoerder_sees_personal_data_but_not_the_care_plan(app, client, world):
    mock_login(client, world.parent.bsn)
    assert _switch(client, world.ward.id).status_code == 303
    overview = client.get("/mijn/").get_data(as_text=True)
    assert "geeft geen toegang tot het plan" in overview
    assert client.get("/mijn/gegevens").status_code == 200
    assert client.get(f"/mijn/casus/{world.case_id}/plan").status_code == 403


def test_a_child_under_12_logs_in_but_must_choose_and_has_no_one(app, client, world):
    mock_login(client, world.child.bsn)
    answer = client.get("/mijn/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/mijn/kiezen")
    page = client.get("/mijn/kiezen").get_data(as_text=True)
    assert "Er is niemand" in page


def test_an_ended_representation_drops_back_to_the_resident_themselves(app, client, db, world):
    mock_login(client, world.parent.bsn)
    _switch(client, world.child.id)
    db.execute(
        LegalRepresentation.__table__.update()
        .where(LegalRepresentation.represented_id == world.child.id)
        .values(end_on=TODAY)
    )
    db.commit()
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    with client.session_transaction() as session:
        assert session["resident_for"] == str(world.parent.id)
    assert "anna@example.org" in page and "tim@example.org" not in page


def test_a_resident_page_looks_up_whom_the_resident_may_act_for_once(app, client, world):
    """The actor's check, the page's guard and the "acting for" switch share one lookup
    per request (and the next request looks again: see the ended representation above)."""
    mock_login(client, world.parent.bsn)
    client.get("/mijn/")
    with Statements(app.extensions["openregie"].engine) as statements:
        page = client.get("/mijn/")
    assert page.status_code == 200 and "Tim Jansen" in page.get_data(as_text=True)
    assert len(statements.touching("core_legal_representation")) == 1
