"""Who is acting: the actor core resolves once per request and hands to modules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class ActorKind(StrEnum):
    """Who is acting: a staff user, a resident (portal), an API client, the system itself
    (CLI, jobs) or nobody yet (anonymous)."""

    ANONYMOUS = "anonymous"
    USER = "user"  # a professional, team lead, functional admin or policy officer
    RESIDENT = "resident"
    API_CLIENT = "api_client"
    SYSTEM = "system"  # the CLI and background jobs


@dataclass(frozen=True, slots=True)
class Grant:
    """Permissions held in one scope: the whole installation (no municipality, no team),
    one municipality, or one team (from a current team membership)."""

    permissions: frozenset[str]
    municipality_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None

    @property
    def installation_wide(self) -> bool:
        return self.municipality_id is None and self.team_id is None


@dataclass(frozen=True, slots=True)
class Scope:
    """Where an actor holds one permission: everywhere, or in these municipalities and teams."""

    everywhere: bool = False
    municipality_ids: frozenset[uuid.UUID] = frozenset()
    team_ids: frozenset[uuid.UUID] = frozenset()

    @property
    def nowhere(self) -> bool:
        return not (self.everywhere or self.municipality_ids or self.team_ids)


@dataclass(frozen=True, slots=True)
class Actor:
    """The party on whose authority the current code runs, resolved once per request.

    `grants` say which permissions the actor holds where; `permissions` is their union (for
    route-level checks) and `roles` names the roles behind them. `team_ids` are the teams
    the actor is a current member of; `organisation_id` is their home organisation.
    """

    kind: ActorKind
    id: uuid.UUID | None = None
    display_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)
    grants: tuple[Grant, ...] = ()
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    organisation_id: uuid.UUID | None = None
    on_behalf_of: uuid.UUID | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ActorKind.ANONYMOUS

    def holds(self, permission: str) -> bool:
        """True when a role grants `permission` somewhere (the system holds all)."""
        return self.kind is ActorKind.SYSTEM or permission in self.permissions

    def scope_of(self, permission: str) -> Scope:
        """Where the actor holds `permission`."""
        if self.kind is ActorKind.SYSTEM:
            return Scope(everywhere=True)
        held = [g for g in self.grants if permission in g.permissions]
        return Scope(
            everywhere=any(g.installation_wide for g in held),
            municipality_ids=frozenset(g.municipality_id for g in held if g.municipality_id),
            team_ids=frozenset(g.team_id for g in held if g.team_id),
        )


ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, display_name="anonymous")
SYSTEM = Actor(kind=ActorKind.SYSTEM, display_name="system")
