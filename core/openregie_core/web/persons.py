"""Person search and the person page. Every read goes through the one person visibility
predicate (list and detail agree) and is recorded in the audit log per person shown."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from openregie_core.registry import search_persons
from openregie_sdk import authorize, current_actor, db_session, requires
from openregie_sdk.audit import record
from openregie_sdk.registry import HouseholdMember, LegalRepresentation, Person

blueprint = Blueprint("core_persons", __name__)
PAGE_SIZE = 25


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    bsn = StringField(_l("BSN"), validators=[Optional(), Length(min=8, max=9)])
    naam = StringField(_l("Achternaam (begin)"), validators=[Optional(), Length(min=2, max=200)])
    geboortedatum = DateField(_l("Geboortedatum"), validators=[Optional()])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(min=6, max=7)])
    huisnummer = IntegerField(_l("Huisnummer"), validators=[Optional(), NumberRange(1, 99999)])

    def criteria(self) -> dict[str, Any]:
        return {
            "bsn": self.bsn.data or None,
            "name_prefix": self.naam.data or None,
            "birth_date": self.geboortedatum.data,
            "postcode": self.postcode.data or None,
            "house_number": self.huisnummer.data,
        }


def _runtime() -> Any:
    return current_app.extensions["openregie"]


@blueprint.get("/")
@requires("core.person.read")
def search() -> Any:
    form = SearchForm(request.args)
    results: list[Person] | None = None
    page = max(request.args.get("pagina", 1, type=int) or 1, 1)
    more = False
    if request.args and form.validate():
        criteria = form.criteria()
        if any(value is not None for value in criteria.values()):
            found = search_persons(
                db_session(),
                _runtime().person_visibility(),
                **criteria,
                limit=PAGE_SIZE + 1,
                offset=(page - 1) * PAGE_SIZE,
            )
            more = len(found) > PAGE_SIZE
            results = list(found[:PAGE_SIZE])
            record("search", "core.person.search", "person", [p.id for p in results])
    status = 400 if request.args and form.errors else 200
    return render_template(
        "persons/search.html", form=form, results=results, page=page, more=more
    ), status


def visible_person_or_404(person_id: uuid.UUID) -> Person:
    """The person, if the actor may see them; otherwise 404 without saying they exist."""
    person = db_session().get(Person, person_id)
    if person is None or not authorize("core.person.read", person):
        abort(404)
    return person


@blueprint.get("/<uuid:person_id>")
@requires("core.person.read")
def detail(person_id: uuid.UUID) -> Any:
    person = visible_person_or_404(person_id)
    session = db_session()
    visible = _runtime().person_visibility()
    today = dt.date.today()
    memberships = session.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.person_id == person.id)
        .order_by(HouseholdMember.start_on.desc())
    ).all()
    represented_by = session.execute(
        select(LegalRepresentation, Person)
        .join(Person, Person.id == LegalRepresentation.representative_id)
        .where(LegalRepresentation.represented_id == person.id, visible)
        .order_by(LegalRepresentation.start_on)
    ).all()
    represents = session.execute(
        select(LegalRepresentation, Person)
        .join(Person, Person.id == LegalRepresentation.represented_id)
        .where(LegalRepresentation.representative_id == person.id, visible)
        .order_by(LegalRepresentation.start_on)
    ).all()
    record("read", "core.person.view", "person", [person.id])
    panels = _runtime().hooks.person_panels(current_actor(), person)
    return render_template(
        "persons/detail.html",
        person=person,
        memberships=memberships,
        represented_by=represented_by,
        represents=represents,
        panels=panels,
        today=today,
    )
