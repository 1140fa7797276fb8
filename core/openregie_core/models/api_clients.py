"""API clients (integrations) are actors too: a token with scopes, shown once, stored hashed."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow


class ApiClient(UuidPrimaryKey, Base):
    __tablename__ = "core_api_client"

    name: Mapped[str] = mapped_column(String(120))
    # The first characters of the token identify it in lists and logs; only a SHA-256 of the
    # whole (high-entropy, random) token is stored.
    token_prefix: Mapped[str] = mapped_column(String(12), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_municipality.id"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))
    # A personal token acts as this user (their teams, relations and municipalities),
    # narrowed to `scopes`; an integration's token (no user) acts as itself.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
