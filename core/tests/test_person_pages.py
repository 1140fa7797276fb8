"""Need-to-know on the person pages: search, detail and household pages show exactly the
persons an actor has a relation with — through case management (cases of my teams) or,
for functional admins, residence in a municipality of their scope — and record each read."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import event, select

from openregie_core.models import AuditRecord, Role
from openregie_sdk.registry import (
    Membership,
    Team,
)
from openregie_sdk.testing.plugin import log_in

pytestmark = pytest.mark.openregie_modules("casemanagement")


def _names(response) -> str:
    return response.get_data(as_text=True)


def test_professional_finds_only_members_of_households_with_a_case_of_their_team(
    app, client, db, world, professional_in
):
    professional_in(client, world.team_a)
    found = _names(client.get("/personen/?naam=Aa"))
    assert "Aalders" in found and "Aalberts" in found
    assert "Alleen" not in _names(client.get("/personen/?naam=Al"))
    assert "Bakker" not in _names(client.get("/personen/?naam=Ba"))
    assert "Bakker" not in _names(client.get("/personen/?bsn=123456782"))


def test_detail_agrees_with_search_and_hides_existence(app, client, db, world, professional_in):
    professional_in(client, world.team_a)
    assert client.get(f"/personen/{world.family_a[0].id}").status_code == 200
    assert client.get(f"/personen/{world.family_b[0].id}").status_code == 404
    assert client.get(f"/personen/{world.loner.id}").status_code == 404
    assert client.get(f"/personen/{uuid.uuid4()}").status_code == 404


def test_household_page_shows_only_visible_members(app, client, db, world, professional_in):
    professional_in(client, world.team_a)
    page = client.get(f"/huishoudens/{world.household_a.id}")
    assert page.status_code == 200
    assert "Aalders" in _names(page) and "Aalberts" in _names(page)
    other_team = app.test_client()
    professional_in(other_team, world.team_b)
    assert other_team.get(f"/huishoudens/{world.household_a.id}").status_code == 404


def test_membership_that_ended_ends_the_relation(app, client, db, world):
    user = log_in(app, client, "professional", roles=[])
    db.add(
        Membership(
            user_id=user.id,
            team_id=world.team_a.id,
            role="professional",
            start_on=dt.date(2024, 1, 1),
            end_on=dt.date.today(),
        )
    )
    db.commit()
    assert client.get("/personen/").status_code == 403  # no current team role, no permission
    assert client.get(f"/personen/{world.family_a[0].id}").status_code == 403


def test_functional_admin_sees_residents_of_their_municipality_only(app, client, db, world):
    admin = db.scalar(select(Role).where(Role.name == "functional_admin"))
    log_in(app, client, "functional_admin", roles=[("functional_admin", world.zutphen.id)])
    assert admin is not None
    assert "Alleen" in _names(client.get("/personen/?naam=Al"))
    assert client.get(f"/personen/{world.loner.id}").status_code == 200
    assert "Bakker" not in _names(client.get("/personen/?naam=Ba"))
    assert client.get(f"/personen/{world.family_b[0].id}").status_code == 404


def test_policy_officer_reaches_no_person_data(app, client, login_as, world):
    login_as("policy_officer")
    assert client.get("/personen/?naam=Aa").status_code == 403
    assert client.get(f"/personen/{world.family_a[0].id}").status_code == 403
    assert client.get(f"/huishoudens/{world.household_a.id}").status_code == 403


def test_search_and_detail_write_one_audit_record_per_person_shown(
    app, client, db, world, professional_in
):
    professional_in(client, world.team_a)
    client.get("/personen/?naam=Aa")
    client.get(f"/personen/{world.family_a[0].id}")
    records = db.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    searched = [r for r in records if r.processing_activity == "core.person.search"]
    viewed = [r for r in records if r.processing_activity == "core.person.view"]
    assert sorted(r.data_subject_id for r in searched) == sorted(str(p.id) for p in world.family_a)
    assert [r.data_subject_id for r in viewed] == [str(world.family_a[0].id)]


def test_invalid_search_input_gets_a_400_naming_the_field(app, client, db, world, professional_in):
    professional_in(client, world.team_a)
    response = client.get("/personen/?huisnummer=abc")
    assert response.status_code == 400
    assert "Huisnummer" in _names(response)


@pytest.mark.parametrize("extra_teams", [0, 5])
def test_search_statement_count_does_not_grow_with_results_or_teams(
    app, client, db, world, extra_teams, professional_in
):
    user = professional_in(client, world.team_a)
    for index in range(extra_teams):
        team = Team(name=f"Extra {index}", kind="adults")
        db.add(team)
        db.flush()
        db.add(
            Membership(
                user_id=user.id, team_id=team.id, role="professional", start_on=dt.date(2025, 1, 1)
            )
        )
    db.commit()
    engine = app.extensions["openregie"].engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/personen/?naam=Aa").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 12, statements
