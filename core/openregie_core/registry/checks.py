"""Checks of single registry fields. Each returns the normalised value or raises
`ValueError` with a message that reads well after the field name ("bsn: voldoet niet aan de
11-proef"). The pydantic inputs and the CSV importer both use these, so a value is accepted
or refused the same way whichever way it comes in. Messages are lazy Dutch message ids: they
are translated when shown, in the language of the request (English with `force_locale`)."""

from __future__ import annotations

import datetime as dt
import random
import re
from operator import mul

from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from openregie_core.i18n import LazyText as _l

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


# The 11-proef on the ASCII codes of nine digits: the weights 9..2 and -1 times (code - 48).
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_BSN_OFFSET = 48 * sum(_BSN_WEIGHTS)


def plain_bsn_or_none(value: str) -> str | None:
    """`value` when it is a BSN written as nine plain digits (the usual case, as a file
    holds it), else None: then `check_bsn` decides. Accepts exactly what `check_bsn` accepts
    and returns unchanged, without its cleaning (for imports of many rows)."""
    if (
        len(value) == 9
        and value.isdigit()
        and value.isascii()
        and value != "000000000"
        and (sum(map(mul, _BSN_WEIGHTS, value.encode())) - _BSN_OFFSET) % 11 == 0
    ):
        return value
    return None


def check_bsn(value: str) -> str:
    """A BSN: nine digits that pass the 11-proef (`stdnum.nl.bsn`). Spaces, dots and dashes
    are dropped; eight digits get back the leading zero a spreadsheet took off."""
    number = compact_bsn(value)
    if len(number) != 9 or not (number.isascii() and number.isdigit()):
        raise ValueError(_l("moet uit 9 cijfers bestaan"))
    if number == "000000000":
        raise ValueError(_l("is geen BSN"))
    if stdnum_bsn.checksum(number) != 0:
        raise ValueError(_l("voldoet niet aan de 11-proef (controlecijfer)"))
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


def plain_postcode_or_none(value: str) -> str | None:
    """The usual case of `check_postcode`, checked without stdnum's slower cleaning (exactly
    its rule): the normalised postcode, or None when `check_postcode` must decide."""
    compact = value.replace(" ", "").upper()
    if _POSTCODE.fullmatch(compact) and compact[4:] not in _UNUSED_LETTERS:
        return compact
    return None


def check_postcode(value: str) -> str:
    """A Dutch postcode (`stdnum.nl.postcode`), normalised to 1234AB."""
    compact = plain_postcode_or_none(value)
    if compact is not None:
        return compact
    try:
        return stdnum_postcode.validate(value).replace(" ", "")
    except ValidationError:
        raise ValueError(_l("geen Nederlandse postcode (zoals 1234 AB)")) from None


def birth_date_ok(value: dt.date, today: dt.date) -> bool:
    """Whether `check_birth_date` accepts `value` (on `today`)."""
    return EARLIEST_BIRTH_DATE <= value <= today


def check_birth_date(value: dt.date, today: dt.date | None = None) -> dt.date:
    if value > (today or dt.date.today()):
        raise ValueError(_l("ligt in de toekomst"))
    if value < EARLIEST_BIRTH_DATE:
        raise ValueError(_l("ligt voor %(date)s", date=EARLIEST_BIRTH_DATE.isoformat()))
    return value


def phone_or_none(value: str) -> str | None:
    """`check_phone` without the exception: the number, or None when it is refused."""
    number = value.translate(_PHONE_SEPARATORS)
    return number if _PHONE.fullmatch(number) else None


def check_phone(value: str) -> str:
    """A phone number of 10 to 15 digits, optionally starting with +; separators dropped."""
    number = phone_or_none(value)
    if number is None:
        raise ValueError(_l("geen telefoonnummer (10 tot 15 cijfers, zoals 06 12345678)"))
    return number


def email_or_none(value: str) -> str | None:
    """`check_email` without the exception: the address, or None when it is refused."""
    address = value.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        return None
    return address


def check_email(value: str) -> str:
    address = email_or_none(value)
    if address is None:
        raise ValueError(_l("geen e-mailadres"))
    return address


def check_cbs_code(value: str) -> str:
    code = value.strip().upper()
    if not _CBS_CODE.fullmatch(code):
        raise ValueError(_l("geen CBS-gemeentecode (zoals GM0262)"))
    return code


def check_agb_code(value: str) -> str:
    code = value.strip()
    if not _AGB_CODE.fullmatch(code):
        raise ValueError(_l("geen AGB-code (8 cijfers)"))
    return code


def check_text(value: str, *, max_length: int) -> str:
    """Text of 1 to `max_length` characters, surrounding spaces dropped (the rule the
    pydantic inputs apply with `StringConstraints`)."""
    text = value.strip()
    if not text:
        raise ValueError(_l("mag niet leeg zijn"))
    if len(text) > max_length:
        raise ValueError(_l("is langer dan %(max_length)s tekens", max_length=max_length))
    return text
