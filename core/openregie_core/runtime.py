"""Core's implementation of the SDK's `Runtime`: one per application, in `app.extensions`."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import uuid
from collections.abc import Iterable
from typing import Any

from flask import abort, g, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext
from pydantic import BaseModel
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from openregie_core.audit import queries
from openregie_core.audit.recorder import add, mark_failed, take_trace, track_audit, write_trace
from openregie_core.auth import session as resident_session
from openregie_core.authz.grants import load_grants
from openregie_core.authz.persons import person_visibility
from openregie_core.config import Settings
from openregie_core.database import end_read_only
from openregie_core.files import LocalFolderStore
from openregie_core.hooks.facade import Hooks
from openregie_core.models.users import User
from openregie_core.modules.states import ModuleSet
from openregie_sdk.actors import ANONYMOUS, SYSTEM, Actor, ActorKind, Grant
from openregie_sdk.audit import AccessEntry
from openregie_sdk.contributions import MetricDefinition
from openregie_sdk.manifest import Permission
from openregie_sdk.residents import RESIDENT_ROLE
from openregie_sdk.users import UserInfo

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
        self._file_store: LocalFolderStore | None = None
        self._module_of_blueprint = {
            blueprint.name: record.id
            for record in modules.order
            for blueprint, _ in record.blueprints
        }
        self._loaded_ids = frozenset(modules.loaded_ids)
        track_audit(session_factory)

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
        """End the request's session; its audit records still pending are written after it
        closes (on SQLite its open transaction would otherwise hold the write lock)."""
        session: Session | None = g.pop("openregie_session", None)
        if session is None:
            return
        try:
            if failed:
                session.rollback()
            else:
                self.hooks.dispatch_ready(session)
        finally:
            trace = take_trace(session, failed)
            if not failed:
                end_read_only(session)  # keeps the driver's prepared statements
            session.close()
            write_trace(self.engine, trace)

    def request_failed(self) -> None:
        """The request raised: roll back its uncommitted work and let its pending audit
        records say "error" (the web layer's handler of unexpected errors calls this)."""
        session: Session | None = g.get("openregie_session")
        if session is not None:
            mark_failed(session)

    def is_current_session(self, session: Session) -> bool:
        """Whether `session` is the current request's or command's session (whose audit
        records this runtime writes), without opening one when there is none."""
        if has_request_context():
            return g.get("openregie_session") is session
        return self._cli_session is session

    def close_cli_session(self, failed: bool | None = None) -> None:
        """End the command's session like a request's. Callers close in a `finally` block,
        so by default the command failed when an exception is on its way out."""
        session = self._cli_session
        if session is None:
            return
        if failed is None:
            failed = sys.exc_info()[1] is not None
        try:
            self.hooks.dispatch_ready(session)
        finally:
            self._cli_session = None
            trace = take_trace(session, failed)
            session.close()
            write_trace(self.engine, trace)

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

    def actor_for_resident(self, person: Any, on_behalf_of: uuid.UUID | None) -> Actor:
        """The actor of a signed-in resident: the pseudo-role `resident` with only the
        permissions modules declared for it (no staff permission, no grants), acting on
        behalf of `on_behalf_of` (themselves or a person they represent)."""
        held = self.role_permissions.get(RESIDENT_ROLE, frozenset())
        return Actor(
            kind=ActorKind.RESIDENT,
            id=person.id,
            display_name=person.full_name,
            roles=frozenset({RESIDENT_ROLE}),
            permissions=held,
            on_behalf_of=on_behalf_of,
        )

    # -- residents (openregie_sdk.residents) -------------------------------------------------
    def installation_mode(self) -> str:
        return self.settings.mode

    def resident_sign_in(
        self, person_id: uuid.UUID, method: str, idle_minutes: int, home: str
    ) -> None:
        resident_session.start_resident_session(person_id, method, idle_minutes, home)

    def resident_sign_out(self) -> None:
        resident_session.end_session()
        g.pop("openregie_actor", None)  # anonymous for the rest of the request

    def resident_act_for(self, person_id: uuid.UUID) -> Any:
        return resident_session.set_resident_acting_for(person_id)

    def resident_representations(self) -> list[Any]:
        return resident_session.resident_representations()

    def resident_method(self) -> str | None:
        from flask import session

        if not has_request_context() or not session.get("resident_id"):
            return None
        return session.get("resident_method")

    def resident_authenticators(self) -> list[Any]:
        return self.hooks.resident_authenticators()

    def rate_limited(self, scope: str, limit: str, key: str) -> bool:
        """Count one hit of `scope` by `key` in the application's rate-limit storage (core's
        Flask-Limiter, shared between hosts when a Redis URL is configured)."""
        from flask import current_app
        from limits import parse

        for limiter in current_app.extensions.get("limiter", ()):
            return not limiter.limiter.hit(parse(limit), "openregie-module", scope, key)
        return False

    def update_person_contact(
        self, person_id: uuid.UUID, phone: str | None, email: str | None, expected_version: int
    ) -> None:
        from openregie_core.registry.contact import update_contact

        update_contact(self.session(), person_id, phone, email, expected_version)

    def portal_sections(self, person: Any) -> list[Any]:
        return self.hooks.portal_sections(self.actor(), person)

    def allocation_panels(self, allocation: Any) -> list[Any]:
        return self.hooks.allocation_panels(self.actor(), allocation)

    def person_visibility(self) -> Any:
        return person_visibility(self.actor(), self.hooks)

    def authorize(self, permission: str, resource: object | None = None) -> bool:
        return self.hooks.authorize(self.actor(), permission, resource)

    def deny(self, permission: str) -> Any:
        if not self.actor().is_authenticated:
            if request.path.startswith("/api/"):  # the API knows no login page, only tokens
                abort(
                    401,
                    description=gettext(
                        "Deze API vraagt een token: Authorization: Bearer <token>."
                    ),
                )
            return redirect(url_for("core_auth.login", next=request.full_path.rstrip("?")))
        log.info("denied %s on %s", permission, request.path)
        # Refusals of authenticated actors are audited; without a data subject at hand, the
        # subject is the route (its pattern, so no identifier in the path is repeated).
        route = request.url_rule.rule if request.url_rule else request.path
        self.record_audit(
            "access",
            permission[:120],
            "route",
            [route[:64]],
            status="denied",
        )
        abort(403)

    def _module_of_request(self) -> str:
        """The module whose blueprint serves the current request, else "core"."""
        names = request.blueprints  # innermost first
        return self._module_of_blueprint.get(names[-1], "core") if names else "core"

    # -- audit log --------------------------------------------------------------------------
    def record_audit(
        self,
        action: str,
        processing_activity: str,
        subject_type: str,
        subject_ids: Iterable[uuid.UUID | str | int],
        status: str = "ok",
        module: str | None = None,
    ) -> None:
        if module is None:
            module = self._module_of_request() if has_request_context() else "core"
        if module != "core" and module not in self._loaded_ids:
            raise ValueError(f"audit record: module {module!r} is not loaded")
        origin = request.remote_addr if has_request_context() else None
        add(
            self.session(),
            self.actor(),
            origin,
            action,
            processing_activity,
            subject_type,
            subject_ids,
            status,
            module,
        )

    def accessed_by(self, person_id: uuid.UUID, limit: int = 200) -> list[AccessEntry]:
        return queries.accessed_by(self.session(), person_id, limit=limit)

    # -- modules ----------------------------------------------------------------------------
    def module_settings(self, module_id: str) -> BaseModel:
        record = self.modules.get(module_id)
        if record is None or record.settings is None:
            raise KeyError(f"module {module_id!r} is not loaded or has no settings")
        return record.settings

    def file_store(self) -> LocalFolderStore:
        if self._file_store is None:
            self._file_store = LocalFolderStore(
                self.settings.files_path or self.settings.instance_path / "files"
            )
        return self._file_store

    def users(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, UserInfo]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        rows = self.session().execute(
            select(User.id, User.display_name, User.email, User.kind, User.active).where(
                User.id.in_(wanted)
            )
        )
        return {row.id: UserInfo(*row) for row in rows}

    # -- reporting --------------------------------------------------------------------------
    def report_metrics(self) -> list[MetricDefinition]:
        return self.hooks.report_metrics()

    def capability(self, name: str) -> Any:
        return self._providers.get(name)

    def render(self, template: str, **context: Any) -> str:
        return render_template(template, **context)
