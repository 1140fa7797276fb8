"""Mapped classes of the core registry (tables prefixed `core_`). See the package docstring."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from openregie_sdk.db import Base, UuidPrimaryKey, metadata, utcnow

TEAM_KINDS = ("youth_family", "adults", "integral")
HOUSEHOLD_ROLES = ("parent", "child", "partner", "carer", "other")
REPRESENTATION_KINDS = (
    "parental_authority",  # gezag
    "guardianship",  # voogdij
    "curatele",
    "bewindvoering",
    "mentorship",  # mentorschap
)


class Municipality(UuidPrimaryKey, Base):
    """A gemeente; the tenant for accountability. `cbs_code` is like GM0262."""

    __tablename__ = "core_municipality"

    cbs_code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Area(UuidPrimaryKey, Base):
    """A wijk, gebied or buurt of one municipality."""

    __tablename__ = "core_area"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    municipality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_municipality.id"))
    name: Mapped[str] = mapped_column(String(120))
    municipality: Mapped[Municipality] = relationship(lazy="joined")


class Organisation(UuidPrimaryKey, Base):
    """A partner organisation that employs or seconds professionals (optional AGB code)."""

    __tablename__ = "core_organisation"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    agb_code: Mapped[str | None] = mapped_column(String(8), unique=True)


team_area = Table(
    "core_team_area",
    metadata,
    Column("team_id", ForeignKey("core_team.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("core_area.id", ondelete="CASCADE"), primary_key=True),
)


class Team(UuidPrimaryKey, Base):
    """A multidisciplinary team serving areas, possibly in several municipalities."""

    __tablename__ = "core_team"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of TEAM_KINDS
    areas: Mapped[list[Area]] = relationship(secondary=team_area)


class Membership(UuidPrimaryKey, Base):
    """A user's place in a team: role in the team, home organisation for seconded staff,
    contracted hours per week, and the period (end exclusive; open when None)."""

    __tablename__ = "core_membership"
    __table_args__ = (Index("ix_core_membership_user_team", "user_id", "team_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_user.id"))
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_team.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))  # a role name, e.g. professional, team_lead
    home_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("core_organisation.id")
    )
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]


class Person(UuidPrimaryKey, Base):
    """A resident. The BSN is optional (some residents have none) and unique when present;
    names follow the BRP (voornamen, voorvoegsel, geslachtsnaam). `search_name` is the
    geslachtsnaam folded to lower case without diacritics, for indexed prefix search.
    `version` increases with every change (optimistic locking)."""

    __tablename__ = "core_person"
    __table_args__ = (
        Index("ix_core_person_postcode_house_number", "postcode", "house_number"),
        # varchar_pattern_ops: `LIKE 'abc%'` uses the index under any collation.
        Index(
            "ix_core_person_search_name",
            "search_name",
            postgresql_ops={"search_name": "varchar_pattern_ops"},
        ),
    )

    bsn: Mapped[str | None] = mapped_column(String(9), unique=True)
    voornamen: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None] = mapped_column(index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    street: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[int | None]
    house_number_suffix: Mapped[str | None] = mapped_column(String(10))
    postcode: Mapped[str | None] = mapped_column(String(6))
    city: Mapped[str | None] = mapped_column(String(120))
    municipality_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("core_municipality.id"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def full_name(self) -> str:
        parts = [self.voornamen, self.voorvoegsel, self.geslachtsnaam]
        return " ".join(p for p in parts if p)


class Household(UuidPrimaryKey, Base):
    """The people supported together (huishouden, gezin, cliëntsysteem)."""

    __tablename__ = "core_household"

    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", order_by="HouseholdMember.start_on"
    )

    def members_on(self, day: dt.date) -> list[HouseholdMember]:
        """Members whose period covers `day` (start inclusive, end exclusive)."""
        return [m for m in self.members if m.covers(day)]


class HouseholdMember(UuidPrimaryKey, Base):
    """A person in a household with a role, for a period; a child can be in two households."""

    __tablename__ = "core_household_member"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_household.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # one of HOUSEHOLD_ROLES
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
    household: Mapped[Household] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(lazy="joined")

    def covers(self, day: dt.date) -> bool:
        return self.start_on <= day and (self.end_on is None or day < self.end_on)


class LegalRepresentation(UuidPrimaryKey, Base):
    """`representative` may act for `represented` in the capacity `kind`, for a period."""

    __tablename__ = "core_legal_representation"

    representative_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"), index=True)
    represented_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # one of REPRESENTATION_KINDS
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date | None]
