"""Who may see and change which case: the one relation predicate of case management.

An actor sees a case when they hold `casemanagement.case.read` and are related to it:
a current member of the case's team (a team-scoped grant), a holder of the permission in a
municipality whose areas the team serves, the case manager, or an involved professional.
`visible_cases(actor)` is that rule as one SQL predicate over `Case`; worklists, the case
page, the API, the person relation and the capability's `person_relation` all use it, so
they agree and statements per request do not grow with the number of teams.

Per item: notes carry a confidentiality level (`note_visibility`); writes need
`casemanagement.case.write` and the same relation.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, or_, select, true

from openregie_casemanagement.models import Case, CasePerson, Involvement, Note
from openregie_sdk import Actor, ActorKind, db_session
from openregie_sdk.capabilities.casemanagement import NotFound
from openregie_sdk.registry import Area, HouseholdMember, Person, team_area

READ = "casemanagement.case.read"
WRITE = "casemanagement.case.write"
TRANSFER = "casemanagement.case.transfer"
ALLOCATE = "casemanagement.allocation.write"


def visible_cases(actor: Actor, permission: str = READ) -> ColumnElement[bool]:
    """The SQL predicate over `Case` selecting the cases `actor` may exercise `permission`
    on (read by default)."""
    if actor.kind is ActorKind.SYSTEM:
        return true()
    if actor.kind not in (ActorKind.USER, ActorKind.API_CLIENT) or not actor.holds(permission):
        return false()
    scope = actor.scope_of(permission)
    if scope.everywhere:
        return true()
    related: list[ColumnElement[bool]] = []
    if scope.team_ids:
        related.append(Case.team_id.in_(scope.team_ids))
    if scope.municipality_ids:
        related.append(
            Case.team_id.in_(
                select(team_area.c.team_id)
                .join(Area, Area.id == team_area.c.area_id)
                .where(Area.municipality_id.in_(scope.municipality_ids))
            )
        )
    if actor.kind is ActorKind.USER:
        related.extend(_personal_relations(actor))
    return or_(*related) if related else false()


def _personal_relations(actor: Actor) -> list[ColumnElement[bool]]:
    """The cases a user is personally related to: as case manager or involved professional."""
    return [
        Case.case_manager_id == actor.id,
        Case.id.in_(
            select(Involvement.case_id).where(
                Involvement.user_id == actor.id, Involvement.active.is_(True)
            )
        ),
    ]


def is_case_manager_or_lead(actor: Actor, case: Case) -> bool:
    """The case manager, or a team lead of the case's team (who may see every note)."""
    if actor.kind is ActorKind.SYSTEM:
        return True
    if actor.id is not None and case.case_manager_id == actor.id:
        return True
    return "team_lead" in actor.roles and case.team_id in actor.team_ids


def note_visibility(actor: Actor, case: Case) -> ColumnElement[bool]:
    """The notes of `case` the actor may read: "all_involved" for everyone who sees the
    case, "case_team" for members of its team (and the case manager), "case_manager" for
    the case manager and the team's team lead only."""
    if is_case_manager_or_lead(actor, case):
        return true()
    levels = ["all_involved"]
    if case.team_id in actor.team_ids:
        levels.append("case_team")
    return Note.confidentiality.in_(levels)


def load_case(case_id: uuid.UUID, actor: Actor, permission: str = READ) -> Case:
    """The case if `actor` may exercise `permission` on it; NotFound otherwise (a case the
    actor may not see is reported as absent, not as forbidden)."""
    case = db_session().scalar(
        select(Case).where(Case.id == case_id, visible_cases(actor, permission))
    )
    if case is None:
        raise NotFound("Deze casus bestaat niet of is niet voor u zichtbaar.", "case_id")
    return case


def case_subject_ids(case: Case) -> list[uuid.UUID]:
    """The data subjects of a case for the audit log: the persons it concerns, or when none
    are named, the household's current members."""
    session = db_session()
    ids = list(session.scalars(select(CasePerson.person_id).where(CasePerson.case_id == case.id)))
    if not ids:
        ids = list(
            session.scalars(
                select(HouseholdMember.person_id).where(
                    HouseholdMember.household_id == case.household_id
                )
            )
        )
    return sorted(set(ids))


def persons_related(actor: Actor) -> ColumnElement[bool] | None:
    """The person relation case management contributes to core: members of the households
    of the cases the actor is related to (a current member of the case's team, its case
    manager, an involved professional, or holding case read where the case's team works),
    and the persons those cases concern. The relation is need-to-know, not a permission:
    core still requires `core.person.read`, so a token narrowed to that scope sees the
    same persons as its user."""
    if actor.kind is not ActorKind.USER or actor.id is None:
        return None
    relations = _personal_relations(actor)
    if actor.team_ids:
        relations.append(Case.team_id.in_(actor.team_ids))
    if actor.holds(READ):
        relations.append(visible_cases(actor))
    cases = or_(*relations)
    return or_(
        Person.id.in_(
            select(HouseholdMember.person_id)
            .join(Case, Case.household_id == HouseholdMember.household_id)
            .where(cases)
        ),
        Person.id.in_(select(CasePerson.person_id).join(Case).where(cases)),
    )


__all__ = [
    "ALLOCATE",
    "READ",
    "TRANSFER",
    "WRITE",
    "case_subject_ids",
    "load_case",
    "note_visibility",
    "persons_related",
    "visible_cases",
]
