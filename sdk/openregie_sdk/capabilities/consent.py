"""The `consent` capability, version 1: may this recipient receive this data for this purpose?

Consumers obtain the provider with `openregie_sdk.capability("consent")` when it is present
(the platform works without it: a consumer that finds no provider shares as it did before).
Any provider that passes `openregie_sdk.testing.conformance.consent` can replace ours.

Rules every provider follows:

- A consent statement concerns one data subject (a person), one purpose (a code from
  `purposes()`) and one recipient (an organisation, a team or an external party). History is
  append-only: every change is a new version; the most recently recorded version of a
  (subject, recipient, purpose) decides, so a withdrawal outweighs an older consent.
- A decision is made at a moment and nothing is cached: withdrawal and expiry take effect
  on the very next check. Moments must be timezone-aware (a naive datetime: ValueError).
- Every method runs inside the current request's session (`db_session()`); writes flush
  and never commit (the caller's request commits) and are recorded in the audit log.
- The provider applies no permission checks of its own (callers guard their routes); it
  does check who may speak for the subject (`record`: the age rules and legal
  representation, see `record`).
- Errors are the exceptions below, each naming the field concerned: `NotFound` (an
  unknown id), `Refused` (bad input or a person without authority).

History: 1.0 had `decide`; 1.1 added the rest (a provider declaring 1.0 needs only
`decide`; see `SINCE`); 1.2 lets `shared_condition` take its moment as a SQL expression
and added `condition_key`, so a consumer can build a condition once and reuse it (a
consumer detects 1.2 by the presence of `condition_key`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

VERSION = "1.2"
# The version that added each method; a provider that declares 1.0 needs only `decide`.
SINCE = {
    **{
        name: "1.1"
        for name in (
            "purposes", "gated_purposes", "consents_of", "record", "shared_condition",
            "record_override", "overrides_of",
        )
    },
    "condition_key": "1.2",
}  # fmt: skip

Status = Literal["requested", "given", "refused", "withdrawn", "expired"]
RecordableStatus = Literal["requested", "given", "refused", "withdrawn"]
"""What a caller may record; `expired` is recorded by the provider's expiry run only."""
Obtained = Literal["verbal", "written", "portal"]
RecipientKind = Literal["organisation", "team", "external"]

RELATION_INVOLVED_OUTSIDE_TEAM = "involved_outside_team"
"""The relation case management gates: a professional involved in a case who has no
current membership of the case's team, so their organisation receives the case's data."""


class ConsentError(Exception):
    """Base of the errors of this capability. `field` names the input concerned."""

    def __init__(self, message: str, field: str = "input") -> None:
        super().__init__(message)
        self.field = field


class NotFound(ConsentError):
    """The id is unknown (a subject, a recipient or a consent)."""


class Refused(ConsentError):
    """Invalid input (unknown purpose, valid_until not after valid_from, ...) or a person
    without authority to speak for the subject (field `given_by_person_ids`)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ConsentDecision(_Frozen):
    """The answer to a consent check: `granted`, and in Dutch why (shown to professionals)."""

    granted: bool
    reason: str
    consent_id: uuid.UUID | None = None


class PurposeView(_Frozen):
    """A configured purpose: what may be shared, why, and which relations it gates."""

    code: str
    label: str
    """Dutch, e.g. "Bespreken in het team met organisatie X"."""
    data_categories: tuple[str, ...]
    legal_basis: str
    """The AVG art. 6(1) ground, e.g. "a" (consent) or "e" (public task)."""
    special_category_exception: str | None
    """The AVG art. 9(2) exception when special categories (health, ...) are shared."""
    gates: tuple[str, ...]
    """Relations whose access rests on a consent for this purpose (e.g.
    `RELATION_INVOLVED_OUTSIDE_TEAM`)."""


class ConsentView(_Frozen):
    """One version of a consent statement."""

    id: uuid.UUID
    subject_id: uuid.UUID
    purpose: str
    purpose_label: str
    recipient_kind: RecipientKind
    recipient_id: uuid.UUID
    recipient_name: str
    data_categories: tuple[str, ...]
    legal_basis: str
    special_category_exception: str | None
    status: Status
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    obtained: Obtained | None
    given_by_person_ids: tuple[uuid.UUID, ...]
    recorded_at: dt.datetime
    recorded_by: str
    """The name of who recorded it ("inwoner" for a resident, "systeem" for the expiry run)."""
    note: str
    evidence_filename: str | None
    in_force: bool
    """Whether this version grants consent now (it is the latest, given, within validity)."""


class OverrideView(_Frozen):
    """A recorded override (doorbreking): access without consent, for a reason, for a while."""

    id: uuid.UUID
    subject_id: uuid.UUID
    user_id: uuid.UUID
    reason: str
    valid_from: dt.datetime
    valid_until: dt.datetime
    review_team_id: uuid.UUID | None
    context: str
    reviewed_at: dt.datetime | None


@runtime_checkable
class Consent(Protocol):
    """Recorded consent of data subjects, checked before sharing (see the module docstring
    for the rules every provider follows). Obtain it with `capability("consent")`; it may
    be absent."""

    def decide(
        self,
        subject_id: uuid.UUID,
        recipient_id: uuid.UUID,
        purpose: str,
        at: dt.datetime,
    ) -> ConsentDecision:
        """Whether `subject_id` has a consent in force at `at` for `purpose` towards
        `recipient_id` (an organisation, team or external party). No record means not granted.
        `at` must be timezone-aware; a naive datetime raises ValueError. The most recently
        recorded statement for the triple decides, so a withdrawal outweighs an older consent."""
        ...

    def purposes(self) -> Sequence[PurposeView]:
        """The configured purposes, in display order."""
        ...

    def gated_purposes(self, relation: str) -> Sequence[str]:
        """The codes of the purposes that gate `relation` ([] when it is not gated)."""
        ...

    def consents_of(self, subject_id: uuid.UUID, *, history: bool = False) -> Sequence[ConsentView]:
        """The subject's consents, newest first: the version in force of each (recipient,
        purpose), or with `history=True` every version ever recorded. An unknown subject
        gives []. Reads are audited for the subject."""
        ...

    def record(
        self,
        subject_id: uuid.UUID,
        *,
        purpose: str,
        recipient_id: uuid.UUID,
        recipient_kind: RecipientKind,
        status: RecordableStatus,
        given_by_person_ids: Collection[uuid.UUID] = (),
        obtained: Obtained | None = None,
        valid_from: dt.datetime | None = None,
        valid_until: dt.datetime | None = None,
        data_categories: Collection[str] | None = None,
        note: str = "",
        evidence: tuple[str, bytes] | None = None,
        recorded_by_user_id: uuid.UUID | None = None,
        recipient_name: str | None = None,
    ) -> ConsentView:
        """Record a new version of the subject's consent for `purpose` towards the recipient.

        Who speaks (`given_by_person_ids`, needed for given, refused and withdrawn) is
        checked against the subject's age on the day and the legal representation in force:
        under 12 a parent or guardian with authority (gezag, voogdij); 12 to 15 the child
        AND a parent or guardian with authority (to give; either may refuse or withdraw);
        16 and older the subject alone (an adult's curator or mentor may speak for them).
        A withdrawal needs a consent in force. `valid_from` defaults to now and
        `valid_until` must lie after it; `data_categories` default to the purpose's and
        must be among them. `evidence` is (filename, content), checked as an upload.
        `recipient_name` is required for an external recipient (whose `recipient_id` the
        caller keeps stable, e.g. the id of the involved party); an organisation or team
        must exist in the registry. `recorded_by_user_id` None means the subject recorded
        it themselves (the portal).

        Refused naming the field: `purpose` (unknown), `recipient_id` (unknown recipient
        of that kind), `given_by_person_ids` (missing or without authority), `status`,
        `valid_until`, `data_categories`, `evidence`. NotFound (`subject_id`) for an
        unknown person."""
        ...

    def shared_condition(
        self,
        relation: str,
        subject_id: ColumnElement[Any],
        recipient_ids: Any,
        at: dt.datetime | ColumnElement[dt.datetime],
        *,
        actor_id: uuid.UUID | None = None,
    ) -> ColumnElement[bool]:
        """A SQL boolean that is true where the subject (a column or expression of person
        ids, e.g. `CasePerson.person_id`) has a consent in force at `at`, for a purpose
        that gates `relation`, towards one of `recipient_ids` (a collection of ids or a
        SELECT of ids); or where `actor_id` holds an override in force for that subject.
        Returns `sqlalchemy.true()` when no purpose gates `relation`. Set-based: correlated
        EXISTS clauses, no per-row queries, so list, search and export stay one statement.

        Since 1.2 `at` may also be a SQL expression of a timezone-aware moment, typically
        `bindparam(..., callable_=utcnow)`, whose value is taken each time a statement
        holding the condition executes. The condition then depends only on its arguments
        and on `condition_key(relation)`, so a consumer may build it once and reuse it:
        nothing about consent itself is cached, the database decides on every execution."""
        ...

    def condition_key(self, relation: str) -> Hashable:
        """What the conditions `shared_condition` builds for `relation` depend on besides
        their arguments (the provider's configuration: which purposes gate `relation`),
        as a hashable value that changes whenever that does. A consumer caching a
        condition built with an expression moment keys it on this (since 1.2)."""
        ...

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
        """Record that `user_id` breaks through a missing consent (doorbreken, e.g. a
        child's safety) for each subject, for `hours` (1 to the provider's maximum), with
        a mandatory `reason`. Audited per subject; flagged for review by the team lead of
        `review_team_id`. Refused (`reason`, `hours`, `subject_ids`) for bad input."""
        ...

    def overrides_of(self, subject_id: uuid.UUID) -> Sequence[OverrideView]:
        """Every override recorded for the subject, newest first."""
        ...


__all__ = [
    "RELATION_INVOLVED_OUTSIDE_TEAM",
    "SINCE",
    "VERSION",
    "Consent",
    "ConsentDecision",
    "ConsentError",
    "ConsentView",
    "NotFound",
    "OverrideView",
    "PurposeView",
    "Refused",
]
