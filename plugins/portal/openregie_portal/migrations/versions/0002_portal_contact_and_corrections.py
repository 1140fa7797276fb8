"""portal: preferred channel and correction proposals

Revision ID: portal_0002
Revises: portal_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "portal_0002"
down_revision: str | None = "portal_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("portal_account") as batch:
        batch.add_column(sa.Column("preferred_channel", sa.String(length=10), nullable=True))
    op.create_table(
        "portal_correction",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("proposed_by_person_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("handled_note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handled_by_user_id"],
            ["core_user.id"],
            name=op.f("fk_portal_correction_handled_by_user_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["core_person.id"],
            name=op.f("fk_portal_correction_person_id_core_person"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_person_id"],
            ["core_person.id"],
            name=op.f("fk_portal_correction_proposed_by_person_id_core_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_correction")),
    )
    op.create_index(
        op.f("ix_portal_correction_person_id"), "portal_correction", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_portal_correction_state"), "portal_correction", ["state"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_correction_state"), table_name="portal_correction")
    op.drop_index(op.f("ix_portal_correction_person_id"), table_name="portal_correction")
    op.drop_table("portal_correction")
    with op.batch_alter_table("portal_account") as batch:
        batch.drop_column("preferred_channel")
