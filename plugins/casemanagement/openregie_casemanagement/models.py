"""Tables of the case-management module (prefix `casemanagement_`).

Cases, plans, goals and actions carry a `version` column that SQLAlchemy checks on every
update (optimistic locking): a form or API call sends the version it read, the service
compares it first (409 with a clear message), and the mapper's version check catches the
race between that read and the write.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from openregie_casemanagement.codes import CLOSED, OPEN_STATUSES
from openregie_sdk.db import Base, UuidPrimaryKey, utcnow

__all__ = ["CLOSED", "OPEN_STATUSES"]

PERSON = "core_person.id"
USER = "core_user.id"


class Case(UuidPrimaryKey, Base):
    """The support trajectory of one household."""

    __tablename__ = "casemanagement_case"
    __table_args__ = (  # the reporting metrics' period filters (migration 0003)
        Index("ix_casemanagement_case_opened_on", "opened_on"),
        Index("ix_casemanagement_case_closed_on", "closed_on"),
    )

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_household.id"), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("core_team.id"), index=True)
    case_manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER), index=True)
    title: Mapped[str] = mapped_column(String(200))
    referral_source: Mapped[str] = mapped_column(String(20), default="self", server_default="self")
    referral_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    urgency: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal")
    status: Mapped[str] = mapped_column(String(20), default="aanmelding", index=True)
    opened_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]
    closure_reason: Mapped[str | None] = mapped_column(String(30))
    evaluation_due_on: Mapped[dt.date | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CasePerson(Base):
    """A person the case concerns (one or more members of the household)."""

    __tablename__ = "casemanagement_case_person"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("casemanagement_case.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(PERSON), primary_key=True, index=True)


class CaseLifeDomain(Base):
    __tablename__ = "casemanagement_case_life_domain"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("casemanagement_case.id", ondelete="CASCADE"), primary_key=True
    )
    life_domain: Mapped[str] = mapped_column(String(30), primary_key=True)


class Transition(UuidPrimaryKey, Base):
    """One step in a case's history: a status change, a reopening or a transfer."""

    __tablename__ = "casemanagement_transition"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # status | reopen | transfer
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    from_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_team.id"))
    to_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_team.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))


class Involvement(UuidPrimaryKey, Base):
    """An involved party: a professional with a login (any organisation, in or outside the
    team) or an external contact without one (school mentor, GP)."""

    __tablename__ = "casemanagement_involvement"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(15))  # professional | external
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("core_organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Plan(UuidPrimaryKey, Base):
    """The one plan of a case. Its goals and actions are living rows; each agreed version
    keeps a snapshot of them (`PlanVersion.snapshot`)."""

    __tablename__ = "casemanagement_plan"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), unique=True)
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(10), default="draft")  # draft | agreed
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PlanVersion(UuidPrimaryKey, Base):
    __tablename__ = "casemanagement_plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="draft")  # draft|agreed|superseded
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    agreed_on: Mapped[dt.date | None]
    agreed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    agreed_by: Mapped[list[Any]] = mapped_column(JSON, default=list)  # names, family first
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # Dutch sentences
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Goal(UuidPrimaryKey, Base):
    __tablename__ = "casemanagement_goal"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_plan.id"), index=True)
    life_domain: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    owner_kind: Mapped[str | None] = mapped_column(String(15))
    owner_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PERSON))
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    owner_involvement_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("casemanagement_involvement.id")
    )
    status: Mapped[str] = mapped_column(String(15), default="open")
    target_date: Mapped[dt.date | None]
    proposal: Mapped[str | None] = mapped_column(String(10))
    proposed_by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PERSON))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Action(UuidPrimaryKey, Base):
    __tablename__ = "casemanagement_action"

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_goal.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    assignee_kind: Mapped[str | None] = mapped_column(String(15))
    assignee_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PERSON))
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    assignee_involvement_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("casemanagement_involvement.id")
    )
    due_on: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(15), default="open")
    proposal: Mapped[str | None] = mapped_column(String(10))
    proposed_by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PERSON))
    resident_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ActionEvent(UuidPrimaryKey, Base):
    """Who changed an action's status or commented on it, and when."""

    __tablename__ = "casemanagement_action_event"

    action_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_action.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PERSON))
    by_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(15))
    comment: Mapped[str | None] = mapped_column(Text)


class ZrmAssessment(UuidPrimaryKey, Base):
    """Self-sufficiency matrix scores of a case at intake or at an evaluation."""

    __tablename__ = "casemanagement_zrm_assessment"
    __table_args__ = (  # first intake / latest evaluation per case, presorted (migration 0003)
        Index(
            "ix_casemanagement_zrm_assessment_moment_case",
            "moment",
            "case_id",
            "assessed_on",
            "created_at",
            "id",
        ),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    moment: Mapped[str] = mapped_column(String(12))  # intake | evaluation
    assessed_on: Mapped[dt.date]
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ZrmScore(Base):
    __tablename__ = "casemanagement_zrm_score"

    assessment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("casemanagement_zrm_assessment.id", ondelete="CASCADE"), primary_key=True
    )
    life_domain: Mapped[str] = mapped_column(String(30), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class ContactMoment(UuidPrimaryKey, Base):
    __tablename__ = "casemanagement_contact_moment"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(12))
    participants: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text)
    visible_to_resident: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Note(UuidPrimaryKey, Base):
    __tablename__ = "casemanagement_note"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(String(15))
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Document(UuidPrimaryKey, Base):
    """A document of a case; its content lives in core's file store under `storage_key`."""

    __tablename__ = "casemanagement_document"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    shared_with_resident: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    uploaded_by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(PERSON))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AppointmentRequest(UuidPrimaryKey, Base):
    """A resident's request for an appointment (from the portal)."""

    __tablename__ = "casemanagement_appointment_request"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(PERSON))
    subject: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(12))
    preferred_moments: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    handled_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(USER))
    handled_at: Mapped[dt.datetime | None]


class Allocation(UuidPrimaryKey, Base):
    """A provision allocated to a person (toekenning) under the Wmo or the Jeugdwet."""

    __tablename__ = "casemanagement_allocation"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("casemanagement_case.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(PERSON), index=True)
    law: Mapped[str] = mapped_column(String(10))
    product_category: Mapped[str] = mapped_column(String(30))
    product_code: Mapped[str] = mapped_column(String(10), default="")
    provider_name: Mapped[str] = mapped_column(String(200))
    provider_agb: Mapped[str | None] = mapped_column(String(8))
    volume: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    unit: Mapped[str] = mapped_column(String(10))
    frequency: Mapped[str] = mapped_column(String(10))
    requested_on: Mapped[dt.date]
    decided_on: Mapped[dt.date | None]
    start_on: Mapped[dt.date | None] = mapped_column(index=True)
    end_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(10), default="requested", index=True)
    stop_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
