"""Who is acting: the actor core resolves once per request and hands to modules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"  # a professional, team lead, functional admin or policy officer
    RESIDENT = "resident"
    API_CLIENT = "api_client"
    SYSTEM = "system"  # the CLI and background jobs


@dataclass(frozen=True, slots=True)
class Actor:
    """The party on whose authority the current code runs.

    `permissions` is the union of the permissions of the actor's roles, computed once by
    core when the actor is resolved; `roles` names those roles.
    """

    kind: ActorKind
    id: uuid.UUID | None = None
    display_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ActorKind.ANONYMOUS

    def holds(self, permission: str) -> bool:
        """True when one of the actor's roles grants `permission` (the system holds all)."""
        return self.kind is ActorKind.SYSTEM or permission in self.permissions


ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, display_name="anonymous")
SYSTEM = Actor(kind=ActorKind.SYSTEM, display_name="system")
