"""Core's API blueprint with all its routes (importing the route modules registers them)."""

from openregie_core.api import households, me, persons
from openregie_core.api.blueprint import blueprint

__all__ = ["blueprint", "households", "me", "persons"]
