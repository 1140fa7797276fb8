"""Settings of the Wachttijden module, validated at start-up; every field has a valid
default. Installations set them in instance/openregie.toml or in environment variables:

    [modules.wachttijden]
    feed_path = "/srv/feeds/wachttijden.csv"
    stale_after_days = 60

    OPENREGIE_WACHTTIJDEN__STALE_AFTER_DAYS=60
"""

from pathlib import Path

from openregie_sdk import ModuleSettings
from pydantic import Field


class Settings(ModuleSettings):
    feed_path: Path | None = Field(
        default=None,
        description=(
            "The feed file `openregie wachttijden import` reads when no file is given "
            "(e.g. where the vendor's delivery lands); None: a file must be given."
        ),
    )
    stale_after_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description=(
            "A waiting time measured longer ago than this many days is shown with a "
            "warning that it may be out of date."
        ),
    )
