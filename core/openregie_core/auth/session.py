"""The login session in the signed cookie: a pending state between the password and the
second factor, then the logged-in state with a session version and an idle timeout; or a
resident's session (`resident_id`, started through `openregie_sdk.residents`), which
never coexists with a staff login: starting either clears the session.

Only the logged-in state holds `user_id`; `load_actor` reads nothing else, so a password
alone reaches no page. Each step clears the session first (no session fixation). On `/api/`
paths the cookie is ignored and the actor comes from a bearer token (see `tokens`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import abort, current_app, g, request, session
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from openregie_core.auth.tokens import actor_for_bearer
from openregie_core.models import User
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Person
from openregie_sdk.registry.representation import (
    Representation,
    acts_for_self,
    represented_by,
)

API_PREFIX = "/api/"
PENDING_MINUTES = 10


def _clear_session() -> None:
    """Forget everything of the session but the chosen language (a preference, not state
    of the login: it survives logging in and out)."""
    language = session.get("lang")
    session.clear()
    if language is not None:
        session["lang"] = language


def _runtime() -> Any:
    return current_app.extensions["openregie"]


# Built once: `Session.get` builds its SELECT again for every request's new session.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def _user(raw: object) -> User | None:
    try:
        user_id = uuid.UUID(str(raw))
    except ValueError:
        return None
    user = _runtime().session().scalar(_USER_BY_ID, {"user_id": user_id})
    return user if user is not None and user.active else None


def start_pending(user: User, next_url: str, enrol_secret: str | None = None) -> None:
    """The password was right: remember who is logging in, nothing more."""
    _clear_session()
    session["pending_user_id"] = str(user.id)
    session["pending_version"] = user.session_version
    session["pending_at"] = utcnow().timestamp()
    session["pending_next"] = next_url
    if enrol_secret is not None:
        session["enrol_secret"] = enrol_secret


def pending_user() -> User | None:
    """The user between password and code, while that state is fresh and still valid."""
    age = utcnow().timestamp() - session.get("pending_at", 0)
    if not session.get("pending_user_id") or age > PENDING_MINUTES * 60:
        return None
    user = _user(session["pending_user_id"])
    if user is None or session.get("pending_version") != user.session_version:
        return None
    return user


def start_session(user: User, previous_login: dt.datetime | None) -> str:
    """The second factor is done: log in. Returns where the user wanted to go."""
    next_url = session.get("pending_next") or ""
    _clear_session()
    session.permanent = True
    session["user_id"] = str(user.id)
    session["session_version"] = user.session_version
    session["seen"] = session["started"] = utcnow().timestamp()
    if previous_login is not None:
        session["previous_login"] = previous_login.timestamp()
    return next_url


def end_session() -> str | None:
    """Log out. Returns where a resident goes next (their portal's home), None for staff."""
    home = session.get("resident_home") if session.get("resident_id") else None
    _clear_session()
    return home


def end_all_sessions(user: User) -> None:
    """Log out everywhere: every cookie carrying the old session version stops working,
    this one included. Commits."""
    db = _runtime().session()
    db.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    db.refresh(user, ["session_version"])
    _clear_session()


def start_resident_session(
    person_id: uuid.UUID, method: str, idle_minutes: int, home: str = "/"
) -> None:
    """A resident authenticated (see `openregie_sdk.residents`): a fresh session holding
    only the person, the method, the idle timeout and on whose behalf they act (themselves
    when they may act alone, else nobody until they choose). ValueError for an unknown
    person (nothing is changed then)."""
    person = _runtime().session().get(Person, person_id)
    if person is None:
        raise ValueError(f"no person {person_id}")
    _clear_session()
    session.permanent = True
    session["resident_id"] = str(person_id)
    session["resident_method"] = method
    session["resident_idle"] = int(idle_minutes)
    session["resident_home"] = home
    session["seen"] = session["started"] = utcnow().timestamp()
    acting = person_id if acts_for_self(person, dt.date.today()) else None
    if acting is not None:
        session["resident_for"] = str(acting)
    # The rest of this request already runs as the resident (its audit records say so).
    g.openregie_actor = _runtime().actor_for_resident(person, acting)


def set_resident_acting_for(person_id: uuid.UUID) -> Representation | None:
    """Switch on whose behalf the signed-in resident acts, when the rules allow it."""
    resident = _uuid(session.get("resident_id"))
    if resident is None:
        return None
    representation = _acting_as(resident, person_id)
    if representation is not None:
        session["resident_for"] = str(person_id)
        person = _runtime().session().get(Person, resident)
        g.openregie_actor = _runtime().actor_for_resident(person, person_id)
    return representation


def resident_representations() -> list[Representation]:
    resident = _uuid(session.get("resident_id"))
    if resident is None:
        return []
    return _represented_today(resident)


_REPRESENTATIONS = "openregie.representations"


def _represented_today(resident: uuid.UUID) -> list[Representation]:
    """`represented_by` today, asked once per request: the actor's check, the portal's
    guard and its "acting for" switch all need it. Kept in the request's WSGI environ (not
    `g`, which a test's app context may share between requests)."""
    key = (resident, dt.date.today())
    cached = request.environ.get(_REPRESENTATIONS)
    if cached is None or cached[0] != key:
        cached = (key, represented_by(_runtime().session(), resident, key[1]))
        request.environ[_REPRESENTATIONS] = cached
    return list(cached[1])


def _acting_as(resident: uuid.UUID, person_id: uuid.UUID) -> Representation | None:
    """How the resident may act for `person_id` today (`may_act_for`), or None."""
    return next((r for r in _represented_today(resident) if r.person_id == person_id), None)


def _uuid(raw: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


def _past_lifetime(now: dt.datetime) -> bool:
    """Whether the session has outlived `session_max_hours` since its login, however
    active it was (a copied cookie stops working too). A session from before this rule
    counts from now."""
    started = dt.datetime.fromtimestamp(session.setdefault("started", now.timestamp()), dt.UTC)
    return now - started > dt.timedelta(hours=_runtime().settings.session_max_hours)


def _load_resident() -> None:
    """The resident actor, unless idle too long or the person is gone; on whose behalf
    is checked again on every request (a representation may have ended)."""
    idle = dt.timedelta(minutes=int(session.get("resident_idle", 15)))
    now = utcnow()
    seen = dt.datetime.fromtimestamp(session.get("seen", 0), dt.UTC)
    person_id = _uuid(session.get("resident_id"))
    db = _runtime().session()
    fresh = now - seen <= idle and not _past_lifetime(now)
    person = db.get(Person, person_id) if person_id and fresh else None
    if person is None:
        _clear_session()
        return
    session["seen"] = now.timestamp()
    acting = _uuid(session.get("resident_for"))
    if acting is not None and _acting_as(person.id, acting) is None:
        # The representation ended: back to the resident themselves, when they may.
        acting = person.id if acts_for_self(person, dt.date.today()) else None
        if acting is None:
            session.pop("resident_for", None)
        else:
            session["resident_for"] = str(acting)
    g.openregie_actor = _runtime().actor_for_resident(person, acting)


def load_actor() -> None:
    """before_request: put the actor in `g` (anonymous when not logged in, idle too long
    or logged out everywhere since)."""
    if request.path.startswith(API_PREFIX):
        _load_api_actor()
        return
    if session.get("resident_id"):
        _load_resident()
        return
    user_id = session.get("user_id")
    if not user_id:
        return
    idle = dt.timedelta(minutes=_runtime().settings.session_idle_minutes)
    now = utcnow()
    seen = dt.datetime.fromtimestamp(session.get("seen", 0), dt.UTC)
    user = None if now - seen > idle or _past_lifetime(now) else _user(user_id)
    if user is None or session.get("session_version") != user.session_version:
        _clear_session()
        return
    session["seen"] = now.timestamp()
    g.openregie_actor = _runtime().actor_for_user(user)


def _load_api_actor() -> None:
    header = request.headers.get("Authorization")
    if header is None:
        return  # anonymous: routes that need a permission answer 401
    runtime = _runtime()
    actor = actor_for_bearer(runtime.session(), header, runtime.actor_for_user)
    if actor is None:
        abort(401, description=_("De API-token ontbreekt, is ongeldig, ingetrokken of verlopen."))
    g.openregie_actor = actor
