"""The grants of a user: role assignments (installation or municipality) and current team
memberships (the membership's role, scoped to its team). Two queries per actor."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from openregie_core.models import Role, RoleAssignment, RolePermission
from openregie_sdk.actors import Grant
from openregie_sdk.registry import Membership


def load_grants(
    session: Session, user_id: uuid.UUID, today: dt.date
) -> tuple[tuple[Grant, ...], frozenset[str], frozenset[uuid.UUID], uuid.UUID | None]:
    """(grants, role names, current team ids, home organisation of the latest membership)."""
    scoped: dict[tuple[uuid.UUID | None, uuid.UUID | None], set[str]] = defaultdict(set)
    roles: set[str] = set()

    assigned = session.execute(
        select(RoleAssignment.municipality_id, Role.name, RolePermission.permission)
        .join(Role, Role.id == RoleAssignment.role_id)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .where(RoleAssignment.user_id == user_id)
    )
    for municipality_id, role_name, permission in assigned:
        roles.add(role_name)
        bucket = scoped[(municipality_id, None)]
        if permission:
            bucket.add(permission)

    teams: set[uuid.UUID] = set()
    organisation: uuid.UUID | None = None
    memberships = session.execute(
        select(
            Membership.team_id,
            Membership.role,
            Membership.home_organisation_id,
            RolePermission.permission,
        )
        .outerjoin(Role, Role.name == Membership.role)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .where(
            Membership.user_id == user_id,
            Membership.start_on <= today,
            or_(Membership.end_on.is_(None), Membership.end_on > today),
        )
        .order_by(Membership.start_on)
    )
    for team_id, role_name, home_organisation, permission in memberships:
        teams.add(team_id)
        roles.add(role_name)
        organisation = home_organisation or organisation
        bucket = scoped[(None, team_id)]
        if permission:
            bucket.add(permission)

    grants = tuple(
        Grant(permissions=frozenset(perms), municipality_id=m, team_id=t)
        for (m, t), perms in scoped.items()
    )
    return grants, frozenset(roles), frozenset(teams), organisation
