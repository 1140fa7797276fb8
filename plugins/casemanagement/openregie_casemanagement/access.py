"""Who may see and change which case: the one relation predicate of case management.

An actor sees a case when they hold `casemanagement.case.read` and are related to it:
a current member of the case's team (a team-scoped grant), a holder of the permission in a
municipality whose areas the team serves, the case manager, or an involved professional.
`visible_cases(actor)` is that rule as one SQL predicate over `Case`; worklists, the case
page, the API, the person relation and the capability's `person_relation` all use it, so
they agree and statements per request do not grow with the number of teams.

Consent: when a `consent` capability (1.1 or later) is present, the involved-professional relation
is gated (`RELATION_INVOLVED_OUTSIDE_TEAM`): a professional involved in a case who is not a
current member of the case's team sees it only while every person the case concerns (or,
when it names none, every current member of its household) has a consent in force for a
gating purpose towards the professional's organisation or team — or while the professional
holds an override for them. The condition is ANDed into the one predicate, so detail,
lists, search (the person relation), export, API and downloads all follow, from the very
next request. Without the consent module nothing changes.

Per item: notes carry a confidentiality level (`note_visibility`); writes need
`casemanagement.case.write` and the same relation.

Built once per actor: the predicates depend only on the actor (its grants and teams), the
permission and the consent provider's configuration (`condition_key`, consent 1.2). Their
moments ("now", "today") are bind parameters whose values are taken each time a statement
executes, so `visible_cases` and `persons_related` are cached per actor across requests
(`_CACHE_SIZE` actors) and a withdrawal or expiry still counts from the very next query.
With a consent provider older than 1.2 they are built on every call, at the current moment.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, bindparam, false, or_, select, true, union
from sqlalchemy.orm import aliased

from openregie_casemanagement.models import Case, CasePerson, Involvement, Note
from openregie_sdk import Actor, ActorKind, capability, db_session
from openregie_sdk.capabilities.casemanagement import NotFound
from openregie_sdk.capabilities.consent import RELATION_INVOLVED_OUTSIDE_TEAM
from openregie_sdk.db import UtcDateTime, utcnow
from openregie_sdk.registry import Area, HouseholdMember, Membership, Person, team_area

# The aliases of the predicates, made once: a new alias costs ~2 ms of Python (its column
# proxies) and the predicates are built on every request. One alias may appear in sibling
# subqueries of a statement, never nested in itself, hence one pair per use.
_GATE_NAMED = aliased(CasePerson, name="gate_case_person")
_GATE_MEMBER = aliased(HouseholdMember, name="gate_household_member")
_RELATED_NAMED = aliased(CasePerson, name="related_case_person")
_RELATED_MEMBER = aliased(HouseholdMember, name="related_household_member")

# The moments of the cached predicates, taken when a statement executes (one value per
# statement). Lambdas, so the module's `utcnow` is looked up at that moment too.
_NOW = bindparam("casemanagement_now", type_=UtcDateTime(), callable_=lambda: utcnow())
_TODAY = bindparam("casemanagement_today", type_=Date(), callable_=lambda: utcnow().date())
# How many actors' predicates a process keeps (each a few hundred expression objects).
_CACHE_SIZE = 256
# The cache key of predicates without a consent gate (no provider, or `consent=False`).
_NO_GATE: Hashable = ("no consent gate",)

READ = "casemanagement.case.read"
WRITE = "casemanagement.case.write"
TRANSFER = "casemanagement.case.transfer"
ALLOCATE = "casemanagement.allocation.write"


def visible_cases(
    actor: Actor, permission: str = READ, *, consent: bool = True
) -> ColumnElement[bool]:
    """The SQL predicate over `Case` selecting the cases `actor` may exercise `permission`
    on (read by default). `consent=False` leaves out the consent gate: only to tell "no
    consent" apart from "no relation" (the page offering an override), never to show data."""
    if actor.kind is ActorKind.SYSTEM:
        return true()
    if actor.kind not in (ActorKind.USER, ActorKind.API_CLIENT) or not actor.holds(permission):
        return false()
    gate = _gate_key() if consent else _NO_GATE
    if gate is None:
        return _visible_cases(actor, permission, consent, utcnow())
    return _cached_visible_cases(actor, permission, consent, gate)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_visible_cases(
    actor: Actor, permission: str, consent: bool, gate: Hashable
) -> ColumnElement[bool]:
    return _visible_cases(actor, permission, consent, None)


def _visible_cases(
    actor: Actor, permission: str, consent: bool, moment: dt.datetime | None
) -> ColumnElement[bool]:
    """`visible_cases` built at `moment`, or with None for the moment of execution."""
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
        related.extend(_personal_relations(actor, consent=consent, moment=moment))
    return or_(*related) if related else false()


def _gate_key() -> Hashable | None:
    """What the consent gate depends on besides the actor: `_NO_GATE` without a consent
    provider, the provider's class and `condition_key` with one of 1.2 or later, None
    (do not cache) with an older provider."""
    provider = consent_provider()
    if provider is None:
        return _NO_GATE
    if not hasattr(provider, "condition_key"):
        return None
    return (type(provider), provider.condition_key(RELATION_INVOLVED_OUTSIDE_TEAM))


def _personal_relations(
    actor: Actor, *, consent: bool = True, moment: dt.datetime | None = None
) -> list[ColumnElement[bool]]:
    """The cases a user is personally related to: as case manager or involved professional
    (the latter gated by consent outside the case's team, see the module docstring)."""
    involved = Case.id.in_(
        select(Involvement.case_id).where(
            Involvement.user_id == actor.id, Involvement.active.is_(True)
        )
    )
    gate = consent_gate(actor, moment=moment) if consent else None
    if gate is not None:
        inside_team = Case.team_id.in_(actor.team_ids) if actor.team_ids else false()
        involved = and_(involved, or_(inside_team, gate))
    return [Case.case_manager_id == actor.id, involved]


def consent_provider() -> Any:
    """The consent capability when a provider of 1.1 (with `shared_condition`) is loaded."""
    provider = capability("consent")
    return provider if provider is not None and hasattr(provider, "shared_condition") else None


def recipients_of(user_id: uuid.UUID, day: dt.date | ColumnElement[dt.date]) -> Any:
    """A SELECT of the ids a user's data reaches: the home organisations and the teams of
    their current memberships on `day`."""
    current = and_(
        Membership.user_id == user_id,
        Membership.start_on <= day,
        or_(Membership.end_on.is_(None), Membership.end_on > day),
    )
    return union(
        select(Membership.home_organisation_id.label("id")).where(
            current, Membership.home_organisation_id.is_not(None)
        ),
        select(Membership.team_id.label("id")).where(current),
    )


def consent_gate(
    actor: Actor, user_id: uuid.UUID | None = None, *, moment: dt.datetime | None = None
) -> ColumnElement[bool] | None:
    """The consent condition over `Case` for a professional (`user_id`, by default the
    actor) receiving a case's data through an involvement; None without a consent provider
    or when no purpose gates the relation. Every subject of the case must be covered.
    Evaluated at `moment`, or with None at each execution (needs a consent provider of 1.2;
    an older one gets the current moment)."""
    provider = consent_provider()
    if provider is None:
        return None
    user_id = user_id or actor.id
    if user_id is None or not provider.gated_purposes(RELATION_INVOLVED_OUTSIDE_TEAM):
        return None
    if moment is None and not hasattr(provider, "condition_key"):
        moment = utcnow()
    now: Any = _NOW if moment is None else moment
    today: Any = _TODAY if moment is None else moment.date()
    recipients = recipients_of(user_id, today)

    def covered(subject: ColumnElement[Any]) -> ColumnElement[bool]:
        return provider.shared_condition(
            RELATION_INVOLVED_OUTSIDE_TEAM, subject, recipients, now, actor_id=user_id
        )

    # Aliases: the enclosing query may itself select from these tables.
    named, member = _GATE_NAMED, _GATE_MEMBER
    names_someone = select(named.person_id).where(named.case_id == Case.id).exists()
    named_covered = (
        ~select(named.person_id).where(named.case_id == Case.id, ~covered(named.person_id)).exists()
    )
    household_covered = (
        ~select(member.person_id)
        .where(
            member.household_id == Case.household_id,
            member.start_on <= today,
            or_(member.end_on.is_(None), member.end_on > today),
            ~covered(member.person_id),
        )
        .exists()
    )
    return or_(and_(names_someone, named_covered), and_(~names_someone, household_covered))


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
    return case_subject_ids_of([case])[case.id]


def case_subject_ids_of(
    cases: Sequence[Case], concerned: Mapping[uuid.UUID, Sequence[uuid.UUID]] | None = None
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """`case_subject_ids` of each case, in two queries at most; `concerned` (the persons
    each case concerns) saves the first when the caller has read them already."""
    session = db_session()
    if concerned is None:
        found: dict[uuid.UUID, list[uuid.UUID]] = {case.id: [] for case in cases}
        rows = session.execute(
            select(CasePerson.case_id, CasePerson.person_id).where(
                CasePerson.case_id.in_(list(found))
            )
        )
        for case_id, person_id in rows:
            found[case_id].append(person_id)
        concerned = found
    ids = {case.id: list(concerned.get(case.id, ())) for case in cases}
    unnamed = {case.household_id for case in cases if not ids[case.id]}
    if unnamed:
        members: dict[uuid.UUID, list[uuid.UUID]] = {}
        for household_id, person_id in session.execute(
            select(HouseholdMember.household_id, HouseholdMember.person_id).where(
                HouseholdMember.household_id.in_(unnamed)
            )
        ):
            members.setdefault(household_id, []).append(person_id)
        for case in cases:
            if not ids[case.id]:
                ids[case.id] = members.get(case.household_id, [])
    return {case_id: sorted(set(person_ids)) for case_id, person_ids in ids.items()}


def persons_related(actor: Actor) -> ColumnElement[bool] | None:
    """The person relation case management contributes to core: members of the households
    of the cases the actor is related to (a current member of the case's team, its case
    manager, an involved professional, or holding case read where the case's team works),
    and the persons those cases concern. The relation is need-to-know, not a permission:
    core still requires `core.person.read`, so a token narrowed to that scope sees the
    same persons as its user."""
    if actor.kind is not ActorKind.USER or actor.id is None:
        return None
    gate = _gate_key()
    if gate is None:
        return _persons_related(actor, utcnow())
    return _cached_persons_related(actor, gate)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_persons_related(actor: Actor, gate: Hashable) -> ColumnElement[bool]:
    return _persons_related(actor, None)


def _persons_related(actor: Actor, moment: dt.datetime | None) -> ColumnElement[bool]:
    """`persons_related` built at `moment`, or with None for the moment of execution."""
    # visible_cases already holds the personal relations; without case read they stand alone.
    relations = (
        [_visible_cases(actor, READ, True, moment)]
        if actor.holds(READ)
        else _personal_relations(actor, moment=moment)
    )
    if actor.team_ids:
        relations.append(Case.team_id.in_(actor.team_ids))
    cases = or_(*relations)
    # Correlated EXISTS from the person (not `Person.id IN (all related persons)`): under
    # the OR of core's relations an IN cannot become a join, so PostgreSQL computed every
    # related person of the whole database for each search or detail check. Correlated on
    # `Person` only, with aliases, so an enclosing query over households or cases does not
    # capture the tables of this one.
    member, named = _RELATED_MEMBER, _RELATED_NAMED
    return or_(
        select(member.person_id)
        .join(Case, Case.household_id == member.household_id)
        .where(member.person_id == Person.id, cases)
        .correlate(Person)
        .exists(),
        select(named.person_id)
        .join(Case, Case.id == named.case_id)
        .where(named.person_id == Person.id, cases)
        .correlate(Person)
        .exists(),
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
