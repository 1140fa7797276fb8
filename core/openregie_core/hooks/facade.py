"""The one typed facade through which core calls hooks; it holds the call policy per class.

Call sites use `Hooks.nav_items(actor)`, never `pm.hook...` directly, so the policy —
decisions fail closed, contributions drop what raises, events run after commit in
isolation — is written once, here (see `openregie_sdk.hookspecs` for the contract).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import pluggy
from sqlalchemy import ColumnElement, event
from sqlalchemy.orm import Session, sessionmaker

from openregie_sdk import hookspecs
from openregie_sdk.actors import Actor
from openregie_sdk.contributions import (
    DashboardWidget,
    ErasureOutcome,
    MetricDefinition,
    Panel,
    PortalSection,
    ResidentAuthenticator,
    SubjectExportSection,
    UserCreated,
)
from openregie_sdk.manifest import NavItem, Permission

log = logging.getLogger("openregie.hooks")

_PENDING = "openregie_pending_events"
_READY = "openregie_ready_events"


def new_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


class Hooks:
    def __init__(self, pm: pluggy.PluginManager, module_of: dict[str, str]) -> None:
        self._pm = pm
        self._module_of = module_of  # plugin name → module id, for log messages
        # `get_hookimpls()` lists implementations in registration (= load) order, with trylast
        # ones first and tryfirst ones last; pluggy itself calls them in reverse. We call them
        # in load order, still honouring tryfirst/trylast (the sort is stable).
        self._impls: dict[str, list[Any]] = {
            name: sorted(
                getattr(pm.hook, name).get_hookimpls(),
                key=lambda impl: 0 if impl.tryfirst else 2 if impl.trylast else 1,
            )
            for name in dir(pm.hook)
            if name.startswith("openregie_")
        }
        # Per hook, the spec's argument names and (impl, function, argument names or None):
        # None when the implementation takes the spec's arguments in the spec's order, so it
        # is called with the dispatch's positional values (nothing built per implementation
        # per call: dispatch costs about a microsecond per module).
        self._spec_args: dict[str, tuple[str, ...]] = {}
        self._calls: dict[str, list[tuple[Any, Any, tuple[str, ...] | None]]] = {}
        for name, impls in self._impls.items():
            spec_args = tuple(getattr(pm.hook, name).spec.argnames)
            self._spec_args[name] = spec_args
            self._calls[name] = [
                (impl, impl.function, None if tuple(impl.argnames) == spec_args else impl.argnames)
                for impl in impls
            ]

    # -- policies ---------------------------------------------------------------------------
    def _module(self, impl: Any) -> str:
        return self._module_of.get(impl.plugin_name, impl.plugin_name)

    def _each(self, hook: str, kwargs: dict[str, Any]) -> Iterable[tuple[Any, Any]]:
        """Call every implementation on its own; yield (impl, result) for those that return."""
        values = [kwargs[name] for name in self._spec_args.get(hook, ())]
        for impl, function, names in self._calls.get(hook, ()):
            try:
                if names is None:
                    result = function(*values)
                else:
                    result = function(**{name: kwargs[name] for name in names})
            except Exception:
                log.exception(
                    "hook %s of module %s raised; its contribution is dropped",
                    hook,
                    self._module(impl),
                )
                continue
            yield impl, result

    def _contributions(self, hook: str, kind: type, **kwargs: Any) -> list[Any]:
        items: list[Any] = []
        for impl, result in self._each(hook, kwargs):
            for item in result or ():
                if isinstance(item, kind):
                    items.append(item)
                else:
                    log.error(
                        "hook %s of module %s returned %r, not a %s; dropped",
                        hook,
                        self._module(impl),
                        type(item).__name__,
                        kind.__name__,
                    )
        return items

    def _decide(self, hook: str, **kwargs: Any) -> bool:
        allowed = False
        values = [kwargs[name] for name in self._spec_args.get(hook, ())]
        for impl, function, names in self._calls.get(hook, ()):
            try:
                if names is None:
                    answer = function(*values)
                else:
                    answer = function(**{name: kwargs[name] for name in names})
            except Exception:
                log.exception(
                    "decision hook %s of module %s raised; denying", hook, self._module(impl)
                )
                return False
            if answer is False:
                return False
            if answer is not None and answer is not True:
                log.error(
                    "decision hook %s of module %s answered %r, not True/False/None; denying",
                    hook,
                    self._module(impl),
                    answer,
                )
                return False
            allowed = allowed or answer is True
        return allowed

    def _event(self, hook: str, **kwargs: Any) -> None:
        for _ in self._each(hook, kwargs):
            pass

    # -- the hooks --------------------------------------------------------------------------
    def permissions(self) -> list[tuple[str, Permission]]:
        """(module id, permission) pairs; the caller checks namespaces and duplicates."""
        pairs = []
        for impl, result in self._each("openregie_permissions", {}):
            pairs.extend((self._module(impl), p) for p in result or () if isinstance(p, Permission))
        return pairs

    def nav_items(self, actor: Actor) -> list[NavItem]:
        return self._contributions("openregie_nav_items", NavItem, actor=actor)

    def person_relations(self, actor: Actor) -> list[ColumnElement[bool]]:
        return self._contributions("openregie_person_relations", ColumnElement, actor=actor)

    def person_panels(self, actor: Actor, person: Any) -> list[Panel]:
        panels = self._contributions("openregie_person_panels", Panel, actor=actor, person=person)
        return sorted(panels, key=lambda p: (p.order, p.title))

    def household_panels(self, actor: Actor, household: Any) -> list[Panel]:
        panels = self._contributions(
            "openregie_household_panels", Panel, actor=actor, household=household
        )
        return sorted(panels, key=lambda p: (p.order, p.title))

    def portal_sections(self, actor: Actor, person: Any) -> list[PortalSection]:
        sections = self._contributions(
            "openregie_portal_sections", PortalSection, actor=actor, person=person
        )
        return sorted(sections, key=lambda s: (s.order, s.title))

    def allocation_panels(self, actor: Actor, allocation: Any) -> list[Panel]:
        panels = self._contributions(
            "openregie_allocation_panels", Panel, actor=actor, allocation=allocation
        )
        return sorted(panels, key=lambda p: (p.order, p.title))

    def resident_authenticators(self) -> list[ResidentAuthenticator]:
        """The ways residents may log in, by order then label; the first of a duplicate id
        wins (the later one is logged and dropped)."""
        found = self._contributions("openregie_resident_authenticators", ResidentAuthenticator)
        unique: dict[str, ResidentAuthenticator] = {}
        for item in sorted(found, key=lambda a: (a.order, a.label)):
            if item.id in unique:
                log.error("resident authenticator %r contributed twice; dropped", item.id)
                continue
            unique[item.id] = item
        return list(unique.values())

    def dashboard_widgets(self, actor: Actor) -> list[DashboardWidget]:
        widgets = self._contributions("openregie_dashboard_widgets", DashboardWidget, actor=actor)
        return sorted(widgets, key=lambda w: w.order)

    def authorize(self, actor: Actor, permission: str, resource: object | None) -> bool:
        return self._decide(
            "openregie_authorize", actor=actor, permission=permission, resource=resource
        )

    def demo_data_implementations(self) -> list[tuple[str, Any]]:
        """(module id, callable) pairs for `openregie demo`, which runs each in its own
        transaction and reports failures itself."""
        return [
            (self._module(impl), impl.function)
            for impl in self._impls.get("openregie_demo_data", ())
        ]

    def report_metrics(self) -> list[MetricDefinition]:
        return self._contributions("openregie_report_metrics", MetricDefinition)

    def subject_export(
        self, person: Any
    ) -> tuple[list[tuple[str, SubjectExportSection]], list[str]]:
        """((module id, section) pairs, ids of modules whose export failed)."""
        sections: list[tuple[str, SubjectExportSection]] = []
        failed: list[str] = []
        for impl in self._impls.get("openregie_subject_export", ()):
            try:
                result = impl.function(person=person)
            except Exception:
                log.exception("subject export of module %s failed; left out", self._module(impl))
                failed.append(self._module(impl))
                continue
            sections.extend(
                (self._module(impl), item)
                for item in result or ()
                if isinstance(item, SubjectExportSection)
            )
        return sections, failed

    def subject_erasure(self, person: Any, dry_run: bool) -> list[tuple[str, ErasureOutcome]]:
        """Every module's erasure outcome; an exception is logged with the module id and
        propagates (the caller rolls back)."""
        outcomes = []
        for impl in self._impls.get("openregie_subject_erasure", ()):
            try:
                outcome = impl.function(person=person, dry_run=dry_run)
            except Exception:
                log.exception(
                    "subject erasure of module %s failed; the whole erasure is rolled back",
                    self._module(impl),
                )
                raise
            if outcome is not None:
                outcomes.append((self._module(impl), outcome))
        return outcomes

    # -- events after commit ----------------------------------------------------------------
    @staticmethod
    def emit(session: Session, hook: str, **kwargs: Any) -> None:
        """Queue an event; it fires only once the session's transaction has committed."""
        session.info.setdefault(_PENDING, []).append((hook, kwargs))

    def user_created(self, session: Session, event_: UserCreated) -> None:
        self.emit(session, "openregie_user_created", event=event_)

    def dispatch_ready(self, session: Session) -> None:
        """Fire the events of committed transactions (called at request and command end)."""
        for _ in range(10):  # handlers may commit and queue more; bounded
            ready = session.info.pop(_READY, [])
            if not ready:
                return
            for hook, kwargs in ready:
                self._event(hook, **kwargs)


def track_events(factory: sessionmaker[Session]) -> None:
    """Move queued events to 'ready' on commit and drop them on rollback."""

    @event.listens_for(factory, "after_commit")
    def _committed(session: Session) -> None:
        pending = session.info.pop(_PENDING, [])
        if pending:
            session.info.setdefault(_READY, []).extend(pending)

    @event.listens_for(factory, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_PENDING, None)
