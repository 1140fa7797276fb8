"""Data-subject rights across core and the modules: export everything held about a person
(inzageverzoek, AVG art. 15) and erase it (AVG art. 17) where no law requires keeping it.

Core gathers its own data (the person, household memberships, legal representations, who
processed the data) and asks every loaded module through `openregie_subject_export` and
`openregie_subject_erasure`. Erasure runs in one transaction: a module that raises rolls
everything back, and core removes the person itself only when no module retained anything.
The audit log is never erased (it is itself a legal obligation); it records the export or
erasure like any other processing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openregie_core.audit import queries
from openregie_core.hooks.facade import Hooks
from openregie_sdk.audit import record
from openregie_sdk.contributions import ErasureOutcome
from openregie_sdk.registry import HouseholdMember, LegalRepresentation, Person

PERSON_FIELDS = (
    "id", "bsn", "voornamen", "voorvoegsel", "geslachtsnaam", "birth_date", "phone", "email",
    "street", "house_number", "house_number_suffix", "postcode", "city", "municipality_id",
)  # fmt: skip


class SubjectError(Exception):
    """The request cannot be carried out; the message says why."""


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def find_person(session: Session, *, person_id: str | None, bsn: str | None) -> Person:
    if bool(person_id) == bool(bsn):
        raise SubjectError("name the person with exactly one of --person or --bsn")
    if person_id:
        try:
            key = uuid.UUID(person_id)
        except ValueError:
            raise SubjectError(f"--person: {person_id!r} is not a UUID") from None
        person = session.get(Person, key)
    else:
        person = session.scalar(select(Person).where(Person.bsn == bsn))
    if person is None:
        raise SubjectError("no such person")
    return person


def export_subject(session: Session, hooks: Hooks, person: Person) -> dict[str, Any]:
    """Everything OpenRegie holds about `person`, as JSON-compatible data."""
    memberships = session.scalars(
        select(HouseholdMember).where(HouseholdMember.person_id == person.id)
    )
    representations = session.scalars(
        select(LegalRepresentation).where(
            or_(
                LegalRepresentation.representative_id == person.id,
                LegalRepresentation.represented_id == person.id,
            )
        )
    )
    sections, failed = hooks.subject_export(person)
    document = {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "person": {name: _plain(getattr(person, name)) for name in PERSON_FIELDS},
        "households": [
            {
                "household_id": str(m.household_id),
                "role": m.role,
                "start_on": _plain(m.start_on),
                "end_on": _plain(m.end_on),
            }
            for m in memberships
        ],
        "legal_representation": [
            {
                "representative_id": str(r.representative_id),
                "represented_id": str(r.represented_id),
                "kind": r.kind,
                "start_on": _plain(r.start_on),
                "end_on": _plain(r.end_on),
            }
            for r in representations
        ],
        "processing": [
            {name: _plain(value) for name, value in asdict(entry).items()}
            for entry in queries.accessed_by(session, person.id, limit=10_000)
        ],
        "modules": [
            {"module": module, "title": section.title, "records": section.records}
            for module, section in sections
        ],
        "incomplete_modules": failed,
    }
    record("export", "core.subject.export", "person", [person.id])
    return document


@dataclass
class ErasureReport:
    outcomes: list[tuple[str, ErasureOutcome]] = field(default_factory=list)
    person_removed: bool = False

    @property
    def retained(self) -> bool:
        return any(outcome.retained for _, outcome in self.outcomes)


def erase_subject(
    session: Session, hooks: Hooks, person: Person, *, dry_run: bool
) -> ErasureReport:
    """Ask every module to erase the person's data (or, with `dry_run`, to say what it
    would do); then remove the person from the registry when nothing was retained. Commits
    on success; rolls back everything when a module raises or the person is still
    referenced."""
    report = ErasureReport(outcomes=hooks.subject_erasure(person, dry_run))
    if dry_run:
        session.rollback()
        return report
    if not report.retained:
        session.execute(delete(HouseholdMember).where(HouseholdMember.person_id == person.id))
        session.execute(
            delete(LegalRepresentation).where(
                or_(
                    LegalRepresentation.representative_id == person.id,
                    LegalRepresentation.represented_id == person.id,
                )
            )
        )
        session.delete(person)
        report.person_removed = True
    record("delete", "core.subject.erase", "person", [person.id])
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise SubjectError(
            "the person is still referenced by a module that has no erasure handler; "
            "nothing was erased"
        ) from None
    return report
