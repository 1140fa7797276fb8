"""The report as shown (suppressed, with the previous period) and its CSV and XLSX exports,
which hold exactly the report's cells; one audit record per export."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import literal, select, text

from openregie_reporting.engine.export import ExportError, deliver, render, table_lines
from openregie_reporting.engine.periods import parse_period
from openregie_reporting.engine.report import build_report
from openregie_reporting.engine.runner import metrics
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
NOW = dt.datetime(2026, 10, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["reporting", "casemanagement"]


@pytest.fixture
def report(app, db, data):
    chosen = [m for m in metrics() if m.id.startswith("casemanagement.")]
    return build_report(
        parse_period("2026-Q3"), municipality=data.code, definitions=chosen, now=NOW
    )


def _lines(report, metric_id):
    table = next(t for t in report.tables if t.id == metric_id)
    lines = {(line.key[0] if len(line.key) == 1 else line.key): line.cells for line in table.lines}
    return table, lines


def test_counts_are_suppressed_with_secondary_suppression(report, data):
    assert report.threshold == 5  # the module's default setting
    assert report.id == f"{data.code}/2026-Q3"
    assert report.previous.label == "2026-Q2"
    table, lines = _lines(report, "casemanagement.cases_opened")
    assert table.counts and table.columns == ("value", "previous", "change")
    # Zuid's 2 is small; Noord's 7 is hidden too, else 9 - 7 would give Zuid away.
    assert lines == {
        data.noord.name: {"value": "x", "previous": 5, "change": "x"},
        data.zuid.name: {"value": "<5", "previous": 0, "change": "x"},
    }
    assert table.total.key == ("Totaal",)
    assert table.total.cells == {"value": 9, "previous": 5, "change": 4}


def test_two_small_cells_protect_each_other_and_a_small_total_is_hidden(report):
    table, lines = _lines(report, "casemanagement.cases_closed")
    assert lines == {
        "doelen_bereikt": {"value": "<5", "previous": 0, "change": "x"},
        "verhuisd": {"value": "<5", "previous": "<5", "change": "x"},
    }
    assert table.total.cells == {"value": 6, "previous": "<5", "change": "x"}


def test_distributions_hide_median_and_p90_of_small_groups(report):
    table, lines = _lines(report, "casemanagement.case_duration")
    assert not table.counts and table.total is None
    assert lines == {
        (): {
            "count": 6,
            "median": 275.0,
            "p90": 315.0,
            "previous_count": "<5",
            "previous_median": "<5",
            "previous_p90": "<5",
        }
    }
    _, waits = _lines(report, "casemanagement.waiting_time")
    assert waits[("GGZ B", "jeugd_ggz")] == {
        "count": "<5",
        "median": "<5",
        "p90": "<5",
        "previous_count": 0,
        "previous_median": None,
        "previous_p90": None,
    }
    assert waits[("Zorg A", "begeleiding")]["median"] == 5.5
    assert waits[("Zorg A", "begeleiding")]["p90"] == 9.1


def test_the_threshold_follows_the_argument(app, db, data):
    chosen = [m for m in metrics() if m.id == "casemanagement.cases_opened"]
    report = build_report(
        parse_period("2026-Q3"), municipality=data.code, definitions=chosen, threshold=8
    )
    _, lines = _lines(report, "casemanagement.cases_opened")
    assert lines[data.noord.name]["value"] == "<8"
    assert lines[data.zuid.name]["value"] == "<8"


def _sections(rows):
    """{metric id: the rows of its section} from exported rows."""
    sections, current = {}, None
    for row in rows:
        if len(row) >= 2 and isinstance(row[1], str) and row[1].startswith("casemanagement."):
            current = sections.setdefault(row[1], [])
        if current is not None and any(v not in (None, "") for v in row):
            current.append(row)
    return sections


def _trim(row):
    while row and row[-1] is None:
        row.pop()
    return row


def test_xlsx_holds_exactly_the_cells_of_the_report(report, data):
    workbook = load_workbook(io.BytesIO(render(report, "xlsx")))
    sheet = workbook["Rapport"]
    rows = [_trim(list(r)) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:2] == ["Gemeente", data.code]
    assert rows[2][1].startswith("2026-Q3 (2026-07-01 t/m 2026-09-30)")
    assert "<5" in rows[5][1]
    sections = _sections(rows)
    assert set(sections) == {t.id for t in report.tables}
    for table in report.tables:
        expected = [_trim([None if v == "" else v for v in line]) for line in table_lines(table)]
        assert sections[table.id] == expected, table.id
    opened = sections["casemanagement.cases_opened"]
    assert [data.zuid.name, "<5", 0, "x"] in opened
    assert ["Totaal", 9, 5, 4] in opened
    waits = sections["casemanagement.waiting_time"]
    # Codes are shown with their Dutch label (MetricDefinition.labels).
    assert waits[-1][:5] == ["Zorg A", "Begeleiding", 10, 5.5, 9.1]
    closed = sections["casemanagement.cases_closed"]
    assert closed[1] == ["Reden van afsluiten", "Waarde", "Vorige periode", "Verschil"]
    assert ["Doelen bereikt", "<5", 0, "x"] in closed


def test_csv_is_for_dutch_excel_and_holds_the_same_cells(report, data):
    raw = render(report, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["Gemeente", data.code]
    sections = _sections(rows)
    assert [data.noord.name, "x", "5", "x"] in sections["casemanagement.cases_opened"]
    assert ["Totaal", "9", "5", "4"] in sections["casemanagement.cases_opened"]
    zorg = next(r for r in sections["casemanagement.waiting_time"] if r[0] == "Zorg A")
    assert zorg[:5] == ["Zorg A", "Begeleiding", "10", "5,5", "9,1"]
    duration = sections["casemanagement.case_duration"]
    assert duration[-1][:3] == ["6", "275", "315"]


def test_an_unknown_format_is_refused(report):
    with pytest.raises(ExportError, match="csv or xlsx"):
        render(report, "pdf")


def test_an_export_is_audited_once_with_the_report_id(app, db, report, tmp_path):
    target = tmp_path / "rapport.xlsx"
    assert deliver(report, "xlsx", target) == target.stat().st_size
    app.extensions["openregie"].close_cli_session()
    records = db.execute(
        text(
            "SELECT action, processing_activity, data_subject_type, data_subject_id, "
            "status, module FROM core_audit_record WHERE data_subject_type = 'report'"
        )
    ).all()
    assert [tuple(r) for r in records] == [
        ("export", "reporting.report.export", "report", report.id, "ok", "reporting")
    ]


def test_a_report_of_all_loaded_metrics_runs(app, db, data):
    report = build_report(parse_period("2026-Q3"), municipality=data.code, now=NOW)
    # Core's contracted hours are shown as the formation table (hours against the norm).
    expected = {m.id for m in metrics()} - {"core.contracted_hours"} | {"reporting.formation"}
    assert {t.id for t in report.tables} == expected
    assert all(t.available for t in report.tables), [t.id for t in report.tables]
    render(report, "csv"), render(report, "xlsx")


def test_averages_are_not_counts_and_are_rounded_alike_everywhere(app, db, data):
    definition = MetricDefinition(
        id="casemanagement.test_average",
        title="Gemiddelde",
        unit="punten",
        dimensions=("life_domain",),
        query=lambda filters: select(
            literal("finances").label("life_domain"), literal(0.7777777).label("value")
        ),
    )
    report = build_report(
        parse_period("2026-Q3"), municipality=data.code, definitions=[definition], now=NOW
    )
    (table,) = report.tables
    assert not table.counts and table.total is None
    assert table.lines[0].cells == {"value": 0.78, "previous": 0.78, "change": 0.0}
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig")), delimiter=";"))
    assert ["finances", "0,78", "0,78", "0"] in rows
    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))["Rapport"]
    assert ("finances", 0.78, 0.78, 0) in list(sheet.iter_rows(values_only=True))


def test_an_average_resting_on_few_items_is_suppressed_with_its_count(app, db, data):
    def query(filters):
        rows = [("finances", 2.5, 3), ("housing", 1.25, 8)]
        selects = [
            select(
                literal(domain).label("life_domain"),
                literal(value).label("value"),
                literal(count).label("items"),
            )
            for domain, value, count in rows
        ]
        return selects[0].union_all(*selects[1:])

    definition = MetricDefinition(
        id="vendor.average",
        title="Gemiddelde",
        unit="punten",
        dimensions=("life_domain",),
        query=query,
        labels={"life_domain": {"housing": "Huisvesting"}},
        counted_by="items",
    )
    report = build_report(
        parse_period("2026-Q3"), municipality=data.code, definitions=[definition], now=NOW
    )
    (table,) = report.tables
    assert not table.counts and table.total is None
    assert table.columns == ("value", "count", "previous", "previous_count", "change")
    lines = {line.key[0]: line for line in table.lines}
    assert lines["finances"].cells == {
        "value": "<5", "count": "<5", "previous": "<5", "previous_count": "<5", "change": "x",
    }  # fmt: skip
    assert lines["housing"].cells == {
        "value": 1.25, "count": 8, "previous": 1.25, "previous_count": 8, "change": 0.0,
    }  # fmt: skip
    # A code with a label shows the label; one without shows the code.
    assert [line.shown for line in table.lines] == [("Huisvesting",), ("finances",)]
    rows = [_trim(list(r)) for r in load_workbook(io.BytesIO(render(report, "xlsx")))
            ["Rapport"].iter_rows(values_only=True)]  # fmt: skip
    assert ["finances", "<5", "<5", "<5", "<5", "x"] in rows


def test_registry_ids_in_a_dimension_are_shown_by_name(app, db, data):
    definition = MetricDefinition(
        id="vendor.by_team_id",
        title="Per team",
        unit="stuks",
        dimensions=("team_id",),
        query=lambda filters: select(
            literal(str(data.noord.id)).label("team_id"), literal(12).label("value")
        ),
    )
    report = build_report(
        parse_period("2026-Q3"), municipality=data.code, definitions=[definition], now=NOW
    )
    (table,) = report.tables
    assert table.headers == ("Team",)
    assert table.lines[0].shown == (data.noord.name,)
    assert [data.noord.name, 12, 12, 0] in [_trim(r) for r in table_lines(table)]
