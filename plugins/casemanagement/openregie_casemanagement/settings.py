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
    evaluation_months: int = Field(
        default=6,
        ge=1,
        le=24,
        description="An agreed plan is evaluated this many months after agreement.",
    )
    max_upload_mb: int = Field(
        default=10, ge=1, le=100, description="The largest document that may be uploaded."
    )
    page_size: int = Field(default=25, ge=5, le=200, description="Rows per worklist page.")
