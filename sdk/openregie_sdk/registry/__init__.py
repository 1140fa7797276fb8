"""The core registry as modules see it: municipalities, areas, organisations, teams,
memberships, persons, households and legal representation.

These mapped classes are part of the SDK contract: modules may read them, join them in
queries and point foreign keys at their tables (`core_person.id`, ...). Core owns the
tables (its migrations create them) and is the only writer; modules change registry data
only through the services core exposes.
"""

from openregie_sdk.registry.models import (
    HOUSEHOLD_ROLES,
    REPRESENTATION_KINDS,
    TEAM_KINDS,
    Area,
    Household,
    HouseholdMember,
    LegalRepresentation,
    Membership,
    Municipality,
    Organisation,
    Person,
    Team,
    team_area,
)

__all__ = [
    "HOUSEHOLD_ROLES",
    "REPRESENTATION_KINDS",
    "TEAM_KINDS",
    "Area",
    "Household",
    "HouseholdMember",
    "LegalRepresentation",
    "Membership",
    "Municipality",
    "Organisation",
    "Person",
    "Team",
    "team_area",
]
