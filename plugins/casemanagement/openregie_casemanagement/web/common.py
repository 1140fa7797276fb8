"""What every case page shares: loading the case for the current actor and its header,
local times and translated choices for forms."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, abort, render_template, send_file
from flask_babel import gettext as _
from sqlalchemy import select

from openregie_casemanagement.access import READ, load_case
from openregie_casemanagement.codes import STATUSES
from openregie_casemanagement.models import Case, Document
from openregie_sdk import current_actor, db_session
from openregie_sdk.capabilities.casemanagement import NotFound
from openregie_sdk.registry import Household, Team
from openregie_sdk.users import users

# (endpoint, tab id, Dutch label) of the case pages, in order.
TABS = (
    ("casemanagement.case_detail", "overview", "Overzicht"),
    ("casemanagement.plan_page", "plan", "Plan"),
    ("casemanagement.contacts_page", "contacts", "Contactmomenten"),
    ("casemanagement.notes_page", "notes", "Notities"),
    ("casemanagement.documents_page", "documents", "Documenten"),
    ("casemanagement.allocations_page", "allocations", "Toekenningen"),
)


try:
    LOCAL_ZONE: dt.tzinfo = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # a system without time zone data: UTC rather than fail
    LOCAL_ZONE = dt.UTC


def local_time(moment: dt.datetime | None) -> str:
    """`31-12-2025 23:59` in Dutch local time (moments are stored in UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")


def choices(codes: dict[str, str], empty: str | None = None) -> list[tuple[str, str]]:
    """A select field's choices: the codes with their translated labels, after an empty
    choice labelled `empty` when given."""
    first = [("", empty)] if empty is not None else []
    return first + [(key, _(label)) for key, label in codes.items()]


def case_for_page(case_id: uuid.UUID, permission: str = READ) -> Case:
    """The case if the current actor may exercise `permission` on it; 404 otherwise."""
    try:
        return load_case(case_id, current_actor(), permission)
    except NotFound:
        abort(404)


def case_header(case: Case) -> SimpleNamespace:
    """What `case_base.html` shows above every case page (three small queries)."""
    session = db_session()
    household_name = session.scalar(select(Household.name).where(Household.id == case.household_id))
    team_name = session.scalar(select(Team.name).where(Team.id == case.team_id))
    manager = (
        users([case.case_manager_id]).get(case.case_manager_id) if case.case_manager_id else None
    )
    return SimpleNamespace(
        status_label=STATUSES.get(case.status, case.status),
        household_name=household_name,
        team_name=team_name,
        case_manager_name=manager.display_name if manager else None,
        tabs=TABS,
    )


def render_case_page(template: str, case: Case, tab: str, **values: Any) -> str:
    """A case page: `template` under the case's header, with `tab` selected."""
    return render_template(template, case=case, header=case_header(case), tab=tab, **values)


def document_download(document: Document, content: bytes) -> Response:
    """A document's content as an attachment of its stored type, never cached, sniffed or
    run (the web page and the API send it alike)."""
    response = send_file(
        io.BytesIO(content),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
        conditional=False,
        etag=False,
        last_modified=None,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
