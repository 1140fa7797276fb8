"""An actor's grants (`openregie_core.authz.grants.load_grants`): role assignments and the
memberships current on the day, from one statement built once and given its user and day
on every call."""

from __future__ import annotations

import datetime as dt
import uuid

from openregie_core.authz.grants import load_grants
from openregie_sdk.registry import Membership, Team
from openregie_sdk.testing.plugin import create_test_user

TODAY = dt.date.today()


def _team(db, name: str) -> Team:
    team = Team(name=f"{name} {uuid.uuid4().hex[:6]}", kind="integral")
    db.add(team)
    db.flush()
    return team


def test_grants_follow_the_user_and_the_day_asked_for(app, db):
    lead = create_test_user(app, "team_lead")  # installation-wide role "team_lead"
    colleague = create_test_user(app, "professional", roles=[])
    current, future, ended = _team(db, "Noord"), _team(db, "Zuid"), _team(db, "Oost")
    db.add_all(
        [
            Membership(user_id=lead.id, team_id=current.id, role="professional",
                       start_on=TODAY - dt.timedelta(days=30)),
            Membership(user_id=lead.id, team_id=future.id, role="team_lead",
                       start_on=TODAY + dt.timedelta(days=10)),
            Membership(user_id=lead.id, team_id=ended.id, role="professional",
                       start_on=TODAY - dt.timedelta(days=60), end_on=TODAY),
            Membership(user_id=colleague.id, team_id=ended.id, role="professional",
                       start_on=TODAY - dt.timedelta(days=5)),
        ]
    )  # fmt: skip
    db.commit()

    grants, roles, teams, _home = load_grants(db, lead.id, TODAY)
    assert teams == {current.id}
    assert roles == {"team_lead", "professional"}
    assert {g.team_id for g in grants} == {None, current.id}
    assert next(g for g in grants if g.team_id is None).municipality_id is None

    _grants, _roles, later_teams, _home = load_grants(db, lead.id, TODAY + dt.timedelta(days=10))
    assert later_teams == {current.id, future.id}

    _grants, other_roles, other_teams, _home = load_grants(db, colleague.id, TODAY)
    assert (other_roles, other_teams) == ({"professional"}, {ended.id})
    assert load_grants(db, uuid.uuid4(), TODAY) == ((), frozenset(), frozenset(), None)
