"""Who the platform's users are, as modules may know them: names and work e-mail only.

Core owns the accounts (passwords, second factors, lockout); modules reference users by id
(foreign keys to `core_user.id`) and look up what to show with `users()`. The team a user
works in comes from `openregie_sdk.registry.Membership`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Boolean, String, Uuid, column, func, select, table

from openregie_sdk.runtime import db_session, runtime

directory = table(
    "core_user",
    column("id", Uuid()),
    column("display_name", String()),
    column("kind", String()),
    column("active", Boolean()),
)
"""The public columns of core's accounts, for joins in a module's own queries (e.g. the
case manager's name in a worklist, in the same statement). Read-only: id, display name,
kind and whether the account is active — nothing else of an account is a module's."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: uuid.UUID
    display_name: str
    email: str | None
    kind: str
    active: bool


def users(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, UserInfo]:
    """The users with these ids, in one query; unknown ids are left out."""
    return runtime().users(ids)


def find_users(
    name: str, *, kinds: Iterable[str] | None = None, limit: int = 20
) -> list[tuple[uuid.UUID, str]]:
    """Active users whose display name contains `name` (case-insensitive), as (id, name)
    pairs sorted by name, at most `limit`; `kinds` narrows to account kinds (e.g.
    ("professional", "team_lead")). An empty name finds nobody."""
    needle = name.strip().lower()
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(directory.c.id, directory.c.display_name).where(
        func.lower(directory.c.display_name).like(f"%{escaped}%", escape="\\"),
        directory.c.active.is_(True),
    )
    if kinds is not None:
        query = query.where(directory.c.kind.in_(tuple(kinds)))
    rows = db_session().execute(query.order_by(directory.c.display_name).limit(limit))
    return [(row.id, row.display_name) for row in rows]
