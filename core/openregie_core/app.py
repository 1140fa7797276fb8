"""The Flask application factory: configuration → database → modules → hooks → web."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Flask
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from openregie_core.authz.roles import permissions_by_role
from openregie_core.config import Settings, ensure_secret_key, load_settings
from openregie_core.database import make_engine, make_session_factory
from openregie_core.hooks.core_plugin import CorePlugin, ManifestContributions
from openregie_core.hooks.facade import Hooks, new_plugin_manager, track_events
from openregie_core.i18n import in_english
from openregie_core.modules.discovery import installed_modules
from openregie_core.modules.selection import Selection
from openregie_core.modules.states import ModuleSet, resolve
from openregie_core.runtime import CoreRuntime

log = logging.getLogger("openregie")


class StartupError(Exception):
    """The application refuses to start; the message says why (strict mode, bad config)."""


def read_admin_choices(engine: Engine) -> dict[str, bool]:
    """The functional admin's enable/disable choices; none before the first migration."""
    from openregie_core.models import ModuleSelection

    try:
        with engine.connect() as connection:
            rows = connection.execute(select(ModuleSelection.module_id, ModuleSelection.enabled))
            return {module_id: enabled for module_id, enabled in rows}
    except DBAPIError:
        return {}


def selection_for(settings: Settings, engine: Engine) -> Selection:
    return Selection(
        configured=tuple(settings.modules) if settings.modules is not None else None,
        admin_choices={} if settings.safe_mode else read_admin_choices(engine),
        killed=frozenset(settings.disable_modules),
        safe_mode=settings.safe_mode,
    )


def resolve_modules(settings: Settings, engine: Engine) -> ModuleSet:
    return resolve(installed_modules(), selection_for(settings, engine), settings.module_config)


def _plugin_manager(modules: ModuleSet) -> Hooks:
    pm = new_plugin_manager()
    module_of = {"core": "core"}
    pm.register(CorePlugin(), name="core")
    for record in modules.order:
        name = f"{record.id}.manifest"
        pm.register(ManifestContributions(record.manifest), name=name)  # type: ignore[arg-type]
        module_of[name] = record.id
        for index, obj in enumerate(record.hook_objects):
            name = record.id if index == 0 else f"{record.id}#{index}"
            pm.register(obj, name=name)
            module_of[name] = record.id
    return Hooks(pm, module_of)


def _permissions(hooks: Hooks) -> dict[str, Any]:
    registry: dict[str, Any] = {}
    for module_id, permission in hooks.permissions():
        if module_id != "core" and not permission.name.startswith(module_id + "."):
            log.error(
                "module %s declared %s outside its namespace; dropped", module_id, permission.name
            )
        elif permission.name in registry:
            log.error("permission %s declared twice; the second is dropped", permission.name)
        else:
            registry[permission.name] = permission
    return registry


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the application. Raises `ConfigError` for bad configuration and
    `StartupError` when strict mode finds a module that did not load."""
    settings = settings or load_settings(**overrides)
    engine = make_engine(settings.resolved_database_url)
    modules = resolve_modules(settings, engine)
    if settings.strict_modules and (errors := modules.strict_errors()):
        engine.dispose()
        raise StartupError("strict mode: refusing to start:\n  " + "\n  ".join(errors))
    for record in modules.records:
        if record.enabled and record.state.value != "loaded":
            log.warning(
                "module %s is %s: %s", record.id, record.state.value, in_english(record.reason)
            )

    hooks = _plugin_manager(modules)
    permissions = _permissions(hooks)
    session_factory = make_session_factory(engine)
    track_events(session_factory)

    from openregie_core.api.document import new_application

    app = new_application(instance_path=str(settings.instance_path))
    app.config.update(
        SECRET_KEY=ensure_secret_key(settings),
        SESSION_COOKIE_NAME="openregie_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not settings.is_development,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_idle_minutes),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        OPENREGIE_MODE=settings.mode,
    )
    app.extensions["openregie"] = CoreRuntime(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        hooks=hooks,
        modules=modules,
        permissions=permissions,
        role_permissions=permissions_by_role(permissions.values()),
    )

    from openregie_core.web import install

    install(app, modules)
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    return app
