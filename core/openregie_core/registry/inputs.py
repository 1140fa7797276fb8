"""Pydantic input models of the registry (HTTP, CLI and import all pass through these).
Field names are the code names of the glossary; every refusal names its field."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from openregie_core.i18n import LazyText as _l
from openregie_core.registry import checks
from openregie_sdk.registry import HOUSEHOLD_ROLES, REPRESENTATION_KINDS, TEAM_KINDS

# One line of printable text: no C0 control characters (NUL cannot even be stored by
# PostgreSQL) and no bidi embedding, override or isolate characters, which can make a name
# read as something else ("Trojan Source"). Combining marks and astral characters are text.
SINGLE_LINE = "^[^\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$"


def _text(max_length: int) -> StringConstraints:
    # Checked inside pydantic-core (no Python call per field: imports validate many rows).
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=SINGLE_LINE
    )


def _choice(options: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in options:
            raise ValueError(_l("moet een van deze zijn: %(options)s", options=", ".join(options)))
        return value

    return AfterValidator(check)


Bsn = Annotated[str, AfterValidator(checks.check_bsn)]
Postcode = Annotated[str, AfterValidator(checks.check_postcode)]
Phone = Annotated[str, AfterValidator(checks.check_phone)]
Email = Annotated[str, AfterValidator(checks.check_email)]
BirthDate = Annotated[dt.date, AfterValidator(lambda value: checks.check_birth_date(value))]
HouseNumber = Annotated[int, Field(ge=1, le=checks.MAX_HOUSE_NUMBER)]
CbsCode = Annotated[str, AfterValidator(checks.check_cbs_code)]
AgbCode = Annotated[str, AfterValidator(checks.check_agb_code)]
Text10 = Annotated[str, _text(10)]
Text20 = Annotated[str, _text(20)]
Text40 = Annotated[str, _text(40)]
Text120 = Annotated[str, _text(120)]
Text200 = Annotated[str, _text(200)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        """An empty or blank string is no value: an optional field stays None, a required
        one is reported as required. (One pass here is cheaper than one per field, which
        matters for imports of many rows.)"""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


class _Period(_Input):
    """A period with an inclusive start and an exclusive end (open when None)."""

    start_on: dt.date
    end_on: dt.date | None = None

    @field_validator("end_on")
    @classmethod
    def _end_after_start(cls, end_on: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start_on = info.data.get("start_on")
        if end_on is not None and start_on is not None and end_on <= start_on:
            raise ValueError(_l("moet na start_on liggen"))
        return end_on


class PersonIn(_Input):
    """A person as registered: BSN optional (unique when present), BRP name parts,
    contact details and address."""

    bsn: Bsn | None = None
    voornamen: Text200
    voorvoegsel: Text20 | None = None
    geslachtsnaam: Text200
    birth_date: BirthDate | None = None
    phone: Phone | None = None
    email: Email | None = None
    street: Text200 | None = None
    house_number: HouseNumber | None = None
    house_number_suffix: Text10 | None = None
    postcode: Postcode | None = None
    city: Text120 | None = None
    municipality_id: uuid.UUID | None = None


class HouseholdMemberIn(_Period):
    person_id: uuid.UUID
    role: Annotated[str, _choice(HOUSEHOLD_ROLES)]


class HouseholdIn(_Input):
    name: Text200
    members: list[HouseholdMemberIn] = Field(default_factory=list)


class LegalRepresentationIn(_Period):
    """`representative_id` may act for `represented_id` as `kind` during the period."""

    representative_id: uuid.UUID
    represented_id: uuid.UUID
    kind: Annotated[str, _choice(REPRESENTATION_KINDS)]

    @field_validator("represented_id")
    @classmethod
    def _two_people(cls, represented_id: uuid.UUID, info: ValidationInfo) -> uuid.UUID:
        if represented_id == info.data.get("representative_id"):
            raise ValueError(_l("moet iemand anders zijn dan de vertegenwoordiger"))
        return represented_id


class MunicipalityIn(_Input):
    cbs_code: CbsCode
    name: Text120


class AreaIn(_Input):
    municipality_id: uuid.UUID
    name: Text120


class OrganisationIn(_Input):
    name: Text200
    agb_code: AgbCode | None = None


class TeamIn(_Input):
    name: Text200
    kind: Annotated[str, _choice(TEAM_KINDS)]
    area_ids: list[uuid.UUID] = Field(default_factory=list)


class MembershipIn(_Period):
    """A user in a team with a role; seconded staff name their home organisation."""

    user_id: uuid.UUID
    team_id: uuid.UUID
    role: Text40
    home_organisation_id: uuid.UUID | None = None
    hours_per_week: Annotated[Decimal | None, Field(gt=0, le=60, decimal_places=2)] = None
