"""The worklist page (`GET /casussen/`): the actor's cases by kind, filtered, sorted and
paginated. Filters are plain query parameters (a GET form), so a list can be bookmarked."""

from __future__ import annotations

import uuid
from typing import Any

from flask import render_template, request
from sqlalchemy import select

from openregie_casemanagement import codes
from openregie_casemanagement.access import READ
from openregie_casemanagement.services.worklists import KINDS, SORTS, worklist
from openregie_casemanagement.web import blueprint
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.capabilities.casemanagement import Refused
from openregie_sdk.registry import Team


def _team_id(raw: str | None) -> uuid.UUID | None:
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Refused("Kies een bestaand team.", "team") from None


@blueprint.get("/", endpoint="worklist")
@requires(READ)
def worklist_page() -> Any:
    actor = current_actor()
    args = request.args
    kind = args.get("kind", "mine")
    filters = {
        "status": args.get("status", ""),
        "team": args.get("team", ""),
        "urgency": args.get("urgency", ""),
        "life_domain": args.get("life_domain", ""),
        "sort": args.get("sort", "urgency"),
    }
    error = None
    page = None
    try:
        number = int(args.get("page", "1"))
    except ValueError:
        number = 0
    try:
        if kind not in KINDS:
            raise Refused("Kies een bestaande werklijst.", "kind")
        page = worklist(
            actor,
            kind,
            status=filters["status"] or None,
            team_id=_team_id(filters["team"]),
            urgency=filters["urgency"] or None,
            life_domain=filters["life_domain"] or None,
            sort=filters["sort"],
            page=number,
        )
    except Refused as refused:
        error = refused
    teams = (
        db_session().scalars(select(Team).where(Team.id.in_(actor.team_ids)).order_by(Team.name))
        if actor.team_ids
        else []
    )
    return (
        render_template(
            "casemanagement/worklist.html",
            kind=kind,
            kinds=KINDS,
            sorts=SORTS,
            filters=filters,
            page=page,
            error=error,
            teams=list(teams),
            statuses=codes.STATUSES,
            urgencies=codes.URGENCIES,
            life_domains=codes.LIFE_DOMAINS,
        ),
        400 if error else 200,
    )
