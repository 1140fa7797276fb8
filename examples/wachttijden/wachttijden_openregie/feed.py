"""The feed of Wachttijd BV: reading and checking a CSV file of waiting times (format in
README.md). Pure functions, no database: `read_feed` returns every checked row, or every
problem with its row number, column and reason, so the import can be all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

COLUMNS = ("aanbieder", "agb_code", "productcategorie", "wachttijd_weken", "gemeten_op")
MAX_WEEKS = 260  # five years: anything longer is a mistake in the feed
MAX_PROVIDER = 200
_AGB = re.compile(r"^\d{8}$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


@dataclass(frozen=True)
class FeedRow:
    """One checked measurement: `row` is its row number as a spreadsheet shows it."""

    row: int
    provider_name: str
    agb_code: str
    product_category: str
    waiting_weeks: int
    measured_on: dt.date


@dataclass(frozen=True)
class Problem:
    """Why a row (or the file, row 1 being its header) was refused."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.reason}"


def _column(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _check(number: int, cells: dict[str, str], today: dt.date) -> FeedRow | list[Problem]:
    problems: list[Problem] = []
    provider = " ".join(cells["aanbieder"].split())
    if not provider:
        problems.append(Problem(number, "aanbieder", "is empty"))
    elif len(provider) > MAX_PROVIDER:
        problems.append(Problem(number, "aanbieder", f"is longer than {MAX_PROVIDER} characters"))
    agb = cells["agb_code"].strip()
    if not _AGB.match(agb):
        problems.append(Problem(number, "agb_code", f"{agb!r} is not 8 digits"))
    category = cells["productcategorie"].strip().lower()
    if not _CATEGORY.match(category):
        problems.append(Problem(number, "productcategorie", f"{category!r} is not a category code"))
    weeks_text = cells["wachttijd_weken"].strip()
    weeks = -1
    try:
        weeks = int(weeks_text)
    except ValueError:
        problems.append(Problem(number, "wachttijd_weken", f"{weeks_text!r} is not a whole number"))
    else:
        if not 0 <= weeks <= MAX_WEEKS:
            problems.append(
                Problem(number, "wachttijd_weken", f"{weeks} is not between 0 and {MAX_WEEKS}")
            )
    date_text = cells["gemeten_op"].strip()
    measured_on = today
    try:
        measured_on = _date(date_text)
    except ValueError:
        problems.append(Problem(number, "gemeten_op", f"{date_text!r} is not a date (2026-03-31)"))
    else:
        if measured_on > today:
            problems.append(Problem(number, "gemeten_op", "lies in the future"))
    if problems:
        return problems
    return FeedRow(number, provider, agb, category, weeks, measured_on)


def read_feed(text: str, today: dt.date) -> tuple[list[FeedRow], list[Problem]]:
    """Check the feed `text` (the file's content, decoded); returns (rows, problems).
    When there are problems, import none of the rows."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    if not header_line.strip():
        return [], [Problem(1, "header", "the file is empty; the first row names the columns")]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_column(name) for name in next(reader)]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    doubled = sorted({name for name in header if header.count(name) > 1})
    problems = [Problem(1, name, "column missing") for name in missing]
    problems += [Problem(1, name, "unknown column") for name in unknown if name]
    problems += [Problem(1, name, "column appears twice") for name in doubled]
    if problems:
        return [], problems
    rows: list[FeedRow] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue  # blank rows are skipped
        if len(values) != len(header):
            problems.append(
                Problem(number, "row", f"has {len(values)} fields, the header {len(header)}")
            )
            continue
        checked = _check(number, dict(zip(header, values, strict=True)), today)
        if isinstance(checked, list):
            problems.extend(checked)
            continue
        key = (checked.agb_code, checked.product_category, checked.measured_on)
        if key in seen:
            problems.append(
                Problem(
                    number,
                    "agb_code",
                    f"this provider, category and date are also on row {seen[key]}",
                )
            )
            continue
        seen[key] = number
        rows.append(checked)
    if not rows and not problems:
        problems.append(Problem(2, "row", "the file has no waiting times"))
    return rows, problems
