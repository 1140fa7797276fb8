"""core tables: users and module administration

Revision ID: core_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "core_module_event",
        sa.Column("module_id", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_module_event")),
    )
    with op.batch_alter_table("core_module_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_core_module_event_module_id"), ["module_id"], unique=False
        )

    op.create_table(
        "core_module_selection",
        sa.Column("module_id", sa.String(length=40), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("module_id", name=op.f("pk_core_module_selection")),
    )
    op.create_table(
        "core_user",
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_user")),
        sa.UniqueConstraint("username", name=op.f("uq_core_user_username")),
    )


def downgrade() -> None:

    op.drop_table("core_user")
    op.drop_table("core_module_selection")
    with op.batch_alter_table("core_module_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_module_event_module_id"))

    op.drop_table("core_module_event")
