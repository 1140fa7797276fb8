"""The seeded roles, and how declared permissions reach them.

Each permission names the seeded roles that get it (`Permission.default_roles`). At
`openregie db upgrade` a permission seen for the first time is granted to those roles;
after that the roles are the functional admin's to edit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.i18n import N_
from openregie_sdk.manifest import Permission

FUNCTIONAL_ADMIN = "functional_admin"
TEAM_LEAD = "team_lead"
PROFESSIONAL = "professional"
POLICY_OFFICER = "policy_officer"

ROLE_TITLES = {
    FUNCTIONAL_ADMIN: N_("Functioneel beheerder"),
    TEAM_LEAD: N_("Teamleider"),
    PROFESSIONAL: N_("Professional"),
    POLICY_OFFICER: N_("Beleidsmedewerker"),
}


def permissions_by_role(permissions: Iterable[Permission]) -> dict[str, frozenset[str]]:
    grants: dict[str, set[str]] = defaultdict(set)
    for permission in permissions:
        for role in permission.default_roles:
            grants[role].add(permission.name)
    return {role: frozenset(names) for role, names in grants.items()}


def sync_builtin_roles(session: Session, permissions: Iterable[Permission]) -> list[str]:
    """Create missing seeded roles and grant newly seen permissions to their default roles.
    Returns the permissions seen for the first time. The caller commits."""
    from openregie_core.models import PermissionSeen, Role, RolePermission

    roles = {role.name: role for role in session.scalars(select(Role))}
    for name, title in ROLE_TITLES.items():
        if name not in roles:
            roles[name] = Role(name=name, title=title, builtin=True)
            session.add(roles[name])
    seen = set(session.scalars(select(PermissionSeen.permission)))
    new = []
    for permission in permissions:
        if permission.name in seen:
            continue
        new.append(permission.name)
        session.add(PermissionSeen(permission=permission.name))
        for role_name in permission.default_roles:
            role = roles.get(role_name)
            if role is not None and all(p.permission != permission.name for p in role.permissions):
                role.permissions.append(RolePermission(permission=permission.name))
    session.flush()
    return new
