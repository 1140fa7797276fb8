"""Exports of a `Report` to CSV and XLSX, with exactly the (suppressed) cells of the report.

Layout (both formats): a header (report, municipality, period with its dates, the previous
period compared with, generated at, the suppression note), then per metric a section:
its title and unit, a header row (dimensions, then the value columns), one row per
dimension combination and, for counts, the total row. A suppressed cell reads "<5"
(with the configured threshold); an unavailable metric says so.

XLSX: one sheet "Rapport" with the header and then every section, so that one sheet can be
printed and read as the page; numbers are numbers, "<5" is text.

CSV: for Dutch Excel, which opens it with a double click: UTF-8 with a byte order mark,
";" as the separator and a decimal comma ("30,5"); whole numbers as digits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from openregie_reporting.engine.labels import translate
from openregie_reporting.engine.report import Report, Table
from openregie_reporting.engine.sections import N_

FORMATS = ("csv", "xlsx")
SHEET = "Rapport"
COLUMN_LABELS = {
    "value": N_("Waarde"),
    "previous": N_("Vorige periode"),
    "change": N_("Verschil"),
    "count": N_("Aantal"),
    "median": N_("Mediaan"),
    "p90": N_("90e percentiel"),
    "previous_count": N_("Aantal vorige periode"),
    "previous_median": N_("Mediaan vorige periode"),
    "previous_p90": N_("90e percentiel vorige periode"),
    "contracted": N_("Ingezet"),
    "norm": N_("Norm (toegezegd)"),
    "difference": N_("Verschil met de norm"),
    "percentage": N_("Percentage van de norm"),
}


class ExportError(ValueError):
    """An export format that is not supported."""


def column_label(column: str) -> str:
    return translate(COLUMN_LABELS.get(column, column))


def header_lines(report: Report) -> list[list[Any]]:
    period, previous = report.period, report.previous
    return [
        ["Rapportage", "OpenRegie — rapportage en verantwoording"],
        ["Gemeente", report.municipality or "alle gemeenten"],
        ["Periode", f"{period.label} ({period.start.isoformat()} t/m {period.end.isoformat()})"],
        [
            "Vergeleken met",
            f"{previous.label} ({previous.start.isoformat()} t/m {previous.end.isoformat()})",
        ],
        ["Gegenereerd op", report.generated_at.isoformat()],
        [
            "Onderdrukking",
            f"Aantallen boven 0 en onder {report.threshold} worden getoond als "
            f"'<{report.threshold}'. Om ze niet uit het totaal te kunnen afleiden is dan "
            "ook het kleinste andere getal verborgen, getoond als 'x' (net als een verschil "
            "met een verborgen getal).",
        ],
    ]


def table_lines(table: Table) -> list[list[Any]]:
    """The rows of one metric's section (title, header, rows, total)."""
    title = f"{translate(table.title)} ({translate(table.unit)})"
    lines: list[list[Any]] = [[title, table.id]]
    if not table.available:
        lines.append(["Niet beschikbaar: de berekening van deze cijfers is mislukt."])
        return lines
    lines.append([*table.headers, *(column_label(c) for c in table.columns)])
    for line in (*table.lines, *((table.total,) if table.total else ())):
        key = ["" if k is None else k for k in line.shown]
        lines.append([*key, *(line.cells.get(c) for c in table.columns)])
    if not table.lines:
        lines.append(["Geen gegevens in deze periode."])
    return lines


def rows(report: Report) -> Iterator[list[Any]]:
    """Every row of the export, as written to both formats (before CSV's number format)."""
    yield from header_lines(report)
    for table in report.tables:
        yield []
        yield from table_lines(table)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return (f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0")).replace(
            ".", ","
        )
    return str(value)


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows(report):
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    bold = Font(bold=True)

    def append(row: list[Any], strong: bool = False) -> None:
        sheet.append([v if isinstance(v, int | float | str) or v is None else str(v) for v in row])
        if strong:
            for cell in sheet[sheet.max_row]:
                cell.font = bold

    for row in header_lines(report):
        append(row)
    for table in report.tables:
        append([])
        for index, row in enumerate(table_lines(table)):
            append(row, strong=index < 2)
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    fmt = (fmt or "").lower()
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise ExportError(f"unknown format {fmt!r}: use csv or xlsx")


def deliver(report: Report, fmt: str, target: Path | BinaryIO) -> int:
    """Write the export of `report` in `fmt` to a file path or binary stream and record
    the export in the audit log (one record, subject: the report's id). Returns the
    number of bytes written."""
    from openregie_sdk import audit

    data = render(report, fmt)
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)
    audit.record("export", "reporting.report.export", "report", [report.id], module="reporting")
    return len(data)
