"""The hook specifications: the broadcast contract between core and modules.

Every hook belongs to one class, which fixes how core calls it (core's hook facade holds
this policy; call sites never repeat it):

- decision: authorisation. Every implementation is asked; one `False` denies (deny
  overrides allow), at least one `True` is needed to allow (no answer denies), and an
  implementation that raises counts as a deny and is logged (fail closed).
- contribution: each implementation is called on its own and its results are combined in
  load order; one that raises is logged with its module id and dropped — the page still works.
- event: fired after the transaction that caused it has committed; each implementation is
  isolated (an exception is logged) and can never roll back that transaction.

Each spec states its class, when it fires, what it receives and returns, and the SDK version
that added it. Within an SDK major version hooks only gain hooks or arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from openregie_sdk.actors import Actor
    from openregie_sdk.capabilities.casemanagement import AllocationSummary
    from openregie_sdk.contributions import (
        DashboardWidget,
        DemoContext,
        ErasureOutcome,
        MetricDefinition,
        Panel,
        PortalSection,
        ResidentAuthenticator,
        SubjectExportSection,
        UserCreated,
    )
    from openregie_sdk.manifest import NavItem, Permission
    from openregie_sdk.registry import Household, Person

PROJECT = "openregie"
hookimpl = pluggy.HookimplMarker(PROJECT)
_hookspec = pluggy.HookspecMarker(PROJECT)

F = TypeVar("F", bound=Callable[..., Any])


class HookKind(StrEnum):
    """The class of a hook, which fixes how core calls it (see the module docstring)."""

    DECISION = "decision"
    CONTRIBUTION = "contribution"
    EVENT = "event"


def spec(kind: HookKind, since: str) -> Callable[[F], F]:
    """Mark a function as a hook spec of class `kind`, added in SDK version `since`."""

    def mark(function: F) -> F:
        function.openregie_kind = kind  # type: ignore[attr-defined]
        function.openregie_since = since  # type: ignore[attr-defined]
        return _hookspec(function)

    return mark


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_permissions() -> Iterable[Permission]:
    """Declare permissions beyond those in the module's manifest.

    Fires: once at start-up, when core builds its permission registry.
    Receives: nothing. Returns: an iterable of `Permission`; each name must start with the
    module's id. Names that do not, or that another module already declared, are dropped
    and logged. If it raises: logged and dropped; the other modules' permissions stand.
    Example: `return [Permission(name="wachttijden.view", title="Wachttijden bekijken")]`.
    """


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_nav_items(actor: Actor) -> Iterable[NavItem]:
    """Add entries to the main navigation for `actor`.

    Fires: on every full page render. Receives: the current actor. Returns: `NavItem`s;
    core shows only those whose permission the actor holds, sorted by `order` then label.
    Manifest `nav_items` arrive through this same hook. If it raises: logged and dropped.
    """


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_dashboard_widgets(actor: Actor) -> Iterable[DashboardWidget]:
    """Add widgets to the start page of `actor`.

    Fires: when the dashboard renders. Receives: the current actor. Returns:
    `DashboardWidget`s (title and already-escaped HTML body, e.g. from
    `openregie_sdk.render`). Check permissions yourself; return nothing the actor may not
    see. If it raises: logged with the module id and dropped; the dashboard still renders.
    """


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_person_panels(actor: Actor, person: Person) -> Iterable[Panel]:
    """Fill the person page's panel slot.

    Fires: when a person page renders, after core has checked that `actor` may see `person`.
    Receives: the actor and the `Person`. Returns: `Panel`s (shown by `order`, then title).
    Show only what the actor may see (check with `openregie_sdk.authorize`) and record
    reads with `openregie_sdk.audit`. If it raises: logged with the module id and dropped;
    the page still renders.
    """


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_household_panels(actor: Actor, household: Household) -> Iterable[Panel]:
    """Fill the household page's panel slot (the case and plan of the household, ...).

    Fires: when a household page renders, after core has checked that `actor` may see at
    least one of its members. Receives: the actor and the `Household`. Returns: `Panel`s.
    If it raises: logged with the module id and dropped; the page still renders.
    """


@spec(HookKind.DECISION, since="1.0")
def openregie_authorize(actor: Actor, permission: str, resource: object | None) -> bool | None:
    """Decide whether `actor` may exercise `permission`, on `resource` when given.

    Fires: on every `openregie_sdk.authorize()` call and on every route guarded by
    `requires`. Receives: the actor, the permission name and the object concerned (or
    None for a permission-only check). Returns: True to allow, False to deny, None for no
    opinion. Policy: deny overrides allow; no True at all denies. If it raises: that counts
    as a deny and is logged (fail closed). Core's own implementation denies a permission
    none of the actor's roles grant, so a module can narrow access but never widen it.
    """


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_person_relations(actor: Actor) -> Iterable[ColumnElement[bool]]:
    """Say through which relations `actor` may see persons (need-to-know).

    Fires: whenever core builds the person visibility predicate (once per list, search,
    export or detail check). Receives: the actor (with `team_ids` and `grants`). Returns:
    SQL boolean expressions over `openregie_sdk.registry.Person`, best a correlated EXISTS
    (e.g. `select(member.person_id).join(Case, ...).where(member.person_id == Person.id,
    Case.team_id.in_(actor.team_ids)).correlate(Person).exists()`, with aliased tables);
    core ORs them with its own and requires `core.person.read`. Keep them set-based: no
    per-row queries. Avoid `Person.id.in_(select(...))`: under core's OR an IN cannot
    become a join, and PostgreSQL then computes every related person of the installation
    for each search or detail check.
    If it raises: logged and dropped, so the actor sees fewer persons (fails closed).
    """


@spec(HookKind.EVENT, since="1.0")
def openregie_user_created(event: UserCreated) -> None:
    """React to a new user account.

    Fires: after the transaction that created the account has committed. Receives: a
    `UserCreated` event (ids and names, no secrets). Returns: nothing. If it raises: logged;
    the account stays created and the other implementations still run.
    """


@spec(HookKind.CONTRIBUTION, since="1.0")
def openregie_demo_data(context: DemoContext) -> None:
    """Seed this module's demo data.

    Fires: during `openregie demo`, after core has seeded its own data, once per module in
    load order. Receives: a `DemoContext` (database session, seeded random generator,
    progress reporter and what core created). Returns: nothing; core commits after each
    module. If it raises: the module's demo data is rolled back and the error is reported.
    """


@spec(HookKind.CONTRIBUTION, since="1.1")
def openregie_report_metrics() -> Iterable[MetricDefinition]:
    """Contribute reporting metrics (aggregates for accountability to the municipality).

    Fires: when the reporting module builds its list of metrics (once per report). Receives:
    nothing. Returns: `MetricDefinition`s whose `id` starts with the module's id (e.g.
    `casemanagement.cases_opened`); their queries honour `MetricFilters`. A module that is
    absent simply contributes nothing. If it raises: logged and dropped; the other metrics
    still appear.
    """


@spec(HookKind.CONTRIBUTION, since="1.1")
def openregie_subject_export(person: Person) -> Iterable[SubjectExportSection]:
    """Contribute what this module holds about `person` to a subject-data export
    (inzageverzoek, AVG art. 15).

    Fires: when an authorised functional admin exports a person's data. Receives: the
    `Person`. Returns: `SubjectExportSection`s with JSON-compatible records (all the
    person's data the module holds, including data about them in shared records). If it
    raises: logged and dropped, and the export names the module as incomplete.
    """


@spec(HookKind.CONTRIBUTION, since="1.1")
def openregie_subject_erasure(person: Person, dry_run: bool) -> ErasureOutcome | None:
    """Erase or anonymise what this module holds about `person` (AVG art. 17), keeping
    what the law requires to be kept (retention periods) and saying so.

    Fires: when an authorised functional admin erases a person, in one transaction with
    core's own erasure; with `dry_run=True` first to show what would happen (change
    nothing then). Receives: the `Person` and the flag. Returns: an `ErasureOutcome` (or
    None when the module holds nothing about the person). If it raises: unlike other
    contributions, the whole erasure is rolled back and the error reported, so a person is
    never half erased.
    """


@spec(HookKind.CONTRIBUTION, since="1.2")
def openregie_portal_sections(actor: Actor, person: Person) -> Iterable[PortalSection]:
    """Fill the resident portal's page about `person` (Mijn Regie) with sections.

    Fires: when the portal renders a resident's page, after the portal has checked that
    `actor` (a resident) is `person` or may act for them (a legal representative).
    Receives: the acting resident and the `Person` whose data is shown. Returns:
    `PortalSection`s (shown by `order`, then title); their forms post to the contributing
    module's routes, which check the actor again. Show only what concerns `person` and
    record reads with `openregie_sdk.audit`. If it raises: logged with the module id and
    dropped; the portal page still renders. Example: the consent module's section lists
    the resident's consents with buttons to give or withdraw them.
    """


@spec(HookKind.CONTRIBUTION, since="1.2")
def openregie_resident_authenticators() -> Iterable[ResidentAuthenticator]:
    """Offer ways for residents to log in to the resident portal.

    Fires: when the portal shows its login page and when a resident starts or finishes a
    login (so at most a few times per login; keep it cheap). Receives: nothing. Returns:
    `ResidentAuthenticator`s (shown by `order`, then label); return none when not
    configured, and a test-only authenticator only outside production
    (`openregie_sdk.runtime.installation_mode()`). If it raises: logged with the module id
    and dropped; the other ways to log in still work. Example: the portal contributes
    "Inloggen met DigiD" (OIDC through a broker) and, in demo mode, a mock DigiD page.
    """


@spec(HookKind.CONTRIBUTION, since="1.2")
def openregie_allocation_panels(actor: Actor, allocation: AllocationSummary) -> Iterable[Panel]:
    """Fill the panel slot of an allocation (toekenning) on the case-management pages.

    Fires: when the casemanagement capability's provider renders an allocation — once per
    allocation on a case's allocations page and once on the page of a single allocation —
    after it has checked that `actor` may see the case. Receives: the current actor and a
    read-only `AllocationSummary` (law, product category, provider name and AGB code,
    status, dates; no amounts). Returns: `Panel`s (shown by `order`, then title), short:
    several allocations may each show them on one page. Check permissions yourself and
    return nothing the actor may not see; record reads of personal data with
    `openregie_sdk.audit`. If it raises: logged with the module id and dropped; the
    allocation page still renders. Example: a waiting-times module shows the provider's
    current waiting time for the product category.
    """
