"""The one shared SQLAlchemy `MetaData` and declarative base for core and every module.

Tables carry their module's id as prefix (`consent_record`); core's carry `core_`. Public
identifiers are UUIDs (`Uuid` works on SQLite and PostgreSQL); timestamps are timezone-aware
UTC. Foreign keys point only at core tables; references across modules are opaque ids.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import DateTime, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: DateTime(timezone=True),
        uuid.UUID: Uuid,
    }


class UuidPrimaryKey:
    """Mixin: a UUID primary key generated in Python (so it is known before flush)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
