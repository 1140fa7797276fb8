"""consent history fields and overrides

Revision ID: consent_0002
Revises: consent_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "consent_0002"
down_revision: str | None = "consent_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "recipient_kind",
                sa.String(length=15),
                server_default="organisation",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("recipient_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("data_categories", sa.JSON(), server_default="[]", nullable=False)
        )
        batch_op.add_column(
            sa.Column("legal_basis", sa.String(length=10), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("special_category_exception", sa.String(length=10), nullable=True)
        )
        batch_op.add_column(sa.Column("obtained", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("given_by", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("evidence_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("evidence_filename", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("evidence_content_type", sa.String(length=100), nullable=True)
        )
        batch_op.add_column(sa.Column("recorded_by_user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("recorded_by_name", sa.String(length=200), server_default="", nullable=False)
        )
    op.create_table(
        "consent_override",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("context", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_team_id", sa.Uuid(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("review_note", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_override")),
    )
    with op.batch_alter_table("consent_override", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consent_override_subject_user", ["subject_id", "user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consent_override_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consent_override_review_team_id"), ["review_team_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("consent_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_override_review_team_id"))
        batch_op.drop_index(batch_op.f("ix_consent_override_user_id"))
        batch_op.drop_index("ix_consent_override_subject_user")
    op.drop_table("consent_override")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        for column in (
            "recorded_by_name",
            "recorded_by_user_id",
            "evidence_content_type",
            "evidence_filename",
            "evidence_key",
            "note",
            "given_by",
            "obtained",
            "special_category_exception",
            "legal_basis",
            "data_categories",
            "recipient_name",
            "recipient_kind",
        ):
            batch_op.drop_column(column)
