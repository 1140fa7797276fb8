"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY = _hasher.hash("openregie-timing-equaliser")

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return gettext("een wachtwoord heeft minstens %(num)d tekens", num=MIN_LENGTH)
    if password.strip() != password:
        return gettext("een wachtwoord begint of eindigt niet met een spatie")
    return None
