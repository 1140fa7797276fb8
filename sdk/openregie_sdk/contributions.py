"""Value objects that hooks receive and return (see hookspecs.py for when each is used)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict


class DashboardWidget(BaseModel):
    """One tile on the dashboard. `body` must be safe HTML (render it with a template)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    title: str
    body: Markup
    order: int = 100


class Panel(BaseModel):
    """A section on a person or household page (a named slot that modules fill).
    `body` must be safe HTML (render it with `openregie_sdk.render`)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    title: str
    body: Markup
    order: int = 100


class UserCreated(BaseModel):
    """Event: a user account was created and committed."""

    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    username: str
    kind: str


@dataclass
class DemoContext:
    """What `openregie_demo_data` implementations get: a session to add rows to, a seeded
    random generator (the same seed gives the same data), a progress callback taking a
    message, and the ids core created, by kind (e.g. `created["user"]`)."""

    session: Any
    rng: random.Random
    progress: Callable[[str], None]
    created: dict[str, list[uuid.UUID]] = field(default_factory=dict)
