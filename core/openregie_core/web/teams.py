"""Teams and organisations: who works where, for which areas, with how many hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from openregie_sdk import db_session, requires
from openregie_sdk.registry import Area, Membership, Organisation, Team

blueprint = Blueprint("core_teams", __name__)


@blueprint.get("/")
@requires("core.teams.read")
def index() -> Any:
    session = db_session()
    today = dt.date.today()
    teams = session.scalars(
        select(Team)
        .options(selectinload(Team.areas).joinedload(Area.municipality))
        .order_by(Team.name)
    ).all()
    current = (Membership.start_on <= today) & or_(
        Membership.end_on.is_(None), Membership.end_on > today
    )
    staffing = {
        team_id: (members, hours)
        for team_id, members, hours in session.execute(
            select(
                Membership.team_id,
                func.count(),
                func.coalesce(func.sum(Membership.hours_per_week), 0),
            )
            .where(current)
            .group_by(Membership.team_id)
        )
    }
    organisations = session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template(
        "teams/index.html", teams=teams, staffing=staffing, organisations=organisations
    )
