"""Core's registry services: validated input (`inputs`), persons, households, legal
representation, the organisation of teams (`structure`), person search and CSV import.

The tables are the SDK's (`openregie_sdk.registry`); core is their only writer. Services
flush and leave the commit to the caller. Refusals raise `RegistryError` naming the field.
"""

from openregie_core.registry.errors import ConflictError, NotFound, RegistryError, problems_of
from openregie_core.registry.households import add_member, create_household, end_membership
from openregie_core.registry.inputs import (
    AreaIn,
    HouseholdIn,
    HouseholdMemberIn,
    LegalRepresentationIn,
    MembershipIn,
    MunicipalityIn,
    OrganisationIn,
    PersonIn,
    TeamIn,
)
from openregie_core.registry.names import fold_name
from openregie_core.registry.persons import create_person, update_person
from openregie_core.registry.representation import create_legal_representation
from openregie_core.registry.search import search_persons
from openregie_core.registry.structure import (
    create_area,
    create_membership,
    create_municipality,
    create_organisation,
    create_team,
)

__all__ = [
    "AreaIn",
    "ConflictError",
    "HouseholdIn",
    "HouseholdMemberIn",
    "LegalRepresentationIn",
    "MembershipIn",
    "MunicipalityIn",
    "NotFound",
    "OrganisationIn",
    "PersonIn",
    "RegistryError",
    "TeamIn",
    "add_member",
    "create_area",
    "create_household",
    "create_legal_representation",
    "create_membership",
    "create_municipality",
    "create_organisation",
    "create_person",
    "create_team",
    "end_membership",
    "fold_name",
    "problems_of",
    "search_persons",
    "update_person",
]
