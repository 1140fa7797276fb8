"""The functional admin's audit log page: newest first, filters, fixed-size pages, for
functional admins only — and looking at it is itself recorded."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from openregie_core.models import AuditRecord, AuditSecurity
from openregie_sdk.testing.plugin import log_in

TODAY = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


@pytest.fixture
def app(make_app, reader):
    return make_app([reader])


def _records(app) -> list[AuditRecord]:
    with app.extensions["openregie"].session_factory() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))


def _rows(html: str) -> list[str]:
    """The subject ids in the table body, top to bottom."""
    return re.findall(r"persoon <code>([0-9a-f-]{36})</code>", html)


@pytest.fixture
def processed(app, reader):
    """A professional processed persons 1-3 ("read"), then person 1 again ("export")."""
    client = app.test_client()
    log_in(app, client, "professional", display_name="Petra Professional")
    client.get(f"/{reader}/people?n=3")
    client.get(f"/{reader}/people?n=1&action=export")
    return client


def test_functional_admin_sees_the_log_newest_first_with_the_actor(
    app, client, login_as, processed, reader
):
    login_as("functional_admin")
    response = client.get("/admin/audit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<caption" in html and 'scope="col"' in html
    ids = [str(uuid.UUID(int=i)) for i in (1, 2, 3)]
    assert _rows(html) == [ids[0], ids[2], ids[1], ids[0]]
    assert html.count("Petra Professional") == 4
    assert f"<code>{reader}.people.read</code>" in html
    assert "gelukt" in html


def test_filters_narrow_the_log(app, client, login_as, processed):
    login_as("functional_admin")
    one = str(uuid.UUID(int=1))

    by_subject = client.get(f"/admin/audit?betrokkene={one}").get_data(as_text=True)
    assert _rows(by_subject) == [one, one]
    by_action = client.get("/admin/audit?handeling=export").get_data(as_text=True)
    assert _rows(by_action) == [one]
    today = client.get(f"/admin/audit?handeling=export&vanaf={TODAY}&tot={TODAY}")
    assert _rows(today.get_data(as_text=True)) == [one]
    yesterday, tomorrow = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
    before = client.get(f"/admin/audit?tot={yesterday}").get_data(as_text=True)
    assert _rows(before) == []
    assert "Geen vastgelegde verwerkingen gevonden." in before
    assert _rows(client.get(f"/admin/audit?vanaf={tomorrow}").get_data(as_text=True)) == []


def test_pages_have_a_fixed_size(app, client, login_as, reader):
    worker = app.test_client()
    log_in(app, worker, "professional")
    worker.get(f"/{reader}/people?n=60&action=inzien")
    login_as("functional_admin")

    first = client.get("/admin/audit?handeling=inzien").get_data(as_text=True)
    assert len(_rows(first)) == 50
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/admin/audit?handeling=inzien&pagina=2").get_data(as_text=True)
    assert len(_rows(second)) == 10
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert set(_rows(first)).isdisjoint(_rows(second))


def test_invalid_filter_input_gets_a_400_naming_the_field(client, login_as):
    login_as("functional_admin")
    response = client.get("/admin/audit?vanaf=gisteren")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="vanaf-error"' in html and 'aria-invalid="true"' in html
    reversed_range = client.get(f"/admin/audit?vanaf={TODAY}&tot={TODAY - dt.timedelta(days=2)}")
    assert reversed_range.status_code == 400
    assert "Deze datum ligt vóór de datum bij Vanaf." in reversed_range.get_data(as_text=True)


def test_viewing_the_log_is_recorded_per_subject_shown(app, client, login_as, processed):
    admin = login_as("functional_admin")
    client.get("/admin/audit")
    viewed = [r for r in _records(app) if r.processing_activity == "core.audit.read"]
    assert sorted(r.data_subject_id for r in viewed) == sorted(
        str(uuid.UUID(int=i)) for i in (1, 2, 3)
    )
    assert {(r.action, r.status, r.module, r.data_subject_type) for r in viewed} == {
        ("read", "ok", "core", "person")
    }
    with app.extensions["openregie"].session_factory() as session:
        assert session.get(AuditSecurity, viewed[0].trace_id).actor_id == admin.id


def test_a_view_that_shows_nothing_still_records_the_search(app, client, login_as):
    login_as("functional_admin")
    client.get("/admin/audit?betrokkene=niemand")
    (viewed,) = _records(app)
    assert (viewed.action, viewed.processing_activity, viewed.data_subject_type) == (
        "search",
        "core.audit.read",
        "route",
    )


@pytest.mark.parametrize("kind", ["professional", "team_lead", "policy_officer"])
def test_only_functional_admins_may_open_the_log(app, client, login_as, kind):
    login_as(kind)
    assert client.get("/admin/audit").status_code == 403
    assert [r.status for r in _records(app)] == ["denied"]


def test_the_log_is_in_the_menu_of_functional_admins_only(app, client, login_as):
    login_as("functional_admin")
    assert 'href="/admin/audit"' in client.get("/start").get_data(as_text=True)
    other = app.test_client()
    log_in(app, other, "team_lead")
    assert 'href="/admin/audit"' not in other.get("/start").get_data(as_text=True)


def test_a_municipal_admin_sees_only_records_about_their_own_residents(app, db):
    import datetime as dt

    from openregie_sdk.registry import Municipality, Person
    from openregie_sdk.testing.plugin import log_in

    zutphen, lochem = (
        Municipality(cbs_code="GM0301", name="Zutphen"),
        Municipality(cbs_code="GM0262", name="Lochem"),
    )
    db.add_all([zutphen, lochem])
    db.flush()
    here = Person(
        voornamen="Ada",
        geslachtsnaam="Hier",
        search_name="hier",
        municipality_id=zutphen.id,
        birth_date=dt.date(1980, 1, 1),
    )
    there = Person(
        voornamen="Bea",
        geslachtsnaam="Daar",
        search_name="daar",
        municipality_id=lochem.id,
        birth_date=dt.date(1980, 1, 1),
    )
    db.add_all([here, there])
    db.commit()
    installation_admin = app.test_client()
    log_in(app, installation_admin, "functional_admin")
    assert installation_admin.get(f"/personen/{here.id}").status_code == 200
    assert installation_admin.get(f"/personen/{there.id}").status_code == 200

    municipal_admin = app.test_client()
    log_in(app, municipal_admin, "functional_admin", roles=[("functional_admin", zutphen.id)])
    page = municipal_admin.get("/admin/audit").get_data(as_text=True)
    assert str(here.id) in page
    assert str(there.id) not in page

    everything = installation_admin.get("/admin/audit").get_data(as_text=True)
    assert str(here.id) in everything and str(there.id) in everything
