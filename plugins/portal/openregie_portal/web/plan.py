"""The plan: goals and actions (filter "mine"), updating an action assigned to the person
(status, comment, done; optimistic locking → 409), proposals in their own words, and the
earlier agreed versions."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from openregie_portal.access import Acting, acting, case_of, cases_api, resident_page
from openregie_portal.web import blueprint
from openregie_portal.web.forms import ActionProposalForm, ActionUpdateForm, GoalProposalForm
from openregie_sdk import db_session
from openregie_sdk.capabilities.casemanagement import (
    ActionView,
    CaseSummary,
    NotFound,
    PlanView,
    Refused,
    Stale,
)


def _goal_form() -> GoalProposalForm:
    form = GoalProposalForm()
    form.life_domain.choices = [
        SelectChoice(code, label) for code, label in cases_api().life_domains()
    ]
    return form


def _render(
    who: Acting,
    case: CaseSummary,
    status: int = 200,
    goal_form: GoalProposalForm | None = None,
    action_form: ActionProposalForm | None = None,
    update_form: ActionUpdateForm | None = None,
    update_id: uuid.UUID | None = None,
) -> Any:
    api = cases_api()
    plan = api.current_plan(case.id)
    mine = request.args.get("filter") == "mijn"
    return (
        render_template(
            "portal/plan.html",
            who=who,
            case=case,
            plan=plan,
            mine=mine,
            versions=api.plan_versions(case.id),
            domains=dict(api.life_domains()),
            goal_form=goal_form or _goal_form(),
            action_form=action_form or ActionProposalForm(formdata=None),
            update_form=update_form,
            update_id=update_id,
            is_mine=lambda action: _assigned_to(action, who.person.id),
        ),
        status,
    )


def _assigned_to(action: ActionView, person_id: uuid.UUID) -> bool:
    assignee = action.assignee
    return assignee is not None and assignee.kind == "resident" and assignee.id == person_id


def _action_in(plan: PlanView | None, action_id: uuid.UUID) -> ActionView:
    for goal in plan.goals if plan else ():
        for action in goal.actions:
            if action.id == action_id:
                return action
    abort(404)


@blueprint.get("/casus/<uuid:case_id>/plan", endpoint="plan")
@resident_page
def plan(case_id: uuid.UUID) -> Any:
    who = acting("care")
    return _render(who, case_of(who, case_id))


@blueprint.post("/casus/<uuid:case_id>/acties/<uuid:action_id>", endpoint="update_action")
@resident_page
def update_action(case_id: uuid.UUID, action_id: uuid.UUID) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    api = cases_api()
    action = _action_in(api.current_plan(case.id), action_id)
    form = ActionUpdateForm()
    if not form.validate_on_submit():
        return _render(who, case, 400, update_form=form, update_id=action.id)
    try:
        api.update_action(
            action.id,
            by_person_id=who.person.id,
            expected_version=form.version.data,
            status=form.status.data,
            comment=form.comment.data or None,
        )
    except Stale:
        db_session().rollback()
        current = _action_in(api.current_plan(case.id), action_id)
        return render_template("portal/conflict.html", who=who, case=case, action=current), 409
    except Refused as error:
        db_session().rollback()
        _field_error(form, error.field, str(error))
        return _render(who, case, 400, update_form=form, update_id=action.id)
    except NotFound:
        db_session().rollback()
        abort(404)
    db_session().commit()
    flash(_("De actie is bijgewerkt."))
    return redirect(url_for("portal.plan", case_id=case.id, _anchor=f"actie-{action.id}"), 303)


def _field_error(form: Any, field: str, message: str) -> None:
    target = getattr(form, field, None)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


@blueprint.post("/casus/<uuid:case_id>/doelen", endpoint="propose_goal")
@resident_page
def propose_goal(case_id: uuid.UUID) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    form = _goal_form()
    if not form.validate_on_submit():
        return _render(who, case, 400, goal_form=form)
    try:
        cases_api().propose_goal(
            case.id,
            by_person_id=who.person.id,
            life_domain=form.life_domain.data,
            text=form.text.data.strip(),
        )
    except (Refused, NotFound) as error:
        db_session().rollback()
        _field_error(form, "text" if error.field == "input" else error.field, str(error))
        return _render(who, case, 400, goal_form=form)
    db_session().commit()
    flash(_("Uw voorstel is naar uw casusregisseur gestuurd."))
    return redirect(url_for("portal.plan", case_id=case.id), 303)


@blueprint.post("/casus/<uuid:case_id>/acties", endpoint="propose_action")
@resident_page
def propose_action(case_id: uuid.UUID) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    api = cases_api()
    form = ActionProposalForm()
    if not form.validate_on_submit():
        return _render(who, case, 400, action_form=form)
    plan_now = api.current_plan(case.id)
    goal_ids = {str(g.id) for g in plan_now.goals} if plan_now else set()
    if form.goal_id.data not in goal_ids:
        abort(404)
    try:
        api.propose_action(
            uuid.UUID(form.goal_id.data),
            by_person_id=who.person.id,
            description=form.description.data.strip(),
        )
    except (Refused, NotFound) as error:
        db_session().rollback()
        field = "description" if error.field == "input" else error.field
        _field_error(form, field, str(error))
        return _render(who, case, 400, action_form=form)
    db_session().commit()
    flash(_("Uw voorstel is naar uw casusregisseur gestuurd."))
    return redirect(url_for("portal.plan", case_id=case.id), 303)


@blueprint.get("/casus/<uuid:case_id>/plan/versies/<int:number>", endpoint="plan_version")
@resident_page
def plan_version(case_id: uuid.UUID, number: int) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    try:
        version = cases_api().plan_version(case.id, number)
    except NotFound:
        abort(404)
    return render_template(
        "portal/plan_version.html",
        who=who,
        case=case,
        plan=version,
        domains=dict(cases_api().life_domains()),
    )
