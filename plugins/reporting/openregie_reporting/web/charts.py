"""Charts of report tables, drawn on the server as inline SVG (no JavaScript, nothing from
elsewhere): a horizontal bar chart per table, two bars per row.

- Current and previous period (for the formation: contracted hours and the norm) differ
  by fill AND pattern (solid against hatched) and each bar carries a direct label with its
  number and period, so colour is never the only cue; colours reach 3:1 against white.
- The chart is `role="img"` labelled by its `<title>` and `<desc>`; the table that follows
  it is the text alternative with every number.
- A suppressed cell is not drawn: its place shows the mark ("<5", "x") and "verborgen".
- Negative values (a ZRM step back) run left of the zero line.

The numbers are the cells of the report's `Table`, the same the exports hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GROUP_GAP = 12
VALUE_SPACE = 190  # room right of the longest bar for its label
INK = "#1a1a1a"
BAR = "#154273"
HATCH_ID = "reporting-hatch"

# (current column, other column) charted per kind of table.
SERIES = {
    "distribution": ("median", "previous_median"),
    "formation": ("contracted", "norm"),
}


@dataclass(frozen=True, slots=True)
class Bar:
    value: float | None  # None: nothing to draw
    text: str  # the direct label


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def series_of(table: Any) -> tuple[str, str]:
    return SERIES.get(table.kind, ("value", "previous"))


def bars(table: Any, series_names: tuple[str, str]) -> list[tuple[str, Bar, Bar | None]]:
    """(row label, current bar, other bar or None) for each line of `table`."""
    first, second = series_of(table)
    rows = []
    for line in table.lines:
        label = " — ".join("" if v is None else str(v) for v in line.shown) or _("Alle")
        made = []
        for column, name in ((first, series_names[0]), (second, series_names[1])):
            if column not in table.columns:
                made.append(None)
                continue
            value = line.cells.get(column)
            number = _number(value)
            if value is None:
                text = f"{name}: " + _("geen")
            elif number is None:  # a suppression mark
                text = f"{name}: {value} " + _("(verborgen)")
            else:
                text = f"{name}: {_shown(value)}"
            made.append(Bar(number, text))
        rows.append((label, made[0] or Bar(None, ""), made[1]))
    return rows


def has_chart(table: Any) -> bool:
    """Whether `table` is drawn: available, with a number to draw in one of its rows (a
    table of hidden or empty cells only is left to its table)."""
    first, second = series_of(table)
    if not table.available or first not in table.columns:
        return False
    return any(
        _number(line.cells.get(column)) is not None
        for line in table.lines
        for column in (first, second)
    )


def hatch_definitions() -> Markup:
    """The pattern of the second series, once per page (charts refer to it by id)."""
    return Markup(  # noqa: S704 - constants only
        '<svg class="reporting-defs" width="0" height="0" aria-hidden="true" focusable="false">'
        f'<defs><pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR}" stroke-width="3"/>'
        "</pattern></defs></svg>"
    )


def legend_swatch(hatched: bool) -> Markup:
    fill = f"url(#{HATCH_ID})" if hatched else BAR
    return Markup(  # noqa: S704 - constants only
        '<svg class="reporting-swatch" width="28" height="14" aria-hidden="true" focusable="false">'
        f'<rect x="0.5" y="0.5" width="27" height="13" fill="{fill}" stroke="{BAR}"/></svg>'
    )


def chart(
    table: Any, chart_id: str, title: str, series_names: tuple[str, str], summary: str
) -> Markup:
    """The SVG of `table` titled `title`; `series_names` name the two bars of a row (e.g.
    the periods), `summary` is the chart's description."""
    rows = bars(table, series_names)
    numbers = [b.value for _l, cur, prev in rows for b in (cur, prev) if b and b.value is not None]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    span = (high - low) or 1.0
    room = WIDTH - VALUE_SPACE - 8
    zero = 4 + room * (-low / span)

    def x_of(value: float) -> float:
        return 4 + room * ((value - low) / span)

    per_row = LABEL_HEIGHT + 2 * (BAR_HEIGHT + 4) + GROUP_GAP
    height = len(rows) * per_row + 8
    parts = [
        f'<svg class="reporting-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
        f'<g font-family="sans-serif" font-size="13" fill="{INK}">',
    ]
    y = 4.0
    for label, current, other in rows:
        parts.append(f'<text x="4" y="{y + 13:.1f}" font-weight="bold">{escape(label)}</text>')
        y += LABEL_HEIGHT
        for bar, hatched in ((current, False), (other, True)):
            if bar is None:
                continue
            if bar.value is None:
                parts.append(
                    f'<line x1="{zero:.1f}" y1="{y:.1f}" x2="{zero:.1f}" y2="{y + BAR_HEIGHT:.1f}" '
                    f'stroke="{INK}" stroke-dasharray="3 2"/>'
                    f'<text x="{zero + 6:.1f}" y="{y + 12:.1f}" font-style="italic">'
                    f"{escape(bar.text)}</text>"
                )
            else:
                start, end = sorted((zero, x_of(bar.value)))
                fill = f"url(#{HATCH_ID})" if hatched else BAR
                parts.append(
                    f'<rect x="{start:.1f}" y="{y:.1f}" width="{max(end - start, 1):.1f}" '
                    f'height="{BAR_HEIGHT}" fill="{fill}" stroke="{BAR}"/>'
                    f'<text x="{max(end, zero) + 6:.1f}" y="{y + 12:.1f}">{escape(bar.text)}</text>'
                )
            y += BAR_HEIGHT + 4
        y += GROUP_GAP
    if low < 0:
        parts.append(f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="{INK}"/>')
    parts.append("</g></svg>")
    # Every text from outside (title, summary, labels, numbers) went through `escape`.
    return Markup("".join(parts))  # noqa: S704
