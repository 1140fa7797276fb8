"""The second factor: TOTP codes (RFC 6238, 30-second steps, 6 digits), enrolment QR codes
and the replay guard (a time step is accepted at most once per user)."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from openregie_core.config import Settings
from openregie_core.models import User
from openregie_sdk.db import utcnow

ISSUER = "OpenRegie"
STEP_SECONDS = 30
# A code of the previous or the next step is accepted too (clock drift, typing time).
WINDOW = 1


class FixedSecretRefused(Exception):
    """A known (documented) secret may only be set in demo, development and test mode."""


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226 recommends at least 128)."""
    return pyotp.random_base32(length=32)


def current_step(at: float | None = None) -> int:
    return int(time.time() if at is None else at) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).generate_otp(step)


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step within the window whose code is `code`, or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    now = current_step(at)
    for step in (now, now - WINDOW, now + WINDOW):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def claim_step(session: Session, user: User, step: int) -> bool:
    """Record `step` as used by `user` unless it (or a later one) was used already. One
    conditional UPDATE, so two requests racing with the same code cannot both win."""
    result = session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def enrol(user: User, secret: str, step: int) -> None:
    """Make `secret` the user's confirmed second factor; `step` is the code that confirmed
    it (a fresh secret has no history, so it becomes the last used step)."""
    user.totp_secret = secret
    user.totp_confirmed_at = utcnow()
    user.totp_last_step = step


def assign_known_secret(user: User, secret: str, settings: Settings) -> None:
    """Give `user` a fixed, confirmed secret (the documented demo secret). Raises
    `FixedSecretRefused` outside demo, development and test mode: a secret that is
    written down somewhere is no second factor."""
    if not settings.is_development:
        raise FixedSecretRefused(
            "a fixed second-factor secret is only allowed in demo, development and test mode"
        )
    if user.totp_secret != secret:
        user.totp_last_step = None
    user.totp_secret = secret
    user.totp_confirmed_at = user.totp_confirmed_at or utcnow()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI authenticator apps read from the QR code."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data URI (the page's CSP allows `data:` images)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def is_enrolled(user: User) -> bool:
    return bool(user.totp_secret) and user.totp_confirmed_at is not None
