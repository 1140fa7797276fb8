"""Resident identity (since 1.2): how a module signs a resident in and out, and switches on
whose behalf they act.

Core keeps the resident's session in the signed session cookie, apart from staff logins:

- `sign_in(person_id, method)` starts a fresh session (everything of the previous one is
  cleared first: no session fixation, never a staff login and a resident login at once);
  from then on (the rest of this request included), `current_actor()` is an `Actor` of
  kind `RESIDENT` with `id` = the person, `roles` = {`RESIDENT_ROLE`} and only the
  permissions modules declare for that role (`Permission(default_roles=("resident",))`),
  never a staff permission.
- `actor.on_behalf_of` is the person whose data the resident is acting on: themselves after
  signing in (or, for a child under 12 who may not act alone, nobody until they choose),
  else the person chosen with `act_for`. Every audit record of the request carries it.
- The session ends after `idle_minutes` without a request (the portal passes its setting,
  15 minutes by default), at `sign_out()`, and when the representation no longer holds
  (then `on_behalf_of` falls back to the resident themselves).

Call these inside a request; they raise RuntimeError outside an application.
"""

from __future__ import annotations

import uuid

from openregie_sdk.contributions import ResidentAuthenticator
from openregie_sdk.registry.representation import Representation
from openregie_sdk.runtime import runtime

RESIDENT_ROLE = "resident"
"""The pseudo-role of every resident actor: list it in a permission's `default_roles` to
let residents hold it. It is no staff role and cannot be assigned to users."""

DEFAULT_IDLE_MINUTES = 15


class NotRepresented(Exception):
    """The signed-in resident may not act for that person (today)."""


def sign_in(
    person_id: uuid.UUID,
    method: str,
    *,
    idle_minutes: int = DEFAULT_IDLE_MINUTES,
    home: str = "/",
) -> None:
    """Sign the resident `person_id` in, authenticated by `method` (the authenticator id,
    e.g. "digid"); clears the session first. `home` (a path on this site) is where core's
    logout button sends the resident afterwards. The resident is the current actor at once (the
    rest of the request, its audit records included); the caller redirects."""
    if not 1 <= idle_minutes <= 24 * 60:
        raise ValueError("idle_minutes must be between 1 and 1440")
    if not home.startswith("/") or home.startswith("//"):
        raise ValueError("home must be a path on this site")
    runtime().resident_sign_in(person_id, method, idle_minutes, home)


def sign_out() -> None:
    """End the resident's session (the whole session cookie is cleared)."""
    runtime().resident_sign_out()


def act_for(person_id: uuid.UUID) -> Representation:
    """Act on behalf of `person_id` from now on (the resident themselves, or a
    person they may represent under `openregie_sdk.registry.representation`). Raises
    `NotRepresented` otherwise, or when no resident is signed in."""
    representation = runtime().resident_act_for(person_id)
    if representation is None:
        raise NotRepresented(str(person_id))
    return representation


def representations() -> list[Representation]:
    """Everyone the signed-in resident may act for today, themselves first ([] when no
    resident is signed in)."""
    return runtime().resident_representations()


def authenticators() -> list[ResidentAuthenticator]:
    """The ways residents may log in (hook `openregie_resident_authenticators`), by order
    then label; test-only ones are left out in production whatever their module says."""
    found = runtime().resident_authenticators()
    if runtime().installation_mode() == "production":
        found = [a for a in found if not a.test_only]
    return found


def sign_in_method() -> str | None:
    """The authenticator id the resident signed in with, or None."""
    return runtime().resident_method()
