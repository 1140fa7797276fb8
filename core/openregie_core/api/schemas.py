"""Response bodies of the JSON API (pydantic): what a caller sees, never internal fields
(no search name, no timestamps of the database rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from openregie_sdk.api import ErrorOut, FieldProblem, Problem, ValidationErrorOut
from openregie_sdk.registry import Person

__all__ = ["ErrorOut", "FieldProblem", "Problem", "ValidationErrorOut"]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AddressOut(_Out):
    street: str | None = None
    house_number: int | None = None
    house_number_suffix: str | None = None
    postcode: str | None = None
    city: str | None = None


class PersonOut(_Out):
    """A person as the registry holds them. `version` is what a change must be based on."""

    id: uuid.UUID
    bsn: str | None = None
    voornamen: str
    voorvoegsel: str | None = None
    geslachtsnaam: str
    birth_date: dt.date | None = None
    phone: str | None = None
    email: str | None = None
    address: AddressOut
    municipality_id: uuid.UUID | None = None
    version: int

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        return cls(
            id=person.id,
            bsn=person.bsn,
            voornamen=person.voornamen,
            voorvoegsel=person.voorvoegsel,
            geslachtsnaam=person.geslachtsnaam,
            birth_date=person.birth_date,
            phone=person.phone,
            email=person.email,
            address=AddressOut.model_validate(person),
            municipality_id=person.municipality_id,
            version=person.version,
        )


class PersonPage(_Out):
    """One page of search results."""

    items: list[PersonOut]
    page: int
    next_page: int | None = Field(description="The next page's number; null on the last page")


class HouseholdMemberOut(_Out):
    """A visible member and their period in the household (end exclusive, null is open)."""

    person: PersonOut
    role: str
    start_on: dt.date
    end_on: dt.date | None = None


class HouseholdOut(_Out):
    id: uuid.UUID
    name: str
    members: list[HouseholdMemberOut]


class MeOut(_Out):
    kind: str
    name: str
    scopes: list[str]
    municipality_id: uuid.UUID | None = None
