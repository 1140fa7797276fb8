"""The web pages of reporting, one blueprint mounted at `/rapportage`.

`report.py`: the report page (filters, sections, charts with their tables) and its CSV and
XLSX downloads; `norms.py`: the functional admin's formation norms. `filters.py` reads and
checks the report's query parameters, `charts.py` draws the charts as SVG on the server.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

blueprint = Blueprint(
    "reporting",
    __name__,
    static_folder=str(Path(__file__).parent.parent / "static"),
    static_url_path="/static",
)

from openregie_reporting.web import norms, report  # noqa: E402 - the views register on `blueprint`

__all__ = ["blueprint", "norms", "report"]
