"""Subject-data rights: the export holds everything case management keeps about a person
(notes with their confidentiality, document metadata only), and erasure follows the
retention periods (Jeugdwet 20 years, Wmo 15 years after closing; open cases kept), with a
dry run that changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from openregie_casemanagement.models import (
    Action,
    ActionEvent,
    Allocation,
    AppointmentRequest,
    Case,
    CasePerson,
    ContactMoment,
    Document,
    Goal,
    Note,
    Plan,
)
from openregie_casemanagement.subject import openregie_subject_erasure, openregie_subject_export
from openregie_sdk.registry import Person

D = dt.date


def _case(db, world, opened, closed=None, persons=()):
    case = Case(
        household_id=world.household.id,
        team_id=world.noord.id,
        case_manager_id=world.manager.id,
        title=f"Casus {opened.year}",
        status="afgesloten" if closed else "uitvoering",
        opened_on=opened,
        closed_on=closed,
        closure_reason="doelen_bereikt" if closed else None,
    )
    db.add(case)
    db.flush()
    db.add_all([CasePerson(case_id=case.id, person_id=p.id) for p in persons])
    return case


def _allocation(case, person, law="wmo"):
    return Allocation(
        case_id=case.id,
        person_id=person.id,
        law=law,
        product_category="begeleiding",
        provider_name="Zorg A",
        provider_agb="75750123",
        volume=Decimal("2"),
        unit="hour",
        frequency="week",
        requested_on=case.opened_on,
        status="requested",
    )


def _plan_items(db, case, person):
    plan = Plan(case_id=case.id, state="agreed")
    db.add(plan)
    db.flush()
    goal = Goal(
        plan_id=plan.id,
        life_domain="finances",
        text="Schulden op een rij",
        owner_kind="resident",
        owner_person_id=person.id,
    )
    db.add(goal)
    db.flush()
    action = Action(
        goal_id=goal.id,
        case_id=case.id,
        description="Post sorteren",
        assignee_kind="resident",
        assignee_person_id=person.id,
        resident_comment="Lukt bijna",
    )
    db.add(action)
    db.flush()
    event = ActionEvent(
        action_id=action.id,
        by_person_id=person.id,
        by_name="Anna (inwoner)",
        status="in_progress",
        comment="Ik ben begonnen",
    )
    db.add(event)
    return goal, action, event


def test_the_export_holds_the_persons_cases_plan_records_and_allocations(db, world, new_case):
    case = new_case(status="uitvoering")
    _plan_items(db, case, world.anna)
    db.add_all(
        [
            ContactMoment(
                case_id=case.id,
                occurred_at=dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC),
                channel="home_visit",
                summary="Huisbezoek bij het gezin",
                visible_to_resident=True,
            ),
            Note(case_id=case.id, text="Zorgen om de relatie", confidentiality="case_manager"),
            Document(
                case_id=case.id,
                filename="brief.pdf",
                content_type="application/pdf",
                size=1234,
                sha256="0" * 64,
                storage_key="geheim-opslag-sleutel",
            ),
            _allocation(case, world.anna),
            _allocation(case, world.tim, law="jeugdwet"),
            AppointmentRequest(
                case_id=case.id, person_id=world.anna.id, subject="Bijpraten", channel="phone"
            ),
        ]
    )
    db.commit()

    sections = {s.title.split(" (")[0]: s.records for s in openregie_subject_export(world.anna)}
    assert set(sections) == {
        "Casussen",
        "Plan: doelen en acties",
        "Contactmomenten",
        "Notities",
        "Documenten",
        "Toekenningen",
        "Afspraakverzoeken",
    }
    assert [c["id"] for c in sections["Casussen"]] == [str(case.id)]
    assert sections["Casussen"][0]["relation"] == "betrokken persoon"
    kinds = sorted(r["kind"] for r in sections["Plan: doelen en acties"])
    assert kinds == ["actie", "doel", "reactie op actie"]
    assert sections["Notities"][0]["confidentiality"] == "case_manager"
    assert sections["Notities"][0]["text"] == "Zorgen om de relatie"
    document = sections["Documenten"][0]
    assert document["filename"] == "brief.pdf"
    assert "storage_key" not in document and "sha256" not in document
    assert [a["law"] for a in sections["Toekenningen"]] == ["wmo"]  # Tim's is his own
    assert sections["Afspraakverzoeken"][0]["subject"] == "Bijpraten"

    tims = {s.title.split(" (")[0]: s.records for s in openregie_subject_export(world.tim)}
    assert [a["law"] for a in tims["Toekenningen"]] == ["jeugdwet"]
    assert "Afspraakverzoeken" not in tims and "Plan: doelen en acties" not in tims


def test_a_person_unknown_to_case_management_exports_and_erases_nothing(db):
    person = Person(voornamen="Els", geslachtsnaam="Elders", search_name="elders")
    db.add(person)
    db.commit()
    assert openregie_subject_export(person) == []
    assert openregie_subject_erasure(person, dry_run=False) is None


def test_an_open_case_is_retained(db, world, new_case):
    case = new_case(status="uitvoering")
    db.add(_allocation(case, world.anna))
    db.commit()
    outcome = openregie_subject_erasure(world.anna, dry_run=False)
    assert (outcome.erased, outcome.retained) == (0, 2)  # the case link and the allocation
    assert "loopt nog" in outcome.reasons[0]
    assert db.scalar(select(func.count()).select_from(Allocation)) == 1


@pytest.fixture
def history(db, world):
    """Anna's cases over the years (Anna born 1985, Tim born 2014):
    youth_2000 (Anna was 14: Jeugdwet, closed 2004: past 20 years) with her allocation,
    appointment request, goal, action and comment; wmo_2009 (closed 2010: past 15 years);
    wmo_2012 (closed 2013: Wmo until 2028); youth_2016 (Tim, closed 2017: until 2037)."""
    youth_2000 = _case(db, world, D(2000, 1, 1), D(2004, 6, 1), [world.anna])
    db.add(_allocation(youth_2000, world.anna))
    db.add(
        AppointmentRequest(
            case_id=youth_2000.id, person_id=world.anna.id, subject="Afspraak", channel="phone"
        )
    )
    items = _plan_items(db, youth_2000, world.anna)
    wmo_2009 = _case(db, world, D(2009, 1, 1), D(2010, 3, 1), [world.anna])
    wmo_2012 = _case(db, world, D(2012, 1, 1), D(2013, 1, 1), [world.anna])
    youth_2016 = _case(db, world, D(2016, 1, 1), D(2017, 1, 1), [world.anna, world.tim])
    db.commit()
    return {
        "youth_2000": youth_2000,
        "wmo_2009": wmo_2009,
        "wmo_2012": wmo_2012,
        "youth_2016": youth_2016,
        "items": items,
    }


def _snapshot(db):
    return (
        sorted(
            (str(c), str(p))
            for c, p in db.execute(select(CasePerson.case_id, CasePerson.person_id))
        ),
        db.scalar(select(func.count()).select_from(Allocation)),
        db.scalar(select(func.count()).select_from(AppointmentRequest)),
        sorted(str(v) for v in db.scalars(select(Goal.owner_person_id))),
        sorted(str(v) for v in db.scalars(select(Action.assignee_person_id))),
        sorted(str(v) for v in db.scalars(select(ActionEvent.by_person_id))),
    )


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(db, world, history):
    before = _snapshot(db)
    outcome = openregie_subject_erasure(world.anna, dry_run=True)
    db.commit()
    db.expire_all()
    assert _snapshot(db) == before
    # youth_2000: link, allocation, request, goal, action, comment; wmo_2009: link.
    assert (outcome.erased, outcome.retained) == (7, 2)
    assert any("Jeugdwet" in r and "01-01-2037" in r for r in outcome.reasons)
    assert any("Wmo" in r and "01-01-2028" in r for r in outcome.reasons)
    assert outcome.reasons[-1].endswith("worden geanonimiseerd.")


def test_erasure_removes_the_persons_rows_past_their_retention_and_keeps_the_rest(
    db, world, history
):
    goal, action, event = history["items"]
    outcome = openregie_subject_erasure(world.anna, dry_run=False)
    db.commit()
    db.expire_all()
    assert (outcome.erased, outcome.retained) == (7, 2)
    links = set(db.execute(select(CasePerson.case_id, CasePerson.person_id)).all())
    assert links == {
        (history["wmo_2012"].id, world.anna.id),
        (history["youth_2016"].id, world.anna.id),
        (history["youth_2016"].id, world.tim.id),
    }
    assert db.scalar(select(func.count()).select_from(Allocation)) == 0
    assert db.scalar(select(func.count()).select_from(AppointmentRequest)) == 0
    goal, action, event = (
        db.get(Goal, goal.id),
        db.get(Action, action.id),
        db.get(ActionEvent, event.id),
    )
    assert (goal.owner_person_id, goal.owner_kind, goal.text) == (None, None, "Schulden op een rij")
    assert (action.assignee_person_id, action.resident_comment) == (None, None)
    assert (event.by_person_id, event.by_name, event.comment) == (None, "(verwijderd)", None)
    # The cases themselves stay (they are the household's files).
    assert db.scalar(select(func.count()).select_from(Case)) == 4
    # Erasing again finds only what is retained.
    again = openregie_subject_erasure(world.anna, dry_run=True)
    assert (again.erased, again.retained) == (0, 2)


def test_a_jeugdwet_allocation_makes_an_adults_case_a_youth_case(db, world):
    case = _case(db, world, D(2008, 1, 1), D(2009, 1, 1), [world.anna])
    db.add(_allocation(case, world.anna, law="jeugdwet"))
    db.commit()
    outcome = openregie_subject_erasure(world.anna, dry_run=True)
    assert (outcome.erased, outcome.retained) == (0, 2)  # until 2029 under the Jeugdwet
    assert "Jeugdwet" in outcome.reasons[0] and "01-01-2029" in outcome.reasons[0]
