"""Route guards: every route declares the permission it needs (a test walks the URL map).

    @blueprint.get("/")
    @requires("consent.record.read")
    def index(): ...

`@public` marks a route that needs no login (a login page, a health check); it is a
declaration too, so forgetting both fails the test suite.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from openregie_sdk.runtime import runtime

PUBLIC = "public"
F = TypeVar("F", bound=Callable[..., Any])


def requires(permission: str) -> Callable[[F], F]:
    """Allow the route only to actors the decision hooks allow `permission`; anonymous
    visitors are sent to log in, others get 403."""

    def guard(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            rt = runtime()
            if not rt.authorize(permission, None):
                return rt.deny(permission)
            return view(*args, **kwargs)

        guarded.openregie_permission = permission  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return guard


def public(view: F) -> F:
    """Declare that a route needs no login."""
    view.openregie_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def declared_permission(view: Callable[..., Any]) -> str | None:
    """The permission a view declared with `requires` or `public`, or None."""
    return getattr(view, "openregie_permission", None)
