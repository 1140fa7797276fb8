"""A resident's own consents: whom they may act for, and giving or withdrawing through the
portal (recorded as obtained "portal", spoken by the resident)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from openregie_consent.models import ConsentRecord
from openregie_consent.services import records
from openregie_consent.services.predicates import latest_version
from openregie_sdk import Actor, ActorKind, db_session
from openregie_sdk.capabilities.consent import NotFound, Refused


def acting_person(actor: Actor) -> uuid.UUID | None:
    """The person a resident actor is (their person id)."""
    return actor.id if actor.kind is ActorKind.RESIDENT else None


def may_act_for(actor: Actor, person_id: uuid.UUID) -> bool:
    """A resident acts for themselves, or for the person they act on behalf of."""
    if actor.kind is not ActorKind.RESIDENT:
        return False
    return person_id in {actor.id, actor.on_behalf_of}


def decide(
    actor: Actor, person_id: uuid.UUID, *, purpose: str, recipient_id: uuid.UUID, give: bool
) -> ConsentRecord:
    """Give again or withdraw a consent the person has a record of for this recipient and
    purpose (a new recipient is agreed with the professional first). The age rules apply:
    the resident must be allowed to speak for the person alone."""
    if not may_act_for(actor, person_id):
        raise NotFound("Deze persoon hoort niet bij uw account.", "person_id")
    speaker = acting_person(actor)
    current = db_session().scalar(
        select(ConsentRecord).where(
            ConsentRecord.subject_id == person_id,
            ConsentRecord.purpose == purpose,
            ConsentRecord.recipient_id == recipient_id,
            latest_version(),
        )
    )
    if current is None:
        raise Refused("Voor dit doel en deze ontvanger is nog niets vastgelegd.", "purpose")
    return records.record(
        person_id,
        purpose=purpose,
        recipient_id=recipient_id,
        recipient_kind=current.recipient_kind,
        recipient_name_given=current.recipient_name,
        status="given" if give else "withdrawn",
        given_by_person_ids=[speaker] if speaker else [],
        obtained="portal",
        data_categories=current.data_categories,
        recorded_by_user_id=None,
        recorded_by_fallback="inwoner",
    )
