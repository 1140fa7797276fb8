"""indexes for the reporting metrics (cases by period, ZRM first intake / latest evaluation)

Measured with bench/report.py on tier M (PostgreSQL): the period filters on cases
(`opened_on`, `closed_on`) become index range scans instead of full scans, and the ZRM
assessments of one moment come out of the index already in the order of the metric's
window (case, assessment day, creation, id), so the first-intake window no longer sorts
(it spilled to disk at 50,000 cases).

Revision ID: casemanagement_0003
Revises: casemanagement_0002
Create Date: 2026-11-23 00:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "casemanagement_0003"
down_revision: str | None = "casemanagement_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_casemanagement_case_opened_on", "casemanagement_case", ["opened_on"])
    op.create_index("ix_casemanagement_case_closed_on", "casemanagement_case", ["closed_on"])
    op.create_index(
        "ix_casemanagement_zrm_assessment_moment_case",
        "casemanagement_zrm_assessment",
        ["moment", "case_id", "assessed_on", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_casemanagement_zrm_assessment_moment_case", table_name="casemanagement_zrm_assessment"
    )
    op.drop_index("ix_casemanagement_case_closed_on", table_name="casemanagement_case")
    op.drop_index("ix_casemanagement_case_opened_on", table_name="casemanagement_case")
