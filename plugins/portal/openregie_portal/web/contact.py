"""Contact moments marked visible to residents, and asking for an appointment (it lands
on the case manager's worklist)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from openregie_portal.access import Acting, acting, case_of, cases_api, resident_page
from openregie_portal.web import blueprint
from openregie_portal.web.forms import AppointmentForm
from openregie_portal.web.plan import _field_error
from openregie_sdk import db_session
from openregie_sdk.capabilities.casemanagement import CaseSummary, NotFound, Refused


def _render(who: Acting, case: CaseSummary, form: AppointmentForm, status: int = 200) -> Any:
    api = cases_api()
    requests = [r for r in api.appointment_requests(case.id) if r.person_id == who.person.id]
    return (
        render_template(
            "portal/contact.html",
            who=who,
            case=case,
            moments=api.resident_contact_moments(case.id),
            requests=requests,
            form=form,
        ),
        status,
    )


@blueprint.get("/casus/<uuid:case_id>/contact", endpoint="contact")
@resident_page
def contact(case_id: uuid.UUID) -> Any:
    who = acting("care")
    return _render(who, case_of(who, case_id), AppointmentForm(formdata=None))


@blueprint.post("/casus/<uuid:case_id>/afspraak", endpoint="request_appointment")
@resident_page
def request_appointment(case_id: uuid.UUID) -> Any:
    who = acting("care")
    case = case_of(who, case_id)
    form = AppointmentForm()
    if not form.validate_on_submit():
        return _render(who, case, form, 400)
    try:
        cases_api().request_appointment(
            case.id,
            by_person_id=who.person.id,
            subject=form.subject.data.strip(),
            channel=form.channel.data,
            preferred_moments=form.preferred_moments.data.strip(),
        )
    except Refused as error:
        db_session().rollback()
        _field_error(form, error.field, str(error))
        return _render(who, case, form, 400)
    except NotFound:
        db_session().rollback()
        abort(404)
    db_session().commit()
    flash(_("Uw verzoek om een afspraak is verstuurd. Uw casusregisseur neemt contact op."))
    return redirect(url_for("portal.contact", case_id=case.id), 303)
