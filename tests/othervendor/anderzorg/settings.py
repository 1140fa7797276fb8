"""AnderZorg's settings (`[modules.anderzorg]` in instance/openregie.toml); every field has
a valid default."""

from pydantic import Field

from openregie_sdk import ModuleSettings


class Settings(ModuleSettings):
    max_upload_mb: int = Field(
        default=10,
        ge=1,
        le=100,
        description="The largest document a resident may upload to a trajectory, in MB.",
    )
