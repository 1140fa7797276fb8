"""What the portal section's forms post to: a resident gives or withdraws a consent for
themselves or for a person they represent. The portal renders the section (hook
`openregie_portal_sections`) and never imports this module."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from openregie_consent.services import resident
from openregie_consent.services.common import OWN
from openregie_consent.web import blueprint
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.capabilities.consent import ConsentError


class EmptyForm(FlaskForm):
    """Only the CSRF token."""


def _back() -> Any:
    target = request.form.get("next", "")
    # Only a path on this site: never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target, 303)


@blueprint.post(
    "/mijn/<uuid:person_id>/<purpose>/<uuid:recipient_id>/<action>", endpoint="resident_decide"
)
@requires(OWN)
def resident_decide(
    person_id: uuid.UUID, purpose: str, recipient_id: uuid.UUID, action: str
) -> Any:
    if action not in ("geven", "intrekken"):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        resident.decide(
            current_actor(),
            person_id,
            purpose=purpose,
            recipient_id=recipient_id,
            give=action == "geven",
        )
    except ConsentError as error:
        db_session().rollback()
        flash(str(error), "error")
        return _back()
    db_session().commit()
    flash(
        _("Uw toestemming is gegeven.")
        if action == "geven"
        else _("Uw toestemming is ingetrokken.")
    )
    return _back()
