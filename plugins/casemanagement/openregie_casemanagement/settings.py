"""Settings of the case-management module (`[modules.casemanagement]` or
`OPENREGIE_CASEMANAGEMENT__<FIELD>`)."""

from pydantic import Field

from openregie_sdk import ModuleSettings


class CaseManagementSettings(ModuleSettings):
    no_contact_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="After this many days without a contact moment a case is flagged.",
    )
