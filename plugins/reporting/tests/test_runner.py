"""The runner: casemanagement's real metric definitions run in the database on
hand-computed fixtures (see reporting_data.py), with the previous period paired, the
median and p90 computed in SQL with the same numbers on SQLite and PostgreSQL, failing
metrics reported as unavailable and filters resolved from codes and ids."""

from __future__ import annotations

import importlib.util
import statistics
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, literal, select, text

from openregie_reporting.engine.periods import parse_period
from openregie_reporting.engine.runner import (
    UnknownFilter,
    distribution_query,
    metrics,
    resolve_filters,
    run,
)
from openregie_sdk.contributions import MetricDefinition


def _data_module():
    name = "openregie_reporting_test_data"
    if name not in sys.modules:
        path = Path(__file__).with_name("reporting_data.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


data = _data_module().data
Q3, Q2 = parse_period("2026-Q3"), parse_period("2026-Q2")


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["reporting", "casemanagement"]


def _filters(period, code, **kwargs):
    return resolve_filters(period.start, period.end, municipality=code, **kwargs)


def _results(data, *ids, compare=True, **kwargs):
    chosen = [m for m in metrics() if not ids or m.id in ids]
    previous = _filters(Q2, data.code, **kwargs) if compare else None
    return {r.id: r for r in run(chosen, _filters(Q3, data.code, **kwargs), previous)}


def _table(result):
    return {
        (row.key[0] if len(row.key) == 1 else row.key): (
            dict(row.values),
            None if row.previous is None else dict(row.previous),
        )
        for row in result.rows
    }


def test_the_loaded_modules_contribute_their_metrics(app, db):
    ids = [m.id for m in metrics() if m.id.startswith("casemanagement.")]
    assert len(ids) == len(set(ids)) == 12


def test_without_casemanagement_its_metrics_simply_do_not_appear(make_app):
    app = make_app(["reporting"])
    with app.app_context():
        assert not [m for m in metrics() if m.id.startswith("casemanagement.")]
        filters = resolve_filters(Q3.start, Q3.end)
        assert all(r.id.split(".")[0] != "casemanagement" for r in run(metrics(), filters))


def test_counts_per_team_with_the_previous_period(app, db, data):
    results = _results(data, "casemanagement.cases_opened", "casemanagement.cases_closed")
    opened = results["casemanagement.cases_opened"]
    assert opened.available and opened.compared
    assert _table(opened) == {
        data.noord.name: ({"value": 7}, {"value": 5}),
        data.zuid.name: ({"value": 2}, {"value": None}),
    }
    assert _table(results["casemanagement.cases_closed"]) == {
        "doelen_bereikt": ({"value": 4}, {"value": None}),
        "verhuisd": ({"value": 2}, {"value": 2}),
    }


def test_a_combination_only_in_the_previous_period_is_kept(app, db, data):
    closed = run(
        [m for m in metrics() if m.id == "casemanagement.cases_closed"],
        _filters(Q2, data.code),
        _filters(Q3, data.code),
    )[0]
    assert _table(closed) == {
        "doelen_bereikt": ({"value": None}, {"value": 4}),
        "verhuisd": ({"value": 2}, {"value": 2}),
    }


def test_the_municipality_filter_leaves_other_municipalities_out(app, db, data):
    elders = _results(data, "casemanagement.cases_opened", compare=False)
    assert sum(r.values["value"] for r in elders["casemanagement.cases_opened"].rows) == 9
    other = run(
        [m for m in metrics() if m.id == "casemanagement.cases_opened"],
        _filters(Q3, data.other_code),
    )[0]
    assert _table(other) == {data.ver.name: ({"value": 3}, None)}


def test_team_and_area_filters(app, db, data):
    noord = _results(data, "casemanagement.cases_opened", team_ids=[data.noord.id])
    assert list(_table(noord["casemanagement.cases_opened"])) == [data.noord.name]
    centrum = _results(data, "casemanagement.cases_opened", area_ids=[data.centrum.id])
    assert len(centrum["casemanagement.cases_opened"].rows) == 2


def test_distributions_give_count_median_and_p90(app, db, data):
    results = _results(data, "casemanagement.case_duration", "casemanagement.waiting_time")
    duration = results["casemanagement.case_duration"]
    assert _table(duration) == {
        (): (
            {"count": 6, "median": 275.0, "p90": 315.0},
            {"count": 2, "median": 205.0, "p90": 209.0},
        )
    }
    waits = results["casemanagement.waiting_time"]
    assert _table(waits) == {
        ("GGZ B", "jeugd_ggz"): (
            {"count": 1, "median": 3.0, "p90": 3.0},
            {"count": None, "median": None, "p90": None},
        ),
        ("Zorg A", "begeleiding"): (
            {"count": 10, "median": 5.5, "p90": 9.1},
            {"count": None, "median": None, "p90": None},
        ),
    }
    # The method is percentile_cont's: Python's inclusive quantiles agree.
    values = list(range(1, 11))
    assert statistics.median(values) == 5.5
    assert round(statistics.quantiles(values, n=10, method="inclusive")[8], 2) == 9.1


def test_an_empty_distribution_without_dimensions_has_count_zero(app, db, data):
    empty = run(
        [m for m in metrics() if m.id == "casemanagement.case_duration"],
        _filters(parse_period("2020"), data.code),
    )[0]
    assert _table(empty) == {(): ({"count": 0, "median": None, "p90": None}, None)}


def _values_definition(values, dimension=True):
    """A distribution over literal values, one group "a" (and all values in group "b")."""

    def query(filters):
        parts = []
        for value in values:
            columns = [literal(value).label("value")]
            if dimension:
                columns = [literal("a").label("group"), *columns]
            parts.append(select(*columns))
        return parts[0].union_all(*parts[1:]) if len(parts) > 1 else parts[0]

    return MetricDefinition(
        id="test.values",
        title="Waarden",
        unit="dagen",
        kind="distribution",
        dimensions=("group",) if dimension else (),
        query=query,
    )


@pytest.mark.parametrize(
    "values",
    [[5], [1, 2], [3, 1, 2], [10, 0, 7, 7, 3], list(range(1, 21)), [2, 9, 4, 4, 100, 13, 8]],
)
def test_percentiles_match_percentile_cont_semantics(app, db, values):
    result = run([_values_definition(values)], resolve_filters(Q3.start, Q3.end))[0]
    (row,) = result.rows
    ordered = sorted(values)
    expected_p90 = (
        ordered[0]
        if len(values) == 1
        else statistics.quantiles(ordered, n=10, method="inclusive")[8]
    )
    assert row.key == ("a",)
    assert row.values == {
        "count": len(values),
        "median": round(float(statistics.median(values)), 2),
        "p90": round(float(expected_p90), 2),
    }


def test_on_postgresql_the_numbers_equal_percentile_cont(app, db, data):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's")
    definition = next(m for m in metrics() if m.id == "casemanagement.waiting_time")
    filters = _filters(Q3, data.code)
    items = definition.query(filters).subquery()
    reference = db.execute(
        select(
            items.c.provider,
            func.count(),
            func.percentile_cont(0.5).within_group(items.c.value),
            func.percentile_cont(0.9).within_group(items.c.value),
        ).group_by(items.c.provider)
    ).all()
    ours = db.execute(distribution_query(definition, filters)).all()
    assert sorted((p, n, round(m, 2), round(q, 2)) for p, n, m, q in reference) == sorted(
        (p, n, round(m, 2), round(q, 2)) for p, _c, n, m, q in ours
    )


def test_a_failing_metric_is_unavailable_and_the_others_still_run(app, db, data, caplog):
    broken = MetricDefinition(
        id="broken.metric",
        title="Kapot",
        unit="stuks",
        query=lambda filters: select(text("value FROM no_such_table")),
    )
    chosen = [broken, *[m for m in metrics() if m.id == "casemanagement.cases_opened"]]
    results = run(chosen, _filters(Q3, data.code), _filters(Q2, data.code))
    assert [r.available for r in results] == [False, True]
    assert results[0].rows == () and results[0].error
    assert sum(r.values["value"] for r in results[1].rows) == 9
    assert "broken.metric" in caplog.text


@pytest.mark.parametrize("code", ["GM9999X", "XX0262", ""])
def test_an_unknown_municipality_is_refused(app, db, data, code):
    if not code:
        assert resolve_filters(Q3.start, Q3.end, municipality=code).municipality_ids == ()
        return
    with pytest.raises(UnknownFilter, match="unknown municipality"):
        resolve_filters(Q3.start, Q3.end, municipality=code)


def test_codes_are_case_insensitive_and_unknown_teams_and_areas_refused(app, db, data):
    filters = resolve_filters(Q3.start, Q3.end, municipality=data.code.lower())
    assert filters.municipality_ids == (data.zutphen.id,)
    assert filters.dialect == db.get_bind().dialect.name
    with pytest.raises(UnknownFilter, match="unknown team"):
        resolve_filters(Q3.start, Q3.end, team_ids=[uuid.uuid4()])
    with pytest.raises(UnknownFilter, match="unknown area"):
        resolve_filters(Q3.start, Q3.end, area_ids=[uuid.uuid4()])


@pytest.mark.parametrize("workers", [2, 4])
def test_metrics_run_at_once_give_the_numbers_they_give_one_after_another(
    app, db, data, workers, caplog
):
    """On PostgreSQL the queries run on several connections at once (elsewhere the setting
    changes nothing): the same rows, the same failures, in the definitions' order."""
    broken = MetricDefinition(
        id="broken.metric",
        title="Kapot",
        unit="stuks",
        query=lambda filters: select(text("value FROM no_such_table")),
    )
    chosen = [*metrics(), broken]
    current, previous = _filters(Q3, data.code), _filters(Q2, data.code)
    one_by_one = run(chosen, current, previous, workers=1)
    at_once = run(chosen, current, previous, workers=workers)
    assert [r.id for r in at_once] == [r.id for r in one_by_one] == [m.id for m in chosen]
    assert [(r.available, r.rows) for r in at_once] == [(r.available, r.rows) for r in one_by_one]
    assert not at_once[-1].available and "broken.metric" in caplog.text
    opened = next(r for r in at_once if r.id == "casemanagement.cases_opened")
    assert sum(row.values["value"] for row in opened.rows) == 9
