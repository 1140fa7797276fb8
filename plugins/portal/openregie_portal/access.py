"""Who the resident is acting for, and the guard every resident page uses.

A resident page needs the permission `portal.use` (held only by resident actors) and a
person on whose behalf the resident acts (`actor.on_behalf_of`, switched with
`openregie_sdk.residents.act_for`). What the representation covers decides which pages
open (`openregie_sdk.registry.representation`: a bewindvoerder sees no care plan). A case
is reachable only when it concerns that person; anything else is 404, as if absent.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from openregie_sdk import ActorKind, capability, current_actor, db_session, requires, residents
from openregie_sdk.actors import Actor
from openregie_sdk.capabilities.casemanagement import CaseManagement, CaseSummary
from openregie_sdk.registry import Person
from openregie_sdk.registry.representation import Representation
from openregie_sdk.runtime import rate_limited

USE = "portal.use"
F = TypeVar("F", bound=Callable[..., Any])


def resident_page(view: F) -> F:
    """Guard a resident page: anonymous visitors go to the portal's login page, staff get
    403, a resident without a chosen person goes to the choice page."""
    guarded = requires(USE)(view)

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        actor = current_actor()
        if actor.kind is not ActorKind.RESIDENT:
            if actor.is_authenticated:
                abort(403)
            return redirect(url_for("portal.login", next=request.full_path.rstrip("?")))
        if actor.on_behalf_of is None and request.endpoint != "portal.choose":
            return redirect(url_for("portal.choose"))
        return guarded(*args, **kwargs)

    wrapper.openregie_permission = USE  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def too_many(scope: str, limit: str, key: str) -> Any | None:
    """A 429 page when this attempt at `scope` by `key` is over `limit`, else None."""
    if not rate_limited(scope, limit, key):
        return None
    message = _("U hebt het te vaak geprobeerd. Wacht even en probeer het opnieuw.")
    return render_template("portal/too_many.html", message=message), 429


def cases_api() -> CaseManagement:
    provider = capability("casemanagement")
    if provider is None:  # the manifest requires it; only a broken installation lacks it
        abort(503)
    return provider


@dataclass(frozen=True, slots=True)
class Acting:
    """The signed-in resident, the person they act for and how."""

    actor: Actor
    person: Person
    representation: Representation

    @property
    def is_self(self) -> bool:
        return self.person.id == self.actor.id


def acting(domain: str | None = None) -> Acting:
    """The person the resident acts for, checked again; 403 when the representation does
    not cover `domain` (one of `representation.DOMAINS`)."""
    actor = current_actor()
    if actor.kind is not ActorKind.RESIDENT or actor.id is None or actor.on_behalf_of is None:
        abort(403)
    representation = next(
        (r for r in residents.representations() if r.person_id == actor.on_behalf_of), None
    )
    person = db_session().get(Person, actor.on_behalf_of)
    if representation is None or person is None:
        abort(404)
    if domain is not None and not representation.allows(domain):
        abort(
            403, description=_("Uw rol als vertegenwoordiger geeft geen toegang tot deze gegevens.")
        )
    return Acting(actor, person, representation)


def case_of(who: Acting, case_id: uuid.UUID) -> CaseSummary:
    """The case `case_id` when it concerns the person acted for; 404 otherwise."""
    for case in cases_api().cases_of_person(who.person.id):
        if case.id == case_id:
            return case
    abort(404)
