"""`/api/v1/core/persons`: search, read, register and change persons.

Reads go through the one person visibility predicate (search and detail agree) and are
audited per person returned; a person the caller may not see is a 404, as if absent.
Registering and changing need `core.registry.manage` in the person's municipality.
"""

import uuid
from http import HTTPStatus
from typing import Any, NoReturn

from flask import current_app
from flask_openapi3.request import validate_request
from pydantic import ValidationError

from openregie_core.api.blueprint import blueprint, refuse
from openregie_core.api.inputs import CRITERIA, PersonChange, PersonPath, PersonSearch
from openregie_core.api.schemas import ErrorOut, PersonOut, PersonPage, ValidationErrorOut
from openregie_core.registry import (
    ConflictError,
    PersonIn,
    RegistryError,
    create_person,
    problems_of,
    search_persons,
    update_person,
)
from openregie_sdk import authorize, current_actor, db_session, requires
from openregie_sdk.audit import record
from openregie_sdk.registry import Person

READ = "core.person.read"
MANAGE = "core.registry.manage"
PAGE_SIZE = 25


def _visible_person(person_id: uuid.UUID) -> Person:
    person = db_session().get(Person, person_id)
    if person is None or not authorize(READ, person):
        refuse(404, "Deze persoon bestaat niet of is niet voor u zichtbaar.")
    return person


def _check_manages(municipality_id: uuid.UUID | None, field: str = "municipality_id") -> None:
    """Registering or changing needs `core.registry.manage` where the person lives (a
    person without a municipality: installation-wide)."""
    scope = current_actor().scope_of(MANAGE)
    if not (scope.everywhere or municipality_id in scope.municipality_ids):
        refuse(
            403,
            "U beheert de basisregistratie van deze gemeente niet.",
            [(field, "is not a municipality whose registry you manage")],
        )


def _registry_error(error: RegistryError) -> NoReturn:
    db_session().rollback()
    if isinstance(error, ConflictError):
        refuse(409, str(error), error.problems)
    refuse(400, str(error), error.problems)


@blueprint.get(
    "/persons",
    responses={200: PersonPage, 400: ValidationErrorOut},
)
@requires(READ)
@validate_request()
def search(query: PersonSearch) -> Any:
    """Search persons

    Visible persons matching every criterion given, by name, 25 a page. At least one
    criterion is required. Each person returned is recorded in the audit log.
    """
    criteria = query.criteria()
    if all(value is None for value in criteria.values()):
        refuse(
            400,
            "Geef minstens één zoekcriterium.",
            [("query", f"give at least one of {', '.join(CRITERIA)}")],
        )
    runtime = current_app.extensions["openregie"]
    found = search_persons(
        db_session(),
        runtime.person_visibility(),
        **criteria,
        limit=PAGE_SIZE + 1,
        offset=(query.page - 1) * PAGE_SIZE,
    )
    items = found[:PAGE_SIZE]
    record("search", "core.person.search", "person", [p.id for p in items])
    page = PersonPage(
        items=[PersonOut.of(p) for p in items],
        page=query.page,
        next_page=query.page + 1 if len(found) > PAGE_SIZE else None,
    )
    return page.model_dump(mode="json")


@blueprint.get("/persons/<uuid:person_id>", responses={200: PersonOut, 404: ErrorOut})
@requires(READ)
@validate_request()
def detail(path: PersonPath) -> Any:
    """Read a person

    404 when the person does not exist or is not visible to the caller. Audited.
    """
    person = _visible_person(path.person_id)
    record("read", "core.person.view", "person", [person.id])
    return PersonOut.of(person).model_dump(mode="json")


@blueprint.post(
    "/persons",
    responses={201: PersonOut, 400: ValidationErrorOut},
)
@requires(MANAGE)
@validate_request()
def create(body: PersonIn) -> Any:
    """Register a person

    A BSN may be registered once. Unknown fields are refused. Needs `core.registry.manage`
    in the person's municipality.
    """
    _check_manages(body.municipality_id)
    session = db_session()
    try:
        person = create_person(session, body)
    except RegistryError as error:
        _registry_error(error)
    record("create", "core.registry.manage", "person", [person.id])
    session.commit()
    return PersonOut.of(person).model_dump(mode="json"), HTTPStatus.CREATED


@blueprint.patch(
    "/persons/<uuid:person_id>",
    responses={200: PersonOut, 400: ValidationErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@requires(MANAGE)
@validate_request()
def change(path: PersonPath, body: PersonChange) -> Any:
    """Change a person

    Only the fields given change. `version` must be the person's current version: a stale
    version is a 409 and nothing is written. 404 when the person is not visible.
    """
    person = _visible_person(path.person_id)
    _check_manages(person.municipality_id)
    current = PersonIn.model_fields.keys()
    values = {name: getattr(person, name) for name in current} | body.changes()
    if "municipality_id" in body.changes():
        _check_manages(body.municipality_id)
    try:
        data = PersonIn.model_validate(values)
    except ValidationError as error:
        refuse(400, "Ongeldige invoer.", problems_of(error))
    session = db_session()
    try:
        updated = update_person(session, person.id, data, version=body.version)
    except RegistryError as error:
        _registry_error(error)
    record("update", "core.registry.manage", "person", [updated.id])
    session.commit()
    return PersonOut.of(updated).model_dump(mode="json")
