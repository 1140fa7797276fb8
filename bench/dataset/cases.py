"""Case management over the two years: cases of households (status workflow, referral
source, life domains, closure reason), the persons they concern, their status history,
plans with goals and actions, ZRM assessments at intake and evaluation, contact moments,
and allocations (law, product category, provider; requested, decided and started dates,
so waiting times differ per provider)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

from bench.dataset.common import Rand, Span, add_days
from bench.dataset.people import Home, Resident
from bench.dataset.sink import Sink
from bench.dataset.tiers import Tier
from bench.dataset.world import World
from openregie_casemanagement.codes import LIFE_DOMAINS

STAGES = ("aanmelding", "intake", "plan", "uitvoering", "evaluatie")
REFERRALS = (("self", 35), ("gp", 20), ("school", 15), ("veilig_thuis", 8), ("police", 7),
             ("other", 15))  # fmt: skip
CLOSURES = (("doelen_bereikt", 45), ("overgedragen", 15), ("verhuisd", 8),
            ("gestopt_door_inwoner", 12), ("geen_hulpvraag", 12), ("overleden", 1),
            ("anders", 7))  # fmt: skip
CHANNELS = (("home_visit", 30), ("office", 15), ("phone", 35), ("video", 8), ("message", 12))
DOMAINS = tuple(LIFE_DOMAINS)
YOUTH = (("jeugdhulp_ambulant", 60), ("jeugdhulp_verblijf", 8), ("jeugd_ggz", 25), ("vervoer", 7))
ADULT = (("begeleiding", 35), ("huishoudelijke_hulp", 30), ("dagbesteding", 15),
         ("hulpmiddelen", 12), ("beschermd_wonen", 3), ("vervoer", 5))  # fmt: skip
UNITS = {"huishoudelijke_hulp": ("hour", "week"), "dagbesteding": ("day_part", "week"),
         "hulpmiddelen": ("piece", "total"), "jeugdhulp_verblijf": ("day", "month"),
         "beschermd_wonen": ("day", "month"), "vervoer": ("piece", "month")}  # fmt: skip
PROVIDER_NAMES = (
    "Zorggroep", "Careaz", "De Lindeboom", "Estinea", "Iriszorg", "Pluryn", "Karakter",
    "Driestroom", "Zozijn", "Sensire", "Attent", "Dichterbij",
)  # fmt: skip


@dataclass(slots=True)
class CaseInfo:
    id: Any
    home: Home
    team_id: Any
    manager: tuple[Any, str, Any] | None
    opened: dt.date
    closed: dt.date | None
    status: str
    stages: list[tuple[str, dt.date]]  # the statuses it went through, with their dates
    persons: tuple[Resident, ...]
    domains: tuple[str, ...]

    def reached(self, stage: str) -> dt.date | None:
        return next((day for name, day in self.stages if name == stage), None)

    @property
    def last_day(self) -> dt.date:
        return self.closed or self.stages[-1][1]


def _providers(rng: Rand) -> dict[str, list[tuple[str, str, float]]]:
    """Per category a few providers: name, AGB code, median waiting days."""
    providers: dict[str, list[tuple[str, str, float]]] = {}
    for category, _ in (*YOUTH, *ADULT):
        if category in providers:
            continue
        names = rng.sample(PROVIDER_NAMES, rng.randint(3, 5))
        providers[category] = [
            (f"{name} {category.replace('_', ' ')}", f"7{rng.randrange(10**6, 10**7)}",
             rng.uniform(10, 55))
            for name in names
        ]  # fmt: skip
    return providers


def _stages(
    rng: Rand, opened: dt.date, end: dt.date
) -> tuple[list[tuple[str, dt.date]], dt.date | None]:
    """The statuses a case goes through from `opened`, and its closing day (None: still open
    on `end`)."""
    duration = rng.lognormvariate(math.log(150), 0.7)
    closing = add_days(opened, duration)
    stages = [("aanmelding", opened)]
    day = opened
    for stage, gap in (("intake", 7), ("plan", 25), ("uitvoering", 14)):
        day = add_days(day, rng.uniform(0.5, 1.5) * gap)
        if day >= min(closing, end):
            break
        stages.append((stage, day))
    else:
        while True:  # evaluations every four months or so
            day = add_days(day, rng.uniform(90, 150))
            if day >= min(closing, end):
                break
            stages.append(("evaluatie", day))
            if rng.random() < 0.8:
                day = add_days(day, rng.uniform(3, 10))
                if day >= min(closing, end):
                    break
                stages.append(("uitvoering", day))
    if closing <= end:
        stages.append(("afgesloten", closing))
        return stages, closing
    return stages, None


def build(
    sink: Sink, rng: Rand, tier: Tier, span: Span, world: World, homes: list[Home]
) -> list[CaseInfo]:
    order = homes[:]
    rng.shuffle(order)
    cases: list[CaseInfo] = []
    rows, persons, domains, transitions = [], [], [], []
    for i in range(tier.cases):
        home = order[i % len(order)] if rng.random() < 0.88 else rng.choice(homes)
        team = rng.choice(world.teams_of_area[home.area_id])
        manager = rng.choice(world.staff_of_team[team]) if rng.random() < 0.97 else None
        opened = span.day(rng)
        stages, closed = _stages(rng, opened, span.end)
        status = stages[-1][0]
        concerned = (
            home.members
            if rng.random() < 0.6
            else tuple(rng.sample(home.members, rng.randint(1, len(home.members))))
        )
        young = any((opened - p.birth_date).days < 18 * 365 for p in concerned)
        chosen = set(rng.sample(DOMAINS[:11], rng.randint(1, 4)))
        if young and rng.random() < 0.7:
            chosen.add(rng.choice(("parenting", "education")))
        info = CaseInfo(rng.uuid(), home, team, manager, opened, closed, status, stages,
                        concerned, tuple(sorted(chosen)))  # fmt: skip
        cases.append(info)
        reason = None
        if closed:
            reason = (
                "geen_hulpvraag"
                if len(stages) <= 3 and rng.random() < 0.6
                else rng.pick(*zip(*CLOSURES, strict=True))
            )
        due = (
            add_days(info.reached("plan") or opened, 180)
            if not closed and len(stages) > 2
            else None
        )
        created = rng.moment(opened)
        rows.append((
            info.id, home.id, team, manager[0] if manager else None,
            f"Ondersteuning {LIFE_DOMAINS[info.domains[0]].lower()}",
            rng.pick(*zip(*REFERRALS, strict=True)), "Aanmelding via het wijkteam.",
            rng.pick(("normal", "high", "crisis"), (85, 12, 3)), status, opened, closed, reason,
            due, created, rng.moment(info.last_day), 1,
        ))  # fmt: skip
        persons.extend((info.id, p.id) for p in concerned)
        domains.extend((info.id, d) for d in info.domains)
        who = manager[0] if manager else None
        for (before, _), (after, day) in pairwise(stages):
            transitions.append((rng.uuid(), info.id, "status", before, after, None, None, "",
                                rng.moment(day), who))  # fmt: skip
    sink.write(
        "casemanagement_case",
        ("id", "household_id", "team_id", "case_manager_id", "title", "referral_source",
         "referral_reason", "urgency", "status", "opened_on", "closed_on", "closure_reason",
         "evaluation_due_on", "created_at", "updated_at", "version"),
        rows, len(rows),
    )  # fmt: skip
    sink.write("casemanagement_case_person", ("case_id", "person_id"), persons, len(persons))
    sink.write("casemanagement_case_life_domain", ("case_id", "life_domain"), domains, len(domains))
    sink.write(
        "casemanagement_transition",
        ("id", "case_id", "kind", "from_status", "to_status", "from_team_id", "to_team_id",
         "reason", "at", "by_user_id"),
        transitions, len(transitions),
    )  # fmt: skip
    _plans(sink, rng, cases)
    _assessments(sink, rng, cases)
    sink.write(
        "casemanagement_contact_moment",
        ("id", "case_id", "occurred_at", "channel", "participants", "summary",
         "visible_to_resident", "created_by_user_id", "created_at"),
        _contact_moments(rng, cases, tier.contact_moments, span), tier.contact_moments,
    )  # fmt: skip
    _allocations(sink, rng, cases, span)
    return cases


def _plans(sink: Sink, rng: Rand, cases: list[CaseInfo]) -> None:
    plans, versions, goals, actions = [], [], [], []
    for case in cases:
        planned = case.reached("plan")
        if planned is None:
            continue
        agreed = case.reached("uitvoering")
        who = case.manager[0] if case.manager else None
        name = case.manager[1] if case.manager else "Wijkteam"
        plan_id = rng.uuid()
        state = "agreed" if agreed else "draft"
        plans.append((plan_id, case.id, 1, state, 1))
        versions.append((rng.uuid(), plan_id, 1, state, rng.moment(planned), who, agreed,
                         who if agreed else None, ["Gezin", name] if agreed else [], [],
                         None))  # fmt: skip
        for domain in case.domains:
            goal_id = rng.uuid()
            if case.closed:
                status = rng.pick(("achieved", "not_achieved", "cancelled"), (55, 25, 20))
            else:
                status = rng.pick(("open", "in_progress", "achieved"), (40, 45, 15))
            resident = rng.random() < 0.5
            owner = rng.choice(case.persons).id if resident else None
            created = rng.moment(planned)
            changed = rng.moment(case.last_day)
            goals.append((goal_id, plan_id, domain, f"Doel op {LIFE_DOMAINS[domain].lower()}",
                          "resident" if resident else "professional", owner,
                          None if resident else who, status, add_days(planned, 180), created,
                          changed, name, 1))  # fmt: skip
            for _ in range(rng.randint(1, 2)):
                done = rng.pick(("open", "in_progress", "done", "cancelled"), (30, 25, 40, 5))
                actions.append((rng.uuid(), goal_id, case.id, "Afspraak maken en bespreken",
                                "professional", None, who,
                                add_days(planned, rng.randrange(14, 120)),
                                done, created, changed, name, 1))  # fmt: skip
    sink.write("casemanagement_plan", ("id", "case_id", "current_number", "state", "version"),
               plans, len(plans))  # fmt: skip
    sink.write(
        "casemanagement_plan_version",
        ("id", "plan_id", "number", "state", "started_at", "started_by_user_id", "agreed_on",
         "agreed_by_user_id", "agreed_by", "changes", "snapshot"),
        versions, len(versions),
    )  # fmt: skip
    sink.write(
        "casemanagement_goal",
        ("id", "plan_id", "life_domain", "text", "owner_kind", "owner_person_id",
         "owner_user_id", "status", "target_date", "created_at", "changed_at", "changed_by",
         "version"),
        goals, len(goals),
    )  # fmt: skip
    sink.write(
        "casemanagement_action",
        ("id", "goal_id", "case_id", "description", "assignee_kind", "assignee_person_id",
         "assignee_user_id", "due_on", "status", "created_at", "changed_at", "changed_by",
         "version"),
        actions, len(actions),
    )  # fmt: skip


def _assessments(sink: Sink, rng: Rand, cases: list[CaseInfo]) -> None:
    assessments, scores = [], []
    for case in cases:
        intake = case.reached("intake")
        if intake is None:
            continue
        who = case.manager[0] if case.manager else None
        scored = set(case.domains) | set(rng.sample(DOMAINS, 4))
        current = {d: rng.randint(1, 3) if d in case.domains else rng.randint(3, 5) for d in scored}
        moments = [("intake", intake)] + [
            ("evaluation", d) for s, d in case.stages if s == "evaluatie"
        ]
        for moment, day in moments:
            aid = rng.uuid()
            assessments.append((aid, case.id, moment, day, who, rng.moment(day)))
            if moment == "evaluation":
                for d in current:
                    current[d] = min(5, current[d] + rng.pick((0, 1, -1), (55, 38, 7)))
                    current[d] = max(1, current[d])
            scores.extend((aid, d, s) for d, s in current.items())
    sink.write(
        "casemanagement_zrm_assessment",
        ("id", "case_id", "moment", "assessed_on", "by_user_id", "created_at"),
        assessments, len(assessments),
    )  # fmt: skip
    sink.write("casemanagement_zrm_score", ("assessment_id", "life_domain", "score"),
               scores, len(scores))  # fmt: skip


def _contact_moments(
    rng: Rand, cases: list[CaseInfo], total: int, span: Span
) -> Iterator[tuple[Any, ...]]:
    """`total` contact moments spread over the cases by how long each ran."""
    lengths = [((case.closed or span.end) - case.opened).days + 1 for case in cases]
    scale = total / sum(lengths)
    counts = [int(n * scale) for n in lengths]
    for i in rng.sample(range(len(cases)), k=min(len(cases), total - sum(counts))):
        counts[i] += 1
    channels, weights = zip(*CHANNELS, strict=True)
    for case, count, length in zip(cases, counts, lengths, strict=True):
        who = case.manager[0] if case.manager else None
        for _ in range(count):
            at = rng.moment(case.opened + dt.timedelta(days=rng.randrange(length)))
            yield (rng.uuid(), case.id, at, rng.pick(channels, weights), "Gezin en regisseur",
                   "Gesprek over de voortgang van het plan.", rng.random() < 0.3, who,
                   at)  # fmt: skip


def _allocations(sink: Sink, rng: Rand, cases: list[CaseInfo], span: Span) -> None:
    providers = _providers(rng)
    rows = []
    for case in cases:
        planned = case.reached("plan")
        if planned is None or rng.random() > 0.6:
            continue
        for _ in range(rng.pick((1, 2, 3), (70, 25, 5))):
            person = rng.choice(case.persons)
            requested = add_days(planned, rng.randrange(0, 30))
            if requested > span.end:
                continue
            youth = (requested - person.birth_date).days < 18 * 365
            law = "jeugdwet" if youth else "wmo"
            category = rng.pick(*zip(*(YOUTH if youth else ADULT), strict=True))
            name, agb, median = rng.choice(providers[category])
            unit, frequency = UNITS.get(category, ("hour", "week"))
            decided = add_days(requested, rng.randrange(5, 42))
            start = (
                add_days(decided, rng.lognormvariate(math.log(median), 0.6))
                if decided <= span.end
                else None
            )
            end = None
            status, reason = "requested", None
            if decided > span.end:
                decided = None
            elif start is None or start > span.end:
                status, start = "allocated", None
            else:
                status = "started"
                stop = (
                    case.closed
                    if case.closed
                    else (add_days(start, rng.randrange(60, 400)) if rng.random() < 0.3 else None)
                )
                if stop is not None and stop <= span.end and stop > start:
                    status, end = "stopped", stop
                    reason = rng.pick(("goals_achieved", "moved", "other_provision", "by_resident",
                                       "other"), (60, 8, 12, 12, 8))  # fmt: skip
            rows.append((
                rng.uuid(), case.id, person.id, law, category,
                f"{rng.randrange(10, 99)}A{rng.randrange(10, 99)}",
                name, agb, Decimal(rng.choice((1, 2, 3, 4, 6, 8))), unit, frequency, requested,
                decided, start, end, status, reason, rng.moment(requested), 1,
            ))  # fmt: skip
    sink.write(
        "casemanagement_allocation",
        ("id", "case_id", "person_id", "law", "product_category", "product_code",
         "provider_name", "provider_agb", "volume", "unit", "frequency", "requested_on",
         "decided_on", "start_on", "end_on", "status", "stop_reason", "created_at", "version"),
        rows, len(rows),
    )  # fmt: skip
