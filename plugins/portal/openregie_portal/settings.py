"""Settings of the portal module (`[modules.portal]` or `OPENREGIE_PORTAL__<FIELD>`)."""

from pydantic import Field

from openregie_sdk import ModuleSettings


class PortalSettings(ModuleSettings):
    idle_minutes: int = Field(
        default=15,
        ge=1,
        le=120,
        description="A resident's portal session ends after this many minutes without activity.",
    )
