"""The page of the Wachttijden module: one blueprint, mounted by the manifest at
`/wachttijden`.

`GET /` lists the current waiting time of every provider and product category (its latest
measurement), marking those older than the `stale_after_days` setting; `?categorie=CODE`
narrows it to one category. An unknown category is answered with 400 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from openregie_sdk import db_session, module_settings, requires
from sqlalchemy import select

from wachttijden_openregie.categories import CATEGORY_LABELS
from wachttijden_openregie.models import WaitingTime
from wachttijden_openregie.module import MANIFEST, VIEW
from wachttijden_openregie.store import current_waiting_times, is_stale

blueprint = Blueprint("wachttijden", __name__)


def _categories() -> list[str]:
    """The categories to choose from: those known by name and those in the feed."""
    stored = db_session().scalars(select(WaitingTime.product_category).distinct())
    return sorted(set(CATEGORY_LABELS) | set(stored))


@blueprint.get("/", endpoint="index")
@requires(VIEW)
def index() -> Any:
    categories = _categories()
    category = request.args.get("categorie", "").strip()
    error = None
    status = 200
    if category and category not in categories:
        error = _("Kies een productcategorie uit de lijst.")
        status = 400
        rows = []
    else:
        rows = current_waiting_times(category or None)
    settings = module_settings(MANIFEST.id)
    today = dt.date.today()
    stale_after = settings.stale_after_days  # type: ignore[attr-defined]
    page = render_template(
        "wachttijden/index.html",
        rows=rows,
        stale={row.id for row in rows if is_stale(row, today, stale_after)},
        stale_after=stale_after,
        categories=categories,
        labels=CATEGORY_LABELS,
        category=category,
        error=error,
    )
    return page, status
