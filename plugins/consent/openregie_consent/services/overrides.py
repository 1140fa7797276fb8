"""Overrides (doorbreken): access without consent for a mandatory reason and a limited
time, audited per subject and flagged for review by the team lead of the case's team."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection

from sqlalchemy import select

from openregie_consent.models import ConsentOverride
from openregie_consent.services.common import MODULE, OVERRIDE, REVIEW, settings
from openregie_sdk import Actor, ActorKind, audit, db_session
from openregie_sdk.capabilities.consent import NotFound, OverrideView, Refused
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Person
from openregie_sdk.users import users


def view_of(row: ConsentOverride) -> OverrideView:
    return OverrideView(
        id=row.id,
        subject_id=row.subject_id,
        user_id=row.user_id,
        reason=row.reason,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        review_team_id=row.review_team_id,
        context=row.context,
        reviewed_at=row.reviewed_at,
    )


def record_override(
    subject_ids: Collection[uuid.UUID],
    *,
    user_id: uuid.UUID,
    reason: str,
    hours: int,
    review_team_id: uuid.UUID | None = None,
    context: str = "",
) -> list[ConsentOverride]:
    """One override per subject; see `Consent.record_override`. Flushes, never commits."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Refused("Geef de reden van de doorbreking (minstens 10 tekens).", "reason")
    if len(reason) > 2000:
        raise Refused("De reden is te lang (maximaal 2000 tekens).", "reason")
    maximum = settings().override_max_hours
    if not isinstance(hours, int) or not 1 <= hours <= maximum:
        raise Refused(f"De duur moet tussen 1 en {maximum} uur liggen.", "hours")
    ids = sorted(set(subject_ids))
    if not ids:
        raise Refused("Geef aan voor wie de doorbreking geldt.", "subject_ids")
    session = db_session()
    known = set(session.scalars(select(Person.id).where(Person.id.in_(ids))))
    if known != set(ids):
        raise Refused("Een van de personen bestaat niet.", "subject_ids")
    info = users([user_id]).get(user_id)
    now = utcnow()
    rows = [
        ConsentOverride(
            subject_id=subject_id,
            user_id=user_id,
            user_name=info.display_name if info else "",
            reason=reason,
            context=(context or "")[:300],
            valid_from=now,
            valid_until=now + dt.timedelta(hours=hours),
            review_team_id=review_team_id,
        )
        for subject_id in ids
    ]
    session.add_all(rows)
    session.flush()
    audit.record("override", OVERRIDE, "person", ids, module=MODULE)
    return rows


def overrides_of(subject_id: uuid.UUID) -> list[ConsentOverride]:
    return list(
        db_session().scalars(
            select(ConsentOverride)
            .where(ConsentOverride.subject_id == subject_id)
            .order_by(ConsentOverride.valid_from.desc(), ConsentOverride.id)
        )
    )


def reviewable_by(actor: Actor, *, pending_only: bool = True) -> list[ConsentOverride]:
    """Overrides the actor reviews: those flagged for a team they are a current member of,
    when they hold the review permission (the system reviews all). Newest first."""
    query = select(ConsentOverride)
    if actor.kind is not ActorKind.SYSTEM:
        if not actor.holds(REVIEW) or not actor.team_ids:
            return []
        query = query.where(ConsentOverride.review_team_id.in_(actor.team_ids))
    if pending_only:
        query = query.where(ConsentOverride.reviewed_at.is_(None))
    return list(
        db_session().scalars(query.order_by(ConsentOverride.valid_from.desc(), ConsentOverride.id))
    )


def events(rows: list[ConsentOverride]) -> list[list[ConsentOverride]]:
    """Overrides grouped per doorbreking: one per subject, recorded together by one user
    (same moment and context), in the order given."""
    grouped: dict[tuple[object, ...], list[ConsentOverride]] = {}
    for row in rows:
        grouped.setdefault((row.user_id, row.valid_from, row.context), []).append(row)
    return list(grouped.values())


def mark_reviewed(actor: Actor, override_id: uuid.UUID, note: str = "") -> list[ConsentOverride]:
    """The team lead marks a doorbreking reviewed (once): the override and those recorded
    with it for the other subjects. NotFound for one they do not review."""
    mine = reviewable_by(actor, pending_only=False)
    row = next((r for r in mine if r.id == override_id), None)
    if row is None:
        raise NotFound(
            "Deze doorbreking bestaat niet of is niet door u te beoordelen.", "override_id"
        )
    if row.reviewed_at is not None:
        raise Refused("Deze doorbreking is al beoordeeld.", "override_id")
    if len(note) > 2000:
        raise Refused("De toelichting is te lang (maximaal 2000 tekens).", "review_note")
    event = next(group for group in events(mine) if row in group)
    now = utcnow()
    for member in event:
        member.reviewed_at = now
        member.reviewed_by_user_id = actor.id
        member.review_note = note.strip()
    db_session().flush()
    audit.record("update", REVIEW, "person", [r.subject_id for r in event], module=MODULE)
    return event
