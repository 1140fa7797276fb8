"""Formation norms: the functional admin sets, changes and removes them by team and
organisation name (validation per field, CSRF, audit); others are refused. The report's
formation table sets the hours contracted (core.contracted_hours) against the norms, with
difference and percentage, and 0 for a norm without contracted hours."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from openregie_reporting.models import FormationNorm
from openregie_sdk.registry import Area, Membership, Municipality, Organisation, Team
from openregie_sdk.testing.plugin import create_test_user, csrf_token_in


def _tables():
    name = "openregie_reporting_test_page"
    if name not in sys.modules:
        path = Path(__file__).with_name("test_report_page.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].tables_of


@pytest.fixture
def world(app, db):
    tag = uuid.uuid4().hex[:6]
    zutphen = Municipality(cbs_code=f"GM{uuid.uuid4().int % 10000:04d}", name=f"Zutphen {tag}")
    db.add(zutphen)
    db.flush()
    centrum = Area(municipality_id=zutphen.id, name="Centrum")
    noord = Team(name=f"Noord {tag}", kind="integral", areas=[centrum])
    welzijn = Organisation(name=f"Welzijn {tag}")
    ggz = Organisation(name=f"GGZ {tag}")
    db.add_all([centrum, noord, welzijn, ggz])
    db.commit()
    for hours, organisation in ((Decimal("18.00"), welzijn), (Decimal("9.50"), welzijn)):
        user = create_test_user(app, "professional", roles=[])
        db.add(
            Membership(
                user_id=user.id, team_id=noord.id, role="professional",
                home_organisation_id=organisation.id, hours_per_week=hours,
                start_on=dt.date(2025, 1, 1),
            )
        )  # fmt: skip
    db.commit()
    return {"municipality": zutphen, "team": noord, "welzijn": welzijn, "ggz": ggz}


def _admin_page(client, login_as):
    login_as("functional_admin")
    response = client.get("/rapportage/formatienormen")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _post(client, url, html, **form):
    return client.post(url, data={"csrf_token": csrf_token_in(html), **form})


def _audit(db, action):
    return db.execute(
        text(
            "SELECT processing_activity, data_subject_type, data_subject_id, module "
            "FROM core_audit_record WHERE action = :action AND data_subject_type = "
            "'formation_norm'"
        ),
        {"action": action},
    ).all()


def test_only_holders_of_the_permission_reach_the_norms(app, client, login_as):
    for kind in ("policy_officer", "team_lead", "professional"):
        login_as(kind)
        assert client.get("/rapportage/formatienormen").status_code == 403, kind
        assert 'href="/rapportage/formatienormen"' not in client.get("/start").get_data(
            as_text=True
        )
    html = _admin_page(client, login_as)
    assert "Er zijn nog geen formatienormen vastgelegd." in html
    assert 'href="/rapportage/formatienormen"' in client.get("/start").get_data(as_text=True)


def test_the_admin_sets_changes_and_removes_a_norm_audited(app, client, login_as, db, world):
    html = _admin_page(client, login_as)
    assert world["team"].name in html and world["welzijn"].name in html
    created = _post(
        client, "/rapportage/formatienormen", html,
        team=str(world["team"].id), organisation=str(world["welzijn"].id), hours="24,5",
    )  # fmt: skip
    assert created.status_code == 302
    norm = db.scalar(select(FormationNorm))
    assert (norm.team_id, norm.organisation_id) == (world["team"].id, world["welzijn"].id)
    assert norm.hours_per_week == Decimal("24.50")
    norm_id = norm.id
    listed = client.get("/rapportage/formatienormen").get_data(as_text=True)
    assert "24,50" in listed and "De formatienorm is vastgelegd." in listed

    edit_url = f"/rapportage/formatienormen/{norm_id}"
    edit = client.get(edit_url).get_data(as_text=True)
    assert _post(client, edit_url, edit, hours="30").status_code == 302
    db.expire_all()
    assert db.get(FormationNorm, norm_id).hours_per_week == Decimal("30.00")

    listed = client.get("/rapportage/formatienormen").get_data(as_text=True)
    removed = _post(client, f"{edit_url}/verwijderen", listed)
    assert removed.status_code == 302
    db.expire_all()
    assert db.get(FormationNorm, norm_id) is None
    for action in ("create", "update", "delete"):
        assert [tuple(r) for r in _audit(db, action)] == [
            ("reporting.norms.manage", "formation_norm", str(norm_id), "reporting")
        ], action


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("", "Vul het aantal uren per week in."),
        ("veel", "Vul een getal in, bijvoorbeeld 18 of 16,5."),
        ("0", "Het aantal uren ligt boven 0 en is hoogstens 168."),
        ("-4", "Het aantal uren ligt boven 0 en is hoogstens 168."),
        ("168,01", "Het aantal uren ligt boven 0 en is hoogstens 168."),
        ("12,345", "Gebruik hoogstens twee cijfers achter de komma."),
        ("NaN", "Vul een getal in, bijvoorbeeld 18 of 16,5."),
    ],
)
def test_bad_hours_are_refused_next_to_the_field(app, client, login_as, db, world, hours, message):
    html = _admin_page(client, login_as)
    response = _post(
        client, "/rapportage/formatienormen", html,
        team=str(world["team"].id), organisation=str(world["welzijn"].id), hours=hours,
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        f'<p class="utrecht-form-field-error-message" id="norm-hours-error">{message}</p>' in page
    )
    assert f'value="{hours}"' in page  # the input is kept
    assert db.scalar(select(FormationNorm)) is None


def test_team_and_organisation_must_exist_and_a_pair_has_one_norm(app, client, login_as, db, world):
    html = _admin_page(client, login_as)
    response = _post(
        client, "/rapportage/formatienormen", html,
        team="geen-team", organisation=str(uuid.uuid4()), hours="18",
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="norm-team-error">Kies een bestaand team.' in page
    assert 'id="norm-organisation-error">Kies een bestaande organisatie.' in page
    pair = dict(team=str(world["team"].id), organisation=str(world["ggz"].id))
    assert _post(client, "/rapportage/formatienormen", html, hours="18", **pair).status_code == 302
    again = _post(client, "/rapportage/formatienormen", html, hours="9", **pair)
    assert again.status_code == 400
    assert "Voor dit team en deze organisatie is al een norm; wijzig die." in again.get_data(
        as_text=True
    )
    assert len(list(db.scalars(select(FormationNorm)))) == 1
    norm = db.scalar(select(FormationNorm))
    edit_url = f"/rapportage/formatienormen/{norm.id}"
    bad = _post(client, edit_url, client.get(edit_url).get_data(as_text=True), hours="200")
    assert bad.status_code == 400
    assert 'id="norm-hours-error"' in bad.get_data(as_text=True)
    db.expire_all()
    assert db.get(FormationNorm, norm.id).hours_per_week == Decimal("18.00")


def test_a_post_without_the_csrf_token_is_refused(app, client, login_as, world):
    _admin_page(client, login_as)
    response = client.post(
        "/rapportage/formatienormen",
        data={"team": str(world["team"].id), "organisation": str(world["ggz"].id), "hours": "8"},
    )
    assert response.status_code == 400


def test_the_report_sets_contracted_hours_against_the_norms(app, client, login_as, db, world):
    db.add_all(
        [
            FormationNorm(
                team_id=world["team"].id, organisation_id=world["welzijn"].id,
                hours_per_week=Decimal("36.00"), set_by="Fenna Beheer",
            ),
            FormationNorm(
                team_id=world["team"].id, organisation_id=world["ggz"].id,
                hours_per_week=Decimal("16.00"), set_by="Fenna Beheer",
            ),
        ]
    )  # fmt: skip
    db.commit()
    login_as("policy_officer")
    code = world["municipality"].cbs_code
    response = client.get(f"/rapportage/?periode=2026-Q3&gemeente={code}")
    assert response.status_code == 200
    formation = _tables()(response.get_data(as_text=True))[
        "Formatie: ingezette uren tegenover de norm (uur per week)"
    ]
    assert formation[0] == [
        "Team", "Organisatie", "Ingezet", "Norm (toegezegd)", "Verschil met de norm",
        "Percentage van de norm", "Vorige periode",
    ]  # fmt: skip
    team = world["team"].name
    # Welzijn: 18 + 9.5 = 27.5 of 36 (-8.5, 76.4 %); GGZ: a norm of 16, nobody contracted.
    assert [team, world["ggz"].name, "0", "16", "-16", "0", "0"] in formation
    assert [team, world["welzijn"].name, "27,5", "36", "-8,5", "76,4", "27,5"] in formation
    assert formation[-1] == ["Totaal", "", "27,5", "52", "-24,5", "52,9", "27,5"]
