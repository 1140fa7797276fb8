"""The report page (`/rapportage/`): the hand-computed numbers of reporting_data.py in its
tables, the same numbers in its CSV and XLSX downloads, suppression visible in tables and
charts (small counts, secondary cells, averages over few cases), accessible SVG charts,
bad filters answered with 400 naming the field, and audit records of views and downloads.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import re
import sys
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select, text

from openregie_sdk.db import Base


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


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["reporting", "casemanagement"]


class Tables(HTMLParser):
    """{caption: [[cell text, ...], ...]} of the tables of a page (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows: list[list[str]] | None = None
        self._caption: str | None = None
        self._text: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._text = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._text is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._text is not None:
            self._text.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def page(client, login_as, query: str, kind: str = "policy_officer"):
    login_as(kind)
    return client.get(f"/rapportage/?{query}")


def test_the_page_shows_the_hand_computed_numbers(app, client, login_as, data):
    response = page(client, login_as, f"periode=2026-Q3&gemeente={data.code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tables = tables_of(html)
    opened = tables["Nieuwe casussen (casussen)"]
    assert opened[0] == ["Team", "Waarde", "Vorige periode", "Verschil"]
    # Zuid's 2 is small; Noord's 7 is hidden as well, else 9 - 7 would give Zuid away.
    assert [data.noord.name, "x", "5", "x"] in opened
    assert [data.zuid.name, "<5", "0", "x"] in opened
    assert opened[-1] == ["Totaal", "9", "5", "4"]
    duration = tables["Doorlooptijd van afgesloten casussen (dagen)"]
    assert duration[1][:4] == ["Alle", "6", "275", "315"]
    waits = tables["Wachttijd tot start van de zorg (dagen)"]
    assert ["Zorg A", "Begeleiding", "10", "5,5", "9,1", "0", "", ""] in waits
    assert ["GGZ B", "Jeugd-ggz", "<5", "<5", "<5", "0", "", ""] in waits
    closed = tables["Afgesloten casussen (casussen)"]
    assert closed[0][0] == "Reden van afsluiten"
    assert ["Doelen bereikt", "<5", "0", "x"] in closed
    assert ["Verhuisd buiten het werkgebied", "<5", "<5", "x"] in closed


def test_sections_follow_the_order_of_the_accountability_story(app, client, login_as, data):
    html = page(client, login_as, f"periode=2026-Q3&gemeente={data.code}").get_data(as_text=True)
    headings = re.findall(r'<h2 class="utrecht-heading-2" id="sectie-([a-z_]+)"', html)
    assert headings == [
        "caseload",
        "referrals",
        "life_domains",
        "help",
        "allocations",
        "waiting",
        "outcomes",
        "formation",
        "other",
    ]


def test_charts_are_accessible_svg_and_do_not_draw_suppressed_cells(app, client, login_as, data):
    html = page(client, login_as, f"periode=2026-Q3&gemeente={data.code}").get_data(as_text=True)
    assert "<script" not in html.split('<main id="inhoud"')[1]
    svgs = re.findall(r'<svg class="reporting-chart".*?</svg>', html, re.S)
    assert svgs
    for svg in svgs:
        assert 'role="img"' in svg
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for ref in labelled:
            assert f'id="{ref}"' in svg
        assert "<title" in svg and "<desc" in svg
    opened = next(s for s in svgs if "Nieuwe casussen" in s)
    # Four bars' places (two teams, two periods): Noord 5 and Zuid 0 of Q2 drawn, the
    # suppressed Q3 cells shown as marked gaps with their mark, not as bars.
    assert opened.count("<rect") == 2
    assert "2026-Q3: x (verborgen)" in opened
    assert "2026-Q3: &lt;5 (verborgen)" in opened
    assert "2026-Q2: 5" in opened
    # Current and previous differ by pattern, not colour alone.
    assert 'fill="url(#reporting-hatch)"' in opened
    assert html.count('id="reporting-hatch"') == 1
    # Each chart is followed by its table alternative.
    after = html.split(opened, 1)[1]
    assert after.lstrip().startswith("</figure>")
    assert "<table" in after[:600]


def _zrm(db, case_ids, domain, intake, evaluation):
    tables = Base.metadata.tables
    assessments, scores = (
        tables["casemanagement_zrm_assessment"],
        tables["casemanagement_zrm_score"],
    )
    for case_id in case_ids:
        for moment, on, score in (
            ("intake", dt.date(2026, 5, 1), intake),
            ("evaluation", dt.date(2026, 8, 1), evaluation),
        ):
            assessment = uuid.uuid4()
            db.execute(
                insert(assessments),
                [dict(id=assessment, case_id=case_id, moment=moment, assessed_on=on)],
            )
            db.execute(
                insert(scores), [dict(assessment_id=assessment, life_domain=domain, score=score)]
            )


def test_an_average_over_fewer_cases_than_the_threshold_is_hidden(app, client, login_as, db, data):
    cases = Base.metadata.tables["casemanagement_case"]
    case_ids = list(db.scalars(select(cases.c.id).where(cases.c.team_id == data.noord.id)))
    assert len(case_ids) >= 7
    _zrm(db, case_ids[:5], "housing", 2, 4)  # five cases: +2 on average, shown
    _zrm(db, case_ids[5:7], "finances", 1, 4)  # two cases: +3, hidden
    db.commit()
    html = page(client, login_as, f"periode=2026-Q3&gemeente={data.code}").get_data(as_text=True)
    progress = tables_of(html)["Voortgang op de zelfredzaamheidsmatrix (punten)"]
    assert progress[0] == [
        "Leefgebied", "Waarde", "Aantal", "Vorige periode", "Aantal vorige periode", "Verschil",
    ]  # fmt: skip
    assert ["Financiën", "<5", "<5", "", "0", "x"] in progress
    assert ["Huisvesting", "2", "5", "", "0", ""] in progress
    assert "3" not in progress[1][1:3]


def _page_rows(html, caption):
    return [row for row in tables_of(html)[caption][1:]]


def test_downloads_hold_the_numbers_of_the_page(app, client, login_as, db, data):
    query = f"periode=2026-Q3&gemeente={data.code}"
    html = page(client, login_as, query).get_data(as_text=True)
    page_tables = tables_of(html)
    raw_csv = client.get(f"/rapportage/download.csv?{query}")
    assert raw_csv.status_code == 200
    assert raw_csv.headers["Content-Disposition"].endswith(f'rapportage-{data.code}-2026-Q3.csv"')
    csv_rows = list(csv.reader(io.StringIO(raw_csv.data.decode("utf-8-sig")), delimiter=";"))
    raw_xlsx = client.get(f"/rapportage/download.xlsx?{query}")
    assert raw_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(raw_xlsx.data))["Rapport"]

    def shown(value):
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        return str(value)

    xlsx_rows = [[shown(v) for v in row] for row in sheet.iter_rows(values_only=True)]

    def section(rows, title):
        start = next(i for i, r in enumerate(rows) if r and r[0] == title)
        found = []
        for row in rows[start + 2 :]:
            if not any(row):
                break
            found.append([c for c in row])
        return found

    compared = 0
    for caption, rows in page_tables.items():
        header, body = rows[0], rows[1:]
        if not body or body[0][-1] == "Geen gegevens in deze periode.":
            continue
        if header[0] == "Groep":  # a table without dimensions: the page names its one row
            header, body = header[1:], [r[1:] for r in body]
        for exported in (csv_rows, xlsx_rows):
            lines = [(r + [""] * len(header))[: len(header)] for r in section(exported, caption)]
            assert lines == body, caption
        compared += 1
    assert compared >= 8


def test_viewing_and_downloading_are_audited_with_the_report_id(app, client, login_as, db, data):
    query = f"periode=2026-Q3&gemeente={data.code}&team={data.noord.id}"
    assert page(client, login_as, query).status_code == 200
    assert client.get(f"/rapportage/download.xlsx?{query}").status_code == 200
    records = db.execute(
        text(
            "SELECT action, processing_activity, data_subject_id, module FROM core_audit_record "
            "WHERE data_subject_type = 'report' ORDER BY id"
        )
    ).all()
    report_id = f"{data.code}/2026-Q3/team={data.noord.id.hex[:8]}"
    assert [tuple(r) for r in records] == [
        ("read", "reporting.dashboard.view", report_id, "reporting"),
        ("export", "reporting.report.export", report_id, "reporting"),
    ]
    persons = db.execute(
        text("SELECT count(*) FROM core_audit_record WHERE data_subject_type = 'person'")
    ).scalar()
    assert persons == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("periode=2026-Q5", "periode"),
        ("periode=volgende-week", "periode"),
        ("periode=2099-Q1", "periode"),
        ("gemeente=GM9999X", "gemeente"),
        ("team=geen-uuid", "team"),
        (f"team={uuid.UUID(int=1)}", "team"),
        (f"wijk={uuid.UUID(int=2)}", "wijk"),
        ("wijk=12", "wijk"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(app, client, login_as, query, field):
    response = page(client, login_as, query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="f-{field}-error"' in html
    assert 'aria-invalid="true"' in html
    assert "<table" not in html.split('<main id="inhoud"')[1]
    download = client.get(f"/rapportage/download.csv?{query}")
    assert download.status_code == 400
    assert download.get_data(as_text=True).startswith(f"{field}:")


def test_an_area_outside_the_chosen_municipality_is_refused(app, client, login_as, data):
    response = page(client, login_as, f"gemeente={data.other_code}&wijk={data.centrum.id}")
    assert response.status_code == 400
    assert "Deze wijk ligt niet in de gekozen gemeente." in response.get_data(as_text=True)


def test_an_unknown_download_format_is_not_found(app, client, login_as, data):
    login_as("policy_officer")
    assert client.get("/rapportage/download.pdf").status_code == 404


def test_without_filters_the_last_complete_quarter_of_all_municipalities_is_shown(
    app, client, login_as
):
    from openregie_reporting.web.filters import last_complete_quarter

    expected = last_complete_quarter(dt.date.today())
    html = page(client, login_as, "").get_data(as_text=True)
    assert f'<option value="{expected.label}" selected>' in html
    assert "vergeleken met" in html
    assert last_complete_quarter(dt.date(2026, 1, 5)).label == "2025-Q4"
    assert last_complete_quarter(dt.date(2026, 9, 30)).label == "2026-Q2"


def test_a_policy_officer_of_one_municipality_sees_only_that_one(app, client, login_as, data):
    login_as("policy_officer", roles=[("policy_officer", data.zutphen.id)])
    own = client.get("/rapportage/?periode=2026-Q3")
    assert own.status_code == 200
    assert f'<option value="{data.code}" selected>' in own.get_data(as_text=True)
    other = client.get(f"/rapportage/?periode=2026-Q3&gemeente={data.other_code}")
    assert other.status_code == 400
    assert client.get(f"/rapportage/download.csv?gemeente={data.other_code}").status_code == 400


def test_team_leads_see_the_nav_item_and_professionals_are_refused(app, client, login_as, data):
    login_as("team_lead")
    start = client.get("/start").get_data(as_text=True)
    assert 'href="/rapportage/"' in start
    login_as("professional")
    assert client.get("/rapportage/").status_code == 403
    assert client.get("/rapportage/download.csv").status_code == 403
    assert 'href="/rapportage/"' not in client.get("/start").get_data(as_text=True)


def test_a_table_with_nothing_to_draw_has_no_chart_but_its_table(app, client, login_as, data):
    html = page(client, login_as, f"periode=2025-Q1&gemeente={data.code}").get_data(as_text=True)
    assert '<svg class="reporting-chart"' not in html
    assert "Geen gegevens in deze periode." in html


def test_a_team_lead_through_a_membership_sees_their_own_team(app, client, login_as, db, data):
    from openregie_sdk.registry import Membership

    lead = login_as("professional", roles=[])
    db.add(
        Membership(
            user_id=lead.id, team_id=data.noord.id, role="team_lead", start_on=dt.date(2025, 1, 1)
        )
    )
    db.commit()
    own = client.get("/rapportage/?periode=2026-Q3")
    assert own.status_code == 200
    html = own.get_data(as_text=True)
    assert f'<option value="{data.noord.id}" selected>' in html
    assert [data.noord.name, "7", "5", "2"] in tables_of(html)["Nieuwe casussen (casussen)"]
    other = client.get(f"/rapportage/?periode=2026-Q3&team={data.zuid.id}")
    assert other.status_code == 400
    assert 'id="f-team-error"' in other.get_data(as_text=True)


def test_the_page_speaks_english_with_labels_from_the_modules_catalogues(
    app, client, login_as, data
):
    login_as("policy_officer")
    html = client.get("/start").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/taal", data={"lang": "en", "next": "/start", "csrf_token": token})
    english = client.get(f"/rapportage/?periode=2026-Q3&gemeente={data.code}")
    text_en = english.get_data(as_text=True)
    assert "Reports and accountability" in text_en
    assert "quarter 3 2026, compared with quarter 2 2026" in text_en
    closed = next(rows for caption, rows in tables_of(text_en).items() if "(cases)" in caption)
    assert closed[0][1:] == ["Value", "Previous period", "Change"]
