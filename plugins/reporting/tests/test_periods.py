"""Reporting periods: the accepted forms, their inclusive dates and the previous period."""

from __future__ import annotations

import datetime as dt

import pytest

from openregie_reporting.engine.periods import Period, PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30), "2026-Q3"),
        ("2026-q1", D(2026, 1, 1), D(2026, 3, 31), "2026-Q1"),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), "2026-Q4"),
        ("2026-07", D(2026, 7, 1), D(2026, 7, 31), "2026-07"),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29), "2028-02"),
        ("2026-12", D(2026, 12, 1), D(2026, 12, 31), "2026-12"),
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "2026"),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30), "2026-H1"),
        (" 2026-h2 ", D(2026, 7, 1), D(2026, 12, 31), "2026-H2"),
    ],
)
def test_periods_have_inclusive_dates(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label, str(period)) == (start, end, label, label)


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2026-Q3", "2026-Q2"),
        ("2026-Q1", "2025-Q4"),
        ("2026-07", "2026-06"),
        ("2026-01", "2025-12"),
        ("2026", "2025"),
        ("2026-H1", "2025-H2"),
        ("2026-H2", "2026-H1"),
    ],
)
def test_the_previous_period_has_the_same_length(text, previous):
    before = parse_period(text).previous()
    assert before.label == previous
    assert before.kind == parse_period(text).kind
    assert before.end + dt.timedelta(days=1) == parse_period(text).start


@pytest.mark.parametrize(
    "text", ["", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-H3", "26-Q1", "Q3-2026", "x"]
)
def test_bad_periods_are_refused_with_the_accepted_forms(text):
    with pytest.raises(PeriodError, match=r"2026-Q3"):
        parse_period(text)


def test_a_period_is_a_value():
    assert parse_period("2026-Q3") == Period("quarter", 2026, 3)
