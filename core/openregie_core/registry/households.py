"""Households and their members over time. A person may be in several households at once
(a child of separated parents); within one household a person's periods do not overlap."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session, contains_eager

from openregie_core.registry.errors import NotFound, RegistryError
from openregie_core.registry.inputs import HouseholdIn, HouseholdMemberIn
from openregie_sdk.registry import Household, HouseholdMember, Person


def visible_members(
    session: Session, household_id: uuid.UUID, visibility: ColumnElement[bool]
) -> list[Any]:
    """The (member, person) rows of a household whose person satisfies `visibility` (the
    actor's person predicate), in the order of arrival: the household page and its API."""
    return list(
        session.execute(
            select(HouseholdMember, Person)
            .join(Person, Person.id == HouseholdMember.person_id)
            .where(HouseholdMember.household_id == household_id, visibility)
            .order_by(HouseholdMember.start_on, Person.birth_date, Person.id)
            .options(contains_eager(HouseholdMember.person))  # the join above, not a second
        ).all()
    )


def create_household(session: Session, data: HouseholdIn) -> Household:
    household = Household(name=data.name)
    session.add(household)
    session.flush()
    for member in data.members:
        add_member(session, household.id, member)
    return household


def add_member(
    session: Session, household_id: uuid.UUID, data: HouseholdMemberIn
) -> HouseholdMember:
    """Add a person to a household for a period."""
    if session.get(Household, household_id) is None:
        raise NotFound.on("household_id", gettext("bestaat niet"))
    if session.get(Person, data.person_id) is None:
        raise NotFound.on("person_id", gettext("bestaat niet"))
    _refuse_overlap(session, household_id, data.person_id, data.start_on, data.end_on, None)
    member = HouseholdMember(household_id=household_id, **data.model_dump())
    session.add(member)
    session.flush()
    return member


def end_membership(session: Session, member_id: uuid.UUID, end_on: dt.date) -> HouseholdMember:
    """Close a member's period on `end_on` (exclusive: the last day is the day before)."""
    member = session.get(HouseholdMember, member_id)
    if member is None:
        raise NotFound.on("id", gettext("bestaat niet"))
    if end_on <= member.start_on:
        raise RegistryError.on("end_on", gettext("moet na start_on liggen"))
    _refuse_overlap(
        session, member.household_id, member.person_id, member.start_on, end_on, member.id
    )
    member.end_on = end_on
    session.flush()
    return member


def _refuse_overlap(
    session: Session,
    household_id: uuid.UUID,
    person_id: uuid.UUID,
    start_on: dt.date,
    end_on: dt.date | None,
    member_id: uuid.UUID | None,
) -> None:
    # Periods [a, b) and [c, d) overlap when a < d and c < b (an open end is infinity).
    overlapping = select(func.count()).where(
        HouseholdMember.household_id == household_id,
        HouseholdMember.person_id == person_id,
        or_(HouseholdMember.end_on.is_(None), HouseholdMember.end_on > start_on),
        true() if end_on is None else HouseholdMember.start_on < end_on,
    )
    if member_id is not None:
        overlapping = overlapping.where(HouseholdMember.id != member_id)
    if session.scalar(overlapping):
        raise RegistryError.on(
            "start_on",
            gettext("overlapt met een andere periode van deze persoon in dit huishouden"),
        )
