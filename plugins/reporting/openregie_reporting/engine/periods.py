"""Reporting periods: a year ("2026"), a half year ("2026-H1"), a quarter ("2026-Q3") or a
month ("2026-07"), with inclusive start and end dates and the previous period of the same
length (the comparison in every report)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# kind -> number of months
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})-[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
)


class PeriodError(ValueError):
    """A period that is not one of the accepted forms."""


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: `kind` is year, half, quarter or month; `index` its number in
    the year (1 for a year); `start` and `end` are inclusive."""

    kind: str
    year: int
    index: int

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        last_month = self.index * self.months
        if last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last_month + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def previous(self) -> Period:
        """The period of the same length just before this one (2026-Q1 -> 2025-Q4)."""
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, 12 // self.months)

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    """The period `text` names: "2026", "2026-H1", "2026-Q3" or "2026-07".
    Raises PeriodError with a message naming the accepted forms."""
    value = (text or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        year = int(match.group(1))
        index = int(match.group(2)) if kind != "year" else 1
        if not 1900 <= year <= 9998:
            break
        if kind == "month" and not 1 <= index <= 12:
            break
        return Period(kind, year, index)
    raise PeriodError(
        f"invalid period {text!r}: use a year (2026), half year (2026-H1), "
        "quarter (2026-Q3) or month (2026-07)"
    )
