"""One family, one plan: the plan of a case with its versions, goals, actions, the family's
proposals and the self-sufficiency matrix (ZRM).

Versioning. A case has one `Plan`; creating it makes version 1, a draft. Agreeing a draft
(`agree_plan`) stores a snapshot of the goals and actions, who agreed and what changed against
the previous agreed version, marks that previous version superseded and sets the case's
evaluation date. A *content* change (a goal's text, life domain, owner or target date; an
action's description, assignee or due date; adding, removing or accepting a proposal) while
the plan is agreed starts a new draft version; the agreed snapshot stays readable. *Progress*
(a goal's or action's status, a resident's comment) never starts a version: it is execution,
recorded on the row (`changed_at`, `changed_by`) and, for actions, as an `ActionEvent`.

Every content change also raises the plan's own `version`, so an agree form read before a
change is stale (409) and nobody agrees to a plan they have not seen.

Removing: a goal or action that never was in an agreed snapshot is deleted; one that was is
set to "cancelled" instead, so the agreed history and the "what changed" list stay true.

Staff functions take the acting `Actor`, check access (`access.load_case`) and audit every
read and write per data subject of the case. The resident functions (`propose_goal`,
`propose_action`, `resident_update_action`) and the read views (`plan_view`,
`plan_versions`, `plan_version_view`) serve the capability provider, whose caller decides
access; the resident writes are audited here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, select, union
from sqlalchemy.orm.attributes import flag_modified

from openregie_casemanagement.access import READ, WRITE, load_case
from openregie_casemanagement.codes import (
    ACTION_STATUSES,
    GOAL_STATUSES,
    LIFE_DOMAINS,
    PARTY_KINDS,
    ZRM_MOMENTS,
    ZRM_SCORES,
)
from openregie_casemanagement.models import (
    Action,
    ActionEvent,
    Case,
    CasePerson,
    Goal,
    Involvement,
    Plan,
    PlanVersion,
    ZrmAssessment,
    ZrmScore,
)
from openregie_casemanagement.services.common import (
    actor_name,
    audit_case,
    check_version,
    code,
    today,
)
from openregie_casemanagement.services.common import text as clean_text
from openregie_sdk import Actor, ActorKind, db_session, module_settings
from openregie_sdk.capabilities.casemanagement import (
    RESIDENT_ACTION_STATUSES,
    ActionView,
    GoalView,
    NotFound,
    Party,
    PlanVersionSummary,
    PlanView,
    Refused,
)
from openregie_sdk.db import utcnow
from openregie_sdk.registry import HouseholdMember, Membership, Person
from openregie_sdk.users import users

RESIDENT_ACTIVITY = "casemanagement.resident.write"
"""The processing activity of a resident's own plan changes (from the portal)."""
PLAN_CONTENT = (None, "accepted")
"""Proposal states of goals and actions that are part of the plan's content."""
MAX_TEXT = 2000


# -- parties ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRef:
    """A goal's owner or an action's assignee as input: kind and id (a person id for a
    resident, a user id for a professional, an involvement id for an external party)."""

    kind: str
    id: uuid.UUID

    @classmethod
    def parse(cls, value: str | None, field: str) -> PartyRef | None:
        """ "kind:uuid" (as the web forms send it) or empty for none."""
        if not value:
            return None
        kind, _, raw = value.partition(":")
        try:
            return cls(kind, uuid.UUID(raw))
        except ValueError:
            raise Refused("Kies een van de mogelijkheden.", field) from None

    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class PartyOption:
    ref: PartyRef
    name: str


def household_residents(case: Case, on: dt.date | None = None) -> list[tuple[uuid.UUID, str]]:
    """(person id, full name) of the household's members on `on` (today) and the persons
    the case concerns, by name."""
    day = on or today()
    session = db_session()
    rows = session.execute(
        select(Person.id, Person.voornamen, Person.voorvoegsel, Person.geslachtsnaam)
        .where(
            # One IN over a UNION, which the database joins by key: two INs ORed together
            # made PostgreSQL scan every person of the installation.
            Person.id.in_(
                union(
                    select(HouseholdMember.person_id).where(
                        HouseholdMember.household_id == case.household_id,
                        HouseholdMember.start_on <= day,
                        (HouseholdMember.end_on.is_(None)) | (HouseholdMember.end_on > day),
                    ),
                    select(CasePerson.person_id).where(CasePerson.case_id == case.id),
                )
            )
        )
        .order_by(Person.voornamen)
    ).all()
    return [(r.id, " ".join(p for p in (r[1], r[2], r[3]) if p)) for r in rows]


def party_options(case: Case) -> list[PartyOption]:
    """Who may own a goal or be assigned an action: the family, the case manager, the
    team's current members, involved professionals and external parties."""
    session = db_session()
    options = [
        PartyOption(PartyRef("resident", pid), name) for pid, name in household_residents(case)
    ]
    user_ids: list[uuid.UUID] = []
    if case.case_manager_id:
        user_ids.append(case.case_manager_id)
    day = today()
    user_ids += session.scalars(
        select(Membership.user_id).where(
            Membership.team_id == case.team_id,
            Membership.start_on <= day,
            (Membership.end_on.is_(None)) | (Membership.end_on > day),
        )
    )
    involvements = session.scalars(
        select(Involvement)
        .where(Involvement.case_id == case.id, Involvement.active.is_(True))
        .order_by(Involvement.name)
    ).all()
    user_ids += [i.user_id for i in involvements if i.kind == "professional" and i.user_id]
    known = users(dict.fromkeys(user_ids))
    professionals = sorted(
        (u for u in known.values() if u.active), key=lambda u: u.display_name.lower()
    )
    options += [PartyOption(PartyRef("professional", u.id), u.display_name) for u in professionals]
    options += [
        PartyOption(PartyRef("external", i.id), f"{i.name} ({i.role})" if i.role else i.name)
        for i in involvements
        if i.kind == "external"
    ]
    return options


def _check_party(case: Case, party: PartyRef | None, field: str) -> PartyRef | None:
    if party is None:
        return None
    code(party.kind, field, PARTY_KINDS)
    if party.id not in {o.ref.id for o in party_options(case) if o.ref.kind == party.kind}:
        raise Refused("Kies een gezinslid, professional of betrokkene van deze casus.", field)
    return party


def _set_owner(goal: Goal, party: PartyRef | None) -> None:
    goal.owner_kind = party.kind if party else None
    goal.owner_person_id = party.id if party and party.kind == "resident" else None
    goal.owner_user_id = party.id if party and party.kind == "professional" else None
    goal.owner_involvement_id = party.id if party and party.kind == "external" else None


def _set_assignee(action: Action, party: PartyRef | None) -> None:
    action.assignee_kind = party.kind if party else None
    action.assignee_person_id = party.id if party and party.kind == "resident" else None
    action.assignee_user_id = party.id if party and party.kind == "professional" else None
    action.assignee_involvement_id = party.id if party and party.kind == "external" else None


def owner_of(goal: Goal) -> PartyRef | None:
    pid = goal.owner_person_id or goal.owner_user_id or goal.owner_involvement_id
    return PartyRef(goal.owner_kind, pid) if goal.owner_kind and pid else None


def assignee_of(action: Action) -> PartyRef | None:
    pid = action.assignee_person_id or action.assignee_user_id or action.assignee_involvement_id
    return PartyRef(action.assignee_kind, pid) if action.assignee_kind and pid else None


class PartyNames:
    """Names of parties, looked up in three queries at most."""

    def __init__(self, refs: Iterable[PartyRef | None]) -> None:
        wanted: dict[str, set[uuid.UUID]] = {
            "resident": set(),
            "professional": set(),
            "external": set(),
        }
        for ref in refs:
            if ref is not None and ref.kind in wanted:
                wanted[ref.kind].add(ref.id)
        session = db_session()
        self.names: dict[tuple[str, uuid.UUID], str] = {}
        if wanted["resident"]:
            for p in session.scalars(select(Person).where(Person.id.in_(wanted["resident"]))):
                self.names["resident", p.id] = p.full_name
        if wanted["professional"]:
            for u in users(wanted["professional"]).values():
                self.names["professional", u.id] = u.display_name
        if wanted["external"]:
            for i in session.scalars(
                select(Involvement).where(Involvement.id.in_(wanted["external"]))
            ):
                self.names["external", i.id] = i.name

    def name(self, ref: PartyRef | None) -> str:
        if ref is None:
            return ""
        return self.names.get((ref.kind, ref.id), "onbekend")

    def party(self, ref: PartyRef | None) -> Party | None:
        if ref is None:
            return None
        return Party(kind=ref.kind, id=ref.id, name=self.name(ref))  # type: ignore[arg-type]


# -- loading ----------------------------------------------------------------------------------


def plan_of(case: Case) -> Plan | None:
    return db_session().scalar(select(Plan).where(Plan.case_id == case.id))


def _goals(plan: Plan) -> list[Goal]:
    return list(
        db_session().scalars(
            select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.created_at, Goal.id)
        )
    )


def _actions(case: Case) -> list[Action]:
    return list(
        db_session().scalars(
            select(Action)
            .where(Action.case_id == case.id)
            .order_by(Action.due_on.is_(None), Action.due_on, Action.created_at, Action.id)
        )
    )


def _versions(plan: Plan) -> list[PlanVersion]:
    return list(
        db_session().scalars(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.number.desc())
        )
    )


def _goal_in_case(goal_id: uuid.UUID, actor: Actor, permission: str) -> tuple[Case, Plan, Goal]:
    session = db_session()
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("Dit doel bestaat niet.", "goal_id")
    plan = session.get(Plan, goal.plan_id)
    assert plan is not None
    case = load_case(plan.case_id, actor, permission)
    return case, plan, goal


def _action_in_case(
    action_id: uuid.UUID, actor: Actor, permission: str
) -> tuple[Case, Plan, Goal, Action]:
    session = db_session()
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound("Deze actie bestaat niet.", "action_id")
    case, plan, goal = _goal_in_case(action.goal_id, actor, permission)
    return case, plan, goal, action


def case_of_goal(goal: Goal) -> Case:
    """The case a goal belongs to (for the provider; no access check)."""
    session = db_session()
    plan = session.get(Plan, goal.plan_id)
    case = session.get(Case, plan.case_id) if plan else None
    if case is None:
        raise NotFound("Dit doel bestaat niet.", "goal_id")
    return case


def _require_plan(case: Case) -> Plan:
    plan = plan_of(case)
    if plan is None:
        raise NotFound("Deze casus heeft nog geen plan.", "case_id")
    return plan


# -- versions ---------------------------------------------------------------------------------


def _content_changed(plan: Plan, by: str, by_user_id: uuid.UUID | None) -> None:
    """A change of the plan's content: an agreed plan gets a new draft version; the plan's
    own version grows either way (so an agree form read before this change is stale)."""
    if plan.state == "agreed":
        plan.current_number += 1
        plan.state = "draft"
        db_session().add(
            PlanVersion(
                plan_id=plan.id,
                number=plan.current_number,
                state="draft",
                started_by_user_id=by_user_id,
                agreed_by=[],
                changes=[],
            )
        )
    else:
        flag_modified(plan, "state")


def _was_agreed(plan: Plan, kind: str, item_id: uuid.UUID) -> bool:
    """Whether a goal or action is in any agreed snapshot of the plan."""
    wanted = str(item_id)
    for snapshot in db_session().scalars(
        select(PlanVersion.snapshot).where(
            PlanVersion.plan_id == plan.id, PlanVersion.snapshot.is_not(None)
        )
    ):
        for goal in (snapshot or {}).get("goals", []):
            if kind == "goal" and goal["id"] == wanted:
                return True
            if kind == "action" and any(a["id"] == wanted for a in goal.get("actions", [])):
                return True
    return False


def _is_content(item: Goal | Action) -> bool:
    return item.proposal in PLAN_CONTENT


def _snapshot(case: Case, plan: Plan) -> dict[str, Any]:
    """The plan's content now (goals and actions, with names), as stored at agreement."""
    goals, actions = _goals(plan), _actions(case)
    return _content_snapshot(goals, actions, _names_of(goals, actions))


def _names_of(goals: Iterable[Goal], actions: Iterable[Action]) -> PartyNames:
    return PartyNames([owner_of(g) for g in goals] + [assignee_of(a) for a in actions])


def _content_snapshot(
    goals: Iterable[Goal], actions: Iterable[Action], names: PartyNames
) -> dict[str, Any]:
    """The snapshot of the content among `goals` and `actions` (proposals left out);
    `names` covers their parties."""
    goals = [g for g in goals if _is_content(g)]
    actions = [a for a in actions if _is_content(a)]
    by_goal: dict[uuid.UUID, list[Action]] = {}
    for action in actions:
        by_goal.setdefault(action.goal_id, []).append(action)

    def party(ref: PartyRef | None) -> dict[str, Any] | None:
        return {"kind": ref.kind, "id": str(ref.id), "name": names.name(ref)} if ref else None

    def when(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "goals": [
            {
                "id": str(g.id),
                "life_domain": g.life_domain,
                "text": g.text,
                "owner": party(owner_of(g)),
                "status": g.status,
                "target_date": when(g.target_date),
                "proposal": g.proposal,
                "proposed_by_person_id": str(g.proposed_by_person_id)
                if g.proposed_by_person_id
                else None,
                "version": g.version,
                "actions": [
                    {
                        "id": str(a.id),
                        "description": a.description,
                        "assignee": party(assignee_of(a)),
                        "due_on": when(a.due_on),
                        "status": a.status,
                        "proposal": a.proposal,
                        "proposed_by_person_id": str(a.proposed_by_person_id)
                        if a.proposed_by_person_id
                        else None,
                        "resident_comment": a.resident_comment,
                        "changed_at": a.changed_at.isoformat(),
                        "changed_by": a.changed_by,
                        "version": a.version,
                    }
                    for a in by_goal.get(g.id, [])
                ],
            }
            for g in goals
        ]
    }


def _date_nl(value: str | None) -> str:
    if not value:
        return "geen"
    return dt.date.fromisoformat(value).strftime("%d-%m-%Y")


def _party_nl(value: dict[str, Any] | None) -> str:
    return value["name"] if value else "niemand"


def _party_key(value: dict[str, Any] | None) -> tuple[str, str] | None:
    return (value["kind"], value["id"]) if value else None


def describe_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Dutch sentences saying what changed between two snapshots (`before` None: the first
    agreed version)."""
    if before is None:
        return ["Eerste vastgestelde versie van het plan."]
    changes: list[str] = []
    old_goals = {g["id"]: g for g in before.get("goals", [])}
    new_goals = {g["id"]: g for g in after.get("goals", [])}
    old_actions = {a["id"]: (a, g) for g in old_goals.values() for a in g.get("actions", [])}
    new_actions = {a["id"]: (a, g) for g in new_goals.values() for a in g.get("actions", [])}

    def gone(item: dict[str, Any] | None) -> bool:
        return item is None or item["status"] == "cancelled"

    for gid, goal in new_goals.items():
        old = old_goals.get(gid)
        label = LIFE_DOMAINS.get(goal["life_domain"], goal["life_domain"])
        if gone(old) and not gone(goal):
            changes.append(f"Doel toegevoegd ({label}): “{goal['text']}”.")
            continue
        if old is None or gone(goal):
            if old is not None and not gone(old):
                changes.append(f"Doel vervallen: “{old['text']}”.")
            continue
        if old["text"] != goal["text"]:
            changes.append(f"Doel “{old['text']}” gewijzigd in “{goal['text']}”.")
        if old["life_domain"] != goal["life_domain"]:
            was = LIFE_DOMAINS.get(old["life_domain"], old["life_domain"])
            changes.append(f"Leefgebied van doel “{goal['text']}” gewijzigd van {was} in {label}.")
        if _party_key(old["owner"]) != _party_key(goal["owner"]):
            changes.append(
                f"Eigenaar van doel “{goal['text']}” gewijzigd van {_party_nl(old['owner'])} "
                f"in {_party_nl(goal['owner'])}."
            )
        if old["target_date"] != goal["target_date"]:
            changes.append(
                f"Streefdatum van doel “{goal['text']}” gewijzigd van "
                f"{_date_nl(old['target_date'])} in {_date_nl(goal['target_date'])}."
            )
    for gid, old in old_goals.items():
        if gid not in new_goals and not gone(old):
            changes.append(f"Doel vervallen: “{old['text']}”.")

    for aid, (action, goal) in new_actions.items():
        old_pair = old_actions.get(aid)
        old = old_pair[0] if old_pair else None
        if gone(old) and not gone(action):
            changes.append(
                f"Actie toegevoegd bij doel “{goal['text']}”: “{action['description']}” "
                f"({_party_nl(action['assignee'])})."
            )
            continue
        if old is None or gone(action):
            if old is not None and not gone(old):
                changes.append(f"Actie vervallen: “{old['description']}”.")
            continue
        if old["description"] != action["description"]:
            changes.append(f"Actie “{old['description']}” gewijzigd in “{action['description']}”.")
        if _party_key(old["assignee"]) != _party_key(action["assignee"]):
            changes.append(
                f"Uitvoerder van actie “{action['description']}” gewijzigd van "
                f"{_party_nl(old['assignee'])} in {_party_nl(action['assignee'])}."
            )
        if old["due_on"] != action["due_on"]:
            changes.append(
                f"Datum van actie “{action['description']}” gewijzigd van "
                f"{_date_nl(old['due_on'])} in {_date_nl(action['due_on'])}."
            )
    for aid, (old, _goal) in old_actions.items():
        if aid not in new_actions and not gone(old):
            changes.append(f"Actie vervallen: “{old['description']}”.")
    return changes


def _last_agreed(plan: Plan) -> PlanVersion | None:
    return _last_agreed_of([plan.id]).get(plan.id)


def _last_agreed_of(plan_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PlanVersion]:
    """Per plan, its newest agreed (or since superseded) version, in one query."""
    if not plan_ids:
        return {}
    newest = (
        select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
        .where(PlanVersion.plan_id.in_(plan_ids), PlanVersion.state.in_(("agreed", "superseded")))
        .group_by(PlanVersion.plan_id)
        .subquery()
    )
    rows = db_session().scalars(
        select(PlanVersion).join(
            newest,
            and_(PlanVersion.plan_id == newest.c.plan_id, PlanVersion.number == newest.c.number),
        )
    )
    return {version.plan_id: version for version in rows}


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- staff: reading ---------------------------------------------------------------------------


@dataclass
class ActionRow:
    action: Action
    assignee: str
    events: list[ActionEvent] = field(default_factory=list)


@dataclass
class GoalRow:
    goal: Goal
    owner: str
    actions: list[ActionRow] = field(default_factory=list)


@dataclass
class PlanPage:
    """Everything the plan page shows."""

    case: Case
    plan: Plan | None
    goals: list[GoalRow]
    """The plan's content goals (their actions include the family's proposed ones, marked)."""
    proposals: list[GoalRow]
    """Goals the family proposed that are not (yet) plan content: proposed or discussed."""
    versions: list[PlanVersion]
    pending_changes: list[str]
    residents: list[tuple[uuid.UUID, str]]
    parties: list[PartyOption]


def plan_page(case_id: uuid.UUID, actor: Actor) -> PlanPage:
    """The plan of a case as the professional sees it (audited read)."""
    case = load_case(case_id, actor, READ)
    plan = plan_of(case)
    goal_rows: list[GoalRow] = []
    proposal_rows: list[GoalRow] = []
    versions: list[PlanVersion] = []
    pending: list[str] = []
    if plan is not None:
        goals = _goals(plan)
        actions = _actions(case)
        names = _names_of(goals, actions)
        events: dict[uuid.UUID, list[ActionEvent]] = {}
        if actions:
            for event in db_session().scalars(
                select(ActionEvent)
                .where(ActionEvent.action_id.in_([a.id for a in actions]))
                .order_by(ActionEvent.at.desc())
            ):
                events.setdefault(event.action_id, []).append(event)
        rows = {g.id: GoalRow(g, names.name(owner_of(g))) for g in goals}
        for action in actions:
            rows[action.goal_id].actions.append(
                ActionRow(action, names.name(assignee_of(action)), events.get(action.id, []))
            )
        for row in rows.values():
            (goal_rows if _is_content(row.goal) else proposal_rows).append(row)
        versions = _versions(plan)
        if plan.state == "draft":
            last = _last_agreed(plan)
            if last is not None:
                pending = describe_changes(last.snapshot, _content_snapshot(goals, actions, names))
    audit_case(case, "read", READ)
    return PlanPage(
        case=case,
        plan=plan,
        goals=goal_rows,
        proposals=proposal_rows,
        versions=versions,
        pending_changes=pending,
        residents=household_residents(case),
        parties=party_options(case),
    )


def version_record(case_id: uuid.UUID, number: int, actor: Actor) -> tuple[Case, PlanVersion]:
    """One version of a case's plan (audited read)."""
    case = load_case(case_id, actor, READ)
    plan = _require_plan(case)
    version = db_session().scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
    )
    if version is None:
        raise NotFound("Deze versie van het plan bestaat niet.", "number")
    audit_case(case, "read", READ)
    return case, version


def read_plan(case_id: uuid.UUID, actor: Actor) -> tuple[int, PlanView] | None:
    """The plan's own version (for agreeing) and the living plan as the capability's view
    (audited read), or None without a plan."""
    case = load_case(case_id, actor, READ)
    plan = plan_of(case)
    view = plan_view(case)
    audit_case(case, "read", READ)
    return (plan.version, view) if plan is not None and view is not None else None


def actions_of_goal(goal: Goal) -> list[Action]:
    return list(
        db_session().scalars(
            select(Action)
            .where(Action.goal_id == goal.id)
            .order_by(Action.due_on.is_(None), Action.due_on, Action.created_at, Action.id)
        )
    )


def read_versions(case_id: uuid.UUID, actor: Actor) -> list[PlanVersionSummary]:
    case = load_case(case_id, actor, READ)
    found = plan_versions(case)
    audit_case(case, "read", READ)
    return found


def read_version(case_id: uuid.UUID, number: int, actor: Actor) -> PlanView:
    case = load_case(case_id, actor, READ)
    view = plan_version_view(case, number)
    audit_case(case, "read", READ)
    return view


# -- staff: writing ---------------------------------------------------------------------------


def start_plan(case_id: uuid.UUID, actor: Actor) -> Plan:
    """Create the case's plan: version 1, a draft. Refused when it has one."""
    case = load_case(case_id, actor, WRITE)
    if plan_of(case) is not None:
        raise Refused("Deze casus heeft al een plan.", "case_id")
    plan = _create_plan(case, actor.id if actor.kind is ActorKind.USER else None)
    audit_case(case, "create", WRITE)
    return plan


def _create_plan(case: Case, by_user_id: uuid.UUID | None) -> Plan:
    session = db_session()
    plan = Plan(case_id=case.id, current_number=1, state="draft")
    session.add(plan)
    session.flush()
    session.add(
        PlanVersion(
            plan_id=plan.id,
            number=1,
            state="draft",
            started_by_user_id=by_user_id,
            agreed_by=[],
            changes=[],
        )
    )
    session.flush()
    return plan


def _plan_for_write(case: Case, actor: Actor) -> Plan:
    """The case's plan, created on first use (so a goal can be added straight away)."""
    return plan_of(case) or _create_plan(case, actor.id)


def _date(value: Any, field: str, *, not_after_today: bool = False) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, dt.date):
        raise Refused("Vul een geldige datum in.", field)
    if not_after_today and value > today():
        raise Refused("Deze datum mag niet in de toekomst liggen.", field)
    return value


def add_goal(
    case_id: uuid.UUID,
    actor: Actor,
    *,
    life_domain: str,
    text: str,
    owner: PartyRef | None = None,
    target_date: dt.date | None = None,
) -> Goal:
    """Add a goal to the plan (creating the plan when there is none): a content change."""
    case = load_case(case_id, actor, WRITE)
    domain = code(life_domain, "life_domain", LIFE_DOMAINS)
    words = clean_text(text, "text", max_length=MAX_TEXT)
    party = _check_party(case, owner, "owner")
    target = _date(target_date, "target_date")
    plan = _plan_for_write(case, actor)
    name = actor_name(actor)
    goal = Goal(
        plan_id=plan.id,
        life_domain=domain,
        text=words,
        status="open",
        target_date=target,
        changed_at=utcnow(),
        changed_by=name,
    )
    _set_owner(goal, party)
    db_session().add(goal)
    _content_changed(plan, name, actor.id)
    db_session().flush()
    audit_case(case, "create", WRITE)
    return goal


_UNSET: Any = object()


def update_goal(
    goal_id: uuid.UUID,
    actor: Actor,
    *,
    expected_version: int,
    life_domain: Any = _UNSET,
    text: Any = _UNSET,
    owner: Any = _UNSET,
    target_date: Any = _UNSET,
    status: Any = _UNSET,
) -> Goal:
    """Change a goal; only the fields given change. Its text, life domain, owner or target
    date is content (a new draft version of an agreed plan); its status is progress."""
    case, plan, goal = _goal_in_case(goal_id, actor, WRITE)
    check_version(goal.version, expected_version, "Dit doel")
    content = False
    if life_domain is not _UNSET:
        value = code(life_domain, "life_domain", LIFE_DOMAINS)
        content |= value != goal.life_domain
        goal.life_domain = value
    if text is not _UNSET:
        value = clean_text(text, "text", max_length=MAX_TEXT)
        content |= value != goal.text
        goal.text = value
    if owner is not _UNSET:
        party = _check_party(case, owner, "owner")
        content |= party != owner_of(goal)
        _set_owner(goal, party)
    if target_date is not _UNSET:
        value = _date(target_date, "target_date")
        content |= value != goal.target_date
        goal.target_date = value
    if status is not _UNSET:
        goal.status = code(status, "status", GOAL_STATUSES)
    name = actor_name(actor)
    goal.changed_at = utcnow()
    goal.changed_by = name
    if content and _is_content(goal):
        _content_changed(plan, name, actor.id)
    db_session().flush()
    audit_case(case, "update", WRITE)
    return goal


def remove_goal(goal_id: uuid.UUID, actor: Actor, *, expected_version: int) -> Goal | None:
    """Remove a goal: deleted (with its actions) when no agreed version holds it, else
    cancelled (it and its open actions). Returns the goal when cancelled, None when
    deleted."""
    case, plan, goal = _goal_in_case(goal_id, actor, WRITE)
    check_version(goal.version, expected_version, "Dit doel")
    session = db_session()
    name = actor_name(actor)
    content = _is_content(goal)
    actions = list(session.scalars(select(Action).where(Action.goal_id == goal.id)))
    if content:
        _content_changed(plan, name, actor.id)
    if _was_agreed(plan, "goal", goal.id):
        goal.status = "cancelled"
        goal.changed_at = utcnow()
        goal.changed_by = name
        for action in actions:
            if action.status in ("open", "in_progress"):
                _progress(action, actor, "cancelled")
        result: Goal | None = goal
    else:
        ids = [a.id for a in actions]
        if ids:
            session.execute(delete(ActionEvent).where(ActionEvent.action_id.in_(ids)))
            for action in actions:
                session.delete(action)
            session.flush()
        session.delete(goal)
        result = None
    session.flush()
    audit_case(case, "delete", WRITE)
    return result


def add_action(
    goal_id: uuid.UUID,
    actor: Actor,
    *,
    description: str,
    assignee: PartyRef | None = None,
    due_on: dt.date | None = None,
) -> Action:
    """Add an action towards a goal: a content change (unless the goal is itself a
    proposal, which is not plan content yet)."""
    case, plan, goal = _goal_in_case(goal_id, actor, WRITE)
    words = clean_text(description, "description", max_length=MAX_TEXT)
    party = _check_party(case, assignee, "assignee")
    due = _date(due_on, "due_on")
    name = actor_name(actor)
    action = Action(
        goal_id=goal.id,
        case_id=case.id,
        description=words,
        status="open",
        due_on=due,
        changed_at=utcnow(),
        changed_by=name,
    )
    _set_assignee(action, party)
    db_session().add(action)
    if _is_content(goal):
        _content_changed(plan, name, actor.id)
    db_session().flush()
    audit_case(case, "create", WRITE)
    return action


def _progress(action: Action, actor: Actor, status: str, comment: str | None = None) -> None:
    name = actor_name(actor)
    action.status = status
    action.changed_at = utcnow()
    action.changed_by = name
    db_session().add(
        ActionEvent(
            action_id=action.id,
            by_user_id=actor.id if actor.kind is ActorKind.USER else None,
            by_name=name,
            status=status,
            comment=comment,
        )
    )


def update_action(
    action_id: uuid.UUID,
    actor: Actor,
    *,
    expected_version: int,
    description: Any = _UNSET,
    assignee: Any = _UNSET,
    due_on: Any = _UNSET,
    status: Any = _UNSET,
) -> Action:
    """Change an action; only the fields given change. Description, assignee and due date
    are content (a new draft version of an agreed plan); the status is progress, recorded
    as an `ActionEvent`."""
    case, plan, goal, action = _action_in_case(action_id, actor, WRITE)
    check_version(action.version, expected_version, "Deze actie")
    content = False
    if description is not _UNSET:
        value = clean_text(description, "description", max_length=MAX_TEXT)
        content |= value != action.description
        action.description = value
    if assignee is not _UNSET:
        party = _check_party(case, assignee, "assignee")
        content |= party != assignee_of(action)
        _set_assignee(action, party)
    if due_on is not _UNSET:
        value = _date(due_on, "due_on")
        content |= value != action.due_on
        action.due_on = value
    name = actor_name(actor)
    if status is not _UNSET and code(status, "status", ACTION_STATUSES) != action.status:
        _progress(action, actor, status)
    action.changed_at = utcnow()
    action.changed_by = name
    if content and _is_content(action) and _is_content(goal):
        _content_changed(plan, name, actor.id)
    db_session().flush()
    audit_case(case, "update", WRITE)
    return action


def remove_action(action_id: uuid.UUID, actor: Actor, *, expected_version: int) -> Action | None:
    """Remove an action: deleted when no agreed version holds it, else cancelled."""
    case, plan, goal, action = _action_in_case(action_id, actor, WRITE)
    check_version(action.version, expected_version, "Deze actie")
    session = db_session()
    if _is_content(action) and _is_content(goal):
        _content_changed(plan, actor_name(actor), actor.id)
    if _was_agreed(plan, "action", action.id):
        _progress(action, actor, "cancelled")
        result: Action | None = action
    else:
        session.execute(delete(ActionEvent).where(ActionEvent.action_id == action.id))
        session.delete(action)
        result = None
    session.flush()
    audit_case(case, "delete", WRITE)
    return result


def decide_proposal(
    kind: str, item_id: uuid.UUID, actor: Actor, *, expected_version: int, decision: str
) -> Goal | Action:
    """The case manager accepts a family's proposal (it becomes plan content: a content
    change) or marks it discussed (visible to the family as "besproken, niet
    overgenomen", not part of the plan)."""
    code(decision, "decision", ("accepted", "discussed"))
    item: Goal | Action
    if kind == "goal":
        case, plan, item = _goal_in_case(item_id, actor, WRITE)
        goal = item
        what = "Dit doel"
    elif kind == "action":
        case, plan, goal, item = _action_in_case(item_id, actor, WRITE)
        what = "Deze actie"
    else:
        raise NotFound("Dit voorstel bestaat niet.", "kind")
    check_version(item.version, expected_version, what)
    if item.proposal != "proposed":
        raise Refused("Over dit voorstel is al besloten.", "decision")
    if decision == "accepted" and kind == "action" and not _is_content(goal):
        raise Refused("Neem eerst het doel van deze actie over.", "decision")
    name = actor_name(actor)
    item.proposal = decision
    item.changed_at = utcnow()
    item.changed_by = name
    if decision == "accepted":
        _content_changed(plan, name, actor.id)
    if kind == "goal" and decision == "discussed":
        # The goal's proposed actions are not taken over either.
        for action in db_session().scalars(
            select(Action).where(Action.goal_id == item.id, Action.proposal == "proposed")
        ):
            action.proposal = "discussed"
    db_session().flush()
    audit_case(case, "update", WRITE)
    return item


def agree_plan(
    case_id: uuid.UUID,
    actor: Actor,
    *,
    expected_version: int,
    agreed_on: dt.date | None,
    family_person_ids: Sequence[uuid.UUID],
) -> PlanVersion:
    """Agree the current draft with the family: at least one family member and the case
    manager (the actor); the date not in the future. Stores the snapshot and what changed,
    supersedes the previous agreed version and sets the case's evaluation date (agreed_on +
    `evaluation_months`) unless a later one is set."""
    case = load_case(case_id, actor, WRITE)
    plan = _require_plan(case)
    check_version(plan.version, expected_version, "Het plan")
    if plan.state != "draft":
        raise Refused("Deze versie van het plan is al vastgesteld.", "version")
    day = _date(agreed_on, "agreed_on", not_after_today=True)
    if day is None:
        raise Refused("Vul de datum van vaststelling in.", "agreed_on")
    residents = dict(household_residents(case, day))
    chosen = list(dict.fromkeys(family_person_ids))
    if not chosen:
        raise Refused("Kies minstens één gezinslid dat met het plan instemt.", "family")
    if any(pid not in residents for pid in chosen):
        raise Refused("Kies alleen gezinsleden van dit huishouden.", "family")
    previous = _last_agreed(plan)
    if previous is not None and previous.agreed_on and day < previous.agreed_on:
        raise Refused(
            "Deze datum ligt voor de vaststelling van de vorige versie "
            f"({previous.agreed_on.strftime('%d-%m-%Y')}).",
            "agreed_on",
        )
    snapshot = _snapshot(case, plan)
    if not any(g["status"] != "cancelled" for g in snapshot["goals"]):
        raise Refused("Een plan zonder doelen kan niet worden vastgesteld.", "version")
    session = db_session()
    version = session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_id == plan.id, PlanVersion.number == plan.current_number
        )
    )
    assert version is not None
    version.changes = describe_changes(previous.snapshot if previous else None, snapshot)
    version.snapshot = snapshot
    version.state = "agreed"
    version.agreed_on = day
    version.agreed_by_user_id = actor.id if actor.kind is ActorKind.USER else None
    # The case manager by their own name (an API token's actor name carries the token's).
    known = users([actor.id]) if actor.kind is ActorKind.USER and actor.id else {}
    professional = known[actor.id].display_name if actor.id in known else actor_name(actor)
    version.agreed_by = [residents[pid] for pid in chosen] + [professional]
    if previous is not None and previous.state == "agreed":
        previous.state = "superseded"
    plan.state = "agreed"
    due = _add_months(day, module_settings("casemanagement").evaluation_months)
    if case.evaluation_due_on is None or case.evaluation_due_on < due:
        case.evaluation_due_on = due
    session.flush()
    audit_case(case, "update", WRITE)
    return version


# -- residents (called by the capability provider) --------------------------------------------


def _resident_name(person: Person) -> str:
    return f"{person.voornamen} (inwoner)"


def _check_resident(case: Case, person: Person) -> None:
    if person.id not in {pid for pid, _ in household_residents(case)}:
        raise Refused("Deze persoon hoort niet bij deze casus.", "by_person_id")


def _audit_resident(case: Case, action: str) -> None:
    audit_case(case, action, RESIDENT_ACTIVITY)


def propose_goal(case: Case, person: Person, life_domain: str, text: str) -> Goal:
    """A resident proposes a goal in their own words: marked `proposal="proposed"` and as
    theirs; not plan content (no new version) until the case manager accepts it."""
    _check_resident(case, person)
    domain = code(life_domain, "life_domain", LIFE_DOMAINS)
    words = clean_text(text, "text", max_length=MAX_TEXT)
    plan = plan_of(case) or _create_plan(case, None)
    goal = Goal(
        plan_id=plan.id,
        life_domain=domain,
        text=words,
        status="open",
        owner_kind="resident",
        owner_person_id=person.id,
        proposal="proposed",
        proposed_by_person_id=person.id,
        changed_at=utcnow(),
        changed_by=_resident_name(person),
    )
    db_session().add(goal)
    db_session().flush()
    _audit_resident(case, "create")
    return goal


def propose_action(goal: Goal, person: Person, description: str, due_on: dt.date | None) -> Action:
    """A resident proposes an action towards a goal of their case, assigned to themselves
    and marked `proposal="proposed"`; no new version until accepted."""
    session = db_session()
    case = case_of_goal(goal)
    _check_resident(case, person)
    if goal.proposal == "discussed" or goal.status == "cancelled":
        raise Refused("Bij dit doel kunnen geen acties meer worden voorgesteld.", "goal_id")
    words = clean_text(description, "description", max_length=MAX_TEXT)
    due = _date(due_on, "due_on")
    action = Action(
        goal_id=goal.id,
        case_id=case.id,
        description=words,
        assignee_kind="resident",
        assignee_person_id=person.id,
        due_on=due,
        status="open",
        proposal="proposed",
        proposed_by_person_id=person.id,
        changed_at=utcnow(),
        changed_by=_resident_name(person),
    )
    session.add(action)
    session.flush()
    _audit_resident(case, "create")
    return action


def resident_update_action(
    action: Action,
    person: Person,
    *,
    expected_version: int,
    status: str | None = None,
    comment: str | None = None,
) -> Action:
    """A resident updates an action assigned to them: a status from
    `RESIDENT_ACTION_STATUSES` and/or a comment (at most 2000 characters). Progress: no new
    plan version. Refused for someone else's action or a status not allowed; Stale when
    `expected_version` is behind."""
    if action.assignee_kind != "resident" or action.assignee_person_id != person.id:
        raise Refused("Deze actie staat niet op uw naam.", "action_id")
    if action.proposal == "discussed":
        raise Refused("Deze actie is besproken en niet overgenomen.", "action_id")
    check_version(action.version, expected_version, "Deze actie")
    if status is not None and status not in RESIDENT_ACTION_STATUSES:
        raise Refused("Kies open, bezig of gedaan.", "status")
    cleaned = None
    if comment is not None:
        cleaned = clean_text(comment, "comment", max_length=MAX_TEXT, required=False) or None
    if status is None and cleaned is None:
        raise Refused("Geef een status of een opmerking.", "status")
    name = _resident_name(person)
    if status is not None:
        action.status = status
    if cleaned is not None:
        action.resident_comment = cleaned
    action.changed_at = utcnow()
    action.changed_by = name
    session = db_session()
    session.add(
        ActionEvent(
            action_id=action.id,
            by_person_id=person.id,
            by_name=name,
            status=status,
            comment=cleaned,
        )
    )
    session.flush()
    case = session.get(Case, action.case_id)
    assert case is not None
    _audit_resident(case, "update")
    return action


# -- views for the capability -----------------------------------------------------------------


def action_view(action: Action, names: PartyNames | None = None) -> ActionView:
    names = names or PartyNames([assignee_of(action)])
    return ActionView(
        id=action.id,
        goal_id=action.goal_id,
        description=action.description,
        assignee=names.party(assignee_of(action)),
        due_on=action.due_on,
        status=action.status,  # type: ignore[arg-type]
        proposal=action.proposal,  # type: ignore[arg-type]
        proposed_by_person_id=action.proposed_by_person_id,
        resident_comment=action.resident_comment,
        changed_at=action.changed_at,
        changed_by=action.changed_by,
        version=action.version,
    )


def goal_view(
    goal: Goal, actions: Sequence[Action] = (), names: PartyNames | None = None
) -> GoalView:
    names = names or PartyNames([owner_of(goal)] + [assignee_of(a) for a in actions])
    return GoalView(
        id=goal.id,
        life_domain=goal.life_domain,
        text=goal.text,
        owner=names.party(owner_of(goal)),
        status=goal.status,  # type: ignore[arg-type]
        target_date=goal.target_date,
        proposal=goal.proposal,  # type: ignore[arg-type]
        proposed_by_person_id=goal.proposed_by_person_id,
        version=goal.version,
        actions=tuple(action_view(a, names) for a in actions),
    )


def plan_view(case: Case) -> PlanView | None:
    """The living plan: every goal and action as it is now, the family's proposals
    included (marked). For a draft, `changes` lists what changed since the last agreed
    version; for an agreed plan, what changed in it."""
    return plan_views([case])[case.id]


def plan_views(cases: Sequence[Case]) -> dict[uuid.UUID, PlanView | None]:
    """`plan_view` of each case (None without a plan), in at most eight statements however
    many cases: plans, goals, actions, party names (three at most), current versions and the
    last agreed versions of drafts."""
    views: dict[uuid.UUID, PlanView | None] = {case.id: None for case in cases}
    session = db_session()
    plans = (
        list(session.scalars(select(Plan).where(Plan.case_id.in_(list(views))))) if views else []
    )
    if not plans:
        return views
    plan_ids = [plan.id for plan in plans]
    goals_of: dict[uuid.UUID, list[Goal]] = {plan_id: [] for plan_id in plan_ids}
    for goal in session.scalars(
        select(Goal).where(Goal.plan_id.in_(plan_ids)).order_by(Goal.created_at, Goal.id)
    ):
        goals_of[goal.plan_id].append(goal)
    actions_of: dict[uuid.UUID, list[Action]] = {plan.case_id: [] for plan in plans}
    for action in session.scalars(
        select(Action)
        .where(Action.case_id.in_(list(actions_of)))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.created_at, Action.id)
    ):
        actions_of[action.case_id].append(action)
    names = _names_of(
        [g for goals in goals_of.values() for g in goals],
        [a for actions in actions_of.values() for a in actions],
    )
    current = {
        version.plan_id: version
        for version in session.scalars(
            select(PlanVersion)
            .join(
                Plan,
                and_(Plan.id == PlanVersion.plan_id, Plan.current_number == PlanVersion.number),
            )
            .where(Plan.id.in_(plan_ids))
        )
    }
    drafts = [p.id for p in plans if not (p.state == "agreed" and p.id in current)]
    last_agreed = _last_agreed_of(drafts)
    for plan in plans:
        goals, actions = goals_of[plan.id], actions_of[plan.case_id]
        if plan.id in drafts:
            last = last_agreed.get(plan.id)
            agreed_on, agreed_by = None, []
            changes = (
                describe_changes(last.snapshot, _content_snapshot(goals, actions, names))
                if last
                else []
            )
        else:
            version = current[plan.id]
            agreed_on, agreed_by, changes = version.agreed_on, version.agreed_by, version.changes
        by_goal: dict[uuid.UUID, list[Action]] = {}
        for action in actions:
            by_goal.setdefault(action.goal_id, []).append(action)
        views[plan.case_id] = PlanView(
            case_id=plan.case_id,
            version_number=plan.current_number,
            state=plan.state,  # type: ignore[arg-type]
            agreed_on=agreed_on,
            agreed_by=tuple(agreed_by or ()),
            changes=tuple(changes or ()),
            goals=tuple(goal_view(g, by_goal.get(g.id, []), names) for g in goals),
        )
    return views


def plan_versions(case: Case) -> list[PlanVersionSummary]:
    """Every version of the case's plan, newest first ([] without a plan)."""
    plan = plan_of(case)
    if plan is None:
        return []
    return [
        PlanVersionSummary(
            number=v.number,
            state=v.state,  # type: ignore[arg-type]
            agreed_on=v.agreed_on,
            changes=tuple(v.changes or ()),
        )
        for v in _versions(plan)
    ]


def _snapshot_party(value: dict[str, Any] | None) -> Party | None:
    if not value:
        return None
    return Party(kind=value["kind"], id=uuid.UUID(value["id"]), name=value["name"])


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def snapshot_goals(snapshot: dict[str, Any] | None) -> tuple[GoalView, ...]:
    """The goals of an agreed snapshot as views."""
    goals = []
    for g in (snapshot or {}).get("goals", []):
        actions = tuple(
            ActionView(
                id=uuid.UUID(a["id"]),
                goal_id=uuid.UUID(g["id"]),
                description=a["description"],
                assignee=_snapshot_party(a["assignee"]),
                due_on=_day(a["due_on"]),
                status=a["status"],
                proposal=a["proposal"],
                proposed_by_person_id=uuid.UUID(a["proposed_by_person_id"])
                if a.get("proposed_by_person_id")
                else None,
                resident_comment=a.get("resident_comment"),
                changed_at=dt.datetime.fromisoformat(a["changed_at"]),
                changed_by=a["changed_by"],
                version=a["version"],
            )
            for a in g.get("actions", [])
        )
        goals.append(
            GoalView(
                id=uuid.UUID(g["id"]),
                life_domain=g["life_domain"],
                text=g["text"],
                owner=_snapshot_party(g["owner"]),
                status=g["status"],
                target_date=_day(g["target_date"]),
                proposal=g["proposal"],
                proposed_by_person_id=uuid.UUID(g["proposed_by_person_id"])
                if g.get("proposed_by_person_id")
                else None,
                version=g["version"],
                actions=actions,
            )
        )
    return tuple(goals)


def plan_version_view(case: Case, number: int) -> PlanView:
    """An agreed (or superseded) version as it was agreed, or the current draft (living).
    NotFound for an unknown number."""
    plan = plan_of(case)
    version = (
        db_session().scalar(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
        )
        if plan
        else None
    )
    if plan is None or version is None:
        raise NotFound("Deze versie van het plan bestaat niet.", "number")
    if version.snapshot is None:
        living = plan_view(case)
        assert living is not None
        return living
    return PlanView(
        case_id=case.id,
        version_number=version.number,
        state="agreed",
        agreed_on=version.agreed_on,
        agreed_by=tuple(version.agreed_by or ()),
        changes=tuple(version.changes or ()),
        goals=snapshot_goals(version.snapshot),
    )


# -- ZRM --------------------------------------------------------------------------------------


def record_zrm(
    case_id: uuid.UUID,
    actor: Actor,
    *,
    moment: str,
    assessed_on: dt.date | None,
    scores: Mapping[str, Any],
) -> ZrmAssessment:
    """Record a ZRM assessment: intake (once per case) or evaluation, a date not in the
    future, a score 1-5 for at least one life domain (fields `scores.<domain>`)."""
    case = load_case(case_id, actor, WRITE)
    code(moment, "moment", ZRM_MOMENTS)
    day = _date(assessed_on, "assessed_on", not_after_today=True)
    if day is None:
        raise Refused("Vul de datum in.", "assessed_on")
    given: dict[str, int] = {}
    for domain, score in scores.items():
        if domain not in LIFE_DOMAINS:
            raise Refused("Dit is geen leefgebied van de ZRM.", f"scores.{domain}")
        if score is None or score == "":
            continue
        if isinstance(score, bool) or not isinstance(score, int) or score not in ZRM_SCORES:
            raise Refused("Geef een score van 1 tot en met 5.", f"scores.{domain}")
        given[domain] = score
    if not given:
        raise Refused("Geef voor minstens één leefgebied een score.", "scores")
    session = db_session()
    if moment == "intake" and session.scalar(
        select(ZrmAssessment.id).where(
            ZrmAssessment.case_id == case.id, ZrmAssessment.moment == "intake"
        )
    ):
        raise Refused(
            "Voor deze casus is al een ZRM bij de intake vastgelegd; kies evaluatie.", "moment"
        )
    assessment = ZrmAssessment(
        case_id=case.id,
        moment=moment,
        assessed_on=day,
        by_user_id=actor.id if actor.kind is ActorKind.USER else None,
    )
    session.add(assessment)
    session.flush()
    session.add_all(
        [ZrmScore(assessment_id=assessment.id, life_domain=d, score=s) for d, s in given.items()]
    )
    session.flush()
    audit_case(case, "create", WRITE)
    return assessment


@dataclass
class ZrmRow:
    life_domain: str
    label: str
    scores: list[int | None]
    """One per assessment, in the order of `ZrmOverview.assessments`."""
    intake: int | None
    latest: int | None
    """The latest evaluation's score."""

    @property
    def difference(self) -> int | None:
        if self.intake is None or self.latest is None:
            return None
        return self.latest - self.intake


@dataclass
class ZrmOverview:
    case: Case
    assessments: list[ZrmAssessment]
    rows: list[ZrmRow]
    assessors: dict[uuid.UUID, str]


def zrm_overview(case_id: uuid.UUID, actor: Actor) -> ZrmOverview:
    """The case's ZRM scores per life domain across assessments (oldest first), with the
    intake and the latest evaluation side by side (audited read)."""
    case = load_case(case_id, actor, READ)
    session = db_session()
    assessments = list(
        session.scalars(
            select(ZrmAssessment)
            .where(ZrmAssessment.case_id == case.id)
            .order_by(ZrmAssessment.assessed_on, ZrmAssessment.created_at)
        )
    )
    scores: dict[tuple[uuid.UUID, str], int] = {}
    if assessments:
        for s in session.scalars(
            select(ZrmScore).where(ZrmScore.assessment_id.in_([a.id for a in assessments]))
        ):
            scores[s.assessment_id, s.life_domain] = s.score
    intake = next((a for a in assessments if a.moment == "intake"), None)
    latest = next((a for a in reversed(assessments) if a.moment == "evaluation"), None)
    rows = []
    for domain, label in LIFE_DOMAINS.items():
        row = ZrmRow(
            life_domain=domain,
            label=label,
            scores=[scores.get((a.id, domain)) for a in assessments],
            intake=scores.get((intake.id, domain)) if intake else None,
            latest=scores.get((latest.id, domain)) if latest else None,
        )
        if any(s is not None for s in row.scores):
            rows.append(row)
    assessors = {
        u.id: u.display_name
        for u in users({a.by_user_id for a in assessments if a.by_user_id}).values()
    }
    audit_case(case, "read", READ)
    return ZrmOverview(case=case, assessments=assessments, rows=rows, assessors=assessors)


__all__ = [
    "PartyNames",
    "PartyOption",
    "PartyRef",
    "action_view",
    "actions_of_goal",
    "add_action",
    "add_goal",
    "agree_plan",
    "assignee_of",
    "case_of_goal",
    "decide_proposal",
    "describe_changes",
    "goal_view",
    "household_residents",
    "owner_of",
    "party_options",
    "plan_of",
    "plan_page",
    "plan_version_view",
    "plan_versions",
    "plan_view",
    "propose_action",
    "propose_goal",
    "read_plan",
    "read_version",
    "read_versions",
    "record_zrm",
    "remove_action",
    "remove_goal",
    "resident_update_action",
    "start_plan",
    "update_action",
    "update_goal",
    "version_record",
    "zrm_overview",
]
