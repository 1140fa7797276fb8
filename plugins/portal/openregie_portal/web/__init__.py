"""The pages of Mijn Regie, one blueprint mounted at `/mijn`.

`login.py` (choose an authenticator, its callback, the mock DigiD page), `home.py`
(overview and the "acting for" switch), `plan.py` (goals, actions, proposals, earlier
versions), `contact.py` (contact moments and appointment requests), `documents.py`,
`privacy.py` (personal data, consent sections, who looked at my data). Every page but the
login pages is guarded by `access.resident_page`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint
from sqlalchemy import select

from openregie_sdk import ActorKind, current_actor, db_session, residents
from openregie_sdk.registry import Person

blueprint = Blueprint(
    "portal",
    __name__,
    static_folder=str(Path(__file__).parent.parent / "static"),
    static_url_path="/static",
)

from openregie_portal.web.common import HELPERS  # noqa: E402 - after the blueprint


@blueprint.context_processor
def _portal_context() -> dict[str, Any]:
    """Everyone the signed-in resident may act for, with names, for the switch on every
    page (one query for the representations, one for the names)."""
    actor = current_actor()
    if actor.kind is not ActorKind.RESIDENT:
        return {"portal_people": [], **HELPERS}
    found = residents.representations()
    people = {
        p.id: p
        for p in db_session().scalars(
            select(Person).where(Person.id.in_([r.person_id for r in found]))
        )
    }
    return {
        "portal_people": [(r, people[r.person_id]) for r in found if r.person_id in people],
        **HELPERS,
    }


from openregie_portal.web import (  # noqa: E402 - the views register on `blueprint`
    contact,
    documents,
    home,
    login,
    plan,
    privacy,
    review,
)

__all__ = ["blueprint", "contact", "documents", "home", "login", "plan", "privacy", "review"]
