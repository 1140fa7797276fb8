"""`POST /api/v1/<id>/traag`: a write that stays in flight until its process is killed.

It adds an organisation named in the body, flushes it and records the creation in the
audit log (both in the request's open transaction), then announces that it is in flight
by writing the organisation's id to the file named by `OPENREGIE_FAULTS_SIGNAL` and waits
(at most a minute, then it commits). The crash test kills the process while it waits."""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Blueprint, request

from openregie_sdk import audit, db_session, requires
from openregie_sdk.registry import Organisation

from .module import MODULE_ID

blueprint = Blueprint(f"{MODULE_ID}_api", __name__)
IN_FLIGHT_SECONDS = 60


@blueprint.post("/traag")
@requires(f"{MODULE_ID}.view")
def slow_write():
    session = db_session()
    organisation = Organisation(name=str(request.get_json()["name"]))
    session.add(organisation)
    session.flush()
    audit.record("create", f"{MODULE_ID}.view", "organisation", [organisation.id])
    Path(os.environ["OPENREGIE_FAULTS_SIGNAL"]).write_text(str(organisation.id))
    deadline = time.monotonic() + IN_FLIGHT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
    session.commit()
    return {"id": str(organisation.id)}
