"""The plan tab of a case (één gezin, één plan): state and version, goals with their actions,
the family's proposals, forms to add and change goals and actions, quick status updates,
agreeing the plan, earlier versions with what changed, and the ZRM page.

Every write posts a form with CSRF and, where it changes an existing row, the version read;
a stale version answers 409 with the user's input still in the form (and the version field
set to the current one, so saving again applies the change on purpose)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from openregie_casemanagement.access import READ, WRITE, visible_cases
from openregie_casemanagement.codes import (
    ACTION_STATUSES,
    GOAL_STATUSES,
    LIFE_DOMAINS,
    PARTY_KINDS,
    PROPOSAL_STATES,
    ZRM_MOMENTS,
    ZRM_SCORES,
)
from openregie_casemanagement.models import Action, Case, Goal, Plan
from openregie_casemanagement.services import plan as service
from openregie_casemanagement.services.common import audit_case
from openregie_casemanagement.services.plan import PartyRef
from openregie_casemanagement.web import blueprint
from openregie_casemanagement.web.common import (
    case_for_page,
    choices,
    local_time,
    render_case_page,
)
from openregie_casemanagement.web.errors import STALE_MESSAGE, not_found
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.capabilities.casemanagement import (
    CaseManagementError,
    NotFound,
    Refused,
    Stale,
)

CODES = {
    "life_domains": LIFE_DOMAINS,
    "goal_statuses": GOAL_STATUSES,
    "action_statuses": ACTION_STATUSES,
    "party_kinds": PARTY_KINDS,
    "proposals": PROPOSAL_STATES,
    "zrm_moments": ZRM_MOMENTS,
    "zrm_scores": ZRM_SCORES,
}


def _plan_page(template: str, case: Case, **values: Any) -> str:
    """A page of the plan tab, with what every plan template uses."""
    return render_case_page(template, case, tab="plan", **values, **_context())


def _context() -> dict[str, Any]:
    """What every plan template uses besides its own data."""
    return {
        "codes": CODES,
        "when": local_time,
        "version_states": {
            "draft": _("Concept"),
            "agreed": _("Vastgesteld"),
            "superseded": _("Vastgesteld, vervangen door een nieuwere versie"),
        },
    }


class GoalForm(FlaskForm):
    life_domain = SelectField(_l("Leefgebied"), validators=[DataRequired()])
    text = TextAreaField(
        _l("Doel"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("In de woorden van het gezin."),
    )
    owner = SelectField(_l("Eigenaar"), validators=[Optional()])
    target_date = DateField(_l("Streefdatum"), validators=[Optional()])
    version = HiddenField()


class ActionForm(FlaskForm):
    description = TextAreaField(_l("Actie"), validators=[DataRequired(), Length(max=2000)])
    assignee = SelectField(_l("Wie voert het uit"), validators=[Optional()])
    due_on = DateField(_l("Klaar op"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    version = HiddenField()


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"))
    version = HiddenField()


class VersionForm(FlaskForm):
    """Only the CSRF token and the version read (remove, accept or discuss)."""

    version = HiddenField()


class AgreeForm(FlaskForm):
    agreed_on = DateField(_l("Vastgesteld op"), validators=[DataRequired()])
    family = SelectMultipleField(
        _l("Gezinsleden die instemmen"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[Optional()],
    )
    version = HiddenField()


def _party_choices(case: Case) -> list[tuple[str, str]]:
    return [("", _("— niemand —"))] + [
        (option.ref.key(), f"{option.name} ({_(PARTY_KINDS[option.ref.kind])})")
        for option in service.party_options(case)
    ]


def _goal_form(case: Case, parties: list[tuple[str, str]] | None = None, **kw: Any) -> GoalForm:
    form = GoalForm(**kw)
    form.life_domain.choices = choices(LIFE_DOMAINS, _("— kies —"))
    form.owner.choices = parties if parties is not None else _party_choices(case)
    return form


def _action_form(case: Case, parties: list[tuple[str, str]] | None = None, **kw: Any) -> ActionForm:
    form = ActionForm(**kw)
    form.assignee.choices = parties if parties is not None else _party_choices(case)
    form.status.choices = choices(ACTION_STATUSES)
    return form


def _agree_form(residents: list[tuple[uuid.UUID, str]], plan: Plan | None) -> AgreeForm:
    """A fresh agree form: today, the plan's current version."""
    form = AgreeForm(prefix="agree", formdata=None)
    form.family.choices = [(str(pid), name) for pid, name in residents]
    form.agreed_on.data = dt.date.today()
    if plan is not None:
        form.version.data = str(plan.version)
    return form


def _version(form: Any) -> int:
    try:
        return int(form.version.data or "0")
    except ValueError:
        return 0


def _party(value: str | None, field: str) -> PartyRef | None:
    return PartyRef.parse(value, field)


def _refuse_on(
    form: FlaskForm, error: CaseManagementError, rename: dict[str, str] | None = None
) -> int:
    """Put a service error on the form; the status to answer with (404 aborts)."""
    if isinstance(error, NotFound):
        not_found(error)
    db_session().rollback()
    if isinstance(error, Stale):
        form.form_errors.append(_(STALE_MESSAGE))
        form.version.data = str(error.current_version)
        return 409
    name = (rename or {}).get(error.field, error.field)
    field = getattr(form, name, None)
    if field is not None and hasattr(field, "errors") and name != "version":
        field.errors = (
            [*field.errors, str(error)] if isinstance(field.errors, list) else [str(error)]
        )
    else:
        form.form_errors.append(str(error))
    return 400


def _may_write(case: Case) -> bool:
    actor = current_actor()
    if not actor.holds(WRITE):
        return False
    return (
        db_session().scalar(select(Case.id).where(Case.id == case.id, visible_cases(actor, WRITE)))
        is not None
    )


def _render_plan(case_id: uuid.UUID, status: int = 200, **forms: Any) -> Any:
    actor = current_actor()
    try:
        page = service.plan_page(case_id, actor)
    except NotFound as error:
        not_found(error)
    case = page.case
    may_write = _may_write(case)
    parties = _party_choices(case) if may_write else []
    goal_form = forms.get("goal_form") or _goal_form(case, parties, prefix="goal")
    action_forms: dict[uuid.UUID, ActionForm] = {}
    for row in page.goals + page.proposals:
        given = forms.get("action_form")
        if given is not None and forms.get("action_goal_id") == row.goal.id:
            action_forms[row.goal.id] = given
        elif may_write:
            action_forms[row.goal.id] = _action_form(
                case, parties, prefix=f"action-{row.goal.id}", formdata=None
            )
    agree_form = forms.get("agree_form") or _agree_form(page.residents, page.plan)
    return _plan_page(
        "casemanagement/plan.html",
        case,
        page=page,
        may_write=may_write,
        goal_form=goal_form,
        action_forms=action_forms,
        agree_form=agree_form,
        status_error=forms.get("status_error"),
    ), status


@blueprint.get("/<uuid:case_id>/plan")
@requires(READ)
def plan_page(case_id: uuid.UUID) -> Any:
    return _render_plan(case_id)


def _back(case_id: uuid.UUID, anchor: str | None = None) -> Any:
    url = url_for("casemanagement.plan_page", case_id=case_id)
    return redirect(f"{url}#{anchor}" if anchor else url, 303)


@blueprint.post("/<uuid:case_id>/plan/starten")
@requires(WRITE)
def plan_start(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = VersionForm()
    if not form.validate_on_submit():
        return _render_plan(case.id, 400)
    try:
        service.start_plan(case.id, current_actor())
    except CaseManagementError as error:
        db_session().rollback()
        flash(str(error))
        return _back(case.id)
    db_session().commit()
    flash(_("Het plan is aangemaakt (versie 1, concept)."))
    return _back(case.id)


@blueprint.post("/<uuid:case_id>/plan/doelen")
@requires(WRITE)
def goal_add(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = _goal_form(case, prefix="goal")
    if form.validate_on_submit():
        try:
            service.add_goal(
                case.id,
                current_actor(),
                life_domain=form.life_domain.data or "",
                text=form.text.data or "",
                owner=_party(form.owner.data, "owner"),
                target_date=form.target_date.data,
            )
        except CaseManagementError as error:
            return _render_plan(case.id, _refuse_on(form, error), goal_form=form)
        db_session().commit()
        flash(_("Het doel is toegevoegd."))
        return _back(case.id, "doelen")
    return _render_plan(case.id, 400, goal_form=form)


def _case_goal(case: Case, goal_id: uuid.UUID) -> Goal:
    goal = db_session().get(Goal, goal_id)
    plan = db_session().get(Plan, goal.plan_id) if goal else None
    if goal is None or plan is None or plan.case_id != case.id:
        not_found()
    return goal


def _case_action(case: Case, action_id: uuid.UUID) -> Action:
    action = db_session().get(Action, action_id)
    if action is None or action.case_id != case.id:
        not_found()
    return action


@blueprint.route("/<uuid:case_id>/plan/doelen/<uuid:goal_id>", methods=["GET", "POST"])
@requires(WRITE)
def goal_edit(case_id: uuid.UUID, goal_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    goal = _case_goal(case, goal_id)
    form = _goal_form(case)
    if not form.is_submitted():
        audit_case(case, "read", READ)  # the form shows the case and its goal
        form.life_domain.data = goal.life_domain
        form.text.data = goal.text
        owner = service.owner_of(goal)
        form.owner.data = owner.key() if owner else ""
        form.target_date.data = goal.target_date
        form.version.data = str(goal.version)
    status = 200
    if form.validate_on_submit():
        try:
            service.update_goal(
                goal.id,
                current_actor(),
                expected_version=_version(form),
                life_domain=form.life_domain.data or "",
                text=form.text.data or "",
                owner=_party(form.owner.data, "owner"),
                target_date=form.target_date.data,
            )
        except CaseManagementError as error:
            status = _refuse_on(form, error)
            goal = _case_goal(case, goal_id)
        else:
            db_session().commit()
            flash(_("Het doel is bijgewerkt."))
            return _back(case.id, f"doel-{goal.id}")
    elif form.is_submitted():
        status = 400
    names = service.PartyNames([service.owner_of(goal)])
    return _plan_page(
        "casemanagement/plan_goal_edit.html",
        case,
        goal=goal,
        owner_name=names.name(service.owner_of(goal)),
        form=form,
    ), status


@blueprint.route("/<uuid:case_id>/plan/acties/<uuid:action_id>", methods=["GET", "POST"])
@requires(WRITE)
def action_edit(case_id: uuid.UUID, action_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    action = _case_action(case, action_id)
    form = _action_form(case)
    if not form.is_submitted():
        audit_case(case, "read", READ)  # the form shows the case and its action
        form.description.data = action.description
        assignee = service.assignee_of(action)
        form.assignee.data = assignee.key() if assignee else ""
        form.due_on.data = action.due_on
        form.status.data = action.status
        form.version.data = str(action.version)
    status = 200
    if form.validate_on_submit():
        try:
            service.update_action(
                action.id,
                current_actor(),
                expected_version=_version(form),
                description=form.description.data or "",
                assignee=_party(form.assignee.data, "assignee"),
                due_on=form.due_on.data,
                status=form.status.data or action.status,
            )
        except CaseManagementError as error:
            status = _refuse_on(form, error)
            action = _case_action(case, action_id)
        else:
            db_session().commit()
            flash(_("De actie is bijgewerkt."))
            return _back(case.id, f"actie-{action.id}")
    elif form.is_submitted():
        status = 400
    goal = db_session().get(Goal, action.goal_id)
    names = service.PartyNames([service.assignee_of(action)])
    return _plan_page(
        "casemanagement/plan_action_edit.html",
        case,
        goal=goal,
        action=action,
        assignee_name=names.name(service.assignee_of(action)),
        form=form,
    ), status


@blueprint.post("/<uuid:case_id>/plan/doelen/<uuid:goal_id>/acties")
@requires(WRITE)
def action_add(case_id: uuid.UUID, goal_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    goal = _case_goal(case, goal_id)
    form = _action_form(case, prefix=f"action-{goal.id}")
    if form.validate_on_submit():
        try:
            service.add_action(
                goal.id,
                current_actor(),
                description=form.description.data or "",
                assignee=_party(form.assignee.data, "assignee"),
                due_on=form.due_on.data,
            )
        except CaseManagementError as error:
            status = _refuse_on(form, error)
            return _render_plan(case.id, status, action_form=form, action_goal_id=goal.id)
        db_session().commit()
        flash(_("De actie is toegevoegd."))
        return _back(case.id, f"doel-{goal.id}")
    return _render_plan(case.id, 400, action_form=form, action_goal_id=goal.id)


def _status_update(case_id: uuid.UUID, kind: str, item_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    item: Goal | Action = (
        _case_goal(case, item_id) if kind == "goal" else _case_action(case, item_id)
    )
    form = StatusForm()
    form.status.choices = choices(GOAL_STATUSES if kind == "goal" else ACTION_STATUSES)
    if not form.validate_on_submit():
        return _render_plan(case.id, 400, status_error=(item.id, _("Kies een status.")))
    try:
        if kind == "goal":
            service.update_goal(
                item.id, current_actor(), expected_version=_version(form), status=form.status.data
            )
        else:
            service.update_action(
                item.id, current_actor(), expected_version=_version(form), status=form.status.data
            )
    except CaseManagementError as error:
        if isinstance(error, NotFound):
            not_found(error)
        db_session().rollback()
        message = _(STALE_MESSAGE) if isinstance(error, Stale) else str(error)
        return _render_plan(
            case.id, 409 if isinstance(error, Stale) else 400, status_error=(item_id, message)
        )
    db_session().commit()
    flash(_("De status is bijgewerkt."))
    return _back(case.id, f"{'doel' if kind == 'goal' else 'actie'}-{item_id}")


@blueprint.post("/<uuid:case_id>/plan/doelen/<uuid:goal_id>/status")
@requires(WRITE)
def goal_status(case_id: uuid.UUID, goal_id: uuid.UUID) -> Any:
    return _status_update(case_id, "goal", goal_id)


@blueprint.post("/<uuid:case_id>/plan/acties/<uuid:action_id>/status")
@requires(WRITE)
def action_status(case_id: uuid.UUID, action_id: uuid.UUID) -> Any:
    return _status_update(case_id, "action", action_id)


def _versioned_post(case_id: uuid.UUID, item_id: uuid.UUID, call: Any, done: str) -> Any:
    """A POST that only carries the version read (remove, accept, discuss)."""
    case = case_for_page(case_id, WRITE)
    form = VersionForm()
    if not form.validate_on_submit():
        return _render_plan(case.id, 400)
    try:
        call(case, _version(form))
    except CaseManagementError as error:
        if isinstance(error, NotFound):
            not_found(error)
        db_session().rollback()
        message = _(STALE_MESSAGE) if isinstance(error, Stale) else str(error)
        return _render_plan(
            case.id, 409 if isinstance(error, Stale) else 400, status_error=(item_id, message)
        )
    db_session().commit()
    flash(done)
    return _back(case.id)


@blueprint.post("/<uuid:case_id>/plan/doelen/<uuid:goal_id>/verwijderen")
@requires(WRITE)
def goal_remove(case_id: uuid.UUID, goal_id: uuid.UUID) -> Any:
    def call(case: Case, version: int) -> None:
        goal = _case_goal(case, goal_id)
        service.remove_goal(goal.id, current_actor(), expected_version=version)

    return _versioned_post(case_id, goal_id, call, _("Het doel is verwijderd of vervallen."))


@blueprint.post("/<uuid:case_id>/plan/acties/<uuid:action_id>/verwijderen")
@requires(WRITE)
def action_remove(case_id: uuid.UUID, action_id: uuid.UUID) -> Any:
    def call(case: Case, version: int) -> None:
        action = _case_action(case, action_id)
        service.remove_action(action.id, current_actor(), expected_version=version)

    return _versioned_post(case_id, action_id, call, _("De actie is verwijderd of vervallen."))


@blueprint.post(
    "/<uuid:case_id>/plan/voorstellen/<any(goal, action):kind>/<uuid:item_id>"
    "/<any(accepted, discussed):decision>"
)
@requires(WRITE)
def proposal_decide(case_id: uuid.UUID, kind: str, item_id: uuid.UUID, decision: str) -> Any:
    def call(case: Case, version: int) -> None:
        if kind == "goal":
            _case_goal(case, item_id)
        else:
            _case_action(case, item_id)
        service.decide_proposal(
            kind, item_id, current_actor(), expected_version=version, decision=decision
        )

    done = (
        _("Het voorstel is overgenomen in het plan.")
        if decision == "accepted"
        else _("Het voorstel is besproken en niet overgenomen.")
    )
    return _versioned_post(case_id, item_id, call, done)


@blueprint.post("/<uuid:case_id>/plan/vaststellen")
@requires(WRITE)
def plan_agree(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = AgreeForm(prefix="agree")
    form.family.choices = [(str(pid), name) for pid, name in service.household_residents(case)]
    if form.validate_on_submit():
        try:
            version = service.agree_plan(
                case.id,
                current_actor(),
                expected_version=_version(form),
                agreed_on=form.agreed_on.data,
                family_person_ids=[uuid.UUID(v) for v in form.family.data or []],
            )
        except CaseManagementError as error:
            status = _refuse_on(form, error)
            return _render_plan(case.id, status, agree_form=form)
        db_session().commit()
        flash(_("Versie %(n)s van het plan is vastgesteld.", n=version.number))
        return _back(case.id)
    return _render_plan(case.id, 400, agree_form=form)


@blueprint.get("/<uuid:case_id>/plan/versies/<int:number>")
@requires(READ)
def plan_version_page(case_id: uuid.UUID, number: int) -> Any:
    try:
        case, version = service.version_record(case_id, number, current_actor())
    except NotFound as error:
        not_found(error)
    view = service.plan_version_view(case, number)
    return _plan_page(
        "casemanagement/plan_version.html",
        case,
        version=version,
        view=view,
    )


# -- ZRM --------------------------------------------------------------------------------------


class ZrmForm(FlaskForm):
    moment = SelectField(_l("Moment"), validators=[DataRequired()])
    assessed_on = DateField(_l("Datum"), validators=[DataRequired()])


def _zrm_form() -> Any:
    class Form(ZrmForm):
        pass

    for domain, label in LIFE_DOMAINS.items():
        setattr(Form, f"score_{domain}", SelectField(_l(label), validators=[Optional()]))
    form = Form()
    form.moment.choices = choices(ZRM_MOMENTS)
    score_choices = [("", _("— geen score —"))] + [
        (str(k), _(label)) for k, label in ZRM_SCORES.items()
    ]
    for domain in LIFE_DOMAINS:
        getattr(form, f"score_{domain}").choices = score_choices
    if not form.is_submitted():
        form.assessed_on.data = dt.date.today()
    return form


@blueprint.route("/<uuid:case_id>/zrm", methods=["GET", "POST"])
@requires(READ)
def zrm_page(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, READ)
    may_write = _may_write(case)
    form = _zrm_form()
    status = 200
    if request.method == "POST":
        if not may_write:
            not_found()
        if form.validate_on_submit():
            scores: dict[str, Any] = {}
            for domain in LIFE_DOMAINS:
                raw = getattr(form, f"score_{domain}").data
                scores[domain] = int(raw) if raw else None
            try:
                service.record_zrm(
                    case.id,
                    current_actor(),
                    moment=form.moment.data or "",
                    assessed_on=form.assessed_on.data,
                    scores=scores,
                )
            except Refused as error:
                rename = {f"scores.{d}": f"score_{d}" for d in LIFE_DOMAINS}
                status = _refuse_on_plain(form, error, rename)
            except NotFound as error:
                not_found(error)
            else:
                db_session().commit()
                flash(_("De ZRM-scores zijn vastgelegd."))
                return redirect(url_for("casemanagement.zrm_page", case_id=case.id), 303)
        else:
            status = 400
    overview = service.zrm_overview(case.id, current_actor())
    return _plan_page(
        "casemanagement/zrm.html",
        case,
        overview=overview,
        form=form,
        score_fields=[getattr(form, f"score_{d}") for d in LIFE_DOMAINS],
        may_write=may_write,
    ), status


def _refuse_on_plain(form: FlaskForm, error: Refused, rename: dict[str, str]) -> int:
    db_session().rollback()
    name = rename.get(error.field, error.field)
    field = getattr(form, name, None)
    if field is not None and hasattr(field, "errors"):
        field.errors = (
            [*field.errors, str(error)] if isinstance(field.errors, list) else [str(error)]
        )
    else:
        form.form_errors.append(str(error))
    return 400
