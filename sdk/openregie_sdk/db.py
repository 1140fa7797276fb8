"""The one shared SQLAlchemy `MetaData` and declarative base for core and every module.

Tables carry their module's id as prefix (`consent_record`); core's carry `core_`. Public
identifiers are UUIDs (`Uuid` works on SQLite and PostgreSQL); timestamps are timezone-aware
UTC. Foreign keys point only at core tables; references across modules are opaque ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment, stored in UTC and always read back timezone-aware (UTC).

    SQLite keeps no offset, so without this a value stored in another zone would come back
    as the wrong moment and naive. A naive datetime is refused: a moment needs a zone.
    `Mapped[datetime]` columns on `Base` use this type."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError(f"a moment needs a time zone, got the naive datetime {value!r}")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UtcDateTime(),
        uuid.UUID: Uuid,
    }


class UuidPrimaryKey:
    """Mixin: a UUID primary key generated in Python (so it is known before flush)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
