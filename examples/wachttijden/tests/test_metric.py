"""The reporting metric `wachttijden.waiting_weeks`: one row per measurement in the period
with its category and provider, so reporting gives the median per category and provider."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from openregie_sdk import db_session, report_metrics
from openregie_sdk.contributions import MetricFilters

METRIC = "wachttijden.waiting_weeks"


def test_the_metric_is_contributed_as_a_distribution_per_category_and_provider(app):
    with app.app_context():
        metric = {m.id: m for m in report_metrics()}[METRIC]
    assert metric.kind == "distribution"
    assert metric.dimensions == ("product_category", "provider")
    assert metric.unit == "weken"
    assert metric.labels["product_category"]["jeugd_ggz"] == "Jeugd-ggz"


def test_the_query_returns_the_measurements_of_the_period(app, run_cli, feed):
    path = feed(
        "Zorg Oost BV;12345678;begeleiding;4;2026-01-05",
        "Zorg Oost BV;12345678;begeleiding;6;2026-02-02",
        "Zorg Oost BV;12345678;begeleiding;11;2026-03-02",
        "Zorg Oost BV;12345678;dagbesteding;1;2026-02-02",
        "Jeugdhulp Noord;87654321;begeleiding;8;2026-02-02",
        "Zorg Oost BV;12345678;begeleiding;30;2025-12-31",  # before the period
    )
    assert run_cli("import", path).exit_code == 0
    with app.app_context():
        metric = {m.id: m for m in report_metrics()}[METRIC]
        filters = MetricFilters(period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31))
        rows = db_session().execute(metric.query(filters)).mappings().all()
    values = defaultdict(list)
    for row in rows:
        values[(row["product_category"], row["provider"])].append(row["value"])
    medians = {key: statistics.median(v) for key, v in values.items()}
    assert medians == {
        ("begeleiding", "Zorg Oost BV"): 6,
        ("dagbesteding", "Zorg Oost BV"): 1,
        ("begeleiding", "Jeugdhulp Noord"): 8,
    }


def test_the_reporting_module_shows_the_median_per_category_and_provider(make_app, feed):
    """With OpenRegie's reporting module (whatever the municipality picks) the metric is a
    table of its own: the median of the measurements per category and provider."""
    from click.testing import CliRunner
    from openregie_sdk.testing.plugin import log_in

    from wachttijden_openregie.cli import group

    app = make_app(
        ["reporting", "wachttijden"], module_config={"reporting": {"suppression_threshold": 1}}
    )
    path = feed(
        "Zorg Oost BV;12345678;begeleiding;4;2026-01-05",
        "Zorg Oost BV;12345678;begeleiding;6;2026-02-02",
        "Zorg Oost BV;12345678;begeleiding;11;2026-03-02",
    )
    with app.app_context():
        assert CliRunner().invoke(group, ["import", str(path)]).exit_code == 0
    client = app.test_client()
    log_in(app, client, "policy_officer")
    response = client.get("/rapportage/download.csv", query_string={"periode": "2026-Q1"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Wachttijd bij zorgaanbieders" in text
    table = text[text.index("Wachttijd bij zorgaanbieders (weken)") :].splitlines()
    assert table[1].startswith("Productcategorie;Zorgaanbieder;Aantal;Mediaan;")
    assert table[2].startswith("Begeleiding;Zorg Oost BV;3;6;")  # three measurements, median 6
