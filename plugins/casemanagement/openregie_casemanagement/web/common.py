"""What every case page shares: loading the case for the current actor and its header."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from flask import abort
from sqlalchemy import select

from openregie_casemanagement.access import READ, load_case
from openregie_casemanagement.codes import STATUSES
from openregie_casemanagement.models import Case
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
