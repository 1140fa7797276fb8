"""Login attempts: the password and code checks with the lockout after repeated failures.

Five consecutive failed passwords or codes lock the account for fifteen minutes. Only a
completed login (or a correct code) resets the count: a correct password alone does not,
or someone who knows the password could try codes forever, four at a time.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import math

from sqlalchemy import update
from sqlalchemy.orm import Session

from openregie_core.auth import totp
from openregie_core.auth.passwords import verify_password
from openregie_core.models import User
from openregie_sdk.db import utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15

log = logging.getLogger("openregie.auth")


class Attempt(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without a zone; they are stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def locked_minutes(user: User, now: dt.datetime | None = None) -> int:
    """Whole minutes (rounded up) until the lock ends; 0 when the account is not locked."""
    if user.locked_until is None:
        return 0
    left = (_aware(user.locked_until) - (now or utcnow())).total_seconds()
    return max(0, math.ceil(left / 60))


def check_password(session: Session, user: User | None, password: str) -> Attempt:
    """The password step. The hash is always verified, so the answer takes as long for
    unknown, inactive and locked accounts; a locked account gets LOCKED whatever the
    password, so the answer says nothing about it."""
    right = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        return Attempt.WRONG
    if locked_minutes(user):
        return Attempt.LOCKED
    if not right:
        return record_failure(session, user)
    return Attempt.OK


def check_code(session: Session, user: User, secret: str, code: str) -> tuple[Attempt, int]:
    """A second-factor code against `secret` (the user's, or a new one being enrolled).
    Returns the outcome and, when OK, the accepted time step. A code of the user's own
    secret is claimed, so it cannot be used a second time."""
    if locked_minutes(user):
        return Attempt.LOCKED, 0
    step = totp.matching_step(secret, code)
    own = secret == user.totp_secret
    if step is None or (own and not totp.claim_step(session, user, step)):
        return record_failure(session, user), 0
    user.failed_logins = 0
    user.locked_until = None
    return Attempt.OK, step


def record_failure(session: Session, user: User) -> Attempt:
    """Count a failed attempt (in SQL, so parallel attempts all count); the fifth in a row
    locks the account and starts the count afresh. Commits."""
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user, ["failed_logins"])
    locked = user.failed_logins >= MAX_FAILURES
    if locked:
        user.failed_logins = 0
        user.locked_until = utcnow() + dt.timedelta(minutes=LOCK_MINUTES)
        log.warning("account %s locked after %d failed attempts", user.username, MAX_FAILURES)
    session.commit()
    return Attempt.LOCKED if locked else Attempt.WRONG


def record_login(user: User) -> dt.datetime | None:
    """A completed login: reset the count, note the time; returns the previous login time.
    The caller commits."""
    previous = user.last_login_at
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    return previous
