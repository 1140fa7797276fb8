"""Core's reporting metrics: each definition's query, run on hand-computed fixtures, gives the
exact numbers on the last day of the period and honours the municipality, team and area
filters; `openregie_sdk.report_metrics()` lists core's and the loaded modules' metrics."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

import openregie_sdk
from openregie_core.metrics import definitions, openregie_report_metrics
from openregie_core.models import User
from openregie_sdk.contributions import MetricDefinition, MetricFilters
from openregie_sdk.registry import (
    Area,
    Household,
    HouseholdMember,
    Membership,
    Municipality,
    Organisation,
    Person,
    Team,
)

pytestmark = pytest.mark.openregie_modules()  # core only: the registry is core's

D = dt.date
PERIOD = (D(2026, 1, 1), D(2026, 3, 31))
LONG_AGO = D(2025, 1, 1)


def _suffix() -> str:
    return uuid.uuid4().hex[:6]


@pytest.fixture
def region(db):
    """Zutphen (areas Noord, Zuid) and Lochem (area Centrum); teams Noord (Zutphen's Noord),
    Zuid (Zutphen's Zuid) and Lochem (Lochem's Centrum); organisations A and B.

    persons on 31-03: Zutphen 3 (p1, p2, p3), Lochem 2 (q1, q2); p4 registered on 01-04
        (after the period); r1 has no municipality.
    households on 31-03: h1 (p1, p2) Zutphen; h2 (p3, member until 31-03 exclusive: ended)
        none; h3 (q1) Lochem; h4 (p3 current and q2 current) both; h5 (q2 from 01-04) none.
        So Zutphen: h1, h4 = 2; Lochem: h3, h4 = 2.
    memberships on 31-03:
        Noord: u1 A 24, u2 A 16, u3 B 32, u4 none 8, u5 A 36 ended 31-03 (exclusive: out),
               u6 A 20 from 01-04 (future: out), u7 B without hours (counted as staff).
        Zuid:  u1 A 12 (ends 01-04: still current on 31-03).
        Lochem: u8 B 40.
    """
    s = _suffix()
    zutphen = Municipality(cbs_code=f"G{s[:5]}", name=f"Zutphen {s}")
    lochem = Municipality(cbs_code=f"L{s[:5]}", name=f"Lochem {s}")
    db.add_all([zutphen, lochem])
    db.flush()
    noord_area = Area(municipality_id=zutphen.id, name="Noord")
    zuid_area = Area(municipality_id=zutphen.id, name="Zuid")
    centrum = Area(municipality_id=lochem.id, name="Centrum")
    noord = Team(name=f"Noord {s}", kind="integral", areas=[noord_area])
    zuid = Team(name=f"Zuid {s}", kind="integral", areas=[zuid_area])
    team_lochem = Team(name=f"Lochem {s}", kind="integral", areas=[centrum])
    org_a = Organisation(name=f"Org A {s}")
    org_b = Organisation(name=f"Org B {s}")
    db.add_all([noord_area, zuid_area, centrum, noord, zuid, team_lochem, org_a, org_b])
    db.flush()

    def person(name, municipality, created=LONG_AGO):
        row = Person(
            voornamen="Test",
            geslachtsnaam=name,
            search_name=name.lower(),
            municipality_id=municipality.id if municipality else None,
            created_at=dt.datetime.combine(created, dt.time(9), tzinfo=dt.UTC),
        )
        db.add(row)
        return row

    p1, p2, p3 = (person(n, zutphen) for n in ("Peters", "Pieters", "Pauw"))
    q1, q2 = person("Quist", lochem), person("Quint", lochem)
    person("Later", zutphen, D(2026, 4, 1))
    person("Nergens", None)
    db.flush()

    def household(name, *members):
        row = Household(name=name)
        db.add(row)
        db.flush()
        for who, start, end in members:
            db.add(
                HouseholdMember(
                    household_id=row.id, person_id=who.id, role="parent", start_on=start, end_on=end
                )
            )

    household("h1", (p1, D(2020, 1, 1), None), (p2, D(2026, 3, 31), None))
    household("h2", (p3, D(2020, 1, 1), D(2026, 3, 31)))
    household("h3", (q1, D(2020, 1, 1), None))
    household("h4", (p3, D(2026, 3, 31), None), (q2, D(2020, 1, 1), D(2026, 4, 1)))
    household("h5", (q2, D(2026, 4, 1), None))

    users = []
    for i in range(1, 9):
        user = User(
            id=uuid.uuid4(),
            username=f"u{i}-{s}",
            display_name=f"U{i}",
            kind="professional",
            password_hash="x",
            session_version=1,
        )
        db.add(user)
        users.append(user)
    db.flush()
    u = dict(enumerate(users, start=1))

    def member(user, team, org, hours, start=LONG_AGO, end=None):
        db.add(
            Membership(
                user_id=user.id,
                team_id=team.id,
                role="professional",
                home_organisation_id=org.id if org else None,
                hours_per_week=Decimal(hours) if hours is not None else None,
                start_on=start,
                end_on=end,
            )
        )

    member(u[1], noord, org_a, "24")
    member(u[2], noord, org_a, "16")
    member(u[3], noord, org_b, "32")
    member(u[4], noord, None, "8")
    member(u[5], noord, org_a, "36", end=D(2026, 3, 31))
    member(u[6], noord, org_a, "20", start=D(2026, 4, 1))
    member(u[7], noord, org_b, None)
    member(u[1], zuid, org_a, "12", end=D(2026, 4, 1))
    member(u[8], team_lochem, org_b, "40")
    db.commit()
    return {
        "zutphen": zutphen,
        "lochem": lochem,
        "noord_area": noord_area,
        "centrum": centrum,
        "noord": noord,
        "zuid": zuid,
        "team_lochem": team_lochem,
        "org_a": org_a,
        "org_b": org_b,
    }


def _filters(app, **kwargs):
    dialect = app.extensions["openregie"].engine.dialect.name
    return MetricFilters(period_start=PERIOD[0], period_end=PERIOD[1], dialect=dialect, **kwargs)


def _run(db, metric_id, filters):
    metric = {m.id: m for m in definitions()}[metric_id]
    statement = metric.query(filters)
    assert list(statement.selected_columns.keys()) == [*metric.dimensions, "value"]
    rows = db.execute(statement).all()
    columns = (*metric.dimensions, "value")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _by(rows, *dimensions):
    if len(dimensions) == 1:
        return {row[dimensions[0]]: row["value"] for row in rows}
    return {tuple(row[d] for d in dimensions): row["value"] for row in rows}


def _mine(region, rows, key="municipality"):
    """Only the rows of this test's region (other tests may share the database)."""
    names = {region[k].name for k in ("zutphen", "lochem", "noord", "zuid", "team_lochem")}
    return [row for row in rows if row[key] in names]


def test_every_definition_is_contributed_with_the_core_prefix():
    metrics = openregie_report_metrics()
    ids = [m.id for m in metrics]
    assert ids == ["core.persons", "core.households", "core.contracted_hours", "core.staff"]
    assert all(isinstance(m, MetricDefinition) and m.kind == "aggregate" for m in metrics)
    dimensions = {m.id: m.dimensions for m in metrics}
    assert dimensions == {
        "core.persons": ("municipality",),
        "core.households": ("municipality",),
        "core.contracted_hours": ("team", "organisation"),
        "core.staff": ("team",),
    }


def test_persons_per_municipality_at_the_period_end(app, db, region):
    rows = _mine(region, _run(db, "core.persons", _filters(app)))
    assert _by(rows, "municipality") == {region["zutphen"].name: 3, region["lochem"].name: 2}
    only_lochem = _run(db, "core.persons", _filters(app, municipality_ids=(region["lochem"].id,)))
    assert _by(only_lochem, "municipality") == {region["lochem"].name: 2}


def test_a_person_registered_on_the_last_evening_counts_in_dutch_time(app, db, region):
    """23:30 Dutch time on 31-03 is 21:30 UTC: in; 00:30 on 01-04 is 22:30 UTC on 31-03: out."""
    for name, moment in (
        ("Laatavond", dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC)),
        ("Nanacht", dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)),
    ):
        db.add(
            Person(
                voornamen="Test",
                geslachtsnaam=name,
                search_name=name.lower(),
                municipality_id=region["lochem"].id,
                created_at=moment,
            )
        )
    db.commit()
    rows = _run(db, "core.persons", _filters(app, municipality_ids=(region["lochem"].id,)))
    assert _by(rows, "municipality") == {region["lochem"].name: 3}


def test_households_with_a_current_member_per_municipality(app, db, region):
    rows = _mine(region, _run(db, "core.households", _filters(app)))
    assert _by(rows, "municipality") == {region["zutphen"].name: 2, region["lochem"].name: 2}


def test_area_and_team_filters_narrow_persons_to_their_municipality(app, db, region):
    by_area = _run(db, "core.persons", _filters(app, area_ids=(region["centrum"].id,)))
    assert _by(by_area, "municipality") == {region["lochem"].name: 2}
    by_team = _run(db, "core.households", _filters(app, team_ids=(region["noord"].id,)))
    assert _by(by_team, "municipality") == {region["zutphen"].name: 2}


def test_contracted_hours_per_team_and_organisation(app, db, region):
    rows = _mine(region, _run(db, "core.contracted_hours", _filters(app)), "team")
    noord, zuid, lochem = (region[k].name for k in ("noord", "zuid", "team_lochem"))
    a, b = region["org_a"].name, region["org_b"].name
    # u5 ended on 31-03 (exclusive) and u6 starts 01-04: neither counts; u7 has no hours.
    assert _by(rows, "team", "organisation") == {
        (noord, a): Decimal("40"),
        (noord, b): Decimal("32"),
        (noord, None): Decimal("8"),
        (zuid, a): Decimal("12"),
        (lochem, b): Decimal("40"),
    }


def test_contracted_hours_honour_municipality_team_and_area_filters(app, db, region):
    noord, zuid = region["noord"].name, region["zuid"].name
    a, b = region["org_a"].name, region["org_b"].name
    zutphen = _run(
        db, "core.contracted_hours", _filters(app, municipality_ids=(region["zutphen"].id,))
    )
    # Lochem's team serves no area in Zutphen: left out.
    assert _by(zutphen, "team", "organisation") == {
        (noord, a): Decimal("40"),
        (noord, b): Decimal("32"),
        (noord, None): Decimal("8"),
        (zuid, a): Decimal("12"),
    }
    by_team = _run(db, "core.contracted_hours", _filters(app, team_ids=(region["zuid"].id,)))
    assert _by(by_team, "team", "organisation") == {(zuid, a): Decimal("12")}
    by_area = _run(db, "core.contracted_hours", _filters(app, area_ids=(region["centrum"].id,)))
    assert _by(by_area, "team", "organisation") == {(region["team_lochem"].name, b): Decimal("40")}
    # Filters combine: Zuid's team lies in Zutphen but does not serve Noord's area.
    none = _run(
        db,
        "core.contracted_hours",
        _filters(app, team_ids=(region["zuid"].id,), area_ids=(region["noord_area"].id,)),
    )
    assert none == []


def test_the_period_end_decides_which_memberships_are_current(app, db, region):
    filters = MetricFilters(
        period_start=D(2026, 4, 1),
        period_end=D(2026, 4, 30),
        dialect=app.extensions["openregie"].engine.dialect.name,
        team_ids=(region["noord"].id, region["zuid"].id),
    )
    rows = _run(db, "core.contracted_hours", filters)
    noord, a, b = region["noord"].name, region["org_a"].name, region["org_b"].name
    # u6 has started; Zuid's only membership ended on 01-04.
    assert _by(rows, "team", "organisation") == {
        (noord, a): Decimal("60"),
        (noord, b): Decimal("32"),
        (noord, None): Decimal("8"),
    }


def test_staff_per_team(app, db, region):
    rows = _run(db, "core.staff", _filters(app, municipality_ids=(region["zutphen"].id,)))
    # Noord: u1, u2, u3, u4, u7 (u5 ended, u6 not yet); Zuid: u1.
    assert _by(rows, "team") == {region["noord"].name: 5, region["zuid"].name: 1}


def test_the_accessor_lists_core_metrics(app):
    with app.app_context():
        ids = {m.id for m in openregie_sdk.report_metrics()}
    assert {"core.persons", "core.households", "core.contracted_hours", "core.staff"} <= ids
    assert not any(i.startswith("casemanagement.") for i in ids)


def test_the_accessor_outside_an_application_raises():
    with pytest.raises(RuntimeError):
        openregie_sdk.report_metrics()


@pytest.mark.openregie_modules("casemanagement")
def test_the_accessor_adds_the_metrics_of_loaded_modules(app):
    with app.app_context():
        ids = [m.id for m in openregie_sdk.report_metrics()]
    assert len(ids) == len(set(ids))
    assert {"core.persons", "core.contracted_hours", "casemanagement.cases_opened"} <= set(ids)
