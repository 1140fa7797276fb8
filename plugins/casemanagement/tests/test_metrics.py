"""Reporting metrics: each definition's query, run on hand-computed fixtures, gives the
exact numbers, and honours the period, municipality, team and area filters."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from decimal import Decimal

import pytest

from openregie_casemanagement.metrics import definitions, openregie_report_metrics
from openregie_casemanagement.models import (
    Allocation,
    Case,
    CaseLifeDomain,
    CasePerson,
    Goal,
    Plan,
    ZrmAssessment,
    ZrmScore,
)
from openregie_sdk.contributions import MetricFilters
from openregie_sdk.registry import Area, Municipality, Team

D = dt.date
PERIOD = (D(2026, 1, 1), D(2026, 3, 31))


@pytest.fixture
def data(db, world):
    """Noord and Zuid (Zutphen's area Centrum) and Elders (another municipality) with:

    noord: c1 new 10-01 (gp; finances, housing), open; c2 opened 01-12-2025, closed 10-02
           (doelen_bereikt, 71 days; self); c4 opened 01-06-2025, open; c5 new after the
           period (05-04).
    zuid:  c3 new 01-02 (school; parenting), closed 03-03 (verhuisd, 30 days).
    elders: cx new 15-01 (gp; finances), closed 15-02 (verhuisd, 31 days), with allocations,
           goals and ZRM scores that every municipality filter must leave out.
    """
    other = Municipality(cbs_code=f"GM{uuid.uuid4().int % 10000:04d}", name="Elders")
    db.add(other)
    db.flush()
    far = Area(municipality_id=other.id, name="Ver weg")
    elders = Team(name=f"Elders {uuid.uuid4().hex[:6]}", kind="integral")
    elders.areas.append(far)
    db.add_all([far, elders])
    db.flush()

    def case(team, opened, closed=None, reason=None, source="self", domains=()):
        row = Case(
            household_id=world.household.id,
            team_id=team.id,
            title="casus",
            status="afgesloten" if closed else "uitvoering",
            opened_on=opened,
            closed_on=closed,
            closure_reason=reason,
            referral_source=source,
        )
        db.add(row)
        db.flush()
        db.add(CasePerson(case_id=row.id, person_id=world.anna.id))
        db.add_all([CaseLifeDomain(case_id=row.id, life_domain=d) for d in domains])
        return row

    c1 = case(world.noord, D(2026, 1, 10), source="gp", domains=("finances", "housing"))
    c2 = case(world.noord, D(2025, 12, 1), D(2026, 2, 10), "doelen_bereikt", "self")
    c3 = case(world.zuid, D(2026, 2, 1), D(2026, 3, 3), "verhuisd", "school", ("parenting",))
    c4 = case(world.noord, D(2025, 6, 1))
    c5 = case(world.noord, D(2026, 4, 5), source="police")
    cx = case(elders, D(2026, 1, 15), D(2026, 2, 15), "verhuisd", "gp", ("finances",))

    def allocation(row, law, category, provider, decided, start, end=None, status="started"):
        db.add(
            Allocation(
                case_id=row.id,
                person_id=world.anna.id,
                law=law,
                product_category=category,
                provider_name=provider,
                volume=Decimal("2"),
                unit="hour",
                frequency="week",
                requested_on=D(2025, 10, 1),
                decided_on=decided,
                start_on=start,
                end_on=end,
                status=status,
                stop_reason="goals_achieved" if status == "stopped" else None,
            )
        )

    # Running on 31-03: a1, a2, a4 (not a3: stopped 15-03; not a5: not started).
    allocation(c1, "wmo", "begeleiding", "Zorg A", D(2026, 1, 5), D(2026, 1, 19))  # wait 14
    allocation(c2, "wmo", "begeleiding", "Zorg A", D(2026, 1, 10), D(2026, 2, 9))  # wait 30
    allocation(c3, "jeugdwet", "jeugd_ggz", "GGZ B", D(2025, 12, 1), D(2026, 1, 1),
               D(2026, 3, 15), "stopped")  # fmt: skip  # wait 31
    allocation(c4, "jeugdwet", "jeugd_ggz", "GGZ B", D(2025, 5, 1), D(2025, 6, 1))  # before
    allocation(c4, "wmo", "dagbesteding", "Dag C", D(2026, 3, 1), None, status="allocated")
    allocation(cx, "wmo", "begeleiding", "Zorg A", D(2026, 1, 1), D(2026, 2, 1))  # elders

    def zrm(row, moment, on, scores):
        assessment = ZrmAssessment(case_id=row.id, moment=moment, assessed_on=on)
        db.add(assessment)
        db.flush()
        db.add_all(
            [ZrmScore(assessment_id=assessment.id, life_domain=d, score=s) for d, s in scores]
        )

    # c1: first intake (not the later one) against the latest evaluation in the period.
    zrm(c1, "intake", D(2026, 1, 12), [("finances", 1), ("housing", 2)])
    zrm(c1, "intake", D(2026, 1, 20), [("finances", 3), ("housing", 3)])
    zrm(c1, "evaluation", D(2026, 2, 1), [("finances", 2), ("housing", 2)])
    zrm(c1, "evaluation", D(2026, 3, 1), [("finances", 4), ("housing", 3)])  # +3, +1
    # c2: finances +1 (intake 2 -> 3); its evaluation after the period is ignored.
    zrm(c2, "intake", D(2025, 12, 5), [("finances", 2), ("parenting", 3)])
    zrm(c2, "evaluation", D(2026, 2, 5), [("finances", 3)])
    zrm(c2, "evaluation", D(2026, 5, 1), [("finances", 5), ("parenting", 5)])
    # c3: only an intake: not counted. cx: elders.
    zrm(c3, "intake", D(2026, 2, 2), [("parenting", 1)])
    zrm(cx, "intake", D(2026, 1, 16), [("finances", 1)])
    zrm(cx, "evaluation", D(2026, 2, 14), [("finances", 5)])

    def goals(row, *statuses):
        plan = Plan(case_id=row.id)
        db.add(plan)
        db.flush()
        db.add_all(
            [Goal(plan_id=plan.id, life_domain="finances", text="doel", status=s) for s in statuses]
        )

    goals(c1, "achieved", "open", "in_progress")
    goals(c2, "achieved", "not_achieved")
    goals(c3, "achieved")
    goals(c5, "achieved")  # opened after the period
    goals(cx, "achieved", "achieved")
    db.commit()
    return {"other": other, "elders": elders, "c5": c5}


def _filters(app, **kwargs):
    dialect = app.extensions["openregie"].engine.dialect.name
    return MetricFilters(period_start=PERIOD[0], period_end=PERIOD[1], dialect=dialect, **kwargs)


def _run(db, metric_id, filters):
    metric = {m.id: m for m in definitions()}[metric_id]
    rows = db.execute(metric.query(filters)).all()
    columns = (*metric.dimensions, "value", *((metric.counted_by,) if metric.counted_by else ()))
    assert all(len(row) == len(columns) for row in rows)
    return metric, [dict(zip(columns, row, strict=True)) for row in rows]


def _by(rows, *dimensions):
    key = dimensions[0] if len(dimensions) == 1 else None
    if key:
        return {row[key]: row["value"] for row in rows}
    return {tuple(row[d] for d in dimensions): row["value"] for row in rows}


def test_every_definition_is_contributed_with_the_module_prefix():
    ids = [m.id for m in openregie_report_metrics()]
    assert len(ids) == len(set(ids)) == 12
    assert all(i.startswith("casemanagement.") for i in ids)


def test_coded_dimensions_carry_their_dutch_labels_and_averages_their_count():
    metrics = {m.id: m for m in definitions()}
    for metric in metrics.values():
        assert set(metric.labels) <= set(metric.dimensions), metric.id
    assert metrics["casemanagement.life_domains"].labels["life_domain"]["finances"] == "Financiën"
    assert metrics["casemanagement.cases_closed"].labels["closure_reason"]["verhuisd"] == (
        "Verhuisd buiten het werkgebied"
    )
    assert metrics["casemanagement.allocations_running"].labels["law"]["wmo"] == "Wmo"
    assert metrics["casemanagement.help_by_team"].labels["help"]["team"] == "Door het team zelf"
    assert metrics["casemanagement.zrm_progress"].counted_by == "count"
    assert [m.id for m in metrics.values() if m.counted_by] == ["casemanagement.zrm_progress"]


def test_case_counts_in_zutphen(app, db, world, data):
    zutphen = _filters(app, municipality_ids=(world.municipality.id,))
    _, opened = _run(db, "casemanagement.cases_opened", zutphen)
    assert _by(opened, "team") == {world.noord.name: 1, world.zuid.name: 1}
    _, still_open = _run(db, "casemanagement.cases_open", zutphen)
    assert _by(still_open, "team") == {world.noord.name: 2}  # c1, c4
    _, closed = _run(db, "casemanagement.cases_closed", zutphen)
    assert _by(closed, "closure_reason") == {"doelen_bereikt": 1, "verhuisd": 1}
    metric, durations = _run(db, "casemanagement.case_duration", zutphen)
    assert metric.kind == "distribution"
    assert sorted(int(r["value"]) for r in durations) == [30, 71]
    _, sources = _run(db, "casemanagement.referral_sources", zutphen)
    assert _by(sources, "referral_source") == {"gp": 1, "school": 1}
    _, domains = _run(db, "casemanagement.life_domains", zutphen)
    assert _by(domains, "life_domain") == {"finances": 1, "housing": 1, "parenting": 1}


def test_allocation_metrics_in_zutphen(app, db, world, data):
    zutphen = _filters(app, municipality_ids=(world.municipality.id,))
    _, running = _run(db, "casemanagement.allocations_running", zutphen)
    assert _by(running, "law", "product_category") == {
        ("wmo", "begeleiding"): 2,
        ("jeugdwet", "jeugd_ggz"): 1,
    }
    _, started = _run(db, "casemanagement.allocations_started", zutphen)
    assert _by(started, "product_category", "provider") == {
        ("begeleiding", "Zorg A"): 2,
        ("jeugd_ggz", "GGZ B"): 1,
    }
    metric, waits = _run(db, "casemanagement.waiting_time", zutphen)
    assert metric.kind == "distribution"
    assert sorted((r["provider"], int(r["value"])) for r in waits) == [
        ("GGZ B", 31),
        ("Zorg A", 14),
        ("Zorg A", 30),
    ]
    assert statistics.median(int(r["value"]) for r in waits) == 30


def test_zrm_progress_compares_the_first_intake_with_the_latest_evaluation(app, db, world, data):
    zutphen = _filters(app, municipality_ids=(world.municipality.id,))
    _, progress = _run(db, "casemanagement.zrm_progress", zutphen)
    values = {k: float(v) for k, v in _by(progress, "life_domain").items()}
    assert values == {"finances": 2.0, "housing": 1.0}  # finances (3 + 1) / 2
    counts = {row["life_domain"]: row["count"] for row in progress}
    assert counts == {"finances": 2, "housing": 1}  # c1 and c2; c1


def test_help_by_the_team_itself_versus_a_granted_provision(app, db, world, data):
    zutphen = _filters(app, municipality_ids=(world.municipality.id,))
    _, winter = _run(db, "casemanagement.help_by_team", zutphen)
    # c1, c2, c3 and c4 were open in Q1 and each had a provision running in it.
    assert _by(winter, "help") == {"provision": 4}
    spring = MetricFilters(
        period_start=D(2026, 4, 1),
        period_end=D(2026, 6, 30),
        municipality_ids=(world.municipality.id,),
        dialect=app.extensions["openregie"].engine.dialect.name,
    )
    _, help_rows = _run(db, "casemanagement.help_by_team", spring)
    # c1 and c4 still have theirs; c5 (new 05-04) is handled by the team itself.
    assert _by(help_rows, "help") == {"provision": 2, "team": 1}


def test_goals_by_status_of_cases_open_in_the_period(app, db, world, data):
    zutphen = _filters(app, municipality_ids=(world.municipality.id,))
    _, goals = _run(db, "casemanagement.goals_achieved", zutphen)
    counts = _by(goals, "status")
    assert counts == {"achieved": 3, "open": 1, "in_progress": 1, "not_achieved": 1}
    assert counts["achieved"] / sum(counts.values()) == 0.5


def test_without_a_municipality_filter_the_other_municipality_counts(app, db, world, data):
    everywhere = _filters(app, team_ids=(world.noord.id, world.zuid.id, data["elders"].id))
    _, opened = _run(db, "casemanagement.cases_opened", everywhere)
    assert sum(r["value"] for r in opened) == 3
    _, goals = _run(db, "casemanagement.goals_achieved", everywhere)
    assert _by(goals, "status")["achieved"] == 5
    only_elders = _filters(app, municipality_ids=(data["other"].id,))
    _, closed = _run(db, "casemanagement.cases_closed", only_elders)
    assert _by(closed, "closure_reason") == {"verhuisd": 1}
    _, waits = _run(db, "casemanagement.waiting_time", only_elders)
    assert [int(r["value"]) for r in waits] == [31]


def test_team_and_area_filters_narrow_to_noord(app, db, world, data):
    noord = _filters(app, team_ids=(world.noord.id,), area_ids=(world.area.id,))
    _, opened = _run(db, "casemanagement.cases_opened", noord)
    assert _by(opened, "team") == {world.noord.name: 1}
    _, closed = _run(db, "casemanagement.cases_closed", noord)
    assert _by(closed, "closure_reason") == {"doelen_bereikt": 1}
    _, running = _run(db, "casemanagement.allocations_running", noord)
    assert _by(running, "law", "product_category") == {
        ("wmo", "begeleiding"): 2,
        ("jeugdwet", "jeugd_ggz"): 1,  # c4's since 2025
    }
    far = _filters(app, area_ids=(uuid.uuid4(),))
    for metric in definitions():
        assert db.execute(metric.query(far)).all() == [], metric.id


def test_the_period_moves_what_counts(app, db, world, data):
    spring = MetricFilters(
        period_start=D(2026, 4, 1),
        period_end=D(2026, 6, 30),
        municipality_ids=(world.municipality.id,),
        dialect=app.extensions["openregie"].engine.dialect.name,
    )
    _, sources = _run(db, "casemanagement.referral_sources", spring)
    assert _by(sources, "referral_source") == {"police": 1}
    _, running = _run(db, "casemanagement.allocations_running", spring)
    assert _by(running, "law", "product_category") == {
        ("wmo", "begeleiding"): 2,
        ("jeugdwet", "jeugd_ggz"): 1,
    }
    _, progress = _run(db, "casemanagement.zrm_progress", spring)
    values = {k: float(v) for k, v in _by(progress, "life_domain").items()}
    assert values == {"finances": 3.0, "parenting": 2.0}  # c2's evaluation of 01-05
