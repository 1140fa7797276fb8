"""The seeded roles and how an actor's permissions follow from them.

Each permission names the seeded roles that get it (`Permission.default_roles`); a user's
roles give the union of their permissions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from openregie_sdk.manifest import Permission

FUNCTIONAL_ADMIN = "functional_admin"
TEAM_LEAD = "team_lead"
PROFESSIONAL = "professional"
POLICY_OFFICER = "policy_officer"

ROLE_TITLES = {
    FUNCTIONAL_ADMIN: "Functioneel beheerder",
    TEAM_LEAD: "Teamleider",
    PROFESSIONAL: "Professional",
    POLICY_OFFICER: "Beleidsmedewerker",
}


def permissions_by_role(permissions: Iterable[Permission]) -> dict[str, frozenset[str]]:
    grants: dict[str, set[str]] = defaultdict(set)
    for permission in permissions:
        for role in permission.default_roles:
            grants[role].add(permission.name)
    return {role: frozenset(names) for role, names in grants.items()}
