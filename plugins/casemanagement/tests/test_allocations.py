"""Allocations (toekenningen): validation, the status workflow, waiting time, optimistic
locking, who may read and write, the audit log, the tab and the API."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from openregie_casemanagement.models import Allocation
from openregie_casemanagement.services import allocations as service
from openregie_sdk.capabilities.casemanagement import NotFound, Refused, Stale
from openregie_sdk.registry import Person
from openregie_sdk.testing.plugin import csrf_token_in, personal_token

D = dt.date


def _fields(person, **overrides):
    fields = {
        "person_id": person.id,
        "law": "jeugdwet",
        "product_category": "jeugdhulp_ambulant",
        "product_code": "45a48",
        "provider_name": "Stichting Jeugdhulp Oost-Gelderland",
        "provider_agb": "98100215",
        "volume": "4",
        "unit": "hour",
        "frequency": "week",
        "requested_on": D(2026, 1, 5),
    }
    fields.update(overrides)
    return fields


def _audit(db, action: str, activity: str) -> list[str]:
    return sorted(
        db.execute(
            text(
                "SELECT data_subject_id FROM core_audit_record "
                "WHERE action = :action AND processing_activity = :activity"
            ),
            {"action": action, "activity": activity},
        ).scalars()
    )


def test_a_new_allocation_is_requested_for_a_person_of_the_case_and_audited_for_them(
    db, world, new_case, actor_of
):
    case = new_case()
    row = service.create_allocation(actor_of(world.manager), case.id, **_fields(world.tim))
    db.commit()
    stored = db.get(Allocation, row.id)
    assert stored.status == "requested"
    assert stored.product_code == "45A48"
    assert stored.volume == Decimal("4.00")
    assert stored.version == 1
    assert service.waiting_days(stored) is None
    assert _audit(db, "create", "casemanagement.allocation.write") == [str(world.tim.id)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"provider_agb": "1234567"}, "provider_agb"),
        ({"provider_agb": "1234567a"}, "provider_agb"),
        ({"product_code": "ABCDEFGHIJK"}, "product_code"),
        ({"volume": "0"}, "volume"),
        ({"volume": "-2"}, "volume"),
        ({"volume": "drie"}, "volume"),
        ({"law": "awbz"}, "law"),
        ({"product_category": "huishoudelijke_hulp"}, "product_category"),  # Wmo only
        ({"unit": "minute"}, "unit"),
        ({"provider_name": "  "}, "provider_name"),
        ({"decided_on": D(2026, 1, 1)}, "decided_on"),  # before the request
        ({"decided_on": D(2026, 1, 10), "start_on": D(2026, 1, 9)}, "start_on"),
        ({"start_on": D(2026, 2, 1), "end_on": D(2026, 1, 31)}, "end_on"),
        ({"status": "allocated"}, "decided_on"),  # allocated needs a decision date
        ({"status": "started", "decided_on": D(2026, 1, 10)}, "start_on"),
        ({"status": "requested", "stop_reason": "moved"}, "stop_reason"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(db, world, new_case, actor_of, overrides, field):
    case = new_case()
    with pytest.raises(Refused) as refused:
        service.create_allocation(
            actor_of(world.manager), case.id, **_fields(world.tim, **overrides)
        )
    assert refused.value.field == field
    db.rollback()
    assert db.scalar(select(Allocation.id).where(Allocation.case_id == case.id)) is None


def test_a_person_outside_the_case_and_household_is_refused(db, world, new_case, actor_of):
    stranger = Person(voornamen="Sanne", geslachtsnaam="Vreemd", search_name="vreemd")
    db.add(stranger)
    db.commit()
    case = new_case()
    with pytest.raises(Refused) as refused:
        service.create_allocation(actor_of(world.manager), case.id, **_fields(stranger))
    assert refused.value.field == "person_id"


def test_status_moves_forward_and_waiting_time_runs_from_decision_to_start(
    db, world, new_case, actor_of
):
    actor = actor_of(world.manager)
    case = new_case()
    row = service.create_allocation(actor, case.id, **_fields(world.tim))
    db.commit()
    row = service.update_allocation(
        actor, row.id, expected_version=1, status="allocated", decided_on=D(2026, 1, 20)
    )
    db.commit()
    assert (row.status, row.version) == ("allocated", 2)
    row = service.update_allocation(
        actor, row.id, expected_version=2, status="started", start_on=D(2026, 3, 3)
    )
    db.commit()
    assert service.waiting_days(row) == 42
    with pytest.raises(Refused) as refused:
        service.update_allocation(actor, row.id, expected_version=3, status="requested")
    assert refused.value.field == "status"
    db.rollback()
    with pytest.raises(Refused) as refused:
        service.update_allocation(actor, row.id, expected_version=3, status="stopped")
    assert refused.value.field == "end_on"
    db.rollback()
    with pytest.raises(Refused) as refused:
        service.update_allocation(
            actor, row.id, expected_version=3, status="stopped", end_on=D(2026, 6, 30)
        )
    assert refused.value.field == "stop_reason"
    db.rollback()
    row = service.update_allocation(
        actor,
        row.id,
        expected_version=3,
        status="stopped",
        end_on=D(2026, 6, 30),
        stop_reason="goals_achieved",
    )
    db.commit()
    assert (row.status, row.stop_reason, row.end_on) == (
        "stopped",
        "goals_achieved",
        D(2026, 6, 30),
    )


def test_a_stale_version_is_refused_and_changes_nothing(db, world, new_case, actor_of):
    actor = actor_of(world.manager)
    case = new_case()
    row = service.create_allocation(actor, case.id, **_fields(world.tim))
    db.commit()
    service.update_allocation(
        actor, row.id, expected_version=1, status="allocated", decided_on=D(2026, 1, 20)
    )
    db.commit()
    with pytest.raises(Stale) as stale:
        service.update_allocation(actor_of(world.colleague), row.id, expected_version=1, volume="9")
    assert stale.value.current_version == 2
    db.rollback()
    assert db.get(Allocation, row.id).volume == Decimal("4.00")


def test_only_the_cases_relations_with_the_allocation_permission_may_write(
    db, world, new_case, actor_of
):
    case = new_case()
    with pytest.raises(NotFound):
        service.create_allocation(actor_of(world.outsider), case.id, **_fields(world.tim))
    with pytest.raises(NotFound):
        service.allocations(actor_of(world.outsider), case.id)
    with pytest.raises(NotFound):
        service.create_allocation(actor_of(world.policy), case.id, **_fields(world.tim))
    row = service.create_allocation(actor_of(world.colleague), case.id, **_fields(world.tim))
    db.commit()
    with pytest.raises(NotFound):
        service.update_allocation(actor_of(world.outsider), row.id, expected_version=1, volume=2)


def test_reading_a_cases_allocations_audits_each_allocations_person(db, world, new_case, actor_of):
    actor = actor_of(world.manager)
    case = new_case()
    service.create_allocation(actor, case.id, **_fields(world.tim))
    service.create_allocation(
        actor,
        case.id,
        **_fields(
            world.anna,
            law="wmo",
            product_category="huishoudelijke_hulp",
            product_code="01A01",
            provider_agb=None,
            requested_on=D(2026, 2, 1),
        ),
    )
    db.commit()
    listed = service.allocations(actor_of(world.colleague), case.id)
    db.commit()
    assert [a.person_id for a in listed] == [world.anna.id, world.tim.id]  # newest first
    assert _audit(db, "read", "casemanagement.case.read") == sorted(
        [str(world.anna.id), str(world.tim.id)]
    )
    assert [a.id for a in service.allocations_of_person(world.tim.id)] == [listed[1].id]


# -- the tab --------------------------------------------------------------------------------


def test_the_tab_lists_waiting_time_and_records_a_new_allocation(
    app, client, db, world, new_case, act_as, actor_of
):
    case = new_case()
    row = service.create_allocation(
        actor_of(world.manager),
        case.id,
        **_fields(world.tim, decided_on=D(2026, 1, 10), start_on=D(2026, 1, 24), status="started"),
    )
    db.commit()
    act_as(world.manager)
    page = client.get(f"/casussen/{case.id}/toekenningen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "14 dagen" in html and "Stichting Jeugdhulp Oost-Gelderland" in html
    assert 'aria-current="page"' in html
    response = client.post(
        f"/casussen/{case.id}/toekenningen",
        data={
            "csrf_token": csrf_token_in(html),
            "person_id": str(world.anna.id),
            "law": "wmo",
            "product_category": "begeleiding",
            "product_code": "02A07",
            "provider_name": "Zorgcoöperatie Stedendriehoek",
            "provider_agb": "",
            "volume": "2",
            "unit": "hour",
            "frequency": "week",
            "requested_on": "2026-02-01",
            "decided_on": "",
            "start_on": "",
            "end_on": "",
            "status": "requested",
        },
    )
    assert response.status_code == 303
    providers = set(
        db.scalars(select(Allocation.provider_name).where(Allocation.case_id == case.id))
    )
    assert providers == {"Stichting Jeugdhulp Oost-Gelderland", "Zorgcoöperatie Stedendriehoek"}
    assert client.get(f"/casussen/{case.id}/toekenningen/{row.id}").status_code == 200


def test_the_tab_rerenders_the_form_with_the_error_on_the_field(
    client, db, world, new_case, act_as
):
    case = new_case()
    act_as(world.manager)
    html = client.get(f"/casussen/{case.id}/toekenningen").get_data(as_text=True)
    response = client.post(
        f"/casussen/{case.id}/toekenningen",
        data={
            "csrf_token": csrf_token_in(html),
            "person_id": str(world.anna.id),
            "law": "wmo",
            "product_category": "begeleiding",
            "provider_name": "Zorgcoöperatie Stedendriehoek",
            "provider_agb": "123",
            "volume": "2",
            "unit": "hour",
            "frequency": "week",
            "requested_on": "2026-02-01",
            "status": "requested",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Een AGB-code bestaat uit 8 cijfers." in body
    assert 'aria-describedby="provider_agb-error' in body
    assert 'value="Zorgcoöperatie Stedendriehoek"' in body


def test_the_update_page_keeps_the_input_on_a_stale_version(
    client, db, world, new_case, act_as, actor_of
):
    case = new_case()
    row = service.create_allocation(actor_of(world.manager), case.id, **_fields(world.tim))
    db.commit()
    act_as(world.manager)
    url = f"/casussen/{case.id}/toekenningen/{row.id}"
    html = client.get(url).get_data(as_text=True)
    service.update_allocation(
        actor_of(world.colleague), row.id, expected_version=1, volume="6", provider_agb=None
    )
    db.commit()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_in(html),
            "version": "1",
            "status": "allocated",
            "decided_on": "2026-01-19",
            "start_on": "",
            "end_on": "",
            "stop_reason": "",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in body
    assert 'value="2026-01-19"' in body
    db.expire_all()
    assert db.get(Allocation, row.id).status == "requested"
    again = client.post(
        url,
        data={
            "csrf_token": csrf_token_in(body),
            "version": "2",
            "status": "allocated",
            "decided_on": "2026-01-19",
            "start_on": "",
            "end_on": "",
            "stop_reason": "",
        },
    )
    assert again.status_code == 303
    db.expire_all()
    assert db.get(Allocation, row.id).status == "allocated"


def test_an_outsider_gets_404_on_the_tab(client, world, new_case, act_as):
    case = new_case()
    act_as(world.outsider)
    assert client.get(f"/casussen/{case.id}/toekenningen").status_code == 404


# -- the API --------------------------------------------------------------------------------

PERMISSIONS = [
    "casemanagement.case.read",
    "casemanagement.case.write",
    "casemanagement.allocation.write",
]


@pytest.fixture
def api(app):
    """`api(user)`: a test client sending a personal API token of `user`."""

    def make(user):
        client = app.test_client()
        header = personal_token(app, user, PERMISSIONS)["Authorization"]
        client.environ_base["HTTP_AUTHORIZATION"] = header
        return client

    return make


def test_the_api_lists_creates_and_patches_with_versions(db, world, new_case, api):
    case = new_case()
    client = api(world.manager)
    created = client.post(
        f"/api/v1/casemanagement/cases/{case.id}/allocations",
        json={
            "person_id": str(world.tim.id),
            "law": "jeugdwet",
            "product_category": "jeugd_ggz",
            "product_code": "54001",
            "provider_name": "GGZ IJsselvallei",
            "provider_agb": "22108843",
            "volume": "8",
            "unit": "hour",
            "frequency": "month",
            "requested_on": "2026-01-05",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["version"], body["waiting_days"]) == ("requested", 1, None)
    allocation_id = body["id"]
    patched = client.patch(
        f"/api/v1/casemanagement/allocations/{allocation_id}",
        json={"version": 1, "status": "allocated", "decided_on": "2026-01-15"},
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["version"] == 2
    stale = client.patch(
        f"/api/v1/casemanagement/allocations/{allocation_id}",
        json={"version": 1, "status": "started", "start_on": "2026-02-01"},
    )
    assert stale.status_code == 409
    started = client.patch(
        f"/api/v1/casemanagement/allocations/{allocation_id}",
        json={"version": 2, "status": "started", "start_on": "2026-02-01"},
    )
    assert started.get_json()["waiting_days"] == 17
    bad = client.patch(
        f"/api/v1/casemanagement/allocations/{allocation_id}",
        json={"version": 3, "status": "requested"},
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["fields"][0]["field"] == "status"
    listed = client.get(f"/api/v1/casemanagement/cases/{case.id}/allocations").get_json()
    assert [a["id"] for a in listed["items"]] == [allocation_id]
    missing = client.patch(
        f"/api/v1/casemanagement/allocations/{uuid.uuid4()}", json={"version": 1}
    )
    assert missing.status_code == 404


def test_the_api_refuses_a_bad_agb_code_and_hides_foreign_cases(world, new_case, api):
    case = new_case()
    outsider = api(world.outsider)
    assert outsider.get(f"/api/v1/casemanagement/cases/{case.id}/allocations").status_code == 404
    client = api(world.manager)
    response = client.post(
        f"/api/v1/casemanagement/cases/{case.id}/allocations",
        json={
            "person_id": str(world.tim.id),
            "law": "jeugdwet",
            "product_category": "jeugd_ggz",
            "provider_name": "GGZ IJsselvallei",
            "provider_agb": "2210884",
            "volume": "8",
            "unit": "hour",
            "frequency": "month",
            "requested_on": "2026-01-05",
        },
    )
    assert response.status_code == 400
    assert "provider_agb" in str(response.get_json())
