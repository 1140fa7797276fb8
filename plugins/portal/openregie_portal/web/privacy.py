"""Personal data (view; phone, e-mail and preferred channel changed directly; other data
proposed as a correction for a professional to review), the sections other modules
contribute (consent) and "who looked at my data" from the audit log."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from openregie_portal.access import Acting, acting, resident_page
from openregie_portal.models import PortalAccount, PortalCorrection
from openregie_portal.web import blueprint
from openregie_portal.web.forms import ContactForm, CorrectionForm
from openregie_portal.web.plan import _field_error
from openregie_sdk import audit, db_session
from openregie_sdk.registry.contact import ContactRefused, update_contact_details
from openregie_sdk.runtime import portal_sections

ACCESS_LIMIT = 200

ACTIONS = {
    "read": _l("bekeken"),
    "search": _l("gezocht"),
    "create": _l("vastgelegd"),
    "update": _l("gewijzigd"),
    "delete": _l("verwijderd"),
    "export": _l("geëxporteerd"),
    "login": _l("ingelogd"),
    "access": _l("geopend"),
}
ROLES = {
    "professional": _l("professional"),
    "team_lead": _l("teamleider"),
    "functional_admin": _l("functioneel beheerder"),
    "policy_officer": _l("beleidsmedewerker"),
    "resident": _l("inwoner"),
}
KINDS = {
    "user": _l("medewerker"),
    "resident": _l("inwoner (u of uw vertegenwoordiger)"),
    "api_client": _l("gekoppeld systeem"),
    "system": _l("het systeem"),
    "anonymous": _l("niet ingelogd"),
}
FIELDS = {
    "name": _l("Naam"),
    "birth_date": _l("Geboortedatum"),
    "address": _l("Adres"),
    "other": _l("Iets anders"),
}
STATES = {"open": _l("In behandeling"), "processed": _l("Verwerkt"), "rejected": _l("Afgewezen")}


def _roles(raw: str | None) -> str:
    if not raw:
        return ""
    return ", ".join(str(ROLES.get(r.strip(), r.strip())) for r in raw.split(","))


def _account(who: Acting) -> PortalAccount | None:
    return db_session().scalar(
        select(PortalAccount).where(PortalAccount.person_id == who.person.id)
    )


def _render(
    who: Acting,
    contact: ContactForm | None = None,
    correction: CorrectionForm | None = None,
    status: int = 200,
) -> Any:
    audit.record("read", "portal.use", "person", [who.person.id])
    account = _account(who)
    if contact is None:
        contact = ContactForm(
            formdata=None,
            version=who.person.version,
            phone=who.person.phone,
            email=who.person.email,
            preferred_channel=(account.preferred_channel if account else "") or "",
        )
    corrections = db_session().scalars(
        select(PortalCorrection)
        .where(PortalCorrection.person_id == who.person.id)
        .order_by(PortalCorrection.created_at.desc())
    )
    sections = portal_sections(who.person) if who.representation.allows("consent") else []
    return (
        render_template(
            "portal/personal.html",
            who=who,
            person=who.person,
            sections=sections,
            contact=contact,
            correction=correction or CorrectionForm(formdata=None),
            corrections=list(corrections),
            fields=FIELDS,
            states=STATES,
        ),
        status,
    )


@blueprint.get("/gegevens", endpoint="personal")
@resident_page
def personal() -> Any:
    return _render(acting("personal_data"))


@blueprint.post("/gegevens/contact", endpoint="update_contact")
@resident_page
def update_contact() -> Any:
    who = acting("personal_data")
    form = ContactForm()
    if not form.validate_on_submit():
        return _render(who, contact=form, status=400)
    try:
        update_contact_details(
            who.person.id,
            phone=form.phone.data,
            email=form.email.data,
            expected_version=form.version.data,
        )
    except ContactRefused as error:
        db_session().rollback()
        _field_error(form, error.field, str(error))
        who = acting("personal_data")
        return _render(who, contact=form, status=409 if error.field == "version" else 400)
    account = _account(who)
    if account is None:
        account = PortalAccount(person_id=who.person.id)
        db_session().add(account)
    account.preferred_channel = form.preferred_channel.data or None
    audit.record("update", "portal.use", "person", [who.person.id])
    db_session().commit()
    flash(_("Uw contactgegevens zijn opgeslagen."))
    return redirect(url_for("portal.personal"), 303)


@blueprint.post("/gegevens/correctie", endpoint="propose_correction")
@resident_page
def propose_correction() -> Any:
    who = acting("personal_data")
    form = CorrectionForm()
    if not form.validate_on_submit():
        return _render(who, correction=form, status=400)
    db_session().add(
        PortalCorrection(
            person_id=who.person.id,
            proposed_by_person_id=who.actor.id,
            field=form.field.data,
            proposal=form.proposal.data.strip(),
        )
    )
    audit.record("create", "portal.use", "person", [who.person.id])
    db_session().commit()
    flash(_("Uw voorstel is verstuurd. Een medewerker bekijkt het."))
    return redirect(url_for("portal.personal"), 303)


@blueprint.get("/wie-keek", endpoint="accessed")
@resident_page
def accessed() -> Any:
    who = acting("personal_data")
    entries = audit.accessed_by(who.person.id, limit=ACCESS_LIMIT)
    audit.record("read", "portal.use", "person", [who.person.id])
    return render_template(
        "portal/accessed.html",
        who=who,
        entries=entries,
        actions=ACTIONS,
        kinds=KINDS,
        roles=_roles,
        limit=ACCESS_LIMIT,
    )
