"""API client tokens: `or_<8 hex prefix>_<43-char urlsafe secret>`, shown once, stored as
a SHA-256 hex digest, compared in constant time; a valid token makes an API-client actor
holding exactly the client's scopes (in one municipality when the client is bound to one)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable, Collection
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.models import ApiClient, User
from openregie_sdk.actors import Actor, ActorKind, Grant
from openregie_sdk.db import utcnow

TOKEN_PATTERN = re.compile(r"or_([0-9a-f]{8})_[A-Za-z0-9_-]{43}")
# `last_used_at` is written at most this often per client, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiClientError(Exception):
    """The client cannot be created; the message names the field and the problem."""


def token_hash(token: str) -> str:
    # A plain digest suffices: the token is 256 random bits, so there is nothing to guess.
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def status(client: ApiClient, now: dt.datetime | None = None) -> str:
    """The state of the client: "active", "revoked" or "expired"."""
    if client.revoked_at is not None:
        return "revoked"
    if client.expires_at is not None and _aware(client.expires_at) <= (now or utcnow()):
        return "expired"
    return "active"


def create_client(
    session: Session,
    *,
    name: str,
    scopes: Collection[str],
    known_permissions: Collection[str],
    municipality_id: uuid.UUID | None = None,
    expires_at: dt.datetime | None = None,
    created_by_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> tuple[ApiClient, str]:
    """Create a client; returns it and its token, which exists nowhere else afterwards.
    With `user_id` it is that user's personal token: it acts as the user, narrowed to
    `scopes` (which `known_permissions` must then be the user's own). Commits."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ApiClientError("name: use 1-120 characters")
    if not scopes:
        raise ApiClientError("scopes: choose at least one permission")
    unknown = sorted(set(scopes) - set(known_permissions))
    if unknown:
        raise ApiClientError(f"scopes: unknown permissions {', '.join(unknown)}")
    if expires_at is not None and _aware(expires_at) <= utcnow():
        raise ApiClientError("expires_at: must lie in the future")
    prefix = secrets.token_hex(4)
    while session.scalar(select(ApiClient.id).where(ApiClient.token_prefix == prefix)):
        prefix = secrets.token_hex(4)
    token = f"or_{prefix}_{secrets.token_urlsafe(32)}"
    client = ApiClient(
        name=name,
        token_prefix=prefix,
        token_hash=token_hash(token),
        scopes=sorted(set(scopes)),
        municipality_id=municipality_id,
        expires_at=expires_at,
        created_by_id=created_by_id,
        user_id=user_id,
    )
    session.add(client)
    session.commit()
    return client, token


def revoke(session: Session, client: ApiClient) -> None:
    """Revoke the client's token for good (revoking twice keeps the first time). Commits."""
    client.revoked_at = client.revoked_at or utcnow()
    session.commit()


def client_for_token(session: Session, token: str) -> ApiClient | None:
    """The active client whose token this is, or None."""
    match = TOKEN_PATTERN.fullmatch(token)
    if match is None:
        return None
    client = session.scalar(select(ApiClient).where(ApiClient.token_prefix == match.group(1)))
    if client is None or not hmac.compare_digest(client.token_hash, token_hash(token)):
        return None
    return client if status(client) == "active" else None


def actor_for_bearer(
    session: Session, header: str, user_actor: Callable[[User], Actor]
) -> Actor | None:
    """The actor of an `Authorization: Bearer <token>` header, or None when the header or
    the token is not valid. A personal token acts as its (active) user, built by
    `user_actor`, with every grant narrowed to the token's scopes. Notes when the client
    was last used (commits then)."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    client = client_for_token(session, token.strip())
    if client is None:
        return None
    now = utcnow()
    if client.last_used_at is None or now - _aware(client.last_used_at) > LAST_USED_RESOLUTION:
        client.last_used_at = now
        session.commit()  # now, so the request's own transaction starts afresh
    scopes = frozenset(client.scopes)
    if client.user_id is not None:
        user = session.get(User, client.user_id)
        if user is None or not user.active:
            return None
        return narrowed(user_actor(user), scopes, client.name)
    return Actor(
        kind=ActorKind.API_CLIENT,
        id=client.id,
        display_name=client.name,
        permissions=scopes,
        grants=(Grant(permissions=scopes, municipality_id=client.municipality_id),),
    )


def narrowed(actor: Actor, scopes: frozenset[str], token_name: str) -> Actor:
    """`actor` holding only what `scopes` allow, in the same scopes as before."""
    grants = tuple(
        Grant(g.permissions & scopes, g.municipality_id, g.team_id)
        for g in actor.grants
        if g.permissions & scopes
    )
    return replace(
        actor,
        permissions=actor.permissions & scopes,
        grants=grants,
        display_name=f"{actor.display_name} (token {token_name})",
    )
