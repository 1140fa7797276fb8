"""consent records

Revision ID: consent_0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "consent_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consent_record",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_record_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            "ix_consent_record_subject_recipient_purpose",
            ["subject_id", "recipient_id", "purpose"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_record_subject_recipient_purpose")
        batch_op.drop_index(batch_op.f("ix_consent_record_subject_id"))

    op.drop_table("consent_record")
