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
    parallel_queries: int = Field(
        default=2,
        ge=1,
        le=16,
        description=(
            "How many metric queries of one report run at once on PostgreSQL, each on a "
            "database connection of its own (1: one after another). About the number of "
            "CPU cores the database may spend on one report."
        ),
    )
