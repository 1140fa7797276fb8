"""Person search: one SQL statement that always ANDs the caller's visibility predicate
(`authz.persons.person_visibility`), so search never shows more than detail allows.

Each criterion is served by an index: the unique BSN, the birth date, postcode plus house
number, and a prefix of `search_name` (PostgreSQL: `LIKE 'abc%'` on a `varchar_pattern_ops`
index, which works under any collation; SQLite: a range on its binary-ordered index).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from openregie_core.registry.checks import compact_bsn
from openregie_core.registry.names import search_name_prefixes
from openregie_sdk.registry import Person

MAX_LIMIT = 1000
# Sorts after every character, so [prefix, prefix + _TOP) holds exactly the strings that
# start with prefix under a binary (code point) ordering.
_TOP = "\U0010ffff"


def search_persons(
    session: Session,
    visibility_predicate: ColumnElement[bool],
    *,
    bsn: str | None = None,
    name_prefix: str | None = None,
    birth_date: dt.date | None = None,
    postcode: str | None = None,
    house_number: int | None = None,
    limit: int = 25,
    offset: int = 0,
) -> list[Person]:
    """Visible persons matching every given criterion, ordered by name. The BSN matches
    exactly, the name on the start of the geslachtsnaam (case and accents ignored; a leading
    voorvoegsel such as "van der" may be typed), the postcode in any spelling."""
    statement = search_statement(
        session.get_bind().dialect.name,
        visibility_predicate,
        bsn=bsn,
        name_prefix=name_prefix,
        birth_date=birth_date,
        postcode=postcode,
        house_number=house_number,
        limit=limit,
        offset=offset,
    )
    return list(session.scalars(statement))


def search_statement(
    dialect: str,
    visibility_predicate: ColumnElement[bool],
    *,
    bsn: str | None = None,
    name_prefix: str | None = None,
    birth_date: dt.date | None = None,
    postcode: str | None = None,
    house_number: int | None = None,
    limit: int = 25,
    offset: int = 0,
) -> Select[tuple[Person]]:
    """The one SELECT behind `search_persons`, for a database `dialect` name."""
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError(f"limit must be 1-{MAX_LIMIT} and offset at least 0")
    criteria: list[ColumnElement[bool]] = [visibility_predicate]
    if bsn is not None:
        number = compact_bsn(bsn)
        valid = len(number) == 9 and number.isascii() and number.isdigit()
        criteria.append(Person.bsn == number if valid else false())
    if name_prefix is not None:
        prefixes = search_name_prefixes(name_prefix)
        if prefixes:
            criteria.append(or_(*(_starts_with(dialect, prefix) for prefix in prefixes)))
    if birth_date is not None:
        criteria.append(Person.birth_date == birth_date)
    if postcode is not None:
        criteria.append(Person.postcode == "".join(postcode.split()).upper())
    if house_number is not None:
        criteria.append(Person.house_number == house_number)
    return (
        select(Person)
        .where(*criteria)
        .order_by(Person.search_name, Person.voornamen, Person.birth_date, Person.id)
        .limit(limit)
        .offset(offset)
    )


def _starts_with(dialect: str, prefix: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return Person.search_name.like(escaped + "%", escape="\\")
    return and_(Person.search_name >= prefix, Person.search_name < prefix + _TOP)
