"""User accounts of professionals, functional admins and policy officers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow

USER_KINDS = ("professional", "team_lead", "functional_admin", "policy_officer")


class User(UuidPrimaryKey, Base):
    __tablename__ = "core_user"

    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Second factor (TOTP, RFC 6238): the secret is set at enrolment, confirmed by a first code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[dt.datetime | None]
    # The last accepted time step (unix time // 30), so a code cannot be used twice.
    totp_last_step: Mapped[int | None]
    # Lockout after repeated failures; `session_version` bumps on "log out everywhere".
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[dt.datetime | None]
