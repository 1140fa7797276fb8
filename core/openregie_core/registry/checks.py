"""Checks of single registry fields. Each returns the normalised value or raises
`ValueError` with a message that reads well after the field name ("bsn: fails the
11-proef"). The pydantic inputs and the CSV importer both use these, so a value is accepted
or refused the same way whichever way it comes in."""

from __future__ import annotations

import datetime as dt
import random
import re

from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
MAX_HOUSE_NUMBER = 99999

_BSN_SEPARATORS = str.maketrans("", "", " .-")
_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")
_UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})  # PostNL does not use these
_CBS_CODE = re.compile(r"GM[0-9]{4}")
_AGB_CODE = re.compile(r"[0-9]{8}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE_SEPARATORS = str.maketrans("", "", " -.()/")
_PHONE = re.compile(r"\+?[0-9]{10,15}")


def check_bsn(value: str) -> str:
    """A BSN: nine digits that pass the 11-proef (`stdnum.nl.bsn`). Spaces, dots and dashes
    are dropped; eight digits get back the leading zero a spreadsheet took off."""
    number = compact_bsn(value)
    if len(number) != 9 or not (number.isascii() and number.isdigit()):
        raise ValueError("must be 9 digits")
    if number == "000000000":
        raise ValueError("is not a BSN")
    if stdnum_bsn.checksum(number) != 0:
        raise ValueError("fails the 11-proef (check digit)")
    return number


def compact_bsn(value: str) -> str:
    """Without spaces, dots and dashes; eight digits get back their leading zero."""
    number = value.strip().translate(_BSN_SEPARATORS)
    return "0" + number if len(number) == 8 else number


def is_valid_bsn(value: str) -> bool:
    try:
        check_bsn(value)
    except ValueError:
        return False
    return True


def random_bsn(rng: random.Random, prefix: str = "99") -> str:
    """A random number that passes the 11-proef, for demo and benchmark data. The default
    prefix 99 keeps them recognisable as test numbers (the BRP's test persons have 9999...)."""
    while True:
        digits = prefix + "".join(str(rng.randrange(10)) for _ in range(8 - len(prefix)))
        check = sum((9 - i) * int(d) for i, d in enumerate(digits)) % 11
        if check < 10:
            return digits + str(check)


def check_postcode(value: str) -> str:
    """A Dutch postcode (`stdnum.nl.postcode`), normalised to 1234AB."""
    compact = value.replace(" ", "").upper()
    # The usual case, checked without stdnum's slower cleaning: exactly its rule.
    if _POSTCODE.fullmatch(compact) and compact[4:] not in _UNUSED_LETTERS:
        return compact
    try:
        return stdnum_postcode.validate(value).replace(" ", "")
    except ValidationError:
        raise ValueError("not a Dutch postcode (like 1234 AB)") from None


def check_birth_date(value: dt.date, today: dt.date | None = None) -> dt.date:
    if value > (today or dt.date.today()):
        raise ValueError("lies in the future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValueError(f"lies before {EARLIEST_BIRTH_DATE.isoformat()}")
    return value


def check_phone(value: str) -> str:
    """A phone number of 10 to 15 digits, optionally starting with +; separators dropped."""
    number = value.translate(_PHONE_SEPARATORS)
    if not _PHONE.fullmatch(number):
        raise ValueError("not a phone number (10 to 15 digits, like 06 12345678)")
    return number


def check_email(value: str) -> str:
    address = value.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise ValueError("not an e-mail address")
    return address


def check_cbs_code(value: str) -> str:
    code = value.strip().upper()
    if not _CBS_CODE.fullmatch(code):
        raise ValueError("not a CBS municipality code (like GM0262)")
    return code


def check_agb_code(value: str) -> str:
    code = value.strip()
    if not _AGB_CODE.fullmatch(code):
        raise ValueError("not an AGB code (8 digits)")
    return code


def check_text(value: str, *, max_length: int) -> str:
    """Text of 1 to `max_length` characters, surrounding spaces dropped (the rule the
    pydantic inputs apply with `StringConstraints`)."""
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    if len(text) > max_length:
        raise ValueError(f"is longer than {max_length} characters")
    return text
