"""cases

Revision ID: casemanagement_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "casemanagement_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "casemanagement_case",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("case_manager_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["core_household.id"],
            name=op.f("fk_casemanagement_case_household_id_core_household"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["core_team.id"], name=op.f("fk_casemanagement_case_team_id_core_team")
        ),
        sa.ForeignKeyConstraint(
            ["case_manager_id"],
            ["core_user.id"],
            name=op.f("fk_casemanagement_case_case_manager_id_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casemanagement_case")),
    )
    with op.batch_alter_table("casemanagement_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_casemanagement_case_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_casemanagement_case_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_casemanagement_case_team_id"), ["team_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("casemanagement_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_casemanagement_case_team_id"))
        batch_op.drop_index(batch_op.f("ix_casemanagement_case_status"))
        batch_op.drop_index(batch_op.f("ix_casemanagement_case_household_id"))

    op.drop_table("casemanagement_case")
