"""AnderZorg's tables. A *traject* (trajectory) is what OpenRegie calls a case; its plan is
not a tree of goals and actions but one flat, numbered list of agreements (`Afspraak`):
a row is a wish of the family (`soort="wens"`) or a task (`soort="taak"`, optionally
naming the wish it serves). Each version of the list (`Lijstversie`) is either the
concept being worked on or a frozen snapshot of every row, taken when it was agreed.

Codes are AnderZorg's own (see `codes.py`); names of who owns or does something are kept
on the row as they were at the time, as AnderZorg's users expect from a paper list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow


class Traject(UuidPrimaryKey, Base):
    """The support trajectory of a household; `fase` is aanmelding, actief or afgerond."""

    __tablename__ = "anderzorg_traject"

    huishouden_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_household.id"), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_team.id"), index=True)
    regisseur_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))
    naam: Mapped[str] = mapped_column(String(200))
    fase: Mapped[str] = mapped_column(String(20), index=True)
    begonnen_op: Mapped[dt.date] = mapped_column(Date)
    afgerond_op: Mapped[dt.date | None] = mapped_column(Date)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Deelnemer(Base):
    """A person the trajectory concerns."""

    __tablename__ = "anderzorg_deelnemer"

    traject_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("anderzorg_traject.id"), primary_key=True
    )
    persoon_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("core_person.id"), primary_key=True, index=True
    )


class Afspraak(UuidPrimaryKey, Base):
    """One line of a trajectory's list of agreements: a wish or a task. `wie_*` is who owns
    the wish or does the task; `voorstel_*` is set when a resident proposed the line;
    `versie` grows on every change (optimistic locking)."""

    __tablename__ = "anderzorg_afspraak"

    traject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anderzorg_traject.id"), index=True)
    volgnummer: Mapped[int]
    soort: Mapped[str] = mapped_column(String(8))
    wens_id: Mapped[uuid.UUID | None]
    thema: Mapped[str | None] = mapped_column(String(20))
    tekst: Mapped[str] = mapped_column(Text)
    wie_soort: Mapped[str | None] = mapped_column(String(12))
    wie_persoon_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_person.id"))
    wie_medewerker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))
    wie_naam: Mapped[str | None] = mapped_column(String(200))
    uiterlijk: Mapped[dt.date | None] = mapped_column(Date)
    stand: Mapped[str] = mapped_column(String(12), default="open")
    voorstel_van_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_person.id"))
    voorstel_stand: Mapped[str | None] = mapped_column(String(12))
    opmerking_inwoner: Mapped[str | None] = mapped_column(Text)
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(default=utcnow)
    gewijzigd_door: Mapped[str] = mapped_column(String(200), default="")
    versie: Mapped[int] = mapped_column(default=1)


class Lijstversie(UuidPrimaryKey, Base):
    """A version of a trajectory's list: the concept (`vastgesteld_op` empty, `inhoud`
    empty: the living rows are the concept) or an agreed snapshot of every row."""

    __tablename__ = "anderzorg_lijstversie"
    __table_args__ = (UniqueConstraint("traject_id", "nummer"),)

    traject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anderzorg_traject.id"), index=True)
    nummer: Mapped[int]
    vastgesteld_op: Mapped[dt.date | None] = mapped_column(Date)
    ondertekend_door: Mapped[list[str]] = mapped_column(JSON, default=list)
    wijzigingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    inhoud: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class Gesprek(UuidPrimaryKey, Base):
    """A conversation (contact moment); `delen_met_inwoner` makes it visible in the portal."""

    __tablename__ = "anderzorg_gesprek"

    traject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anderzorg_traject.id"), index=True)
    gevoerd_op: Mapped[dt.datetime]
    vorm: Mapped[str] = mapped_column(String(12))
    aanwezig: Mapped[str] = mapped_column(String(300), default="")
    verslag: Mapped[str] = mapped_column(Text)
    delen_met_inwoner: Mapped[bool] = mapped_column(default=False)
    door_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))


class Bijlage(UuidPrimaryKey, Base):
    """A document; its content lives in core's file store under `sleutel`."""

    __tablename__ = "anderzorg_bijlage"

    traject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anderzorg_traject.id"), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    soort_inhoud: Mapped[str] = mapped_column(String(100))
    grootte: Mapped[int]
    sleutel: Mapped[str] = mapped_column(String(200))
    gedeeld: Mapped[bool] = mapped_column(default=False)
    van_inwoner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_person.id"))
    van_medewerker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_user.id"))
    toegevoegd_op: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Belverzoek(UuidPrimaryKey, Base):
    """A resident's request for an appointment; `stand` is nieuw, gepland or afgehandeld."""

    __tablename__ = "anderzorg_belverzoek"

    traject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anderzorg_traject.id"), index=True)
    persoon_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"))
    onderwerp: Mapped[str] = mapped_column(String(200))
    vorm: Mapped[str] = mapped_column(String(12))
    voorkeur: Mapped[str] = mapped_column(String(500), default="")
    stand: Mapped[str] = mapped_column(String(12), default="nieuw")
    ingediend_op: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Voorziening(UuidPrimaryKey, Base):
    """A provision granted to a person (Wmo or Jeugdwet); `fase` is aangevraagd, toegekend,
    gestart or gestopt."""

    __tablename__ = "anderzorg_voorziening"

    traject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("anderzorg_traject.id"), index=True)
    persoon_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_person.id"), index=True)
    wet: Mapped[str] = mapped_column(String(8))
    categorie: Mapped[str] = mapped_column(String(40))
    aanbieder: Mapped[str] = mapped_column(String(200))
    agb: Mapped[str | None] = mapped_column(String(8))
    fase: Mapped[str] = mapped_column(String(12))
    begint_op: Mapped[dt.date | None] = mapped_column(Date)
    eindigt_op: Mapped[dt.date | None] = mapped_column(Date)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(default=utcnow)
