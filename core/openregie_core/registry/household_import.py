"""CSV import of households and their members (`openregie import households`).

One row per member period: the household's key in the source system, its name, the
member's BSN, role, start and (optional) end date. Members must exist as persons, in the
database or imported earlier in the same transaction. A household's id is derived from its
key and a member period's id from key, BSN and start date, so importing the same file again
changes nothing and a changed row (a new end date, another role) updates that period.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from openregie_core.registry import checks
from openregie_core.registry.csvfile import (
    CsvTable,
    ImportResult,
    Progress,
    RowProblem,
    parse_date,
    read_csv,
)
from openregie_sdk.registry import HOUSEHOLD_ROLES, Household, HouseholdMember, Person

HOUSEHOLD_COLUMNS: dict[str, tuple[str, ...]] = {
    "household": ("huishouden", "household_key", "huishoudcode"),
    "household_name": ("naam", "huishouden_naam", "naam_huishouden"),
    "bsn": ("burgerservicenummer",),
    "role": ("rol",),
    "start_on": ("begindatum", "startdatum", "start_date"),
    "end_on": ("einddatum", "end_date"),
}
REQUIRED = {"household", "bsn", "role", "start_on"}
ALIASES = {a: c for c, spellings in HOUSEHOLD_COLUMNS.items() for a in (c, *spellings)}
ROLE_ALIASES = {"ouder": "parent", "kind": "child", "verzorger": "carer", "overig": "other"}
# Fixed, so the same key always names the same household in every installation.
KEY_NAMESPACE = uuid.UUID("6f1d3c52-8a4e-4f0b-9a57-3e2d1c0b9a88")


@dataclass(frozen=True)
class _Member:
    row: int
    key: str
    name: str | None
    bsn: str
    role: str
    start_on: dt.date
    end_on: dt.date | None

    @property
    def household_id(self) -> uuid.UUID:
        return household_id_for(self.key)

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(KEY_NAMESPACE, f"member\x1f{self.key}\x1f{self.bsn}\x1f{self.start_on}")


def household_id_for(key: str) -> uuid.UUID:
    """The id of the household a source system calls `key`."""
    return uuid.uuid5(KEY_NAMESPACE, f"household\x1f{key}")


def _overlap(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> bool:
    return (b[1] is None or a[0] < b[1]) and (a[1] is None or b[0] < a[1])


def import_households(
    session: Session, data: bytes, *, progress: Progress | None = None, dry_run: bool = False
) -> ImportResult:
    """Check every row of a households file, then (unless a row is refused or `dry_run`)
    create or update households and member periods. The caller commits."""
    progress = progress or Progress()
    table, problems = read_csv(data, ALIASES, REQUIRED)
    if table is None:
        return ImportResult(problems=problems)
    progress.stage("Checking rows", len(table.rows))
    members: list[_Member] = []
    for number, values in table.rows:
        checked = _check_row(table, number, table.fields(values))
        if isinstance(checked, list):
            problems.extend(checked)
        else:
            members.append(checked)
    progress.advance(len(table.rows))
    names = _names(table, members, problems)
    persons = _person_ids(session, table, members, problems)
    existing = _existing_members(session, {m.household_id for m in members})
    _refuse_overlaps(table, members, existing, persons, problems)
    stored = _stored_names(session, {m.household_id for m in members})
    for key, row in {m.key: m.row for m in reversed(members)}.items():
        if key not in names and household_id_for(key) not in stored:
            problems.append(RowProblem(row, table.name("household_name"), f"no row names {key}"))
    problems.sort(key=lambda problem: problem.row)
    result = ImportResult(rows=len(table.rows), problems=problems)
    if problems or dry_run:
        return result
    progress.stage("Writing", len(members))
    result.households = _write_households(session, names, stored)
    rows = [
        {"id": m.id, "household_id": m.household_id, "person_id": persons[m.bsn],
         "role": m.role, "start_on": m.start_on, "end_on": m.end_on}
        for m in members
    ]  # fmt: skip
    new = [row for row in rows if row["id"] not in existing]
    changed = [
        row
        for row in rows
        if row["id"] in existing and existing[row["id"]][3:] != (row["role"], row["end_on"])
    ]
    _write(session, HouseholdMember.__table__, new, changed, ("role", "end_on"))
    progress.advance(len(members))
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(rows) - len(new) - len(changed)
    # A new or changed membership changes those persons' registry data (for the audit log).
    result.updated_ids = sorted({row["person_id"] for row in [*new, *changed]})
    return result


def _check_row(table: CsvTable, number: int, values: dict[str, str]) -> _Member | list[RowProblem]:
    problems: list[RowProblem] = []
    checked: dict[str, Any] = {}

    def check(column: str, rule: Any, required: bool = True) -> None:
        value = values.get(column, "")
        if not value:
            if required:
                problems.append(RowProblem(number, table.name(column), "is required"))
            checked[column] = None
            return
        try:
            checked[column] = rule(value)
        except ValueError as exc:
            problems.append(RowProblem(number, table.name(column), str(exc)))

    check("household", lambda v: checks.check_text(v, max_length=100))
    check("household_name", lambda v: checks.check_text(v, max_length=200), required=False)
    check("bsn", checks.check_bsn)
    check("role", _role)
    check("start_on", parse_date)
    check("end_on", parse_date, required=False)
    start, end = checked.get("start_on"), checked.get("end_on")
    if start and end and end <= start:
        problems.append(RowProblem(number, table.name("end_on"), "must lie after start_on"))
    if problems:
        return problems
    return _Member(
        number, checked["household"], checked["household_name"], checked["bsn"],
        checked["role"], checked["start_on"], checked["end_on"],
    )  # fmt: skip


def _role(value: str) -> str:
    role = ROLE_ALIASES.get(value.lower(), value.lower())
    if role not in HOUSEHOLD_ROLES:
        raise ValueError(f"must be one of {', '.join(HOUSEHOLD_ROLES)} (or ouder, kind, ...)")
    return role


def _names(table: CsvTable, members: list[_Member], problems: list[RowProblem]) -> dict[str, str]:
    """The names the file gives households; all rows that name one must agree."""
    names: dict[str, tuple[str, int]] = {}
    for member in members:
        if member.name is None:
            continue
        first = names.setdefault(member.key, (member.name, member.row))
        if first[0] != member.name:
            problems.append(
                RowProblem(member.row, table.name("household_name"), f"differs from row {first[1]}")
            )
    return {key: name for key, (name, _) in names.items()}


def _person_ids(
    session: Session, table: CsvTable, members: list[_Member], problems: list[RowProblem]
) -> dict[str, uuid.UUID]:
    bsns = sorted({m.bsn for m in members})
    found: dict[str, uuid.UUID] = {}
    for start in range(0, len(bsns), 1000):
        chunk = bsns[start : start + 1000]
        found.update(
            session.execute(select(Person.bsn, Person.id).where(Person.bsn.in_(chunk))).all()
        )
    for member in members:
        if member.bsn not in found:
            problems.append(
                RowProblem(
                    member.row, table.name("bsn"), "no person with this BSN; import them first"
                )
            )
    return found


def _existing_members(session: Session, household_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple]:
    """id -> (household id, person id, start, role, end) of the members already stored."""
    table = HouseholdMember.__table__
    statement = select(
        table.c.id, table.c.household_id, table.c.person_id, table.c.start_on,
        table.c.role, table.c.end_on,
    ).where(table.c.household_id.in_(household_ids))  # fmt: skip
    return {row[0]: tuple(row[1:]) for row in session.execute(statement)}


def _refuse_overlaps(
    table: CsvTable,
    members: list[_Member],
    existing: dict[uuid.UUID, tuple],
    persons: dict[str, uuid.UUID],
    problems: list[RowProblem],
) -> None:
    """Within one household a person's periods must not overlap (in the file or stored)."""
    periods: dict[tuple[uuid.UUID, Any], list[tuple[tuple, str]]] = defaultdict(list)
    imported = {m.id for m in members}
    for member_id, (household, person, start, _role, end) in existing.items():
        if member_id not in imported:
            periods[(household, person)].append(((start, end), "a stored period"))
    for member in members:
        person = persons.get(member.bsn, member.bsn)
        own = periods[(member.household_id, person)]
        period = (member.start_on, member.end_on)
        clash = next((where for other, where in own if _overlap(period, other)), None)
        if clash:
            problems.append(RowProblem(member.row, table.name("start_on"), f"overlaps {clash}"))
        own.append((period, f"row {member.row}"))


def _stored_names(session: Session, household_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    table = Household.__table__
    statement = select(table.c.id, table.c.name).where(table.c.id.in_(household_ids))
    return dict(session.execute(statement).all())


def _write_households(session: Session, names: dict[str, str], stored: dict[uuid.UUID, str]) -> int:
    """Create the new households and rename those whose name changed; returns how many
    were created."""
    table = Household.__table__
    wanted = {household_id_for(key): name for key, name in names.items()}
    now = dt.datetime.now(dt.UTC)
    new = [{"id": i, "name": n, "created_at": now} for i, n in wanted.items() if i not in stored]
    changed = [{"id": i, "name": n} for i, n in wanted.items() if i in stored and stored[i] != n]
    _write(session, table, new, changed, ("name",))
    return len(new)


def _write(
    session: Session, table: Table, new: list[dict], changed: list[dict], columns: tuple[str, ...]
) -> None:
    """executemany inserts of `new` and updates (by id) of `columns` of `changed`."""
    if new:
        session.execute(insert(table), new)
    if changed:
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({c: bindparam(f"new_{c}") for c in columns})
        )
        session.execute(
            statement,
            [{"row_id": r["id"], **{f"new_{c}": r[c] for c in columns}} for r in changed],
        )
