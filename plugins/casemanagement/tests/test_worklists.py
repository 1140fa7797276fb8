"""Worklists: what each list holds, filters, sorting and pages — and a page costs the same
number of SQL statements whatever its size and however many teams the actor is in."""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import text

from openregie_casemanagement.models import (
    Action,
    AppointmentRequest,
    CaseLifeDomain,
    ContactMoment,
    Goal,
    Plan,
)
from openregie_casemanagement.services.worklists import worklist
from openregie_sdk import db_session
from openregie_sdk.capabilities.casemanagement import Refused
from openregie_sdk.registry import Membership, Team
from openregie_sdk.testing.statements import Statements

TODAY = dt.date.today()


@contextmanager
def acting(app, db, actor_of, user):
    actor = actor_of(user)
    db.commit()
    with app.test_request_context():
        g.openregie_actor = actor
        yield actor
        db_session().commit()


def titles(page) -> list[str]:
    return [r.title for r in page.rows]


def _action(db, case, due_on, status="open"):
    plan = Plan(case_id=case.id)
    db.add(plan)
    db.flush()
    goal = Goal(plan_id=plan.id, life_domain="finances", text="Schulden weg")
    db.add(goal)
    db.flush()
    db.add(
        Action(
            goal_id=goal.id,
            case_id=case.id,
            description="Bel bewindvoerder",
            due_on=due_on,
            status=status,
        )
    )
    db.commit()


def test_my_cases_and_my_teams_cases(app, db, actor_of, world, new_case):
    new_case(title="Van mij", manager=world.manager)
    new_case(title="Van collega", manager=world.colleague)
    new_case(title="Van Zuid", team=world.zuid, manager=world.outsider)
    new_case(title="Mijn gesloten", manager=world.manager, status="afgesloten")
    with acting(app, db, actor_of, world.manager) as actor:
        mine = worklist(actor, "mine")
        assert titles(mine) == ["Van mij"]
        assert (mine.rows[0].case_manager_name, mine.total, mine.pages) == ("Mira Manager", 1, 1)
        assert sorted(titles(worklist(actor, "team"))) == ["Van collega", "Van mij"]
        assert sorted(titles(worklist(actor, "mine", status="all"))) == [
            "Mijn gesloten",
            "Van mij",
        ]


def test_overdue_actions_evaluations_due_and_appointment_requests(
    app, db, actor_of, world, new_case
):
    late = new_case(title="Te laat")
    _action(db, late, TODAY - dt.timedelta(days=3))
    done = new_case(title="Op tijd gedaan")
    _action(db, done, TODAY - dt.timedelta(days=3), status="done")
    new_case(title="Evaluatie binnenkort", evaluation_due_on=TODAY + dt.timedelta(days=3))
    new_case(title="Evaluatie later", evaluation_due_on=TODAY + dt.timedelta(days=90))
    asked = new_case(title="Verzoek")
    db.add(
        AppointmentRequest(
            case_id=asked.id,
            person_id=world.anna.id,
            subject="Gesprek",
            channel="phone",
            status="open",
        )
    )
    handled = new_case(title="Verzoek afgehandeld")
    db.add(
        AppointmentRequest(
            case_id=handled.id,
            person_id=world.anna.id,
            subject="Gesprek",
            channel="phone",
            status="closed",
        )
    )
    db.commit()
    with acting(app, db, actor_of, world.manager) as actor:
        overdue = worklist(actor, "overdue_actions")
        assert titles(overdue) == ["Te laat"] and overdue.rows[0].overdue_actions == 1
        assert titles(worklist(actor, "evaluations_due")) == ["Evaluatie binnenkort"]
        requests = worklist(actor, "appointments")
        assert titles(requests) == ["Verzoek"] and requests.rows[0].open_requests == 1


def test_cases_without_contact_for_the_configured_number_of_days(
    app, db, actor_of, world, new_case
):
    new_case(title="Lang stil", opened_on=TODAY - dt.timedelta(days=40))
    recent = new_case(title="Net gesproken", opened_on=TODAY - dt.timedelta(days=40))
    db.add(
        ContactMoment(
            case_id=recent.id,
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
            channel="phone",
            summary="Gebeld",
        )
    )
    old_contact = new_case(title="Oud contact", opened_on=TODAY - dt.timedelta(days=90))
    db.add(
        ContactMoment(
            case_id=old_contact.id,
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=45),
            channel="phone",
            summary="Gebeld",
        )
    )
    new_case(title="Net aangemeld", opened_on=TODAY - dt.timedelta(days=5))
    db.commit()
    with acting(app, db, actor_of, world.manager) as actor:
        page = worklist(actor, "no_contact", sort="last_contact")
    assert titles(page) == ["Oud contact", "Lang stil"]
    assert page.rows[0].last_contact_on == TODAY - dt.timedelta(days=45)
    assert page.rows[1].last_contact_on == TODAY - dt.timedelta(days=40)


def test_filters_sorting_and_pages(app, db, actor_of, world, new_case):
    for i in range(6):
        new_case(title=f"Casus {i}", urgency="normal", opened_on=TODAY - dt.timedelta(days=i))
    crisis = new_case(title="Crisis", urgency="crisis", status="plan")
    db.add(CaseLifeDomain(case_id=crisis.id, life_domain="housing"))
    db.commit()
    with acting(app, db, actor_of, world.manager) as actor:
        first = worklist(actor, "team", page_size=5)
        assert (first.total, first.pages, len(first.rows)) == (7, 2, 5)
        assert first.rows[0].title == "Crisis"  # urgency first by default
        second = worklist(actor, "team", page_size=5, page=2)
        assert len(second.rows) == 2
        assert not set(titles(first)) & set(titles(second))
        assert titles(worklist(actor, "team", urgency="crisis")) == ["Crisis"]
        assert titles(worklist(actor, "team", life_domain="housing")) == ["Crisis"]
        assert titles(worklist(actor, "team", status="plan")) == ["Crisis"]
        assert worklist(actor, "team", team_id=world.zuid.id).total == 0
        assert titles(worklist(actor, "team", sort="-opened_on"))[0] == "Casus 0"
        assert titles(worklist(actor, "team", sort="opened_on"))[0] == "Crisis"
        for kwargs, field in [
            ({"status": "klaar"}, "status"),
            ({"urgency": "nu"}, "urgency"),
            ({"life_domain": "x"}, "life_domain"),
            ({"sort": "kleur"}, "sort"),
            ({"page": 0}, "page"),
        ]:
            with pytest.raises(Refused) as refused:
                worklist(actor, "team", **kwargs)
            assert refused.value.field == field
        with pytest.raises(Refused):
            worklist(actor, "alles")


def test_the_worklist_page_filters_and_refuses_bad_filters(
    app, db, client, act_as, world, new_case
):
    new_case(title="Gewoon", urgency="normal")
    new_case(title="Spoed", urgency="high")
    act_as(world.manager)
    html = client.get("/casussen/?kind=team&urgency=high").get_data(as_text=True)
    assert "Spoed" in html and "Gewoon" not in html
    assert 'aria-current="page"' in html
    bad = client.get("/casussen/?kind=team&sort=kleur")
    assert bad.status_code == 400
    assert "Kies een bestaande sortering." in bad.get_data(as_text=True)
    assert client.get("/casussen/?kind=iets").status_code == 400


def test_the_worklist_is_audited_per_person_shown(app, db, client, act_as, world, new_case):
    new_case(title="Gezien")
    act_as(world.manager)
    assert client.get("/casussen/?kind=mine").status_code == 200
    db.commit()
    subjects = {
        r.data_subject_id
        for r in db.execute(
            text(
                "SELECT data_subject_id FROM core_audit_record "
                "WHERE processing_activity = 'casemanagement.case.read' AND action = 'read'"
            )
        )
    }
    assert subjects == {str(world.anna.id), str(world.tim.id)}


# -- statements per request ------------------------------------------------------------------


def _count(app, client, url) -> int:
    client.get(url)  # warm up: the audit chain's head, caches
    with Statements(app.extensions["openregie"].engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements.seen)


def statements_text(app, client, url) -> str:
    with Statements(app.extensions["openregie"].engine) as statements:
        client.get(url)
    return "\n".join(s[:120] for s in statements.seen)


def _extra_teams(db, user, n: int) -> list[Team]:
    teams = []
    for _ in range(n):
        team = Team(name=f"Extra {uuid.uuid4().hex[:6]}", kind="integral")
        db.add(team)
        db.flush()
        db.add(
            Membership(
                user_id=user.id, team_id=team.id, role="professional", start_on=dt.date(2020, 1, 1)
            )
        )
        teams.append(team)
    db.commit()
    return teams


@pytest.mark.parametrize("kind", ["team", "no_contact", "overdue_actions"])
def test_statements_per_page_do_not_grow_with_rows_or_teams(
    app, db, client, act_as, world, new_case, kind
):
    url = f"/casussen/?kind={kind}&status=all"
    old = TODAY - dt.timedelta(days=60)
    first = new_case(title="Eerste", opened_on=old)
    _action(db, first, TODAY - dt.timedelta(days=1))
    act_as(world.manager)
    one_row = _count(app, client, url)

    for i in range(29):
        case = new_case(
            title=f"Casus {i}", opened_on=old, manager=world.colleague if i % 2 else world.manager
        )
        _action(db, case, TODAY - dt.timedelta(days=1))
    thirty_rows = _count(app, client, url)
    page = client.get(url).get_data(as_text=True)
    assert page.count('href="/casussen/') >= 25

    for team in _extra_teams(db, world.manager, 4):
        extra = new_case(title="In extra team", team=team, opened_on=old)
        _action(db, extra, TODAY - dt.timedelta(days=1))
    act_as(world.manager)  # the actor's teams are read at login of the request
    five_teams = _count(app, client, url)

    assert one_row == thirty_rows == five_teams
    assert five_teams <= 12, statements_text(app, client, url)
