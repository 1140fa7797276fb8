"""Value objects that hooks receive and return (see hookspecs.py for when each is used)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict


class DashboardWidget(BaseModel):
    """One tile on the dashboard. `body` must be safe HTML (render it with a template)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    title: str
    body: Markup
    order: int = 100


class Panel(BaseModel):
    """A section on a person or household page (a named slot that modules fill).
    `body` must be safe HTML (render it with `openregie_sdk.render`)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    title: str
    body: Markup
    order: int = 100


class UserCreated(BaseModel):
    """Event: a user account was created and committed."""

    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    username: str
    kind: str


@dataclass
class DemoContext:
    """What `openregie_demo_data` implementations get: a session to add rows to, a seeded
    random generator (the same seed gives the same data), a progress callback taking a
    message, and the ids core created, by kind (e.g. `created["user"]`)."""

    session: Any
    rng: random.Random
    progress: Callable[[str], None]
    created: dict[str, list[uuid.UUID]] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricFilters:
    """The standard filters every metric query honours. `period_start` and `period_end` are
    inclusive dates; an empty tuple of ids means no restriction on that dimension.
    `dialect` is the database's SQLAlchemy dialect name ("postgresql", "sqlite") for the
    rare query that must differ."""

    period_start: dt.date
    period_end: dt.date
    municipality_ids: tuple[uuid.UUID, ...] = ()
    team_ids: tuple[uuid.UUID, ...] = ()
    area_ids: tuple[uuid.UUID, ...] = ()
    dialect: str = "postgresql"


class MetricDefinition(BaseModel):
    """A reporting metric a module contributes (see `openregie_report_metrics`).

    `query(filters)` returns a SQLAlchemy `Select` whose columns are labelled with the
    names in `dimensions` and then `value`. With `kind="aggregate"` the query aggregates
    itself (one row per combination of dimensions, e.g. a count); with
    `kind="distribution"` it returns one row per item (e.g. the duration of each case) and
    the reporting module computes the median and the 90th percentile in the database.
    Queries are aggregate SQL, run by the database; they never return person-level data
    to a reader (reporting suppresses small cells)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    title: str
    unit: str
    dimensions: tuple[str, ...] = ()
    kind: Literal["aggregate", "distribution"] = "aggregate"
    description: str = ""
    query: Callable[[MetricFilters], Any]


class SubjectExportSection(BaseModel):
    """Part of a subject-data export (inzageverzoek, AVG art. 15): what one module holds
    about a person, as JSON-compatible records."""

    model_config = ConfigDict(frozen=True)

    title: str
    records: list[dict[str, Any]]


class ErasureOutcome(BaseModel):
    """What one module did for a request to erase a person's data (AVG art. 17): how many
    items it erased or anonymised, and how many it must keep with the legal reason (e.g.
    the Jeugdwet's retention period)."""

    model_config = ConfigDict(frozen=True)

    erased: int = 0
    retained: int = 0
    reasons: list[str] = []
