"""Settings of the consent module (`[modules.consent]` or `OPENREGIE_CONSENT__<FIELD>`)."""

from pydantic import Field

from openregie_sdk import ModuleSettings


class ConsentSettings(ModuleSettings):
    expiry_warning_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Given consents expiring within this many days are flagged on the dashboard.",
    )
