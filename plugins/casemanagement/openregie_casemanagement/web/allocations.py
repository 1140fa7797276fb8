"""The allocations tab of a case (toekenningen): the list with waiting times, a form to
record a new allocation and a page to update one (status, dates, stop reason). Both pages
show the panels other modules contribute per allocation (`openregie_allocation_panels`)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from openregie_casemanagement.access import ALLOCATE, READ, WRITE, visible_cases
from openregie_casemanagement.codes import (
    ALLOCATION_STATUSES,
    FREQUENCIES,
    LAWS,
    PRODUCT_CATEGORIES,
    STOP_REASONS,
    UNITS,
)
from openregie_casemanagement.models import Case
from openregie_casemanagement.services import allocations as service
from openregie_casemanagement.services.common import audit_case
from openregie_casemanagement.web import blueprint
from openregie_casemanagement.web.common import (
    case_for_page,
    choices,
    render_case_page,
)
from openregie_casemanagement.web.errors import STALE_MESSAGE, not_found
from openregie_sdk import authorize, current_actor, db_session, requires
from openregie_sdk.capabilities.casemanagement import AllocationSummary, NotFound, Refused, Stale
from openregie_sdk.contributions import Panel
from openregie_sdk.registry import Person
from openregie_sdk.runtime import allocation_panels


class AllocationForm(FlaskForm):
    person_id = SelectField(_l("Voor"), validators=[DataRequired()])
    law = SelectField(_l("Wet"))
    product_category = SelectField(_l("Productcategorie"))
    product_code = StringField(
        _l("Productcode"),
        validators=[Optional(), Length(max=10)],
        description=_l("De productcode uit de iWmo/iJw-standaard, bijvoorbeeld 02A07."),
    )
    provider_name = StringField(_l("Zorgaanbieder"), validators=[DataRequired(), Length(max=200)])
    provider_agb = StringField(
        _l("AGB-code van de zorgaanbieder"),
        validators=[Optional(), Length(max=8)],
        description=_l("8 cijfers (niet verplicht)."),
    )
    volume = DecimalField(_l("Omvang"), places=2, validators=[DataRequired()])
    unit = SelectField(_l("Eenheid"))
    frequency = SelectField(_l("Frequentie"))
    requested_on = DateField(_l("Aangevraagd op"), validators=[DataRequired()])
    decided_on = DateField(_l("Besluit op"), validators=[Optional()])
    start_on = DateField(_l("Start zorg op"), validators=[Optional()])
    end_on = DateField(_l("Einde zorg op"), validators=[Optional()])
    status = SelectField(_l("Status"))


class AllocationUpdateForm(FlaskForm):
    status = SelectField(_l("Status"))
    decided_on = DateField(_l("Besluit op"), validators=[Optional()])
    start_on = DateField(_l("Start zorg op"), validators=[Optional()])
    end_on = DateField(_l("Einde zorg op"), validators=[Optional()])
    stop_reason = SelectField(_l("Reden van stoppen"), validators=[Optional()])
    version = HiddenField()


def _add_form(case: Case) -> AllocationForm:
    form = AllocationForm()
    ids = service.candidates(case)
    persons = db_session().scalars(
        select(Person).where(Person.id.in_(ids)).order_by(Person.birth_date, Person.voornamen)
    )
    form.person_id.choices = [(str(p.id), p.full_name) for p in persons]
    form.law.choices = choices(LAWS)
    form.product_category.choices = choices(PRODUCT_CATEGORIES)
    form.unit.choices = choices(UNITS)
    form.frequency.choices = choices(FREQUENCIES)
    # A stopped allocation is recorded by updating it (with its stop reason).
    form.status.choices = [
        (key, _(ALLOCATION_STATUSES[key])) for key in ("requested", "allocated", "started")
    ]
    if not form.is_submitted():
        form.status.data = "requested"
    return form


def _update_form(current: str, obj: Any = None) -> AllocationUpdateForm:
    form = AllocationUpdateForm(obj=obj)
    allowed = (current, *service.NEXT_STATUSES.get(current, ()))
    form.status.choices = [(key, _(ALLOCATION_STATUSES[key])) for key in allowed]
    form.stop_reason.choices = choices(STOP_REASONS, _("— geen —"))
    return form


def _may_allocate(case: Case) -> bool:
    """Whether the current actor may record allocations for the case (to show the form)."""
    actor = current_actor()
    if not authorize(ALLOCATE):
        return False
    return (
        db_session().scalar(
            select(Case.id).where(
                Case.id == case.id, visible_cases(actor, WRITE), visible_cases(actor, ALLOCATE)
            )
        )
        is not None
    )


def _panels(row: Any) -> list[Panel]:
    """The contributed panels of one allocation (called after the case check)."""
    return allocation_panels(
        AllocationSummary(
            id=row.id,
            person_id=row.person_id,
            law=row.law,
            product_category=row.product_category,
            provider_name=row.provider_name,
            provider_agb=row.provider_agb,
            status=row.status,
            start_on=row.start_on,
            end_on=row.end_on,
        )
    )


def _error_on(form: FlaskForm, error: Refused) -> None:
    field = getattr(form, error.field, None)
    if field is not None and hasattr(field, "errors"):
        field.errors = (
            [*field.errors, str(error)] if isinstance(field.errors, list) else [str(error)]
        )
    else:
        form.form_errors.append(str(error))


def _page(case: Case, form: AllocationForm | None, status: int = 200) -> Any:
    rows = service.allocations(current_actor(), case.id)
    names = {
        p.id: p.full_name
        for p in db_session().scalars(
            select(Person).where(Person.id.in_({row.person_id for row in rows}))
        )
    }
    return render_case_page(
        "casemanagement/allocations.html",
        case,
        tab="allocations",
        allocations=rows,
        names=names,
        panels={row.id: _panels(row) for row in rows},
        waiting_days=service.waiting_days,
        form=form,
        codes={
            "laws": LAWS,
            "categories": PRODUCT_CATEGORIES,
            "statuses": ALLOCATION_STATUSES,
            "units": UNITS,
            "frequencies": FREQUENCIES,
            "stop_reasons": STOP_REASONS,
        },
    ), status


@blueprint.get("/<uuid:case_id>/toekenningen")
@requires(READ)
def allocations_page(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, READ)
    # The page shows the case and, in the form, every person of it; the allocations'
    # own reads are recorded by the service.
    audit_case(case, "read", READ)
    return _page(case, _add_form(case) if _may_allocate(case) else None)


@blueprint.post("/<uuid:case_id>/toekenningen")
@requires(ALLOCATE)
def allocation_create(case_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    form = _add_form(case)
    if form.validate_on_submit():
        try:
            service.create_allocation(
                current_actor(),
                case.id,
                person_id=form.person_id.data,
                law=form.law.data,
                product_category=form.product_category.data,
                product_code=form.product_code.data or "",
                provider_name=form.provider_name.data,
                provider_agb=form.provider_agb.data or None,
                volume=form.volume.data,
                unit=form.unit.data,
                frequency=form.frequency.data,
                requested_on=form.requested_on.data,
                decided_on=form.decided_on.data,
                start_on=form.start_on.data,
                end_on=form.end_on.data,
                status=form.status.data,
            )
        except NotFound as error:
            not_found(error)
        except Refused as error:
            db_session().rollback()
            _error_on(form, error)
        else:
            db_session().commit()
            flash(_("De toekenning is vastgelegd."))
            return redirect(url_for("casemanagement.allocations_page", case_id=case.id), 303)
    return _page(case, form, 400)


@blueprint.route("/<uuid:case_id>/toekenningen/<uuid:allocation_id>", methods=["GET", "POST"])
@requires(ALLOCATE)
def allocation_edit(case_id: uuid.UUID, allocation_id: uuid.UUID) -> Any:
    case = case_for_page(case_id, WRITE)
    actor = current_actor()
    try:
        row = service.allocation(actor, allocation_id)
    except NotFound:
        abort(404)
    if row.case_id != case.id:
        abort(404)
    form = _update_form(row.status, obj=None if request.method == "POST" else row)
    if not form.is_submitted():
        form.version.data = str(row.version)
        form.stop_reason.data = row.stop_reason or ""
    status = 200
    stale = None
    if form.validate_on_submit():
        try:
            version = int(form.version.data or "0")
        except ValueError:
            version = 0
        try:
            service.update_allocation(
                actor,
                row.id,
                expected_version=version,
                status=form.status.data,
                decided_on=form.decided_on.data,
                start_on=form.start_on.data,
                end_on=form.end_on.data,
                stop_reason=form.stop_reason.data or None,
            )
        except NotFound as error:
            not_found(error)
        except Stale:
            db_session().rollback()
            stale = _(STALE_MESSAGE)
            status = 409
            row = service.allocation(actor, allocation_id)
            form.version.data = str(row.version)
            allowed = (row.status, *service.NEXT_STATUSES.get(row.status, ()))
            form.status.choices = [(key, _(ALLOCATION_STATUSES[key])) for key in allowed]
        except Refused as error:
            db_session().rollback()
            _error_on(form, error)
            status = 400
        else:
            db_session().commit()
            flash(_("De toekenning is bijgewerkt."))
            return redirect(url_for("casemanagement.allocations_page", case_id=case.id), 303)
    elif form.is_submitted():
        status = 400
    person = db_session().get(Person, row.person_id)
    return render_case_page(
        "casemanagement/allocations_edit.html",
        case,
        tab="allocations",
        allocation=row,
        person_name=person.full_name if person else "",
        waiting=service.waiting_days(row),
        panels=_panels(row),
        form=form,
        stale=stale,
        codes={
            "laws": LAWS,
            "categories": PRODUCT_CATEGORIES,
            "statuses": ALLOCATION_STATUSES,
            "units": UNITS,
            "frequencies": FREQUENCIES,
        },
    ), status
