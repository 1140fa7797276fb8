"""formation norms

Revision ID: reporting_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reporting_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reporting_formation_norm",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("hours_per_week", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_formation_norm")),
        sa.UniqueConstraint(
            "team_id", "organisation_id", name=op.f("uq_reporting_formation_norm_team_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("reporting_formation_norm")
