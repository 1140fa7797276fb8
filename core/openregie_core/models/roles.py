"""Roles bundle permissions; assignments give a user a role for the whole installation or
one municipality. Team-scoped roles come from memberships (`core_membership.role`)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openregie_sdk.db import Base, UuidPrimaryKey


class Role(UuidPrimaryKey, Base):
    __tablename__ = "core_role"

    name: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    # Seeded roles can be edited but not deleted.
    builtin: Mapped[bool] = mapped_column(default=False)
    permissions: Mapped[list[RolePermission]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class RolePermission(Base):
    __tablename__ = "core_role_permission"

    role_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("core_role.id", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(120), primary_key=True)


class RoleAssignment(UuidPrimaryKey, Base):
    """`user` has `role` in the whole installation (no municipality) or in one municipality."""

    __tablename__ = "core_role_assignment"
    __table_args__ = (UniqueConstraint("user_id", "role_id", "municipality_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_user.id"), index=True)
    role_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_role.id"))
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_municipality.id"))
    role: Mapped[Role] = relationship(lazy="joined")


class PermissionSeen(Base):
    """Permissions already handed to their default roles once. A permission a functional
    admin later removes from a role therefore stays removed at the next `db upgrade`."""

    __tablename__ = "core_permission_seen"

    permission: Mapped[str] = mapped_column(String(120), primary_key=True)
