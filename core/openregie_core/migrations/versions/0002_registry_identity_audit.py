"""registry, identity, roles, API clients and audit log

Revision ID: core_0002
Revises: core_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0002"
down_revision: str | None = "core_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "core_permission_seen",
        sa.Column("permission", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("permission", name=op.f("pk_core_permission_seen")),
    )
    op.create_table(
        "core_audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "last_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_audit_chain_head")),
    )
    op.create_table(
        "core_audit_security",
        sa.Column("trace_id", sa.Uuid(), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("actor_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=120), nullable=True),
        sa.Column("on_behalf_of", sa.Uuid(), nullable=True),
        sa.Column("origin", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("trace_id", name=op.f("pk_core_audit_security")),
    )
    op.create_table(
        "core_household",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_household")),
    )
    op.create_table(
        "core_municipality",
        sa.Column("cbs_code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_municipality")),
        sa.UniqueConstraint("cbs_code", name=op.f("uq_core_municipality_cbs_code")),
    )
    op.create_table(
        "core_organisation",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("agb_code", sa.String(length=8), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_organisation")),
        sa.UniqueConstraint("agb_code", name=op.f("uq_core_organisation_agb_code")),
        sa.UniqueConstraint("name", name=op.f("uq_core_organisation_name")),
    )
    op.create_table(
        "core_role",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_role")),
        sa.UniqueConstraint("name", name=op.f("uq_core_role_name")),
    )
    op.create_table(
        "core_team",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_team")),
        sa.UniqueConstraint("name", name=op.f("uq_core_team_name")),
    )
    op.create_table(
        "core_api_client",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_prefix", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["core_user.id"],
            name=op.f("fk_core_api_client_created_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_core_api_client_user_id_core_user")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["core_municipality.id"],
            name=op.f("fk_core_api_client_municipality_id_core_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_api_client")),
        sa.UniqueConstraint("token_prefix", name=op.f("uq_core_api_client_token_prefix")),
    )
    op.create_index(op.f("ix_core_api_client_user_id"), "core_api_client", ["user_id"])
    op.create_table(
        "core_area",
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["core_municipality.id"],
            name=op.f("fk_core_area_municipality_id_core_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_area")),
        sa.UniqueConstraint("municipality_id", "name", name=op.f("uq_core_area_municipality_id")),
    )
    op.create_table(
        "core_audit_record",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("trace_id", sa.Uuid(), nullable=False),
        sa.Column("span_id", sa.String(length=16), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("processing_activity", sa.String(length=120), nullable=False),
        sa.Column("data_subject_type", sa.String(length=40), nullable=False),
        sa.Column("data_subject_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["trace_id"],
            ["core_audit_security.trace_id"],
            name=op.f("fk_core_audit_record_trace_id_core_audit_security"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_audit_record")),
    )
    with op.batch_alter_table("core_audit_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_core_audit_record_subject_time", ["data_subject_id", "start_time"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_core_audit_record_trace_id"), ["trace_id"], unique=False
        )

    op.create_table(
        "core_membership",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("home_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("hours_per_week", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["home_organisation_id"],
            ["core_organisation.id"],
            name=op.f("fk_core_membership_home_organisation_id_core_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["core_team.id"], name=op.f("fk_core_membership_team_id_core_team")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_core_membership_user_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_membership")),
    )
    with op.batch_alter_table("core_membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_core_membership_team_id"), ["team_id"], unique=False)
        batch_op.create_index("ix_core_membership_user_team", ["user_id", "team_id"], unique=False)

    op.create_table(
        "core_person",
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("voornamen", sa.String(length=200), nullable=False),
        sa.Column("voorvoegsel", sa.String(length=20), nullable=True),
        sa.Column("geslachtsnaam", sa.String(length=200), nullable=False),
        sa.Column("search_name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("house_number", sa.Integer(), nullable=True),
        sa.Column("house_number_suffix", sa.String(length=10), nullable=True),
        sa.Column("postcode", sa.String(length=6), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("municipality_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["core_municipality.id"],
            name=op.f("fk_core_person_municipality_id_core_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_person")),
        sa.UniqueConstraint("bsn", name=op.f("uq_core_person_bsn")),
    )
    with op.batch_alter_table("core_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_core_person_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_core_person_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            "ix_core_person_postcode_house_number", ["postcode", "house_number"], unique=False
        )
        batch_op.create_index(
            "ix_core_person_search_name",
            ["search_name"],
            unique=False,
            postgresql_ops={"search_name": "varchar_pattern_ops"},
        )

    op.create_table(
        "core_role_assignment",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["core_municipality.id"],
            name=op.f("fk_core_role_assignment_municipality_id_core_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["core_role.id"], name=op.f("fk_core_role_assignment_role_id_core_role")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_core_role_assignment_user_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_role_assignment")),
        sa.UniqueConstraint(
            "user_id", "role_id", "municipality_id", name=op.f("uq_core_role_assignment_user_id")
        ),
    )
    with op.batch_alter_table("core_role_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_core_role_assignment_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "core_role_permission",
        sa.Column("role_id", sa.Uuid(), nullable=False),
        sa.Column("permission", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["core_role.id"],
            name=op.f("fk_core_role_permission_role_id_core_role"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("role_id", "permission", name=op.f("pk_core_role_permission")),
    )
    op.create_table(
        "core_household_member",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["core_household.id"],
            name=op.f("fk_core_household_member_household_id_core_household"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["core_person.id"],
            name=op.f("fk_core_household_member_person_id_core_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_household_member")),
    )
    with op.batch_alter_table("core_household_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_core_household_member_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_core_household_member_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "core_legal_representation",
        sa.Column("representative_id", sa.Uuid(), nullable=False),
        sa.Column("represented_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["core_person.id"],
            name=op.f("fk_core_legal_representation_representative_id_core_person"),
        ),
        sa.ForeignKeyConstraint(
            ["represented_id"],
            ["core_person.id"],
            name=op.f("fk_core_legal_representation_represented_id_core_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_legal_representation")),
    )
    with op.batch_alter_table("core_legal_representation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_core_legal_representation_representative_id"),
            ["representative_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_core_legal_representation_represented_id"),
            ["represented_id"],
            unique=False,
        )

    op.create_table(
        "core_team_area",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("area_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["core_area.id"],
            name=op.f("fk_core_team_area_area_id_core_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["core_team.id"],
            name=op.f("fk_core_team_area_team_id_core_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "area_id", name=op.f("pk_core_team_area")),
    )
    with op.batch_alter_table("core_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("totp_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_table("core_permission_seen")
    with op.batch_alter_table("core_user", schema=None) as batch_op:
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("session_version")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_confirmed_at")
        batch_op.drop_column("totp_secret")

    op.drop_table("core_team_area")
    with op.batch_alter_table("core_legal_representation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_legal_representation_represented_id"))
        batch_op.drop_index(batch_op.f("ix_core_legal_representation_representative_id"))

    op.drop_table("core_legal_representation")
    with op.batch_alter_table("core_household_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_household_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_core_household_member_household_id"))

    op.drop_table("core_household_member")
    op.drop_table("core_role_permission")
    with op.batch_alter_table("core_role_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_role_assignment_user_id"))

    op.drop_table("core_role_assignment")
    with op.batch_alter_table("core_person", schema=None) as batch_op:
        batch_op.drop_index("ix_core_person_search_name")
        batch_op.drop_index("ix_core_person_postcode_house_number")
        batch_op.drop_index(batch_op.f("ix_core_person_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_core_person_birth_date"))

    op.drop_table("core_person")
    with op.batch_alter_table("core_membership", schema=None) as batch_op:
        batch_op.drop_index("ix_core_membership_user_team")
        batch_op.drop_index(batch_op.f("ix_core_membership_team_id"))

    op.drop_table("core_membership")
    with op.batch_alter_table("core_audit_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_audit_record_trace_id"))
        batch_op.drop_index("ix_core_audit_record_subject_time")

    op.drop_table("core_audit_record")
    op.drop_table("core_area")
    op.drop_table("core_api_client")
    op.drop_table("core_team")
    op.drop_table("core_role")
    op.drop_table("core_organisation")
    op.drop_table("core_municipality")
    op.drop_table("core_household")
    op.drop_table("core_audit_security")
    op.drop_table("core_audit_chain_head")
