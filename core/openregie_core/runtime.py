"""Core's implementation of the SDK's `Runtime`: one per application, in `app.extensions`."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import abort, g, has_request_context, redirect, render_template, request, url_for
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from openregie_core.authz.grants import load_grants
from openregie_core.authz.persons import person_visibility
from openregie_core.config import Settings
from openregie_core.hooks.facade import Hooks
from openregie_core.modules.states import ModuleSet
from openregie_sdk.actors import ANONYMOUS, SYSTEM, Actor, ActorKind, Grant
from openregie_sdk.manifest import Permission

log = logging.getLogger("openregie")


class CoreRuntime:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        session_factory: sessionmaker[Session],
        hooks: Hooks,
        modules: ModuleSet,
        permissions: dict[str, Permission],
        role_permissions: dict[str, frozenset[str]],
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.session_factory = session_factory
        self.hooks = hooks
        self.modules = modules
        self.permissions = permissions
        self.role_permissions = role_permissions
        self._providers = {
            cap: record.providers[cap] for cap, record in modules.providers().items()
        }
        self._cli_session: Session | None = None

    # -- database ---------------------------------------------------------------------------
    def session(self) -> Session:
        if has_request_context():
            if "openregie_session" not in g:
                g.openregie_session = self.session_factory()
            return g.openregie_session
        if self._cli_session is None:
            self._cli_session = self.session_factory()
        return self._cli_session

    def close_request_session(self, failed: bool) -> None:
        session: Session | None = g.pop("openregie_session", None)
        if session is None:
            return
        try:
            if failed:
                session.rollback()
            else:
                self.hooks.dispatch_ready(session)
        finally:
            session.close()

    def close_cli_session(self) -> None:
        if self._cli_session is not None:
            self.hooks.dispatch_ready(self._cli_session)
            self._cli_session.close()
            self._cli_session = None

    # -- actors and authorisation -----------------------------------------------------------
    def actor(self) -> Actor:
        if has_request_context():
            return g.get("openregie_actor", ANONYMOUS)
        return SYSTEM

    def actor_for_roles(self, kind: Any, roles: frozenset[str], **fields: Any) -> Actor:
        """An actor holding `roles` installation-wide with their declared default permissions
        (for the system and for tests; users get theirs from `actor_for_user`)."""
        granted = frozenset().union(*(self.role_permissions.get(r, frozenset()) for r in roles))
        grants = (Grant(permissions=granted),) if granted else ()
        return Actor(kind=kind, roles=roles, permissions=granted, grants=grants, **fields)

    def actor_for_user(self, user: Any) -> Actor:
        """The actor of a logged-in user: grants from role assignments and memberships."""
        grants, roles, teams, organisation = load_grants(self.session(), user.id, dt.date.today())
        return Actor(
            kind=ActorKind.USER,
            id=user.id,
            display_name=user.display_name,
            roles=roles,
            permissions=frozenset().union(*(g.permissions for g in grants)),
            grants=grants,
            team_ids=teams,
            organisation_id=organisation,
        )

    def person_visibility(self) -> Any:
        return person_visibility(self.actor(), self.hooks)

    def authorize(self, permission: str, resource: object | None = None) -> bool:
        return self.hooks.authorize(self.actor(), permission, resource)

    def deny(self, permission: str) -> Any:
        if not self.actor().is_authenticated:
            return redirect(url_for("core_auth.login", next=request.full_path.rstrip("?")))
        log.info("denied %s on %s", permission, request.path)
        abort(403)

    # -- modules ----------------------------------------------------------------------------
    def module_settings(self, module_id: str) -> BaseModel:
        record = self.modules.get(module_id)
        if record is None or record.settings is None:
            raise KeyError(f"module {module_id!r} is not loaded or has no settings")
        return record.settings

    def capability(self, name: str) -> Any:
        return self._providers.get(name)

    def render(self, template: str, **context: Any) -> str:
        return render_template(template, **context)
