"""Accessors for what core provides at run time, bound per application by core.

Modules call these functions; they find the running application's runtime through Flask's
`current_app`, so they work inside a request, a CLI command or a job (core pushes an
application context for those). Outside any application they raise `RuntimeError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app
from markupsafe import Markup

if TYPE_CHECKING:
    import uuid

    from pydantic import BaseModel
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from openregie_sdk.actors import Actor
    from openregie_sdk.audit import AccessEntry
    from openregie_sdk.capabilities.casemanagement import AllocationSummary
    from openregie_sdk.contributions import (
        MetricDefinition,
        Panel,
        PortalSection,
        ResidentAuthenticator,
    )
    from openregie_sdk.files import FileStore
    from openregie_sdk.registry.representation import Representation
    from openregie_sdk.users import UserInfo

EXTENSION_KEY = "openregie"


class Runtime(Protocol):
    """What core binds into `app.extensions["openregie"]`."""

    def session(self) -> Session: ...
    def actor(self) -> Actor: ...
    def authorize(self, permission: str, resource: object | None = None) -> bool: ...
    def module_settings(self, module_id: str) -> BaseModel: ...
    def capability(self, name: str) -> Any: ...
    def render(self, template: str, **context: Any) -> str: ...
    def deny(self, permission: str) -> Any: ...
    def record_audit(
        self,
        action: str,
        processing_activity: str,
        subject_type: str,
        subject_ids: Iterable[uuid.UUID | str | int],
        status: str = "ok",
        module: str | None = None,
    ) -> None: ...
    def accessed_by(self, person_id: uuid.UUID, limit: int = 200) -> list[AccessEntry]: ...
    def person_visibility(self) -> ColumnElement[bool]: ...
    def file_store(self) -> FileStore: ...
    def users(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, UserInfo]: ...
    def report_metrics(self) -> list[MetricDefinition]: ...
    # since 1.2: the installation's mode and resident sessions (see `openregie_sdk.residents`)
    def installation_mode(self) -> str: ...
    def resident_sign_in(
        self, person_id: uuid.UUID, method: str, idle_minutes: int, home: str
    ) -> None: ...
    def resident_sign_out(self) -> None: ...
    def resident_act_for(self, person_id: uuid.UUID) -> Representation | None: ...
    def resident_representations(self) -> list[Representation]: ...
    def resident_method(self) -> str | None: ...
    def resident_authenticators(self) -> list[ResidentAuthenticator]: ...
    def portal_sections(self, person: Any) -> list[PortalSection]: ...
    def rate_limited(self, scope: str, limit: str, key: str) -> bool: ...
    def update_person_contact(
        self, person_id: uuid.UUID, phone: str | None, email: str | None, expected_version: int
    ) -> None: ...
    def allocation_panels(self, allocation: AllocationSummary) -> list[Panel]: ...


def runtime() -> Runtime:
    try:
        return current_app.extensions[EXTENSION_KEY]
    except (RuntimeError, KeyError) as exc:
        raise RuntimeError("no OpenRegie application is active here") from exc


def db_session() -> Session:
    """The database session of the current request, command or job (core commits it)."""
    return runtime().session()


def current_actor() -> Actor:
    """Who is acting now: a user, resident, API client, the system, or anonymous."""
    return runtime().actor()


def authorize(permission: str, resource: object | None = None) -> bool:
    """Ask the decision hooks whether the current actor may exercise `permission`."""
    return runtime().authorize(permission, resource)


def person_visibility() -> ColumnElement[bool]:
    """The SQL predicate over `openregie_sdk.registry.Person` that selects exactly the persons
    the current actor may see. AND it into every query that lists or finds persons, so that
    lists, search and export show what detail would allow."""
    return runtime().person_visibility()


def module_settings(module_id: str) -> BaseModel:
    """The validated settings of a loaded module (its `ModuleSettings` subclass)."""
    return runtime().module_settings(module_id)


def capability(name: str) -> Any:
    """The provider of capability `name`, or None when no loaded module provides it.
    Type the result with the capability's protocol from `openregie_sdk.capabilities`."""
    return runtime().capability(name)


def render(template: str, **context: Any) -> Markup:
    """Render a Jinja template (autoescaped, so the result is safe HTML); pages extend
    `"layout.html"` and fill its blocks; fragments (widgets, panels) stand alone."""
    return Markup(runtime().render(template, **context))  # noqa: S704 - Jinja escaped it


def report_metrics() -> list[MetricDefinition]:
    """The reporting metrics contributed by core and the loaded modules
    (`openregie_report_metrics`), each a `MetricDefinition` whose query honours
    `MetricFilters`. A module whose hook fails contributes nothing (the failure is logged)."""
    return runtime().report_metrics()


def installation_mode() -> str:
    """The installation's mode: "production", "development", "demo" or "test" (since 1.2).
    Refuse test-only features (a mock login) unless it is one of the last three."""
    return runtime().installation_mode()


def portal_sections(person: Any) -> list[PortalSection]:
    """The sections other modules contribute to the resident portal's page about `person`
    (hook `openregie_portal_sections`), by order then title, for the current actor. Call
    it only after checking that the actor may act for `person`. Since 1.2."""
    return runtime().portal_sections(person)


def allocation_panels(allocation: AllocationSummary) -> list[Panel]:
    """The panels other modules contribute to an allocation's place on the case-management
    pages (hook `openregie_allocation_panels`), by order then title, for the current actor.
    The casemanagement provider calls it only after checking that the actor may see the
    allocation's case; an implementation that raises is logged and left out. Since 1.2."""
    return runtime().allocation_panels(allocation)


def rate_limited(scope: str, limit: str, key: str) -> bool:
    """Count one attempt at `scope` (e.g. "portal.login") by `key` (a client address, a
    person id) against `limit` in Flask-Limiter notation ("10 per minute"), in core's
    rate-limit storage (shared between hosts when configured). True when the attempt is
    over the limit: refuse it with 429 and say when to try again. Since 1.2."""
    return runtime().rate_limited(scope, limit, key)
