"""Reading an import file: UTF-8 with or without BOM, `;` or `,` as separator (whichever the
header row uses most), a header row naming the columns (English code names or the Dutch
aliases), one record per row. Row numbers are as a spreadsheet shows them: the header is
row 1."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


@dataclass(frozen=True)
class RowProblem:
    """A refused row (row 1 is the header; row 0 is the file as a whole)."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        place = "file" if self.row == 0 else f"row {self.row}"
        return f"{place}: {self.field}: {self.message}"


@dataclass
class CsvTable:
    columns: list[str]
    header: dict[str, str]  # canonical column name -> the name as written in the file
    # (row number, the row's stripped values in the order of `columns`)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def name(self, column: str) -> str:
        """A column as the file names it, so problems speak the file's language."""
        return self.header.get(column, column)

    def fields(self, values: list[str]) -> dict[str, str]:
        """A row's values keyed by canonical column name."""
        return dict(zip(self.columns, values, strict=True))


def _header_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", "_").split())


def read_csv(
    data: bytes, aliases: Mapping[str, str], required: set[str]
) -> tuple[CsvTable | None, list[RowProblem]]:
    """The rows of `data` keyed by canonical column name. `aliases` maps every accepted
    header spelling (lower case, `_` for spaces) to its canonical name. Returns the table,
    or None with the problems that make the file unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [RowProblem(0, "encoding", f"not UTF-8 (byte {exc.start}); save as UTF-8")]
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        return None, [RowProblem(1, "header", "the file has no header row")]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    columns: list[str] = []
    problems: list[RowProblem] = []
    for name in header:
        canonical = aliases.get(_header_key(name))
        if canonical is None:
            problems.append(RowProblem(1, name.strip() or "(empty)", "unknown column"))
        elif canonical in columns:
            problems.append(RowProblem(1, name.strip(), f"a second {canonical} column"))
        columns.append(canonical or "")
    for missing in sorted(required - set(columns)):
        problems.append(RowProblem(1, missing, "required column is missing"))
    if problems:
        return None, problems
    table = CsvTable(
        columns=columns, header=dict(zip(columns, (h.strip() for h in header), strict=True))
    )
    width = len(columns)
    strip = str.strip
    for number, values in enumerate(reader, start=2):
        stripped = list(map(strip, values))
        if not any(stripped):
            continue  # a blank row; still counted, so numbers match the spreadsheet
        if len(stripped) != width:
            problems.append(
                RowProblem(number, "row", f"has {len(values)} fields, the header {width}")
            )
            continue
        table.rows.append((number, stripped))
    return table, problems


def parse_date(text: str) -> dt.date:
    """2024-03-31 (ISO) or 31-03-2024 (as Dutch spreadsheets write it)."""
    match = _DUTCH_DATE.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date (write 2024-03-31 or 31-03-2024)") from None


class Progress:
    """Told how far an import is; the CLI draws progress bars, the default does nothing."""

    def stage(self, label: str, total: int) -> None:
        """A new stage of `total` rows begins."""

    def advance(self, rows: int) -> None:
        """`rows` more rows of the current stage are done."""


@dataclass
class ImportResult:
    """What an import did, or (with `problems`) why it wrote nothing."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    households: int = 0  # households created (household imports only)
    problems: list[RowProblem] = field(default_factory=list)
    # The persons written (for the audit log: one record per data subject).
    created_ids: list[uuid.UUID] = field(default_factory=list)
    updated_ids: list[uuid.UUID] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems
