"""The household page: members over time (only those the actor may see) and the panels
modules contribute (the case and the plan of the household)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Blueprint, abort, current_app, render_template

from openregie_core.registry.households import visible_members
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.audit import record
from openregie_sdk.registry import Household

blueprint = Blueprint("core_households", __name__)


@blueprint.get("/<uuid:household_id>")
@requires("core.person.read")
def detail(household_id: uuid.UUID) -> Any:
    runtime = current_app.extensions["openregie"]
    session = db_session()
    household = session.get(Household, household_id)
    if household is None:
        abort(404)
    members = visible_members(session, household.id, runtime.person_visibility())
    if not members:
        abort(404)  # nothing of it is the actor's to see; do not confirm it exists
    record("read", "core.household.view", "person", sorted({p.id for _, p in members}))
    panels = runtime.hooks.household_panels(current_actor(), household)
    return render_template(
        "households/detail.html",
        household=household,
        members=members,
        panels=panels,
        today=dt.date.today(),
    )
