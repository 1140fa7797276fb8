"""Checks over an application's URL map: every route declares the permission it needs."""

from __future__ import annotations

from typing import Any

from openregie_sdk.web import PUBLIC, declared_permission

EXEMPT_ENDPOINTS = frozenset({"static"})


def undeclared_routes(app: Any) -> list[str]:
    """Rules whose view declares neither `@requires(...)` nor `@public`."""
    return sorted(
        f"{rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS
        and declared_permission(app.view_functions[rule.endpoint]) is None
    )


def unknown_permissions(app: Any) -> list[str]:
    """Routes guarded by a permission no module (nor core) declared — nobody could pass."""
    known = app.extensions["openregie"].permissions
    return sorted(
        f"{rule.rule} needs {permission}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXEMPT_ENDPOINTS
        and (permission := declared_permission(app.view_functions[rule.endpoint]))
        not in (None, PUBLIC)
        and permission not in known
    )
