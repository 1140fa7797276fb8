"""The report page (`GET /rapportage/`) and its downloads (`GET /rapportage/download.csv`,
`.xlsx`) for policy officers and team leads: aggregates only, suppressed, for the chosen
municipality, team, area and period, compared with the previous period.

The page, its charts and the downloads show one `Report` (engine.report), so they hold the
same numbers. Viewing a report is audited (subject: the report's id, never persons); each
download is audited as an export by `engine.export.deliver`. Bad filters answer 400 with
the message next to the field, and no report.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from openregie_reporting.engine.export import FORMATS, column_label, deliver
from openregie_reporting.engine.report import Report, build_report
from openregie_reporting.engine.runner import UnknownFilter
from openregie_reporting.web import blueprint, charts
from openregie_reporting.web.filters import (
    VIEW,
    FilterError,
    ReportFilters,
    period_choices,
    period_name,
    read_filters,
)
from openregie_sdk import audit, authorize, current_actor, db_session, requires
from openregie_sdk.registry import Area, Municipality, Team

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def today() -> dt.date:
    return dt.date.today()


def number(value: Any) -> str:
    """A cell as the page shows it: Dutch decimal comma, "" for no value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def _report_of(filters: ReportFilters) -> Report:
    try:
        return build_report(
            filters.period,
            municipality=filters.municipality.cbs_code if filters.municipality else None,
            team_ids=(filters.team.id,) if filters.team else (),
            area_ids=(filters.area.id,) if filters.area else (),
        )
    except UnknownFilter as exc:  # deleted between reading the filters and running
        raise FilterError("gemeente", str(exc)) from None


def _choices() -> dict[str, Any]:
    session = db_session()
    return {
        "municipalities": list(session.scalars(select(Municipality).order_by(Municipality.name))),
        "teams": list(session.scalars(select(Team).order_by(Team.name))),
        "areas": list(
            session.execute(
                select(Area.id, Area.name, Municipality.name.label("municipality"))
                .join(Municipality, Municipality.id == Area.municipality_id)
                .order_by(Municipality.name, Area.name)
            )
        ),
        "periods": period_choices(today()),
    }


def _charts(report: Report) -> dict[str, Any]:
    """The SVG chart of each table that has one, by metric id."""
    drawn = {}
    periods = (report.period.label, report.previous.label)
    for index, table in enumerate(report.tables):
        if not charts.has_chart(table):
            continue
        if table.kind == "formation":
            names = (_("Ingezet"), _("Norm"))
            summary = _(
                "Staafdiagram: per team en organisatie de ingezette uren (effen) en de norm "
                "(gearceerd). Alle cijfers staan in de tabel hieronder."
            )
        else:
            names = periods
            what = _("de mediaan") if table.kind == "distribution" else _("het getal")
            summary = _(
                "Staafdiagram van %(what)s per rij: %(current)s (effen) en %(previous)s "
                "(gearceerd). Verborgen kleine aantallen zijn niet getekend. Alle cijfers "
                "staan in de tabel hieronder.",
                what=what,
                current=report.period.label,
                previous=report.previous.label,
            )
        title = f"{_(table.title)} ({_(table.unit)})"
        drawn[table.id] = charts.chart(table, f"grafiek-{index}", title, names, summary)
    return drawn


@blueprint.get("/", endpoint="report")
@requires(VIEW)
def report_page() -> Any:
    error = None
    report = None
    filters = None
    try:
        filters = read_filters(request.args, current_actor(), today())
        report = _report_of(filters)
    except FilterError as refused:
        error = refused
    if report is not None:
        audit.record("read", VIEW, "report", [report.id], module="reporting")
    query = filters.query() if filters else {}
    return (
        render_template(
            "reporting/report.html",
            report=report,
            error=error,
            args=request.args,
            selected=query,
            charts=_charts(report) if report else {},
            hatch=charts.hatch_definitions(),
            swatch=charts.legend_swatch,
            column_label=column_label,
            number=number,
            period_name=period_name,
            may_manage_norms=authorize("reporting.norms.manage"),
            **_choices(),
        ),
        400 if error else 200,
    )


@blueprint.get("/download.<fmt>", endpoint="download")
@requires(VIEW)
def download(fmt: str) -> Any:
    if fmt not in FORMATS:
        abort(404)
    try:
        filters = read_filters(request.args, current_actor(), today())
        report = _report_of(filters)
    except FilterError as refused:
        return Response(f"{refused.field}: {refused.message}\n", 400, mimetype="text/plain")
    buffer = io.BytesIO()
    deliver(report, fmt, buffer)
    name = f"rapportage-{report.municipality or 'alle'}-{report.period.label}.{fmt}"
    return Response(
        buffer.getvalue(),
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
