"""Hook implementations of the case-management module: the dashboard widget, the panels on
the household and person pages, and the person relation it contributes to core."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlalchemy import ColumnElement, select

from openregie_casemanagement import codes
from openregie_casemanagement.access import READ, WRITE, persons_related
from openregie_casemanagement.models import Case
from openregie_casemanagement.services.cases import teams_for_new_case, visible_cases_of
from openregie_casemanagement.services.common import MODULE
from openregie_casemanagement.services.worklists import own_open_case_count, subjects_of
from openregie_sdk import Actor, audit, authorize, db_session, hookimpl, render
from openregie_sdk.contributions import DashboardWidget, Panel
from openregie_sdk.registry import Team


@hookimpl
def openregie_dashboard_widgets(actor: Actor) -> list[DashboardWidget]:
    if not authorize(READ):
        return []
    body = render("casemanagement/widget.html", open_cases=own_open_case_count(actor))
    return [DashboardWidget(title=gettext("Casussen"), body=body, order=10)]


@hookimpl
def openregie_person_relations(actor: Actor) -> list[ColumnElement[bool]]:
    relation = persons_related(actor)
    return [relation] if relation is not None else []


def _panel(cases: list[Case], new_case_url: str | None) -> Panel:
    team_ids = {c.team_id for c in cases}
    team_names: dict[Any, str] = (
        dict(db_session().execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        if team_ids
        else {}
    )
    if cases:
        # The panel shows the cases' titles and statuses: a read of their persons' data.
        audit.record("read", READ, "person", subjects_of([c.id for c in cases]), module=MODULE)
    body = render(
        "casemanagement/panel_cases.html",
        cases=cases,
        statuses=codes.STATUSES,
        team_names=team_names,
        new_case_url=new_case_url,
    )
    return Panel(title=gettext("Casussen"), body=body, order=10)


@hookimpl
def openregie_household_panels(actor: Actor, household: Any) -> list[Panel]:
    """The household's cases the actor may see, and "Nieuwe casus" when they may open one
    (core shows the page only to actors who see at least one member)."""
    if not authorize(READ):
        return []
    cases = visible_cases_of(actor, household_id=household.id)
    new_case_url = (
        url_for("casemanagement.new_case", household=household.id)
        if authorize(WRITE) and teams_for_new_case(actor)
        else None
    )
    return [_panel(cases, new_case_url)]


@hookimpl
def openregie_person_panels(actor: Actor, person: Any) -> list[Panel]:
    """The cases concerning the person that the actor may see."""
    if not authorize(READ):
        return []
    return [_panel(visible_cases_of(actor, person_id=person.id), None)]
