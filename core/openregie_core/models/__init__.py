"""Core's tables (all prefixed `core_`). Importing this package registers them on the shared
metadata."""

from openregie_core.models.modules import ModuleEvent, ModuleSelection
from openregie_core.models.users import User

__all__ = ["ModuleEvent", "ModuleSelection", "User"]
