"""Worklists: the cases an actor works on, by kind, filtered, sorted and paginated.

Every list is one query over `Case` restricted by the one authorisation predicate
(`access.visible_cases`), with what a row shows computed in the same query (team and
household names, last contact, overdue actions, open appointment requests). A page costs a
fixed number of statements — the rows with their total and case managers' names, and the
persons for the audit log — whatever the page size or the number of teams the actor is in.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    cast,
    exists,
    func,
    select,
    union,
)

from openregie_casemanagement import codes
from openregie_casemanagement.access import READ, visible_cases
from openregie_casemanagement.models import (
    Action,
    AppointmentRequest,
    Case,
    CaseLifeDomain,
    CasePerson,
    ContactMoment,
)
from openregie_casemanagement.services.common import MODULE, today
from openregie_sdk import Actor, audit, db_session, module_settings
from openregie_sdk.capabilities.casemanagement import Refused
from openregie_sdk.registry import Household, HouseholdMember, Team
from openregie_sdk.users import directory

# kind -> Dutch label, in the order the tabs show them.
KINDS = {
    "mine": "Mijn casussen",
    "team": "Casussen van mijn team",
    "overdue_actions": "Verlopen acties",
    "evaluations_due": "Evaluaties",
    "no_contact": "Zonder contact",
    "appointments": "Afspraakverzoeken",
}
SORTS = {
    "opened_on": "Aanmelddatum (oudste eerst)",
    "-opened_on": "Aanmelddatum (nieuwste eerst)",
    "title": "Titel",
    "urgency": "Urgentie (hoogste eerst)",
    "status": "Status",
    "last_contact": "Laatste contact (langst geleden eerst)",
    "evaluation_due_on": "Evaluatiedatum",
}
EVALUATION_LOOKAHEAD_DAYS = 14
"""Evaluations due: the date has passed or falls within this many days."""
ACTIVE_ACTION_STATUSES = ("open", "in_progress")
# Core's user table, for the case manager's name only (the SDK's `users()` would cost a
# statement of its own per page).


@dataclass(frozen=True)
class WorklistRow:
    id: uuid.UUID
    title: str
    status: str
    urgency: str
    team_id: uuid.UUID
    team_name: str
    household_id: uuid.UUID
    household_name: str
    case_manager_id: uuid.UUID | None
    case_manager_name: str | None
    opened_on: dt.date
    last_contact_on: dt.date
    evaluation_due_on: dt.date | None
    overdue_actions: int
    open_requests: int
    version: int


@dataclass(frozen=True)
class Page:
    rows: list[WorklistRow]
    total: int
    page: int
    pages: int


def _last_contact(dialect: str) -> Any:
    """The date of the case's last contact moment, or the day it opened."""
    latest = (
        select(func.max(ContactMoment.occurred_at))
        .where(ContactMoment.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    # SQLite has no date type: its date() gives the ISO text dates are stored as.
    day = func.date(latest, type_=Date) if dialect == "sqlite" else cast(latest, Date)
    return func.coalesce(day, Case.opened_on, type_=Date)


def _overdue_actions(day: dt.date) -> Any:
    return (
        select(func.count(Action.id))
        .where(
            Action.case_id == Case.id,
            Action.due_on < day,
            Action.status.in_(ACTIVE_ACTION_STATUSES),
        )
        .correlate(Case)
        .scalar_subquery()
    )


def _open_requests() -> Any:
    return (
        select(func.count(AppointmentRequest.id))
        .where(AppointmentRequest.case_id == Case.id, AppointmentRequest.status == "open")
        .correlate(Case)
        .scalar_subquery()
    )


def _kind_condition(
    actor: Actor, kind: str, day: dt.date, last_contact: Any
) -> ColumnElement[bool]:
    is_open = Case.status.in_(codes.OPEN_STATUSES)
    if kind == "mine":
        return Case.case_manager_id == actor.id
    if kind == "team":
        return Case.team_id.in_(sorted(actor.team_ids))
    if kind == "overdue_actions":
        return and_(
            is_open,
            exists().where(
                Action.case_id == Case.id,
                Action.due_on < day,
                Action.status.in_(ACTIVE_ACTION_STATUSES),
            ),
        )
    if kind == "evaluations_due":
        return and_(
            is_open,
            Case.evaluation_due_on.isnot(None),
            Case.evaluation_due_on <= day + dt.timedelta(days=EVALUATION_LOOKAHEAD_DAYS),
        )
    if kind == "no_contact":
        days = int(getattr(module_settings("casemanagement"), "no_contact_days", 30))
        return and_(is_open, last_contact < day - dt.timedelta(days=days))
    if kind == "appointments":
        return exists().where(
            AppointmentRequest.case_id == Case.id, AppointmentRequest.status == "open"
        )
    raise Refused("Kies een bestaande werklijst.", "kind")


def _order(sort: str, last_contact: Any) -> list[Any]:
    urgency_rank = case({"crisis": 0, "high": 1}, value=Case.urgency, else_=2)
    status_rank = case(
        {s: i for i, s in enumerate(codes.STATUSES)}, value=Case.status, else_=len(codes.STATUSES)
    )
    orders: dict[str, list[Any]] = {
        "opened_on": [Case.opened_on.asc()],
        "-opened_on": [Case.opened_on.desc()],
        "title": [Case.title.asc()],
        "urgency": [urgency_rank, Case.opened_on.asc()],
        "status": [status_rank, Case.opened_on.asc()],
        "last_contact": [last_contact.asc()],
        "evaluation_due_on": [Case.evaluation_due_on.asc(), Case.opened_on.asc()],
    }
    if sort not in orders:
        raise Refused("Kies een bestaande sortering.", "sort")
    return [*orders[sort], Case.id]


def worklist(
    actor: Actor,
    kind: str = "mine",
    *,
    status: str | None = None,
    team_id: uuid.UUID | None = None,
    urgency: str | None = None,
    life_domain: str | None = None,
    sort: str = "urgency",
    page: int = 1,
    page_size: int | None = None,
    audit_read: bool = True,
) -> Page:
    """One page of worklist `kind` (see `KINDS`) for `actor`: only cases they may see.
    Without a `status` filter "mine" and "team" show open cases only. Filters: `status`
    (a status code, or "open"/"all"), `team_id`, `urgency`, `life_domain`. The persons of
    the cases shown are recorded as read in the audit log."""
    day = today()
    size = page_size or int(getattr(module_settings("casemanagement"), "page_size", 25))
    if not isinstance(page, int) or page < 1:
        raise Refused("Het paginanummer moet 1 of hoger zijn.", "page")
    session = db_session()
    last_contact = _last_contact(session.get_bind().dialect.name)
    conditions: list[ColumnElement[bool]] = [
        visible_cases(actor, READ),
        _kind_condition(actor, kind, day, last_contact),
    ]
    if status in (None, "", "open"):
        if kind in ("mine", "team") or status == "open":
            conditions.append(Case.status.in_(codes.OPEN_STATUSES))
    elif status != "all":
        if status not in codes.STATUSES:
            raise Refused("Kies een bestaande status.", "status")
        conditions.append(Case.status == status)
    if team_id is not None:
        conditions.append(Case.team_id == team_id)
    if urgency:
        if urgency not in codes.URGENCIES:
            raise Refused("Kies een bestaande urgentie.", "urgency")
        conditions.append(Case.urgency == urgency)
    if life_domain:
        if life_domain not in codes.LIFE_DOMAINS:
            raise Refused("Kies een bestaand leefgebied.", "life_domain")
        conditions.append(
            exists().where(
                CaseLifeDomain.case_id == Case.id, CaseLifeDomain.life_domain == life_domain
            )
        )
    order = _order(sort, last_contact)
    # One statement for the page and the total. The page is chosen from the cases alone (a
    # window count over the filtered cases, sorted, limited); only its rows are then joined
    # to their team, household and case manager (names only, from core's user table) and
    # given their last contact and counts. Joining before the limit looked all of that up
    # for every matching case of the team (1,080 for the largest team of tier M).
    chosen = (
        select(Case.id.label("id"), func.count(Case.id).over().label("total"))
        .where(*conditions)
        .order_by(*order)
        .limit(size)
        .offset((page - 1) * size)
        .subquery("page")
    )
    rows = session.execute(
        select(
            Case,
            Team.name,
            Household.name,
            directory.c.display_name,
            last_contact.label("last_contact_on"),
            _overdue_actions(day).label("overdue"),
            _open_requests().label("requests"),
            chosen.c.total,
        )
        .join(chosen, chosen.c.id == Case.id)
        .join(Team, Team.id == Case.team_id)
        .join(Household, Household.id == Case.household_id)
        .outerjoin(directory, directory.c.id == Case.case_manager_id)
        .order_by(*order)
    ).all()
    if rows:
        total = int(rows[0].total)
    elif page == 1:
        total = 0
    else:  # past the last page: count on its own
        total = session.scalar(select(func.count(Case.id)).where(*conditions)) or 0
    pages = max(1, math.ceil(total / size))
    result = [
        WorklistRow(
            id=c.id,
            title=c.title,
            status=c.status,
            urgency=c.urgency,
            team_id=c.team_id,
            team_name=team_name,
            household_id=c.household_id,
            household_name=household_name,
            case_manager_id=c.case_manager_id,
            case_manager_name=manager_name,
            opened_on=c.opened_on,
            last_contact_on=_as_date(last) or c.opened_on,
            evaluation_due_on=c.evaluation_due_on,
            overdue_actions=overdue or 0,
            open_requests=requests or 0,
            version=c.version,
        )
        for c, team_name, household_name, manager_name, last, overdue, requests, _total in rows
    ]
    if audit_read and result:
        audit.record("read", READ, "person", subjects_of([r.id for r in result]), module=MODULE)
    return Page(rows=result, total=total, page=page, pages=pages)


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def subjects_of(case_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """The data subjects of these cases in one statement: the persons each concerns, or
    the household's members for a case that names none (as `access.case_subject_ids`)."""
    if not case_ids:
        return []
    named = select(CasePerson.person_id.label("person_id")).where(CasePerson.case_id.in_(case_ids))
    members = (
        select(HouseholdMember.person_id.label("person_id"))
        .join(Case, Case.household_id == HouseholdMember.household_id)
        .where(
            Case.id.in_(case_ids),
            ~exists().where(CasePerson.case_id == Case.id),
        )
    )
    return sorted(set(db_session().scalars(union(named, members))))


def own_open_case_count(actor: Actor) -> int:
    """How many open cases `actor` is the case manager of (the dashboard widget)."""
    if actor.id is None:
        return 0
    return (
        db_session().scalar(
            select(func.count(Case.id)).where(
                Case.case_manager_id == actor.id,
                Case.status.in_(codes.OPEN_STATUSES),
                visible_cases(actor, READ),
            )
        )
        or 0
    )


__all__ = ["KINDS", "SORTS", "Page", "WorklistRow", "own_open_case_count", "worklist"]
