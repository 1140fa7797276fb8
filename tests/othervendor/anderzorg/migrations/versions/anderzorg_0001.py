"""trajectories and lists of agreements

Revision ID: anderzorg_0001
Revises:
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "anderzorg_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)
INDEXES = {
    "anderzorg_traject": ("huishouden_id", "team_id", "fase"),
    "anderzorg_deelnemer": ("persoon_id",),
    "anderzorg_afspraak": ("traject_id",),
    "anderzorg_lijstversie": ("traject_id",),
    "anderzorg_gesprek": ("traject_id",),
    "anderzorg_bijlage": ("traject_id",),
    "anderzorg_belverzoek": ("traject_id",),
    "anderzorg_voorziening": ("traject_id", "persoon_id"),
}


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{referred}"))


def _traject(table: str) -> list[Any]:
    """The columns every table of a trajectory starts with."""
    return [
        sa.Column("traject_id", sa.Uuid(), nullable=False),
        _fk(table, "traject_id", "anderzorg_traject.id"),
    ]


def _id(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    t = "anderzorg_traject"
    op.create_table(
        t,
        sa.Column("huishouden_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("regisseur_id", sa.Uuid(), nullable=True),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("fase", sa.String(length=20), nullable=False),
        sa.Column("begonnen_op", sa.Date(), nullable=False),
        sa.Column("afgerond_op", sa.Date(), nullable=True),
        sa.Column("aangemaakt_op", MOMENT, nullable=False),
        _fk(t, "huishouden_id", "core_household.id"),
        _fk(t, "team_id", "core_team.id"),
        _fk(t, "regisseur_id", "core_user.id"),
        *_id(t),
    )
    t = "anderzorg_deelnemer"
    op.create_table(
        t,
        sa.Column("traject_id", sa.Uuid(), nullable=False),
        sa.Column("persoon_id", sa.Uuid(), nullable=False),
        _fk(t, "traject_id", "anderzorg_traject.id"),
        _fk(t, "persoon_id", "core_person.id"),
        sa.PrimaryKeyConstraint("traject_id", "persoon_id", name=op.f(f"pk_{t}")),
    )
    t = "anderzorg_afspraak"
    op.create_table(
        t,
        *_traject(t),
        sa.Column("volgnummer", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=8), nullable=False),
        sa.Column("wens_id", sa.Uuid(), nullable=True),
        sa.Column("thema", sa.String(length=20), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=False),
        sa.Column("wie_soort", sa.String(length=12), nullable=True),
        sa.Column("wie_persoon_id", sa.Uuid(), nullable=True),
        sa.Column("wie_medewerker_id", sa.Uuid(), nullable=True),
        sa.Column("wie_naam", sa.String(length=200), nullable=True),
        sa.Column("uiterlijk", sa.Date(), nullable=True),
        sa.Column("stand", sa.String(length=12), nullable=False),
        sa.Column("voorstel_van_id", sa.Uuid(), nullable=True),
        sa.Column("voorstel_stand", sa.String(length=12), nullable=True),
        sa.Column("opmerking_inwoner", sa.Text(), nullable=True),
        sa.Column("gewijzigd_op", MOMENT, nullable=False),
        sa.Column("gewijzigd_door", sa.String(length=200), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        _fk(t, "wie_persoon_id", "core_person.id"),
        _fk(t, "wie_medewerker_id", "core_user.id"),
        _fk(t, "voorstel_van_id", "core_person.id"),
        *_id(t),
    )
    t = "anderzorg_lijstversie"
    op.create_table(
        t,
        *_traject(t),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("vastgesteld_op", sa.Date(), nullable=True),
        sa.Column("ondertekend_door", sa.JSON(), nullable=False),
        sa.Column("wijzigingen", sa.JSON(), nullable=False),
        sa.Column("inhoud", sa.JSON(), nullable=True),
        sa.UniqueConstraint("traject_id", "nummer", name=op.f(f"uq_{t}_traject_id")),
        *_id(t),
    )
    t = "anderzorg_gesprek"
    op.create_table(
        t,
        *_traject(t),
        sa.Column("gevoerd_op", MOMENT, nullable=False),
        sa.Column("vorm", sa.String(length=12), nullable=False),
        sa.Column("aanwezig", sa.String(length=300), nullable=False),
        sa.Column("verslag", sa.Text(), nullable=False),
        sa.Column("delen_met_inwoner", sa.Boolean(), nullable=False),
        sa.Column("door_id", sa.Uuid(), nullable=True),
        _fk(t, "door_id", "core_user.id"),
        *_id(t),
    )
    t = "anderzorg_bijlage"
    op.create_table(
        t,
        *_traject(t),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("soort_inhoud", sa.String(length=100), nullable=False),
        sa.Column("grootte", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("gedeeld", sa.Boolean(), nullable=False),
        sa.Column("van_inwoner_id", sa.Uuid(), nullable=True),
        sa.Column("van_medewerker_id", sa.Uuid(), nullable=True),
        sa.Column("toegevoegd_op", MOMENT, nullable=False),
        _fk(t, "van_inwoner_id", "core_person.id"),
        _fk(t, "van_medewerker_id", "core_user.id"),
        *_id(t),
    )
    t = "anderzorg_belverzoek"
    op.create_table(
        t,
        *_traject(t),
        sa.Column("persoon_id", sa.Uuid(), nullable=False),
        sa.Column("onderwerp", sa.String(length=200), nullable=False),
        sa.Column("vorm", sa.String(length=12), nullable=False),
        sa.Column("voorkeur", sa.String(length=500), nullable=False),
        sa.Column("stand", sa.String(length=12), nullable=False),
        sa.Column("ingediend_op", MOMENT, nullable=False),
        _fk(t, "persoon_id", "core_person.id"),
        *_id(t),
    )
    t = "anderzorg_voorziening"
    op.create_table(
        t,
        *_traject(t),
        sa.Column("persoon_id", sa.Uuid(), nullable=False),
        sa.Column("wet", sa.String(length=8), nullable=False),
        sa.Column("categorie", sa.String(length=40), nullable=False),
        sa.Column("aanbieder", sa.String(length=200), nullable=False),
        sa.Column("agb", sa.String(length=8), nullable=True),
        sa.Column("fase", sa.String(length=12), nullable=False),
        sa.Column("begint_op", sa.Date(), nullable=True),
        sa.Column("eindigt_op", sa.Date(), nullable=True),
        sa.Column("aangemaakt_op", MOMENT, nullable=False),
        _fk(t, "persoon_id", "core_person.id"),
        *_id(t),
    )
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    for table in reversed(list(INDEXES)):
        op.drop_table(table)
