"""The overview (case manager, the plan in short, what needs attention) and the "acting
for" switch."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from openregie_portal.access import acting, cases_api, resident_page
from openregie_portal.web import blueprint
from openregie_portal.web.forms import EmptyForm
from openregie_sdk import db_session, residents
from openregie_sdk.capabilities.casemanagement import (
    ActionView,
    CaseManagement,
    PlanView,
    ResidentCase,
)
from openregie_sdk.registry import Person

OPEN = ("open", "in_progress")


def my_open_actions(plan: PlanView | None, person_id: uuid.UUID) -> list[ActionView]:
    """Open or in-progress actions of the plan assigned to the person."""
    if plan is None:
        return []
    return [
        action
        for goal in plan.goals
        for action in goal.actions
        if action.status in OPEN
        and action.assignee is not None
        and action.assignee.kind == "resident"
        and action.assignee.id == person_id
    ]


def _card(case: ResidentCase, person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "overview": case.overview,
        "plan": case.plan,
        "actions": my_open_actions(case.plan, person_id),
        "answered": [r for r in case.appointment_requests if r.status == "scheduled"],
    }


def resident_cases(api: CaseManagement, person_id: uuid.UUID) -> Sequence[ResidentCase]:
    """The person's cases with overview, plan and appointment requests: in one call from a
    provider of casemanagement 1.2, three calls per case from a 1.1 provider."""
    if hasattr(api, "resident_overview"):
        return api.resident_overview(person_id)
    return [
        ResidentCase(
            overview=api.case_overview(case.id),
            plan=api.current_plan(case.id),
            appointment_requests=tuple(api.appointment_requests(case.id)),
        )
        for case in api.cases_of_person(person_id)
    ]


@blueprint.get("/", endpoint="overview")
@resident_page
def overview() -> Any:
    who = acting()
    cards = []
    if who.representation.allows("care"):
        api = cases_api()
        cards = [_card(case, who.person.id) for case in resident_cases(api, who.person.id)]
    return render_template("portal/overview.html", who=who, cards=cards)


@blueprint.get("/kiezen", endpoint="choose")
@resident_page
def choose() -> Any:
    return render_template("portal/choose.html", form=EmptyForm())


@blueprint.post("/namens", endpoint="switch")
@resident_page
def switch() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        chosen = uuid.UUID(request.form.get("person_id", ""))
        residents.act_for(chosen)
    except (ValueError, residents.NotRepresented):
        abort(400, description=_("Het veld person_id is ongeldig: kies een persoon uit de lijst."))
    person = db_session().get(Person, chosen)
    flash(_("U handelt nu namens %(name)s.", name=person.full_name if person else ""))
    return redirect(url_for("portal.overview"), 303)
