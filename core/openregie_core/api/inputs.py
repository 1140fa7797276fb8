"""Request models of the JSON API: path and query parameters, and the change of a person.
A new person is `registry.inputs.PersonIn` itself."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from openregie_core.registry.inputs import (
    BirthDate,
    Bsn,
    Email,
    HouseNumber,
    Phone,
    Postcode,
    Text10,
    Text20,
    Text120,
    Text200,
)

CRITERIA = ("bsn", "name", "birth_date", "postcode", "house_number")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: Any) -> Any:
    """A date in a query string only as YYYY-MM-DD: pydantic would also read a number
    ("0.0") as a timestamp, which no caller means."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError("use a date as YYYY-MM-DD")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("use a date as YYYY-MM-DD")
    return value.strip() if isinstance(value, str) else value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]


def _text(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


class PersonPath(BaseModel):
    person_id: uuid.UUID


class HouseholdPath(BaseModel):
    household_id: uuid.UUID


class PersonSearch(BaseModel):
    """Search criteria; all given criteria must match, at least one is required. `name`
    matches the start of the geslachtsnaam (a leading voorvoegsel may be typed)."""

    bsn: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=11)] | None
    ) = None
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
        | None
    ) = None
    birth_date: IsoDate | None = None
    postcode: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=6, max_length=7)] | None
    ) = None
    house_number: Annotated[int, Field(ge=1, le=99999)] | None = None
    page: Annotated[int, Field(ge=1, le=1000)] = 1

    def criteria(self) -> dict[str, Any]:
        return {
            "bsn": self.bsn,
            "name_prefix": self.name,
            "birth_date": self.birth_date,
            "postcode": self.postcode,
            "house_number": self.house_number,
        }


class PersonChange(BaseModel):
    """A change to a person: only the fields given change (`null` clears an optional
    field). `version` is the person's version the change is based on; when the person
    changed since, the answer is 409 and nothing is written."""

    model_config = ConfigDict(extra="forbid")

    version: Annotated[int, Field(ge=1)]
    bsn: Bsn | None = None
    voornamen: Text200 | None = None
    voorvoegsel: Text20 | None = None
    geslachtsnaam: Text200 | None = None
    birth_date: BirthDate | None = None
    phone: Phone | None = None
    email: Email | None = None
    street: Text200 | None = None
    house_number: HouseNumber | None = None
    house_number_suffix: Text10 | None = None
    postcode: Postcode | None = None
    city: Text120 | None = None
    municipality_id: uuid.UUID | None = None

    def changes(self) -> dict[str, Any]:
        """The fields given, without `version`."""
        return {name: getattr(self, name) for name in self.model_fields_set - {"version"}}
