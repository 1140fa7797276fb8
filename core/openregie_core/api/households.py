"""`/api/v1/core/households/{id}`: a household with the members the caller may see."""

from typing import Any

from flask import current_app
from flask_openapi3.request import validate_request

from openregie_core.api.blueprint import blueprint, refuse
from openregie_core.api.inputs import HouseholdPath
from openregie_core.api.schemas import ErrorOut, HouseholdMemberOut, HouseholdOut, PersonOut
from openregie_core.registry.households import visible_members
from openregie_sdk import db_session, requires
from openregie_sdk.audit import record
from openregie_sdk.registry import Household


@blueprint.get("/households/<uuid:household_id>", responses={200: HouseholdOut, 404: ErrorOut})
@requires("core.person.read")
@validate_request()
def household(path: HouseholdPath) -> Any:
    """Read a household

    The members visible to the caller, each with their role and period (end exclusive).
    404 when the household does not exist or none of its members is visible. Audited per
    member shown.
    """
    runtime = current_app.extensions["openregie"]
    session = db_session()
    found = session.get(Household, path.household_id)
    members = []
    if found is not None:
        members = visible_members(session, found.id, runtime.person_visibility())
    if found is None or not members:
        refuse(404, "Dit huishouden bestaat niet of is niet voor u zichtbaar.")
    record("read", "core.household.view", "person", sorted({p.id for _, p in members}))
    out = HouseholdOut(
        id=found.id,
        name=found.name,
        members=[
            HouseholdMemberOut(
                person=PersonOut.of(person),
                role=member.role,
                start_on=member.start_on,
                end_on=member.end_on,
            )
            for member, person in members
        ],
    )
    return out.model_dump(mode="json")
