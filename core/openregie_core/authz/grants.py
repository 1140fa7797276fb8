"""The grants of a user: role assignments (installation or municipality) and current team
memberships (the membership's role, scoped to its team). One query per actor."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import CompoundSelect, Date, Uuid, bindparam, cast, null, or_, select, union_all
from sqlalchemy.orm import Session

from openregie_core.models import Role, RoleAssignment, RolePermission
from openregie_sdk.actors import Grant
from openregie_sdk.registry import Membership


def _grants_statement() -> CompoundSelect:
    """The role assignments' permissions UNION ALL the current memberships', for the bind
    parameters `user_id` and `today`. Built once: a request neither builds it nor computes
    its cache key again (SQLAlchemy memoises that on the statement object)."""
    assigned = (
        select(
            RoleAssignment.municipality_id.label("municipality_id"),
            cast(null(), Uuid).label("team_id"),
            Role.name.label("role"),
            RolePermission.permission.label("permission"),
            cast(null(), Uuid).label("home_organisation_id"),
            cast(null(), Date).label("start_on"),
        )
        .join(Role, Role.id == RoleAssignment.role_id)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .where(RoleAssignment.user_id == bindparam("user_id"))
    )
    memberships = (
        select(
            cast(null(), Uuid).label("municipality_id"),
            Membership.team_id,
            Membership.role,
            RolePermission.permission,
            Membership.home_organisation_id,
            Membership.start_on,
        )
        .outerjoin(Role, Role.name == Membership.role)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .where(
            Membership.user_id == bindparam("user_id"),
            Membership.start_on <= bindparam("today"),
            or_(Membership.end_on.is_(None), Membership.end_on > bindparam("today")),
        )
    )
    return union_all(assigned, memberships)


_GRANTS = _grants_statement()


def load_grants(
    session: Session, user_id: uuid.UUID, today: dt.date
) -> tuple[tuple[Grant, ...], frozenset[str], frozenset[uuid.UUID], uuid.UUID | None]:
    """(grants, role names, current team ids, home organisation of the latest membership).

    One statement: the role assignments' permissions UNION ALL the current memberships'.
    Grants come in a fixed order (installation-wide, then by municipality, then by team), so
    the same rights give an equal `Actor`, whatever order the database returns rows in."""
    rows = session.execute(_GRANTS, {"user_id": user_id, "today": today}).all()

    scoped: dict[tuple[uuid.UUID | None, uuid.UUID | None], set[str]] = defaultdict(set)
    roles: set[str] = set()
    teams: set[uuid.UUID] = set()
    latest: tuple[dt.date, uuid.UUID] | None = None
    for municipality_id, team_id, role_name, permission, home_organisation, start_on in rows:
        roles.add(role_name)
        bucket = scoped[(municipality_id, team_id)]
        if permission:
            bucket.add(permission)
        if team_id is None:
            continue
        teams.add(team_id)
        if home_organisation is not None and (latest is None or start_on >= latest[0]):
            latest = (start_on, home_organisation)

    grants = tuple(
        Grant(permissions=frozenset(perms), municipality_id=m, team_id=t)
        for (m, t), perms in sorted(scoped.items(), key=_grant_order)
    )
    return grants, frozenset(roles), frozenset(teams), latest[1] if latest else None


def _grant_order(item: tuple[tuple[uuid.UUID | None, uuid.UUID | None], set[str]]) -> tuple:
    (municipality_id, team_id), _ = item
    return (team_id is not None, municipality_id is not None, str(municipality_id), str(team_id))
