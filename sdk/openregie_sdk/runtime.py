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
    from openregie_sdk.contributions import MetricDefinition
    from openregie_sdk.files import FileStore
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
