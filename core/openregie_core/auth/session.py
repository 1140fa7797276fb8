"""Resolving the actor of a request from the signed session cookie, with an idle timeout."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app, g, session

from openregie_core.models import User
from openregie_sdk.db import utcnow


def start_session(user: User) -> None:
    session.clear()
    session.permanent = True
    session["user_id"] = str(user.id)
    session["seen"] = utcnow().timestamp()


def end_session() -> None:
    session.clear()


def load_actor() -> None:
    """before_request: put the actor in `g` (anonymous when not logged in or idle too long)."""
    user_id = session.get("user_id")
    if not user_id:
        return
    runtime = current_app.extensions["openregie"]
    idle = dt.timedelta(minutes=runtime.settings.session_idle_minutes)
    now = utcnow()
    seen = dt.datetime.fromtimestamp(session.get("seen", 0), dt.UTC)
    if now - seen > idle:
        session.clear()
        return
    try:
        user = runtime.session().get(User, uuid.UUID(user_id))
    except ValueError:
        user = None
    if user is None or not user.active:
        session.clear()
        return
    session["seen"] = now.timestamp()
    g.openregie_actor = runtime.actor_for_user(user)
