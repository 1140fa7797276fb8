"""The pages of one case: opening a case from a household, the overview (facts, persons,
involved parties, status with its next steps, reopening, transfer, history) and editing.

Every change is a POST with a CSRF token that redirects back (POST-redirect-GET); a refusal
re-renders the page with 400 and the message on the field, a stale version 409 with the
user's input kept and `errors.STALE_MESSAGE`.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from openregie_casemanagement import codes
from openregie_casemanagement.access import READ, TRANSFER, WRITE
from openregie_casemanagement.services import cases as service
from openregie_casemanagement.web import blueprint, consent
from openregie_casemanagement.web.common import (
    case_for_page,
    choices,
    render_case_page,
)
from openregie_casemanagement.web.errors import STALE_MESSAGE, not_found
from openregie_sdk import audit, current_actor, db_session, requires
from openregie_sdk.capabilities.casemanagement import (
    CaseManagementError,
    NotFound,
    Refused,
    Stale,
)
from openregie_sdk.registry import Household, Team
from openregie_sdk.users import users


class CaseFactsForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    persons = SelectMultipleField(
        _l("Om wie gaat het"),
        description=_l("Kies een of meer leden van het huishouden."),
        validate_choice=False,
    )
    referral_source = SelectField(_l("Aangemeld door"), validate_choice=False)
    referral_reason = TextAreaField(
        _l("Reden van aanmelding"), validators=[DataRequired(), Length(max=4000)]
    )
    urgency = SelectField(_l("Urgentie"), validate_choice=False)
    life_domains = SelectMultipleField(_l("Leefgebieden"), validate_choice=False)

    def fill_choices(self, persons: list[Any]) -> None:
        self.persons.choices = [(str(p.id), p.full_name) for p in persons]
        self.referral_source.choices = choices(codes.REFERRAL_SOURCES)
        self.urgency.choices = choices(codes.URGENCIES)
        self.life_domains.choices = choices(codes.LIFE_DOMAINS)


class NewCaseForm(CaseFactsForm):
    team = SelectField(_l("Team"), validate_choice=False)


class EditCaseForm(CaseFactsForm):
    version = HiddenField()
    evaluation_due_on = DateField(_l("Evaluatie gepland op"), validators=[Optional()])


class StepForm(FlaskForm):
    version = HiddenField()
    status = HiddenField()
    reason = TextAreaField(_l("Toelichting"), validators=[Length(max=2000)])


class CloseForm(FlaskForm):
    version = HiddenField()
    status = HiddenField(default=codes.CLOSED)
    closure_reason = SelectField(_l("Reden van afsluiten"), validate_choice=False)
    reason = TextAreaField(
        _l("Toelichting"),
        description=_l("Verplicht bij de reden 'Anders'."),
        validators=[Length(max=2000)],
    )


class ReopenForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(
        _l("Waarom wordt de casus heropend?"), validators=[DataRequired(), Length(max=2000)]
    )


class TransferForm(FlaskForm):
    version = HiddenField()
    team = SelectField(_l("Naar team"), validate_choice=False)
    case_manager = SelectField(
        _l("Nieuwe casusregisseur"),
        description=_l("Een huidig lid van het gekozen team."),
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reden van overdracht"), validators=[DataRequired(), Length(max=2000)]
    )


class ProfessionalForm(FlaskForm):
    user_id = SelectField(_l("Professional"), validate_choice=False)
    role = StringField(_l("Rol bij deze casus"), validators=[Length(max=200)])


class ExternalForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    role = StringField(
        _l("Rol"),
        description=_l("Bijvoorbeeld mentor op school of huisarts."),
        validators=[DataRequired(), Length(max=200)],
    )
    phone = StringField(_l("Telefoon"), validators=[Optional(), Length(max=30)])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Length(max=254)])


class EmptyForm(FlaskForm):
    """Only the CSRF token."""


# Which form field shows a service error about which input.
FIELD_OF = {
    "person_ids": "persons",
    "team_id": "team",
    "case_manager_id": "case_manager",
    "status": "status",
    "version": "version",
}


def _attach(form: FlaskForm, error: CaseManagementError) -> str | None:
    """Put the error on the form's field; returns the message when no field shows it."""
    name = FIELD_OF.get(error.field, error.field)
    field = getattr(form, name, None)
    if field is None or isinstance(field, HiddenField):
        return str(error)
    field.errors = [*list(field.errors or []), str(error)]
    return None


def _version(form: FlaskForm) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


# -- opening a case ------------------------------------------------------------------------


@blueprint.route("/nieuw", methods=["GET", "POST"], endpoint="new_case")
@requires(WRITE)
def new_case() -> Any:
    actor = current_actor()
    try:
        household_id = uuid.UUID(request.args.get("household", ""))
    except ValueError:
        abort(404)
    session = db_session()
    household = session.get(Household, household_id)
    members = service.visible_household_members(actor, household_id) if household else []
    if household is None or not members:
        abort(404)
    teams = service.teams_for_new_case(actor)
    form = NewCaseForm()
    form.fill_choices(members)
    form.team.choices = [(str(t.id), t.name) for t in teams]
    if request.method == "GET":
        if len(members) == 1:
            form.persons.data = [str(members[0].id)]
        own = [t for t in teams if t.id in actor.team_ids]
        if own:
            form.team.data = str(own[0].id)
    problem = None
    status = 200
    if form.validate_on_submit():
        try:
            case = service.create_case(
                actor,
                household_id=household_id,
                team_id=form.team.data,
                title=form.title.data,
                person_ids=form.persons.data or [],
                referral_source=form.referral_source.data,
                referral_reason=form.referral_reason.data,
                urgency=form.urgency.data,
                life_domains=form.life_domains.data or [],
            )
        except NotFound:
            not_found()
        except Refused as error:
            session.rollback()
            problem = _attach(form, error)
            status = 400
        else:
            session.commit()
            flash(_("De casus is aangemaakt. U bent de casusregisseur."))
            return redirect(url_for("casemanagement.case_detail", case_id=case.id), 303)
    elif request.method == "POST":
        status = 400
    # The page shows the household's members: record that read.
    audit.record("read", WRITE, "person", [p.id for p in members])
    return (
        render_template(
            "casemanagement/case_new.html",
            household=household,
            form=form,
            teams=teams,
            problem=problem,
        ),
        status,
    )


# -- the overview --------------------------------------------------------------------------


def _transfer_form(case: Any, form: TransferForm | None = None) -> TransferForm:
    form = form or TransferForm(formdata=None, version=str(case.version))
    teams = db_session().scalars(select(Team).order_by(Team.name)).all()
    form.team.choices = [(str(t.id), t.name) for t in teams]
    members = service.current_team_members()
    names = users({m[2] for m in members})
    form.case_manager.choices = [
        (str(user_id), f"{names[user_id].display_name} ({team_name})")
        for _team_id, team_name, user_id in members
        if user_id in names and names[user_id].active
    ]
    if form.team.data is None:
        form.team.data = str(case.team_id)
    return form


def _detail(case: Any, status: int = 200, problem: str | None = None, **forms: Any) -> Any:
    """Render the overview; `forms` replace the fresh ones (to show errors and input)."""
    actor = current_actor()
    version = str(case.version)
    search = request.args.get("zoek", "").strip()
    found = service.find_professionals(search) if search else []
    professional = forms.get("professional") or ProfessionalForm(formdata=None)
    parties = service.involvements(case)
    no_consent = consent.without_consent(
        actor,
        case,
        {i for i, _n in found} | {p.user_id for p in parties if p.active and p.user_id},
    )
    if forms.get("professional") is None or not professional.user_id.choices:
        professional.user_id.choices = [
            (str(i), n + (" — " + _("geen toestemming van de inwoners") if i in no_consent else ""))
            for i, n in found
        ]
    external = forms.get("external") or ExternalForm(formdata=None)
    close = forms.get("close") or CloseForm(formdata=None, version=version)
    close.closure_reason.choices = choices(codes.CLOSURE_REASONS, _("Kies een reden"))
    step = forms.get("step") or StepForm(formdata=None, version=version)
    reopen = forms.get("reopen") or ReopenForm(formdata=None, version=version)
    may_transfer = service.may_transfer(actor, case)
    transfer = (forms.get("transfer") or _transfer_form(case)) if may_transfer else None
    steps = [s for s in service.next_statuses(case) if s != codes.CLOSED]
    transitions = service.history(case)
    team_ids = {t.from_team_id for t in transitions} | {t.to_team_id for t in transitions}
    team_names = dict(
        db_session().execute(select(Team.id, Team.name).where(Team.id.in_(team_ids - {None}))).all()
    )
    by = users({t.by_user_id for t in transitions if t.by_user_id})
    return (
        render_case_page(
            "casemanagement/case_detail.html",
            case,
            tab="overview",
            persons=service.case_persons(case),
            life_domains=service.case_life_domains(case),
            parties=parties,
            no_consent=no_consent,
            found_without_consent=any(i in no_consent for i, _n in found),
            steps=steps,
            may_close=codes.CLOSED in service.next_statuses(case),
            may_write=actor.holds(WRITE),
            may_transfer=may_transfer,
            transitions=transitions,
            team_names=team_names,
            by=by,
            search=search,
            found=found,
            professional=professional,
            external=external,
            close=close,
            step=step,
            reopen=reopen,
            transfer=transfer,
            empty=EmptyForm(formdata=None),
            problem=problem,
            codes=codes,
        ),
        status,
    )


@blueprint.get("/<uuid:case_id>", endpoint="case_detail")
@requires(READ)
def case_detail(case_id: uuid.UUID) -> Any:
    try:
        case = service.read_case(current_actor(), case_id)
    except NotFound:
        return consent.blocked_page(case_id)
    return _detail(case)


def _failed(case_id: uuid.UUID, error: CaseManagementError, form_name: str, form: Any) -> Any:
    """Roll back and show the overview again with the error (400/404/409)."""
    session = db_session()
    session.rollback()
    if isinstance(error, NotFound) and error.field == "case_id":
        not_found()
    case = case_for_page(case_id, READ)
    if isinstance(error, Stale):
        if hasattr(form, "version"):
            form.version.data = str(case.version)  # saving again is now a deliberate choice
        return _detail(case, 409, STALE_MESSAGE + " " + str(error), **{form_name: form})
    problem = _attach(form, error)
    return _detail(case, 404 if isinstance(error, NotFound) else 400, problem, **{form_name: form})


def _invalid(case_id: uuid.UUID, form_name: str, form: Any) -> Any:
    case = case_for_page(case_id, READ)
    problem = None if form.errors else _("Het formulier is verlopen; probeer het opnieuw.")
    if "csrf_token" in form.errors:
        problem = _("Het formulier is verlopen; probeer het opnieuw.")
    return _detail(case, 400, problem, **{form_name: form})


def _done(case_id: uuid.UUID, message: str) -> Any:
    db_session().commit()
    flash(message)
    return redirect(url_for("casemanagement.case_detail", case_id=case_id), 303)


@blueprint.post("/<uuid:case_id>/status", endpoint="case_transition")
@requires(WRITE)
def case_transition(case_id: uuid.UUID) -> Any:
    closing = request.form.get("status") == codes.CLOSED
    form: Any = CloseForm() if closing else StepForm()
    name = "close" if closing else "step"
    if closing:
        form.closure_reason.choices = choices(codes.CLOSURE_REASONS, _("Kies een reden"))
    if not form.validate_on_submit():
        return _invalid(case_id, name, form)
    try:
        case = service.transition(
            current_actor(),
            case_id,
            form.status.data or "",
            expected_version=_version(form),
            reason=form.reason.data or "",
            closure_reason=(form.closure_reason.data or None) if closing else None,
        )
    except CaseManagementError as error:
        return _failed(case_id, error, name, form)
    label = _(codes.STATUSES[case.status])
    return _done(case_id, _("De status is nu %(status)s.", status=label))


@blueprint.post("/<uuid:case_id>/heropenen", endpoint="case_reopen")
@requires(WRITE)
def case_reopen(case_id: uuid.UUID) -> Any:
    form = ReopenForm()
    if not form.validate_on_submit():
        return _invalid(case_id, "reopen", form)
    try:
        service.reopen(
            current_actor(), case_id, form.reason.data or "", expected_version=_version(form)
        )
    except CaseManagementError as error:
        return _failed(case_id, error, "reopen", form)
    return _done(case_id, _("De casus is heropend en staat weer op intake."))


@blueprint.post("/<uuid:case_id>/overdragen", endpoint="case_transfer")
@requires(TRANSFER)
def case_transfer(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, READ)
    form = _transfer_form(case, TransferForm())
    if not form.validate_on_submit():
        return _invalid(case_id, "transfer", form)
    try:
        service.transfer(
            current_actor(),
            case_id,
            team_id=form.team.data,
            case_manager_id=form.case_manager.data,
            reason=form.reason.data or "",
            expected_version=_version(form),
        )
    except CaseManagementError as error:
        return _failed(case_id, error, "transfer", form)
    return _done(case_id, _("De casus is overgedragen."))


@blueprint.post("/<uuid:case_id>/betrokkenen/professional", endpoint="add_professional")
@requires(WRITE)
def add_professional(case_id: uuid.UUID) -> Any:
    form = ProfessionalForm()
    chosen = request.form.get("user_id", "")
    form.user_id.choices = [(chosen, chosen)] if chosen else []
    if not form.validate_on_submit():
        return _invalid(case_id, "professional", form)
    try:
        involvement = service.add_involvement(
            current_actor(),
            case_id,
            kind="professional",
            user_id=form.user_id.data or None,
            role=form.role.data or "",
        )
    except CaseManagementError as error:
        form.user_id.choices = []
        return _failed(case_id, error, "professional", form)
    return _done(case_id, _("%(name)s is nu betrokken bij de casus.", name=involvement.name))


@blueprint.post("/<uuid:case_id>/betrokkenen/extern", endpoint="add_external")
@requires(WRITE)
def add_external(case_id: uuid.UUID) -> Any:
    form = ExternalForm()
    if not form.validate_on_submit():
        return _invalid(case_id, "external", form)
    try:
        involvement = service.add_involvement(
            current_actor(),
            case_id,
            kind="external",
            name=form.name.data,
            role=form.role.data,
            phone=form.phone.data or None,
            email=form.email.data or None,
        )
    except CaseManagementError as error:
        return _failed(case_id, error, "external", form)
    return _done(case_id, _("%(name)s is toegevoegd als betrokkene.", name=involvement.name))


@blueprint.post(
    "/<uuid:case_id>/betrokkenen/<uuid:involvement_id>/beeindigen",
    endpoint="deactivate_involvement",
)
@requires(WRITE)
def deactivate_involvement(case_id: uuid.UUID, involvement_id: uuid.UUID) -> Any:
    form = EmptyForm()
    if not form.validate_on_submit():
        return _invalid(case_id, "empty", form)
    try:
        involvement = service.deactivate_involvement(current_actor(), case_id, involvement_id)
    except CaseManagementError as error:
        return _failed(case_id, error, "empty", form)
    return _done(case_id, _("%(name)s is niet meer betrokken.", name=involvement.name))


# -- editing the facts ---------------------------------------------------------------------


@blueprint.route("/<uuid:case_id>/bewerken", methods=["GET", "POST"], endpoint="case_edit")
@requires(WRITE)
def case_edit(case_id: uuid.UUID) -> Any:
    actor = current_actor()
    case = case_for_page(case_id, WRITE)
    session = db_session()
    members = service.visible_household_members(actor, case.household_id)
    concerned = service.case_persons(case)
    known = {p.id for p in members}
    candidates = members + [p for p in concerned if p.id not in known]
    if request.method == "GET":
        form = EditCaseForm(
            formdata=None,
            version=str(case.version),
            title=case.title,
            persons=[str(p.id) for p in concerned],
            referral_source=case.referral_source,
            referral_reason=case.referral_reason,
            urgency=case.urgency,
            life_domains=service.case_life_domains(case),
            evaluation_due_on=case.evaluation_due_on,
        )
    else:
        form = EditCaseForm()
    form.fill_choices(candidates)
    problem = None
    status = 200
    if form.validate_on_submit():
        try:
            service.update_case(
                actor,
                case_id,
                expected_version=_version(form),
                title=form.title.data,
                person_ids=form.persons.data or [],
                referral_source=form.referral_source.data,
                referral_reason=form.referral_reason.data,
                urgency=form.urgency.data,
                life_domains=form.life_domains.data or [],
                evaluation_due_on=form.evaluation_due_on.data,
            )
        except NotFound:
            not_found()
        except Stale as error:
            session.rollback()
            case = case_for_page(case_id, WRITE)
            problem = f"{STALE_MESSAGE} {error}"
            form.version.data = str(case.version)
            status = 409
        except Refused as error:
            session.rollback()
            case = case_for_page(case_id, WRITE)
            problem = _attach(form, error)
            status = 400
        else:
            session.commit()
            flash(_("De gegevens van de casus zijn opgeslagen."))
            return redirect(url_for("casemanagement.case_detail", case_id=case_id), 303)
    elif request.method == "POST":
        status = 400
    audit.record("read", WRITE, "person", sorted(p.id for p in candidates))
    return (
        render_case_page(
            "casemanagement/case_edit.html",
            case,
            tab="overview",
            form=form,
            problem=problem,
            stale=status == 409,
            codes=codes,
        ),
        status,
    )
