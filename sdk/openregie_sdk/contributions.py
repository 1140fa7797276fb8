"""Value objects that hooks receive and return (see hookspecs.py for when each is used)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field


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


class PortalSection(BaseModel):
    """A section of the resident portal (Mijn Regie), contributed through
    `openregie_portal_sections` (since 1.2). `body` must be safe HTML (render it with
    `openregie_sdk.render`); forms in it post to the contributing module's own routes,
    so the portal never imports the module."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    """Unique per page, starting with the module's id (e.g. "consent.overview"); the
    portal uses it as the section's anchor."""
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
    to a reader (reporting suppresses small cells).

    Since 1.2:

    - `labels` maps a dimension to the readable (Dutch, gettext source) label of each code
      the query returns in it, e.g. `{"life_domain": {"finances": "Financiën"}}`; readers
      show the label, translated, instead of the code (a code without a label is shown as
      it is). Dimensions whose values are already names (team, organisation) need none.
    - `counted_by` names an extra column of an aggregate query (after `value`) holding the
      number of items each value rests on, for values that are not counts themselves (an
      average, a percentage). Reporting then suppresses the value when that number is
      above zero and below the threshold, as it does a small count. Leave it None for
      counts (suppressed on their own value) and for distributions (suppressed on their
      item count)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    title: str
    unit: str
    dimensions: tuple[str, ...] = ()
    kind: Literal["aggregate", "distribution"] = "aggregate"
    description: str = ""
    query: Callable[[MetricFilters], Any]
    labels: Mapping[str, Mapping[str, str]] = Field(default_factory=dict)  # since 1.2
    counted_by: str | None = None  # since 1.2


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


class AuthenticationRefused(Exception):
    """A resident authenticator's callback could not establish who logged in (cancelled,
    refused by the identity provider, a forged or expired answer). The message is Dutch
    and safe to show to the resident. Since 1.2."""


class ResidentAuthenticator(BaseModel):
    """A way for residents to log in (DigiD through an OIDC broker, eHerkenning, a test
    login), contributed through `openregie_resident_authenticators` (since 1.2).

    The module hosting the login pages (the portal) calls `start(callback_url)` when the
    resident chooses this authenticator: it returns a Flask response, normally a redirect
    to the identity provider, which sends the resident back to `callback_url` (an absolute
    URL on this site). There the host calls `callback()` inside that request: it returns
    the resident's BSN as the identity provider asserted it (nine digits, not yet checked
    against the registry), or raises `AuthenticationRefused`. Keep state between the two
    (state, nonce, PKCE verifier) in `flask.session` under keys prefixed with `id`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Unique among authenticators, used in URLs ("digid", "mock_digid")."""
    label: str
    """Dutch label of the login button (e.g. "Inloggen met DigiD")."""
    start: Callable[[str], Any]
    callback: Callable[[], str]
    test_only: bool = False
    """True for a login that must never run in production (the host also refuses it)."""
    order: int = 100
