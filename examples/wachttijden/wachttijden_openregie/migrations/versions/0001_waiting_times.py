"""waiting times

Revision ID: wachttijden_0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "wachttijden_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wachttijden_waiting_time",
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("agb_code", sa.String(length=8), nullable=False),
        sa.Column("product_category", sa.String(length=30), nullable=False),
        sa.Column("waiting_weeks", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wachttijden_waiting_time")),
        sa.UniqueConstraint(
            "agb_code",
            "product_category",
            "measured_on",
            name=op.f("uq_wachttijden_waiting_time_agb_code"),
        ),
    )
    with op.batch_alter_table("wachttijden_waiting_time", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wachttijden_waiting_time_agb_code"), ["agb_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wachttijden_waiting_time", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wachttijden_waiting_time_agb_code"))
    op.drop_table("wachttijden_waiting_time")
