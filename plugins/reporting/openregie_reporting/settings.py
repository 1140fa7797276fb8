"""Settings of the reporting module (`[modules.reporting]` or `OPENREGIE_REPORTING__<FIELD>`)."""

from pydantic import Field

from openregie_sdk import ModuleSettings


class ReportingSettings(ModuleSettings):
    suppression_threshold: int = Field(
        default=5,
        ge=1,
        le=100,
        description=(
            "Aggregate figures above zero but below this number are shown as 'minder dan N', "
            "so that small groups of residents cannot be recognised."
        ),
    )
