"""The data subject's rights for consent (AVG art. 15 and 17).

Export: every version of every consent about the person, the statements they made for
someone they represent, and the overrides concerning them.

Erasure: consent records and overrides are kept. They are the controller's evidence that
sharing had a lawful basis, or was broken through for a stated reason (AVG art. 5(2) and
7(1)), and they hold no more than who agreed to what, when; erasing them would make the
processing they justified unverifiable. They are retained as long as the case data they
concern (the Jeugdwet's 20 years at most) and removed with that data by the retention
purge; the outcome names them as retained with this reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, select

from openregie_consent.models import ConsentOverride, ConsentRecord
from openregie_consent.services.common import purpose_label
from openregie_sdk import db_session, hookimpl
from openregie_sdk.contributions import ErasureOutcome, SubjectExportSection
from openregie_sdk.registry import Person

RETENTION_REASON = (
    "Toestemmingen en doorbrekingen zijn het bewijs van een rechtmatige grondslag voor het "
    "delen (AVG art. 5 lid 2 en art. 7 lid 1); ze worden bewaard zolang de gegevens "
    "waarop ze betrekking hebben."
)


def _moment(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _records(person: Person) -> tuple[list[ConsentRecord], list[ConsentRecord]]:
    session = db_session()
    own = list(
        session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.subject_id == person.id)
            .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
        )
    )
    # JSON containment differs per database: a text match on the id narrows the rows in
    # the database, and the exact check is made here.
    spoken = [
        row
        for row in session.scalars(
            select(ConsentRecord)
            .where(
                ConsentRecord.subject_id != person.id,
                cast(ConsentRecord.given_by, String).like(f"%{person.id}%"),
            )
            .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
        )
        if str(person.id) in (row.given_by or [])
    ]
    return own, spoken


def _overrides(person: Person) -> list[ConsentOverride]:
    return list(
        db_session().scalars(
            select(ConsentOverride)
            .where(ConsentOverride.subject_id == person.id)
            .order_by(ConsentOverride.valid_from)
        )
    )


def _record(row: ConsentRecord) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "subject_id": str(row.subject_id),
        "purpose": row.purpose,
        "purpose_label": purpose_label(row.purpose),
        "recipient_kind": row.recipient_kind,
        "recipient": row.recipient_name,
        "data_categories": list(row.data_categories or []),
        "legal_basis": row.legal_basis,
        "special_category_exception": row.special_category_exception,
        "status": row.status,
        "valid_from": _moment(row.valid_from),
        "valid_until": _moment(row.valid_until),
        "obtained": row.obtained,
        "given_by": list(row.given_by or []),
        "note": row.note,
        "evidence": row.evidence_filename,
        "recorded_at": _moment(row.recorded_at),
        "recorded_by": row.recorded_by_name,
    }


@hookimpl
def openregie_subject_export(person: Person) -> list[SubjectExportSection]:
    own, spoken = _records(person)
    overrides = _overrides(person)
    sections = [SubjectExportSection(title="Toestemmingen", records=[_record(r) for r in own])]
    if spoken:
        sections.append(
            SubjectExportSection(
                title="Toestemmingen gegeven als vertegenwoordiger",
                records=[_record(r) for r in spoken],
            )
        )
    if overrides:
        sections.append(
            SubjectExportSection(
                title="Doorbrekingen van toestemming",
                records=[
                    {
                        "id": str(o.id),
                        "by": o.user_name,
                        "reason": o.reason,
                        "valid_from": _moment(o.valid_from),
                        "valid_until": _moment(o.valid_until),
                        "reviewed_at": _moment(o.reviewed_at),
                    }
                    for o in overrides
                ],
            )
        )
    return sections


@hookimpl
def openregie_subject_erasure(person: Person, dry_run: bool) -> ErasureOutcome | None:
    own, spoken = _records(person)
    kept = len(own) + len(spoken) + len(_overrides(person))
    if not kept:
        return None
    return ErasureOutcome(erased=0, retained=kept, reasons=[RETENTION_REASON])
