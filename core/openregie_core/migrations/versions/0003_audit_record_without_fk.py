"""audit records no longer carry a foreign key to their security record

The security record's fields are hashed into every audit record, so the hash chain already
proves the link (`openregie audit verify` reports a record whose security record is
missing); the foreign key only cost a lookup per appended record (a fifth of a bulk
import's audit time).

Revision ID: core_0003
Revises: core_0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0003"
down_revision: str | None = "core_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_core_audit_record_trace_id_core_audit_security"


def upgrade() -> None:
    with op.batch_alter_table("core_audit_record", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("core_audit_record", schema=None) as batch_op:
        batch_op.create_foreign_key(FOREIGN_KEY, "core_audit_security", ["trace_id"], ["trace_id"])
