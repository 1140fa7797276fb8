"""The functional admin's module choices and the log of module administration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from openregie_sdk.db import Base, UuidPrimaryKey, utcnow


class ModuleSelection(Base):
    """Enabled or disabled by the functional admin; absent means the default applies."""

    __tablename__ = "core_module_selection"

    module_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool]
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(200))


class ModuleEvent(UuidPrimaryKey, Base):
    """One administrative action on a module: enabled, disabled, purged, migrated."""

    __tablename__ = "core_module_event"

    module_id: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    detail: Mapped[str] = mapped_column(Text, default="")
