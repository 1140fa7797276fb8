"""The feed format of Wachttijd BV: every row checked, each problem with its row number,
column and reason; `;` or `,` as separator; blank rows skipped."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files

import pytest

from wachttijden_openregie.feed import read_feed

TODAY = dt.date(2026, 11, 23)
HEADER = "aanbieder;agb_code;productcategorie;wachttijd_weken;gemeten_op"


def _read(*rows: str, header: str = HEADER):
    return read_feed("\n".join([header, *rows]) + "\n", TODAY)


def test_a_valid_feed_gives_one_row_per_measurement():
    rows, problems = _read(
        "Zorg  Oost BV;12345678;begeleiding;6;2026-11-01",
        "",
        "Jeugdhulp Noord;87654321;Jeugdhulp_Ambulant;0;01-10-2026",
    )
    assert problems == []
    assert [(r.row, r.provider_name, r.agb_code, r.product_category) for r in rows] == [
        (2, "Zorg Oost BV", "12345678", "begeleiding"),
        (4, "Jeugdhulp Noord", "87654321", "jeugdhulp_ambulant"),
    ]
    assert [r.waiting_weeks for r in rows] == [6, 0]
    assert rows[1].measured_on == dt.date(2026, 10, 1)


def test_commas_separate_fields_when_the_header_has_more_commas_and_a_bom_is_ignored():
    text = "\ufeffAanbieder,AGB-code,productcategorie,wachttijd weken,gemeten_op\n"
    rows, problems = read_feed(text + '"Zorg, Oost BV",12345678,vervoer,3,2026-11-01\n', TODAY)
    assert problems == []
    assert rows[0].provider_name == "Zorg, Oost BV"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (";12345678;begeleiding;6;2026-11-01", "aanbieder", "is empty"),
        ("Zorg BV;1234567;begeleiding;6;2026-11-01", "agb_code", "is not 8 digits"),
        ("Zorg BV;1234567a;begeleiding;6;2026-11-01", "agb_code", "is not 8 digits"),
        ("Zorg BV;12345678;Begeleiding WMO;6;2026-11-01", "productcategorie", "category"),
        ("Zorg BV;12345678;begeleiding;zes;2026-11-01", "wachttijd_weken", "whole number"),
        ("Zorg BV;12345678;begeleiding;-1;2026-11-01", "wachttijd_weken", "between 0 and 260"),
        ("Zorg BV;12345678;begeleiding;261;2026-11-01", "wachttijd_weken", "between 0 and 260"),
        ("Zorg BV;12345678;begeleiding;6;1 november", "gemeten_op", "is not a date"),
        ("Zorg BV;12345678;begeleiding;6;2026-11-24", "gemeten_op", "lies in the future"),
        ("Zorg BV;12345678;begeleiding;6", "row", "has 4 fields, the header 5"),
    ],
)
def test_a_bad_cell_is_named_with_its_row_and_column(row, column, reason):
    _, problems = _read("Goed BV;11111111;vervoer;2;2026-11-01", row)
    assert len(problems) == 1
    assert problems[0].row == 3
    assert problems[0].column == column
    assert reason in problems[0].reason
    assert str(problems[0]).startswith(f"row 3: {column}: ")


def test_every_problem_of_the_file_is_reported_not_only_the_first():
    _, problems = _read(
        "Zorg BV;123;begeleiding;zes;2026-11-01",
        "Goed BV;11111111;vervoer;2;2026-11-01",
        "Ander BV;22222222;vervoer;x;2026-11-01",
    )
    assert [(p.row, p.column) for p in problems] == [
        (2, "agb_code"),
        (2, "wachttijd_weken"),
        (4, "wachttijd_weken"),
    ]


def test_the_same_provider_category_and_day_twice_is_refused_naming_the_first_row():
    _, problems = _read(
        "Zorg BV;12345678;begeleiding;6;2026-11-01",
        "Zorg BV;12345678;begeleiding;7;2026-11-01",
    )
    assert [str(p) for p in problems] == [
        "row 3: agb_code: this provider, category and date are also on row 2"
    ]


def test_missing_unknown_and_doubled_columns_are_named_on_the_header_row():
    _, problems = _read(
        "Zorg BV;12345678;begeleiding;6",
        header="aanbieder;agb_code;productcategorie;wachttijd_weken;agb_code;opmerking",
    )
    assert sorted(str(p) for p in problems) == [
        "row 1: agb_code: column appears twice",
        "row 1: gemeten_op: column missing",
        "row 1: opmerking: unknown column",
    ]


def test_an_empty_file_and_a_file_without_rows_are_refused():
    assert [str(p) for p in read_feed("", TODAY)[1]] == [
        "row 1: header: the file is empty; the first row names the columns"
    ]
    assert [str(p) for p in _read()[1]] == ["row 2: row: the file has no waiting times"]


def test_the_example_feed_of_the_readme_is_valid():
    text = files("wachttijden_openregie").joinpath("voorbeeld-feed.csv").read_text("utf-8")
    rows, problems = read_feed(text, TODAY)
    assert problems == []
    assert len(rows) == 15
