"""Cases: creating and changing them, the status workflow (with its history), transfers to
another team or case manager, and the involved parties.

Every function takes the acting `Actor`, finds the case through `access.load_case` (so a
case the actor may not see is `NotFound`), flushes but never commits, and records the audit
log for every data subject of the case. Errors are the capability's: `NotFound`,
`Refused` naming the field, `Stale` for an outdated `expected_version`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, false, or_, select
from sqlalchemy.orm.exc import StaleDataError

from openregie_casemanagement import codes
from openregie_casemanagement.access import (
    READ,
    TRANSFER,
    WRITE,
    case_subject_ids,
    load_case,
    visible_cases,
)
from openregie_casemanagement.models import (
    Case,
    CaseLifeDomain,
    CasePerson,
    Involvement,
    Transition,
)
from openregie_casemanagement.services.common import (
    MODULE,
    audit_case,
    check_version,
    code,
    text,
    today,
)
from openregie_sdk import Actor, ActorKind, audit, db_session, person_visibility
from openregie_sdk.capabilities.casemanagement import NotFound, Refused, Stale
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Area, HouseholdMember, Membership, Person, Team, team_area
from openregie_sdk.users import find_users, users

# Who may be named as an involved professional: any active account of these kinds, from
# any organisation, in a team or not (found through the SDK's user directory).
PROFESSIONAL_KINDS = ("professional", "team_lead")
EDITABLE = (
    "title",
    "referral_source",
    "referral_reason",
    "urgency",
    "life_domains",
    "person_ids",
    "evaluation_due_on",
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- reading -------------------------------------------------------------------------------


def read_case(actor: Actor, case_id: uuid.UUID) -> Case:
    """The case for showing it to `actor`; the read is audited per data subject."""
    case = load_case(case_id, actor, READ)
    audit_case(case, "read", READ)
    return case


def case_persons(case: Case) -> list[Person]:
    """The persons the case concerns, oldest first."""
    return list(
        db_session().scalars(
            select(Person)
            .join(CasePerson, CasePerson.person_id == Person.id)
            .where(CasePerson.case_id == case.id)
            .order_by(Person.birth_date, Person.voornamen)
        )
    )


def case_life_domains(case: Case) -> list[str]:
    """The life domain codes of the case, in the matrix's order."""
    chosen = set(
        db_session().scalars(
            select(CaseLifeDomain.life_domain).where(CaseLifeDomain.case_id == case.id)
        )
    )
    return [d for d in codes.LIFE_DOMAINS if d in chosen]


def involvements(case: Case, *, active_only: bool = False) -> list[Involvement]:
    """The involved parties of the case, active first, then by name."""
    query = select(Involvement).where(Involvement.case_id == case.id)
    if active_only:
        query = query.where(Involvement.active.is_(True))
    return list(db_session().scalars(query.order_by(Involvement.active.desc(), Involvement.name)))


def history(case: Case) -> list[Transition]:
    """Every transition of the case, oldest first."""
    return list(
        db_session().scalars(
            select(Transition)
            .where(Transition.case_id == case.id)
            .order_by(Transition.at, Transition.id)
        )
    )


def may_transfer(actor: Actor, case: Case) -> bool:
    """Whether `actor` may transfer this case (team leads of its team, by default)."""
    if not actor.holds(TRANSFER):
        return False
    found = db_session().scalar(
        select(Case.id).where(Case.id == case.id, visible_cases(actor, TRANSFER))
    )
    return found is not None


def next_statuses(case: Case) -> tuple[str, ...]:
    """The statuses the case may go to from its current one (reopening aside)."""
    return codes.TRANSITIONS.get(case.status, ())


def current_team_members(team_ids: Iterable[uuid.UUID] | None = None) -> list[tuple[Any, ...]]:
    """(team id, team name, user id) of every current membership, of these teams or all."""
    day = today()
    query = (
        select(Team.id, Team.name, Membership.user_id)
        .join(Membership, Membership.team_id == Team.id)
        .where(
            Membership.start_on <= day,
            or_(Membership.end_on.is_(None), Membership.end_on > day),
        )
        .order_by(Team.name)
    )
    if team_ids is not None:
        query = query.where(Team.id.in_(list(team_ids)))
    return [tuple(row) for row in db_session().execute(query)]


def find_professionals(name: str, limit: int = 25) -> list[tuple[uuid.UUID, str]]:
    """Active professionals whose name contains `name` (at least two characters), as
    (user id, name), by name."""
    if len(name.strip()) < 2:
        return []
    return find_users(name, kinds=PROFESSIONAL_KINDS, limit=limit)


# -- validation ----------------------------------------------------------------------------


def _uuid(value: Any, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise Refused("Dit is geen geldige verwijzing.", field) from None


def _is_member(user_id: uuid.UUID, team_id: uuid.UUID) -> bool:
    day = today()
    return (
        db_session().scalar(
            select(Membership.id)
            .where(
                Membership.user_id == user_id,
                Membership.team_id == team_id,
                Membership.start_on <= day,
                or_(Membership.end_on.is_(None), Membership.end_on > day),
            )
            .limit(1)
        )
        is not None
    )


def _case_manager(value: Any, team_id: uuid.UUID) -> uuid.UUID:
    user_id = _uuid(value, "case_manager_id")
    if not _is_member(user_id, team_id):
        raise Refused("De casusregisseur moet een huidig lid van het team zijn.", "case_manager_id")
    return user_id


def _persons(household_id: uuid.UUID, person_ids: Any) -> list[uuid.UUID]:
    """The persons concerned: at least one, each a current member of the household."""
    if person_ids is None or isinstance(person_ids, str | bytes):
        raise Refused("Kies de personen om wie het gaat.", "person_ids")
    ids = sorted({_uuid(p, "person_ids") for p in person_ids})
    if not ids:
        raise Refused("Kies minstens één persoon om wie het gaat.", "person_ids")
    day = today()
    members = set(
        db_session().scalars(
            select(HouseholdMember.person_id).where(
                HouseholdMember.household_id == household_id,
                HouseholdMember.person_id.in_(ids),
                HouseholdMember.start_on <= day,
                or_(HouseholdMember.end_on.is_(None), HouseholdMember.end_on > day),
            )
        )
    )
    if set(ids) - members:
        raise Refused("Kies alleen huidige leden van het huishouden.", "person_ids")
    return ids


def _life_domains(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str | bytes):
        raise Refused("Geef een lijst van leefgebieden.", "life_domains")
    chosen = {code(v, "life_domains", codes.LIFE_DOMAINS) for v in values}
    return [d for d in codes.LIFE_DOMAINS if d in chosen]


def _date(value: Any, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Refused("Dit is geen geldige datum (jjjj-mm-dd).", field) from None


def _may_write_for_team(actor: Actor, team_id: uuid.UUID) -> bool:
    if actor.kind is ActorKind.SYSTEM:
        return True
    if actor.kind is not ActorKind.USER or not actor.holds(WRITE):
        return False
    scope = actor.scope_of(WRITE)
    if scope.everywhere or team_id in scope.team_ids:
        return True
    if scope.municipality_ids:
        served = db_session().scalar(
            select(team_area.c.team_id)
            .join(Area, Area.id == team_area.c.area_id)
            .where(team_area.c.team_id == team_id, Area.municipality_id.in_(scope.municipality_ids))
            .limit(1)
        )
        return served is not None
    return False


def teams_for_new_case(actor: Actor) -> list[Team]:
    """The teams `actor` may open a case for: their own teams (with the write permission),
    every team when they hold it installation-wide."""
    if actor.kind is ActorKind.SYSTEM or actor.scope_of(WRITE).everywhere:
        return list(db_session().scalars(select(Team).order_by(Team.name)))
    scope = actor.scope_of(WRITE)
    conditions = []
    if scope.team_ids:
        conditions.append(Team.id.in_(scope.team_ids))
    if scope.municipality_ids:
        conditions.append(
            Team.id.in_(
                select(team_area.c.team_id)
                .join(Area, Area.id == team_area.c.area_id)
                .where(Area.municipality_id.in_(scope.municipality_ids))
            )
        )
    if not conditions:
        return []
    return list(db_session().scalars(select(Team).where(or_(*conditions)).order_by(Team.name)))


def visible_household_members(actor: Actor, household_id: uuid.UUID) -> list[Person]:
    """The current members of the household the actor may see (core's person visibility)."""
    day = today()
    visible = person_visibility() if actor.kind is not ActorKind.SYSTEM else None
    query = (
        select(Person)
        .join(HouseholdMember, HouseholdMember.person_id == Person.id)
        .where(
            HouseholdMember.household_id == household_id,
            HouseholdMember.start_on <= day,
            or_(HouseholdMember.end_on.is_(None), HouseholdMember.end_on > day),
        )
        .order_by(Person.birth_date, Person.voornamen)
    )
    if visible is not None:
        query = query.where(visible)
    return list(db_session().scalars(query).unique())


def _flush(what: str = "Deze casus") -> None:
    """Flush; the mapper's version check catching a concurrent change becomes `Stale`."""
    try:
        db_session().flush()
    except StaleDataError:
        db_session().rollback()
        raise Stale(
            f"{what} is zojuist door iemand anders gewijzigd. Er is niets opgeslagen; laad "
            "opnieuw en pas uw wijziging opnieuw toe.",
            current_version=0,
        ) from None


def _touch(case: Case) -> None:
    """Make the flush update the case row, so its version grows."""
    case.updated_at = utcnow()


def _label(status: str | None) -> str:
    return codes.STATUSES.get(status or "", status or "")


# -- creating and changing -----------------------------------------------------------------


def create_case(
    actor: Actor,
    *,
    household_id: uuid.UUID,
    team_id: uuid.UUID,
    title: str,
    person_ids: Sequence[uuid.UUID],
    referral_source: str,
    referral_reason: str,
    urgency: str,
    life_domains: Sequence[str],
    case_manager_id: uuid.UUID | None = None,
) -> Case:
    """Open a case (status "aanmelding") for a household the actor can see, for a team they
    may write for; the creator is the case manager unless another member of the team is
    named."""
    session = db_session()
    household_id = _uuid(household_id, "household_id")
    if actor.kind is not ActorKind.SYSTEM and not visible_household_members(actor, household_id):
        raise NotFound("Dit huishouden bestaat niet of is niet voor u zichtbaar.", "household_id")
    team_id = _uuid(team_id, "team_id")
    if session.get(Team, team_id) is None:
        raise Refused("Kies een bestaand team.", "team_id")
    if not _may_write_for_team(actor, team_id):
        raise Refused("U kunt geen casus openen voor dit team.", "team_id")
    values = {
        "title": text(title, "title", max_length=200),
        "referral_source": code(referral_source, "referral_source", codes.REFERRAL_SOURCES),
        "referral_reason": text(referral_reason, "referral_reason", max_length=4000),
        "urgency": code(urgency, "urgency", codes.URGENCIES),
    }
    domains = _life_domains(life_domains)
    persons = _persons(household_id, person_ids)
    manager = _case_manager(case_manager_id or actor.id, team_id)
    case = Case(
        household_id=household_id,
        team_id=team_id,
        case_manager_id=manager,
        status="aanmelding",
        opened_on=today(),
        **values,
    )
    session.add(case)
    session.flush()
    session.add_all([CasePerson(case_id=case.id, person_id=p) for p in persons])
    session.add_all([CaseLifeDomain(case_id=case.id, life_domain=d) for d in domains])
    session.add(
        Transition(
            case_id=case.id,
            kind="status",
            from_status=None,
            to_status="aanmelding",
            to_team_id=team_id,
            reason="",
            by_user_id=actor.id,
        )
    )
    session.flush()
    audit_case(case, "create", WRITE)
    return case


def update_case(
    actor: Actor, case_id: uuid.UUID, *, expected_version: int | None, **fields: Any
) -> Case:
    """Change the case's facts (`EDITABLE`); only the fields given change. `expected_version`
    is the version the change is based on: a newer case gives `Stale`, nothing changes."""
    case = load_case(case_id, actor, WRITE)
    check_version(case.version, expected_version, "Deze casus")
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise Refused("Dit veld kan niet worden gewijzigd.", unknown[0])
    session = db_session()
    before = case_subject_ids(case)
    if "title" in fields:
        case.title = text(fields["title"], "title", max_length=200)
    if "referral_source" in fields:
        case.referral_source = code(
            fields["referral_source"], "referral_source", codes.REFERRAL_SOURCES
        )
    if "referral_reason" in fields:
        case.referral_reason = text(fields["referral_reason"], "referral_reason", max_length=4000)
    if "urgency" in fields:
        case.urgency = code(fields["urgency"], "urgency", codes.URGENCIES)
    if "evaluation_due_on" in fields:
        case.evaluation_due_on = _date(fields["evaluation_due_on"], "evaluation_due_on")
    if "life_domains" in fields:
        domains = _life_domains(fields["life_domains"])
        session.execute(delete(CaseLifeDomain).where(CaseLifeDomain.case_id == case.id))
        session.add_all([CaseLifeDomain(case_id=case.id, life_domain=d) for d in domains])
    if "person_ids" in fields:
        persons = _persons(case.household_id, fields["person_ids"])
        session.execute(delete(CasePerson).where(CasePerson.case_id == case.id))
        session.add_all([CasePerson(case_id=case.id, person_id=p) for p in persons])
    _touch(case)
    _flush()
    # Removed persons were processed too: record the change for them as well.
    audit.record(
        "update", WRITE, "person", sorted(set(before) | set(case_subject_ids(case))), module=MODULE
    )
    return case


# -- the workflow --------------------------------------------------------------------------


def transition(
    actor: Actor,
    case_id: uuid.UUID,
    to_status: str,
    *,
    expected_version: int | None = None,
    reason: str = "",
    closure_reason: str | None = None,
) -> Case:
    """Move the case to `to_status` if `codes.TRANSITIONS` allows it from its status
    (Refused naming "status" otherwise). Closing needs a `closure_reason` from
    `codes.CLOSURE_REASONS` ("anders" also needs a `reason`)."""
    case = load_case(case_id, actor, WRITE)
    check_version(case.version, expected_version, "Deze casus")
    to_status = code(to_status, "status", codes.STATUSES)
    if to_status not in next_statuses(case):
        raise Refused(
            f"Een casus met status {_label(case.status)} kan niet naar {_label(to_status)}."
            + (" Een afgesloten casus kunt u heropenen." if case.status == codes.CLOSED else ""),
            "status",
        )
    note = text(reason, "reason", max_length=2000, required=False)
    if to_status == codes.CLOSED:
        if not closure_reason:
            raise Refused("Kies een reden van afsluiten.", "closure_reason")
        closure_reason = code(closure_reason, "closure_reason", codes.CLOSURE_REASONS)
        if closure_reason == "anders" and not note:
            raise Refused("Licht de reden van afsluiten toe.", "reason")
        case.closure_reason = closure_reason
        case.closed_on = today()
    elif closure_reason:
        raise Refused("Een reden van afsluiten hoort alleen bij afsluiten.", "closure_reason")
    db_session().add(
        Transition(
            case_id=case.id,
            kind="status",
            from_status=case.status,
            to_status=to_status,
            reason=note,
            by_user_id=actor.id,
        )
    )
    case.status = to_status
    _touch(case)
    _flush()
    audit_case(case, "update", WRITE)
    return case


def reopen(
    actor: Actor, case_id: uuid.UUID, reason: str, *, expected_version: int | None = None
) -> Case:
    """Reopen a closed case: back to intake, with a reason (required)."""
    case = load_case(case_id, actor, WRITE)
    check_version(case.version, expected_version, "Deze casus")
    if case.status != codes.CLOSED:
        raise Refused("Alleen een afgesloten casus kan worden heropend.", "status")
    note = text(reason, "reason", max_length=2000)
    db_session().add(
        Transition(
            case_id=case.id,
            kind="reopen",
            from_status=case.status,
            to_status=codes.REOPEN_TO,
            reason=note,
            by_user_id=actor.id,
        )
    )
    case.status = codes.REOPEN_TO
    case.closed_on = None
    case.closure_reason = None
    _touch(case)
    _flush()
    audit_case(case, "update", WRITE)
    return case


def transfer(
    actor: Actor,
    case_id: uuid.UUID,
    *,
    team_id: uuid.UUID,
    case_manager_id: uuid.UUID,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Transfer the case to another team and/or case manager (needs
    `casemanagement.case.transfer` for the case: its team's team lead by default). The new
    case manager must be a current member of the target team."""
    case = load_case(case_id, actor, READ)
    if not may_transfer(actor, case):
        raise Refused("U mag deze casus niet overdragen.", "team_id")
    check_version(case.version, expected_version, "Deze casus")
    team_id = _uuid(team_id, "team_id")
    team = db_session().get(Team, team_id)
    if team is None:
        raise Refused("Kies een bestaand team.", "team_id")
    manager = _case_manager(case_manager_id, team_id)
    if team_id == case.team_id and manager == case.case_manager_id:
        raise Refused("Kies een ander team of een andere casusregisseur.", "team_id")
    note = text(reason, "reason", max_length=2000)
    if manager != case.case_manager_id:
        names = users([i for i in (case.case_manager_id, manager) if i])
        old = names.get(case.case_manager_id) if case.case_manager_id else None
        new = names.get(manager)
        note += (
            f"\nCasusregisseur: {old.display_name if old else 'geen'} → "
            f"{new.display_name if new else manager}"
        )
    db_session().add(
        Transition(
            case_id=case.id,
            kind="transfer",
            from_status=case.status,
            to_status=case.status,
            from_team_id=case.team_id,
            to_team_id=team_id,
            reason=note,
            by_user_id=actor.id,
        )
    )
    case.team_id = team_id
    case.case_manager_id = manager
    _touch(case)
    _flush()
    audit_case(case, "update", TRANSFER)
    return case


# -- involved parties ----------------------------------------------------------------------


def add_involvement(
    actor: Actor,
    case_id: uuid.UUID,
    *,
    kind: str,
    user_id: uuid.UUID | None = None,
    name: str | None = None,
    role: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    organisation_id: uuid.UUID | None = None,
) -> Involvement:
    """Involve a party: a professional (`user_id`: any active professional, from any
    organisation, in a team or not; they can see the case from then on) or an external
    party without a login (`name`, `role`, optionally `phone` and `email`)."""
    case = load_case(case_id, actor, WRITE)
    kind = code(kind, "kind", codes.INVOLVEMENT_KINDS)
    role_text = text(role, "role", max_length=200, required=False)
    session = db_session()
    if kind == "professional":
        if user_id is None:
            raise Refused("Kies een professional.", "user_id")
        user_id = _uuid(user_id, "user_id")
        info = users([user_id]).get(user_id)
        if info is None or not info.active or info.kind not in PROFESSIONAL_KINDS:
            raise Refused("Kies een actieve professional.", "user_id")
        already = session.scalar(
            select(Involvement.id).where(
                Involvement.case_id == case.id,
                Involvement.user_id == user_id,
                Involvement.active.is_(True),
            )
        )
        if already is not None or user_id == case.case_manager_id:
            raise Refused("Deze professional is al betrokken bij de casus.", "user_id")
        if organisation_id is None:
            organisation_id = session.scalar(
                select(Membership.home_organisation_id)
                .where(Membership.user_id == user_id, Membership.home_organisation_id.isnot(None))
                .limit(1)
            )
        involvement = Involvement(
            case_id=case.id,
            kind=kind,
            user_id=user_id,
            organisation_id=organisation_id,
            name=info.display_name,
            role=role_text,
            email=info.email,
        )
    else:
        if user_id is not None:
            raise Refused("Een externe betrokkene heeft geen account.", "user_id")
        phone_text = text(phone, "phone", max_length=30, required=False) or None
        email_text = text(email, "email", max_length=254, required=False) or None
        if email_text and not EMAIL.match(email_text):
            raise Refused("Dit is geen geldig e-mailadres.", "email")
        if phone_text and not re.fullmatch(r"[0-9+()\- ]{6,30}", phone_text):
            raise Refused("Dit is geen geldig telefoonnummer.", "phone")
        involvement = Involvement(
            case_id=case.id,
            kind=kind,
            name=text(name, "name", max_length=200),
            role=text(role, "role", max_length=200),
            phone=phone_text,
            email=email_text,
            organisation_id=organisation_id,
        )
    session.add(involvement)
    session.flush()
    audit_case(case, "update", WRITE)
    return involvement


def deactivate_involvement(
    actor: Actor, case_id: uuid.UUID, involvement_id: uuid.UUID
) -> Involvement:
    """End an involvement (it stays in the case's history; a professional loses access
    through it)."""
    case = load_case(case_id, actor, WRITE)
    involvement = db_session().scalar(
        select(Involvement).where(
            Involvement.id == _uuid(involvement_id, "involvement_id"),
            Involvement.case_id == case.id,
        )
    )
    if involvement is None:
        raise NotFound("Deze betrokkene hoort niet bij deze casus.", "involvement_id")
    if not involvement.active:
        raise Refused("Deze betrokkene is al niet meer betrokken.", "involvement_id")
    involvement.active = False
    db_session().flush()
    audit_case(case, "update", WRITE)
    return involvement


# -- panels --------------------------------------------------------------------------------


def visible_cases_of(
    actor: Actor, *, household_id: uuid.UUID | None = None, person_id: uuid.UUID | None = None
) -> list[Case]:
    """The cases of a household or concerning a person that `actor` may see, newest first."""
    query = select(Case).where(visible_cases(actor, READ))
    if household_id is not None:
        query = query.where(Case.household_id == household_id)
    elif person_id is not None:
        query = query.where(
            Case.id.in_(select(CasePerson.case_id).where(CasePerson.person_id == person_id))
        )
    else:
        query = query.where(false())
    return list(db_session().scalars(query.order_by(Case.opened_on.desc(), Case.created_at.desc())))


__all__ = [
    "EDITABLE",
    "add_involvement",
    "case_life_domains",
    "case_persons",
    "create_case",
    "deactivate_involvement",
    "find_professionals",
    "history",
    "involvements",
    "may_transfer",
    "read_case",
    "reopen",
    "teams_for_new_case",
    "transfer",
    "transition",
    "update_case",
    "visible_cases_of",
    "visible_household_members",
]
