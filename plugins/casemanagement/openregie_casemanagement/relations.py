"""The need-to-know relation case management contributes to core's person visibility:
a professional may see the members of households that have a case of one of their teams."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from openregie_casemanagement.models import Case
from openregie_sdk import Actor
from openregie_sdk.registry import HouseholdMember, Person


def persons_in_cases_of_my_teams(actor: Actor) -> ColumnElement[bool] | None:
    if not actor.team_ids:
        return None
    return Person.id.in_(
        select(HouseholdMember.person_id)
        .join(Case, Case.household_id == HouseholdMember.household_id)
        .where(Case.team_id.in_(actor.team_ids))
    )
