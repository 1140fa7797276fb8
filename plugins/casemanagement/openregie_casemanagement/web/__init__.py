"""The web pages of case management, one blueprint mounted at `/casussen`.

Each file holds the views of one subject and registers them on `blueprint`:
`worklists.py` (lists), `cases.py` (a case, its workflow, involved parties), `plan.py`
(plan, goals, actions, ZRM), `records.py` (contact moments, notes, documents, appointment
requests), `allocations.py`, `consent.py` (warnings and overrides when consent is
present). The case pages share `casemanagement/case_base.html` (the case header and its
tabs). Services raise the capability's errors; `errors.py` turns them
into pages (404, 400 with the field, 409 keeping the user's input).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template
from sqlalchemy.orm.exc import StaleDataError

from openregie_sdk import db_session

blueprint = Blueprint(
    "casemanagement",
    __name__,
    static_folder=str(Path(__file__).parent.parent / "static"),
    static_url_path="/static",
)


@blueprint.errorhandler(StaleDataError)
def _lost_race(error: StaleDataError) -> tuple[str, int]:
    """Two saves at the same moment: the version check at write time caught the second
    one after the service's own check had passed. Nothing of it was stored."""
    db_session().rollback()
    return render_template("casemanagement/conflict.html"), 409


from openregie_casemanagement.web import (  # noqa: E402 - the views register on `blueprint`
    allocations,
    cases,
    consent,
    plan,
    records,
    worklists,
)

__all__ = ["allocations", "blueprint", "cases", "consent", "plan", "records", "worklists"]
