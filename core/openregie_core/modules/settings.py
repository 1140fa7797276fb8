"""Module settings values from configuration: `[modules.<id>]` in the TOML file and
`OPENREGIE_<ID>__<FIELD>` environment variables (the environment wins)."""

from __future__ import annotations

import os
from typing import Any


def module_settings_values(
    module_id: str, module_config: dict[str, dict[str, Any]], environ: dict[str, str] | None = None
) -> dict[str, Any]:
    values = dict(module_config.get(module_id, {}))
    prefix = f"OPENREGIE_{module_id.upper()}__"
    for key, value in (os.environ if environ is None else environ).items():
        if key.startswith(prefix):
            values[key[len(prefix) :].lower()] = value
    return values
