"""This module's implementation of the `consent` capability (protocol version 1.2)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Hashable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement

from openregie_consent.models import (
    EXPIRED,
    GIVEN,
    REFUSED,
    REQUESTED,
    WITHDRAWN,
    ConsentRecord,
    as_utc,
)
from openregie_consent.services import overrides, predicates, records
from openregie_consent.services.common import gated_purposes, purpose_view, purposes
from openregie_sdk.capabilities.consent import (
    ConsentDecision,
    ConsentView,
    OverrideView,
    PurposeView,
)
from openregie_sdk.db import utcnow

# Moments in reasons are shown as professionals read them: in Dutch time.
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")

NOT_IN_FORCE = {
    REQUESTED: "Toestemming is gevraagd, maar nog niet gegeven.",
    REFUSED: "Toestemming geweigerd.",
    WITHDRAWN: "Toestemming ingetrokken.",
    EXPIRED: "Toestemming verlopen.",
}


def dutch_moment(moment: dt.datetime) -> str:
    """`moment` as a Dutch reader expects it: dd-mm-jjjj uu:mm in Dutch time."""
    return moment.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M")


latest_record = records.latest_record


def decision_at(record: ConsentRecord | None, at: dt.datetime) -> ConsentDecision:
    """Whether `record` (the one in force) grants consent at `at`, and why in Dutch."""
    at = as_utc(at)
    if record is None:
        return ConsentDecision(granted=False, reason="Geen toestemming vastgelegd.")
    if record.status != GIVEN:
        reason = NOT_IN_FORCE.get(record.status, f"Onbekende status {record.status!r}.")
        return ConsentDecision(granted=False, reason=reason, consent_id=record.id)
    if at < record.valid_from:
        reason = f"Toestemming gaat in op {dutch_moment(record.valid_from)}."
        return ConsentDecision(granted=False, reason=reason, consent_id=record.id)
    if record.valid_until is not None and at >= record.valid_until:
        reason = f"Toestemming verlopen op {dutch_moment(record.valid_until)}."
        return ConsentDecision(granted=False, reason=reason, consent_id=record.id)
    return ConsentDecision(granted=True, reason="Toestemming gegeven.", consent_id=record.id)


class ConsentProvider:
    """The latest record decides, also for an earlier `at`: a withdrawal is never outweighed
    by an older consent, whatever moment a caller asks about."""

    def decide(
        self,
        subject_id: uuid.UUID,
        recipient_id: uuid.UUID,
        purpose: str,
        at: dt.datetime,
    ) -> ConsentDecision:
        return decision_at(latest_record(subject_id, recipient_id, purpose), at)

    def purposes(self) -> Sequence[PurposeView]:
        return [purpose_view(p) for p in purposes()]

    def gated_purposes(self, relation: str) -> Sequence[str]:
        return gated_purposes(relation)

    def consents_of(self, subject_id: uuid.UUID, *, history: bool = False) -> Sequence[ConsentView]:
        return records.consents_of(subject_id, history=history)

    def record(
        self,
        subject_id: uuid.UUID,
        *,
        purpose: str,
        recipient_id: uuid.UUID,
        recipient_kind: str,
        status: str,
        given_by_person_ids: Collection[uuid.UUID] = (),
        obtained: str | None = None,
        valid_from: dt.datetime | None = None,
        valid_until: dt.datetime | None = None,
        data_categories: Collection[str] | None = None,
        note: str = "",
        evidence: tuple[str, bytes] | None = None,
        recorded_by_user_id: uuid.UUID | None = None,
        recipient_name: str | None = None,
    ) -> ConsentView:
        row = records.record(
            subject_id,
            purpose=purpose,
            recipient_id=recipient_id,
            recipient_kind=recipient_kind,
            status=status,
            given_by_person_ids=given_by_person_ids,
            obtained=obtained,
            valid_from=valid_from,
            valid_until=valid_until,
            data_categories=data_categories,
            note=note,
            evidence=evidence,
            recorded_by_user_id=recorded_by_user_id,
            recipient_name_given=recipient_name,
        )
        return records.view_of(row, latest=True, at=utcnow())

    def shared_condition(
        self,
        relation: str,
        subject_id: ColumnElement[Any],
        recipient_ids: Any,
        at: dt.datetime | ColumnElement[dt.datetime],
        *,
        actor_id: uuid.UUID | None = None,
    ) -> ColumnElement[bool]:
        return predicates.shared_condition(
            relation, subject_id, recipient_ids, at, actor_id=actor_id
        )

    def condition_key(self, relation: str) -> Hashable:
        return tuple(gated_purposes(relation))

    def record_override(
        self,
        subject_ids: Collection[uuid.UUID],
        *,
        user_id: uuid.UUID,
        reason: str,
        hours: int,
        review_team_id: uuid.UUID | None = None,
        context: str = "",
    ) -> Sequence[OverrideView]:
        rows = overrides.record_override(
            subject_ids,
            user_id=user_id,
            reason=reason,
            hours=hours,
            review_team_id=review_team_id,
            context=context,
        )
        return [overrides.view_of(r) for r in rows]

    def overrides_of(self, subject_id: uuid.UUID) -> Sequence[OverrideView]:
        return [overrides.view_of(r) for r in overrides.overrides_of(subject_id)]
