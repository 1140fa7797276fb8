"""Contact moments, notes (with their confidentiality levels) and residents' appointment
requests: who sees what, what is refused, and what the pages show."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from openregie_casemanagement.models import AppointmentRequest, ContactMoment, Involvement
from openregie_casemanagement.services import records
from openregie_sdk.capabilities.casemanagement import NotFound, Refused
from openregie_sdk.registry import Membership, Team
from openregie_sdk.testing.plugin import csrf_token_in

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def involved_partner(db, world):
    """`involved_partner(case)`: make `world.partner` a professional of a partner team that
    does not serve the case, involved in `case`."""

    def make(case):
        team = Team(name=f"Partnerteam {uuid.uuid4().hex[:6]}", kind="specialist")
        db.add(team)
        db.flush()
        db.add(
            Membership(
                user_id=world.partner.id,
                team_id=team.id,
                role="professional",
                start_on=dt.date(2020, 1, 1),
            )
        )
        db.add(
            Involvement(
                case_id=case.id,
                kind="professional",
                user_id=world.partner.id,
                organisation_id=world.organisation.id,
                name="Pim Partner",
                role="jeugdhulpverlener",
            )
        )
        db.commit()
        return world.partner

    return make


def _audit(db, action: str, activity: str | None = None) -> list[str]:
    sql = "SELECT data_subject_id FROM core_audit_record WHERE action = :action"
    params = {"action": action}
    if activity:
        sql += " AND processing_activity = :activity"
        params["activity"] = activity
    return sorted(db.execute(text(sql), params).scalars())


# -- notes ----------------------------------------------------------------------------------


def _note_texts(actor, case):
    return sorted(n.text for n in records.notes(actor, case.id))


def test_a_case_manager_only_note_is_hidden_from_a_colleague_but_read_by_manager_and_lead(
    app, db, world, new_case, actor_of
):
    case = new_case()
    records.add_note(
        actor_of(world.manager),
        case.id,
        text="Vermoeden van geweld",
        confidentiality="case_manager",
    )
    records.add_note(actor_of(world.manager), case.id, text="Teaminfo", confidentiality="case_team")
    db.commit()

    assert _note_texts(actor_of(world.colleague), case) == ["Teaminfo"]
    assert _note_texts(actor_of(world.manager), case) == ["Teaminfo", "Vermoeden van geweld"]
    assert _note_texts(actor_of(world.lead), case) == ["Teaminfo", "Vermoeden van geweld"]


def test_a_case_team_note_is_hidden_from_an_involved_professional_outside_the_team(
    app, db, world, new_case, actor_of, involved_partner
):
    case = new_case()
    partner = involved_partner(case)
    manager = actor_of(world.manager)
    records.add_note(manager, case.id, text="Alleen regisseur", confidentiality="case_manager")
    records.add_note(manager, case.id, text="Voor het team", confidentiality="case_team")
    records.add_note(manager, case.id, text="Voor iedereen", confidentiality="all_involved")
    db.commit()

    assert _note_texts(actor_of(partner), case) == ["Voor iedereen"]
    assert _note_texts(actor_of(world.colleague), case) == ["Voor het team", "Voor iedereen"]


def test_the_author_of_a_confidential_note_keeps_seeing_it(app, db, world, new_case, actor_of):
    case = new_case()
    records.add_note(
        actor_of(world.colleague), case.id, text="Voor de regisseur", confidentiality="case_manager"
    )
    db.commit()
    assert _note_texts(actor_of(world.colleague), case) == ["Voor de regisseur"]
    assert _note_texts(actor_of(world.manager), case) == ["Voor de regisseur"]


def test_notes_of_a_case_of_another_team_are_not_found(app, db, world, new_case, actor_of):
    case = new_case()
    with pytest.raises(NotFound):
        records.notes(actor_of(world.outsider), case.id)
    with pytest.raises(NotFound):
        records.add_note(
            actor_of(world.outsider), case.id, text="x", confidentiality="all_involved"
        )


def test_a_note_needs_text_and_a_known_confidentiality_level(app, db, world, new_case, actor_of):
    case = new_case()
    manager = actor_of(world.manager)
    with pytest.raises(Refused) as empty:
        records.add_note(manager, case.id, text="   ", confidentiality="case_team")
    assert empty.value.field == "text"
    with pytest.raises(Refused) as level:
        records.add_note(manager, case.id, text="Iets", confidentiality="geheim")
    assert level.value.field == "confidentiality"


# -- contact moments ------------------------------------------------------------------------


def test_a_contact_moment_is_stored_in_utc_and_residents_see_only_visible_ones_newest_first(
    app, db, world, new_case, actor_of
):
    case = new_case()
    manager = actor_of(world.manager)
    local = dt.datetime(2026, 3, 2, 14, 30, tzinfo=AMSTERDAM)
    records.add_contact_moment(
        manager,
        case.id,
        occurred_at=local,
        channel="home_visit",
        participants="Anna Jansen",
        summary="Kennismaking",
        visible_to_resident=True,
    )
    records.add_contact_moment(
        manager,
        case.id,
        occurred_at=local + dt.timedelta(days=7),
        channel="phone",
        participants="",
        summary="Overleg met school",
        visible_to_resident=False,
    )
    records.add_contact_moment(
        manager,
        case.id,
        occurred_at=local + dt.timedelta(days=14),
        channel="video",
        participants="Anna, Tim",
        summary="Evaluatie",
        visible_to_resident=True,
    )
    db.commit()
    db.expire_all()

    listed = records.contact_moments(manager, case.id)
    assert [m.summary for m in listed] == ["Evaluatie", "Overleg met school", "Kennismaking"]
    assert listed[-1].occurred_at == dt.datetime(2026, 3, 2, 13, 30, tzinfo=dt.UTC)
    assert [m.summary for m in records.resident_contact_moments(case)] == [
        "Evaluatie",
        "Kennismaking",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"occurred_at": "gisteren"}, "occurred_at"),
        ({"occurred_at": dt.datetime(2026, 1, 1, 10, 0)}, "occurred_at"),  # no time zone
        ({"occurred_at": "future"}, "occurred_at"),
        ({"channel": "fax"}, "channel"),
        ({"summary": ""}, "summary"),
        ({"participants": "x" * 1001}, "participants"),
    ],
)
def test_a_contact_moment_is_refused_naming_the_field(
    app, db, world, new_case, actor_of, fields, field
):
    case = new_case()
    values = {
        "occurred_at": _now() - dt.timedelta(hours=1),
        "channel": "office",
        "participants": "",
        "summary": "Gesprek",
        "visible_to_resident": False,
    } | fields
    if values["occurred_at"] == "future":
        values["occurred_at"] = _now() + dt.timedelta(days=2)
    with pytest.raises(Refused) as refused:
        records.add_contact_moment(actor_of(world.manager), case.id, **values)
    assert refused.value.field == field


def test_a_contact_moment_later_today_is_accepted(app, db, world, new_case, actor_of):
    case = new_case()
    moment = records.add_contact_moment(
        actor_of(world.manager),
        case.id,
        occurred_at=_now() + dt.timedelta(hours=3),
        channel="message",
        participants="",
        summary="Afspraak bevestigd",
        visible_to_resident=False,
    )
    assert moment.id is not None


def test_a_professional_of_another_team_cannot_record_a_contact_moment(
    app, db, world, new_case, actor_of
):
    case = new_case()
    with pytest.raises(NotFound):
        records.add_contact_moment(
            actor_of(world.outsider),
            case.id,
            occurred_at=_now(),
            channel="phone",
            participants="",
            summary="x",
            visible_to_resident=False,
        )


# -- appointment requests -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"channel": "fax"}, "channel"),
        ({"preferred_moments": "x" * 1001}, "preferred_moments"),
    ],
)
def test_an_appointment_request_is_validated(app, db, world, new_case, fields, field):
    case = new_case()
    values = {"subject": "Gesprek", "channel": "phone", "preferred_moments": ""} | fields
    with pytest.raises(Refused) as refused:
        records.request_appointment(case, world.anna, **values)
    assert refused.value.field == field


def test_an_appointment_request_is_open_until_the_case_manager_handles_it(
    app, db, world, new_case, actor_of
):
    case = new_case()
    request = records.request_appointment(
        case,
        world.anna,
        subject="Gesprek over school",
        channel="video",
        preferred_moments="dinsdagochtend",
    )
    db.commit()
    assert [(r.subject, r.status) for r in records.appointment_requests(case)] == [
        ("Gesprek over school", "open")
    ]
    with pytest.raises(NotFound):
        records.handle_appointment(actor_of(world.outsider), request.id, "scheduled")
    with pytest.raises(Refused):
        records.handle_appointment(actor_of(world.manager), request.id, "open")
    handled = records.handle_appointment(actor_of(world.manager), request.id, "scheduled")
    assert handled.status == "scheduled"
    assert handled.handled_by_user_id == world.manager.id
    assert handled.handled_at is not None


# -- pages ----------------------------------------------------------------------------------


def test_the_contacts_page_records_a_moment_in_local_time_and_audits_it(
    app, client, db, world, new_case, act_as
):
    case = new_case()
    act_as(world.manager)
    page = client.get(f"/casussen/{case.id}/contacten")
    assert page.status_code == 200
    response = client.post(
        f"/casussen/{case.id}/contacten",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "occurred_at": "2026-03-02T14:30",
            "channel": "home_visit",
            "participants": "Anna Jansen",
            "summary": "Huisbezoek bij de familie",
            "visible_to_resident": "y",
        },
    )
    assert response.status_code == 303
    html = client.get(f"/casussen/{case.id}/contacten").get_data(as_text=True)
    assert "02-03-2026 14:30" in html and "Huisbezoek bij de familie" in html
    stored = db.scalar(select(ContactMoment.occurred_at).where(ContactMoment.case_id == case.id))
    assert stored == dt.datetime(2026, 3, 2, 13, 30, tzinfo=dt.UTC)
    subjects = sorted([str(world.anna.id), str(world.tim.id)])
    assert _audit(db, "create", "casemanagement.case.write") == subjects


def test_a_contact_moment_in_the_future_is_refused_on_the_page_with_the_input_kept(
    app, client, world, new_case, act_as
):
    case = new_case()
    act_as(world.manager)
    page = client.get(f"/casussen/{case.id}/contacten").get_data(as_text=True)
    later = (dt.datetime.now(AMSTERDAM) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/casussen/{case.id}/contacten",
        data={
            "csrf_token": csrf_token_in(page),
            "occurred_at": later,
            "channel": "phone",
            "summary": "Mijn samenvatting",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "niet in de toekomst" in html
    assert "Mijn samenvatting" in html
    assert 'aria-describedby="occurred_at-error' in html


def test_the_contacts_page_lists_open_appointment_requests_and_marks_them_scheduled(
    app, client, db, world, new_case, act_as
):
    case = new_case()
    request = records.request_appointment(
        case, world.anna, subject="Graag een gesprek", channel="office", preferred_moments="ma"
    )
    db.commit()
    act_as(world.manager)
    page = client.get(f"/casussen/{case.id}/contacten").get_data(as_text=True)
    assert "Graag een gesprek" in page and "Anna Jansen" in page
    response = client.post(
        f"/casussen/{case.id}/afspraakverzoeken/{request.id}",
        data={"csrf_token": csrf_token_in(page), "status": "scheduled"},
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(AppointmentRequest, request.id).status == "scheduled"
    assert "Graag een gesprek" not in client.get(f"/casussen/{case.id}/contacten").get_data(
        as_text=True
    )


def test_the_notes_page_shows_only_readable_notes_and_writes_one(
    app, client, db, world, new_case, act_as, actor_of
):
    case = new_case()
    records.add_note(
        actor_of(world.manager), case.id, text="Geheime notitie", confidentiality="case_manager"
    )
    db.commit()
    act_as(world.colleague)
    page = client.get(f"/casussen/{case.id}/notities")
    assert page.status_code == 200
    assert "Geheime notitie" not in page.get_data(as_text=True)
    response = client.post(
        f"/casussen/{case.id}/notities",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "text": "Teamnotitie van Cees",
            "confidentiality": "case_team",
        },
    )
    assert response.status_code == 303
    assert "Teamnotitie van Cees" in client.get(f"/casussen/{case.id}/notities").get_data(
        as_text=True
    )
    assert _audit(db, "read", "casemanagement.case.read") == sorted(
        [str(world.anna.id), str(world.tim.id)] * 2
    )


def test_the_record_pages_of_a_case_of_another_team_are_404(app, client, world, new_case, act_as):
    case = new_case()
    act_as(world.outsider)
    for page in ("contacten", "notities", "documenten"):
        assert client.get(f"/casussen/{case.id}/{page}").status_code == 404
