"""Settings of the consent module (`[modules.consent]` or `OPENREGIE_CONSENT__<FIELD>`).

The purposes are the functional admin's list: each has a code, a Dutch label, the data
categories it covers, its legal basis (AVG art. 6(1) ground, and the art. 9(2) exception
when special categories such as health are shared) and the relations it gates.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from openregie_sdk import ModuleSettings
from openregie_sdk.capabilities.consent import RELATION_INVOLVED_OUTSIDE_TEAM

ART6_GROUNDS = ("a", "b", "c", "d", "e", "f")
ART9_EXCEPTIONS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")


class PurposeSetting(BaseModel):
    """One purpose a resident can consent to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    label: str = Field(min_length=1, max_length=200)
    data_categories: tuple[str, ...] = Field(min_length=1)
    legal_basis: str = "a"
    special_category_exception: str | None = None
    gates: tuple[str, ...] = ()

    @field_validator("legal_basis")
    @classmethod
    def _art6(cls, value: str) -> str:
        if value not in ART6_GROUNDS:
            raise ValueError(f"AVG art. 6(1) ground must be one of {', '.join(ART6_GROUNDS)}")
        return value

    @field_validator("special_category_exception")
    @classmethod
    def _art9(cls, value: str | None) -> str | None:
        if value is not None and value not in ART9_EXCEPTIONS:
            raise ValueError(f"AVG art. 9(2) exception must be one of {', '.join(ART9_EXCEPTIONS)}")
        return value


DEFAULT_PURPOSES = (
    PurposeSetting(
        code="team_partner",
        label="Bespreken in het team met een organisatie van buiten het wijkteam",
        data_categories=("identificatie", "contactgegevens", "hulpvraag", "plan"),
        legal_basis="a",
        gates=(RELATION_INVOLVED_OUTSIDE_TEAM,),
    ),
    PurposeSetting(
        code="plan_school",
        label="Het plan delen met school",
        data_categories=("identificatie", "plan"),
        legal_basis="a",
    ),
    PurposeSetting(
        code="info_huisarts",
        label="Informatie opvragen bij de huisarts",
        data_categories=("identificatie", "gezondheid"),
        legal_basis="a",
        special_category_exception="a",
    ),
)


class ConsentSettings(ModuleSettings):
    expiry_warning_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Given consents expiring within this many days are flagged on the dashboard.",
    )
    default_validity_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="A consent given without an end date lasts this many days.",
    )
    override_max_hours: int = Field(
        default=72,
        ge=1,
        le=720,
        description="The longest an override (doorbreking) may last.",
    )
    purposes: tuple[PurposeSetting, ...] = Field(
        default=DEFAULT_PURPOSES,
        description="The purposes residents can consent to, and the relations each gates.",
    )

    @field_validator("purposes")
    @classmethod
    def _unique_codes(cls, value: tuple[PurposeSetting, ...]) -> tuple[PurposeSetting, ...]:
        codes = [p.code for p in value]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"purpose codes must be unique; repeated: {', '.join(duplicates)}")
        return value
