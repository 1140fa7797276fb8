"""`/api/v1/consent`: the purposes, a person's consents (current or history), recording a
statement, withdrawing one, and the decision for a recipient and purpose at a moment."""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus
from typing import Annotated, Any, Literal

from flask_openapi3.request import validate_request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import select

from openregie_consent.api import blueprint, fail
from openregie_consent.provider import ConsentProvider
from openregie_consent.services import records
from openregie_consent.services.common import MANAGE, MODULE, READ
from openregie_sdk import audit, current_actor, db_session, person_visibility, requires
from openregie_sdk.api import ErrorOut, ValidationErrorOut, refuse
from openregie_sdk.capabilities.consent import (
    ConsentDecision,
    ConsentError,
    ConsentView,
    NotFound,
    PurposeView,
)
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Person

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class InModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonPath(BaseModel):
    person_id: uuid.UUID


class ConsentPath(BaseModel):
    consent_id: uuid.UUID


class HistoryQuery(BaseModel):
    history: bool = Field(default=False, description="Every version instead of the current ones")


class DecisionQuery(BaseModel):
    recipient_id: uuid.UUID
    purpose: str
    at: dt.datetime | None = Field(default=None, description="Timezone-aware; default now")


class PurposeList(BaseModel):
    items: list[PurposeView]


class ConsentList(BaseModel):
    items: list[ConsentView]


class ConsentIn(InModel):
    """A new statement. `given_by_person_ids`: who spoke (the age rules apply);
    `recipient_name` only for an external recipient."""

    purpose: str
    recipient_kind: Literal["organisation", "team", "external"]
    recipient_id: uuid.UUID
    recipient_name: str | None = None
    status: Literal["requested", "given", "refused"]
    given_by_person_ids: list[uuid.UUID] = []
    obtained: Literal["verbal", "written", "portal"] | None = None
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    data_categories: list[str] | None = None
    note: Note = ""


class WithdrawalIn(InModel):
    given_by_person_ids: list[uuid.UUID]
    obtained: Literal["verbal", "written", "portal"]
    note: Note = ""


def _visible(person_id: uuid.UUID) -> None:
    found = db_session().scalar(
        select(Person.id).where(Person.id == person_id, person_visibility())
    )
    if found is None:
        refuse(
            404,
            "Deze persoon bestaat niet of is niet voor u zichtbaar.",
            [("person_id", "not found")],
        )


def _aware(moment: dt.datetime | None, field: str) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        refuse(400, "Een moment heeft een tijdzone nodig.", [(field, "needs a time zone")])
    return moment


@blueprint.get("/purposes", responses={200: PurposeList})
@requires(READ)
def list_purposes() -> Any:
    """List the purposes

    The configured purposes with their data categories, legal basis and gated relations.
    """
    return PurposeList(items=list(ConsentProvider().purposes())).model_dump(mode="json")


@blueprint.get("/persons/<uuid:person_id>/consents", responses={200: ConsentList, 404: ErrorOut})
@requires(READ)
@validate_request()
def list_consents(path: PersonPath, query: HistoryQuery) -> Any:
    """List a person's consents

    The version in force of each recipient and purpose, newest first; `history=true` gives
    every version. 404 for a person the caller may not see. Audited as a read.
    """
    _visible(path.person_id)
    items = records.consents_of(path.person_id, history=query.history)
    return ConsentList(items=items).model_dump(mode="json")


@blueprint.post(
    "/persons/<uuid:person_id>/consents",
    responses={201: ConsentView, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(MANAGE)
@validate_request()
def record_consent(path: PersonPath, body: ConsentIn) -> Any:
    """Record a consent statement

    A new version (give, refuse, request). Refused naming the field: unknown purpose,
    recipient, who spoke without authority (age rules and legal representation),
    valid_until not after valid_from, data categories outside the purpose.
    """
    _visible(path.person_id)
    try:
        view = ConsentProvider().record(
            path.person_id,
            purpose=body.purpose,
            recipient_id=body.recipient_id,
            recipient_kind=body.recipient_kind,
            recipient_name=body.recipient_name,
            status=body.status,
            given_by_person_ids=body.given_by_person_ids,
            obtained=body.obtained,
            valid_from=_aware(body.valid_from, "valid_from"),
            valid_until=_aware(body.valid_until, "valid_until"),
            data_categories=body.data_categories,
            note=body.note,
            recorded_by_user_id=current_actor().id,
        )
    except ConsentError as error:
        fail(error)
    db_session().commit()
    return view.model_dump(mode="json"), HTTPStatus.CREATED


@blueprint.post(
    "/consents/<uuid:consent_id>/withdrawal",
    responses={201: ConsentView, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(MANAGE)
@validate_request()
def withdraw_consent(path: ConsentPath, body: WithdrawalIn) -> Any:
    """Withdraw a consent

    Records a withdrawal of the consent's subject, recipient and purpose; sharing stops on
    the next request. 400 (`status`) when that consent is not in force.
    """
    row = db_session().get(records.ConsentRecord, path.consent_id)
    if row is None:
        fail(NotFound("Deze toestemming bestaat niet.", "consent_id"))
    _visible(row.subject_id)
    try:
        new = records.record(
            row.subject_id,
            purpose=row.purpose,
            recipient_id=row.recipient_id,
            recipient_kind=row.recipient_kind,
            recipient_name_given=row.recipient_name,
            status="withdrawn",
            given_by_person_ids=body.given_by_person_ids,
            obtained=body.obtained,
            data_categories=row.data_categories,
            note=body.note,
            recorded_by_user_id=current_actor().id,
        )
    except ConsentError as error:
        fail(error)
    db_session().commit()
    return records.view_of(new, latest=True, at=utcnow()).model_dump(
        mode="json"
    ), HTTPStatus.CREATED


@blueprint.get(
    "/persons/<uuid:person_id>/decision",
    responses={200: ConsentDecision, 400: ValidationErrorOut, 404: ErrorOut},
)
@requires(READ)
@validate_request()
def decision(path: PersonPath, query: DecisionQuery) -> Any:
    """Check a consent

    Whether the person consents to share for `purpose` with `recipient_id` at `at` (now by
    default), with the reason in Dutch.
    """
    _visible(path.person_id)
    at = _aware(query.at, "at") or utcnow()
    answer = ConsentProvider().decide(path.person_id, query.recipient_id, query.purpose, at)
    audit.record("read", READ, "person", [path.person_id], module=MODULE)
    return answer.model_dump(mode="json")
