"""Demo data of case management (`openregie demo`): realistic cases with their history,
plans, goals, actions, ZRM scores, contact moments, notes, allocations and appointment
requests, for about a third of the demo households.

Every case belongs to a team with one of its members (from the demo memberships) as case
manager, so logging in as the demo `regisseur` shows a worklist. Statuses are spread over
the workflow and each case's transitions walk the workflow up to its status; cases past the
plan stage have an agreed plan (with its snapshot), those in the plan stage a draft.
Everything is inserted in bulk, drawn from `context.rng` (same seed, same data), and only
when there are no cases yet.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Uuid, column, func, insert, select, table

from openregie_casemanagement.codes import CLOSED
from openregie_casemanagement.models import (
    Action,
    ActionEvent,
    Allocation,
    AppointmentRequest,
    Case,
    CaseLifeDomain,
    CasePerson,
    ContactMoment,
    Goal,
    Note,
    Plan,
    PlanVersion,
    Transition,
    ZrmAssessment,
    ZrmScore,
)
from openregie_sdk import hookimpl
from openregie_sdk.contributions import DemoContext
from openregie_sdk.registry import HouseholdMember, Membership, Person

SHARE = 0.34  # of the households that get a case
EVALUATION_MONTHS = 6
WORKFLOW = ("aanmelding", "intake", "plan", "uitvoering", "evaluatie")
STATUS_WEIGHTS = (
    ("aanmelding", 10),
    ("intake", 14),
    ("plan", 14),
    ("uitvoering", 30),
    ("evaluatie", 10),
    (CLOSED, 22),
)
REFERRALS = (("self", 35), ("gp", 20), ("school", 15), ("veilig_thuis", 8), ("police", 5),
             ("other", 17))  # fmt: skip
URGENCIES = (("normal", 76), ("high", 19), ("crisis", 5))
CLOSURES = (("doelen_bereikt", 45), ("overgedragen", 15), ("verhuisd", 8),
            ("gestopt_door_inwoner", 12), ("geen_hulpvraag", 15), ("anders", 5))  # fmt: skip

_users = table("core_user", column("id", Uuid()), column("display_name", String()))


@dataclass(frozen=True)
class Theme:
    """A kind of case: title, referral reason, life domains, and goals with actions."""

    title: str
    reason: str
    domains: tuple[str, ...]
    youth: bool
    goals: tuple[tuple[str, str, tuple[str, ...]], ...]  # (life domain, goal, actions)


THEMES = (
    Theme(
        "Schulden en wonen",
        "Huurachterstand van drie maanden; de verhuurder dreigt met ontruiming.",
        ("finances", "housing"),
        False,
        (
            ("finances", "We hebben overzicht over onze schulden en betalen de huur elke "
             "maand op tijd.", ("Alle post met rekeningen in één map verzamelen",
                                "Aanmelden bij de schuldhulpverlening",
                                "Betalingsregeling met de verhuurder afspreken")),
            ("housing", "We blijven in ons huis wonen.",
             ("Gesprek met de woningcorporatie plannen",
              "Huurtoeslag opnieuw aanvragen")),
        ),
    ),
    Theme(
        "Opvoedondersteuning",
        "Moeder vraagt hulp: veel ruzie thuis en de oudste gaat niet meer naar school.",
        ("parenting", "education", "domestic_relations"),
        True,
        (
            ("parenting", "Thuis is er minder ruzie en we maken samen afspraken.",
             ("Elke zondag samen de weekplanning maken",
              "Oudercursus 'Positief opvoeden' volgen")),
            ("education", "Onze zoon gaat weer elke dag naar school.",
             ("Gesprek met de mentor en de leerplichtambtenaar",
              "Wekker zetten en samen ontbijten",
              "Huiswerkbegeleiding regelen")),
        ),
    ),
    Theme(
        "Zorg na ziekenhuisopname",
        "Na een heupoperatie lukt het huishouden niet meer; de huisarts verwijst.",
        ("physical_health", "daily_living"),
        False,
        (
            ("daily_living", "Ik kan het huishouden weer (met hulp) zelf doen.",
             ("Huishoudelijke hulp aanvragen", "Douchestoel en beugels laten plaatsen")),
            ("physical_health", "Ik loop weer zelf naar de supermarkt.",
             ("Elke dag oefeningen van de fysiotherapeut doen",
              "Buurman vragen om mee te lopen")),
        ),
    ),
    Theme(
        "Werk en inkomen",
        "Sinds het ontslag geen inkomen meer en de vaste lasten lopen op.",
        ("finances", "daytime_activities"),
        False,
        (
            ("daytime_activities", "Ik heb weer een dagbesteding of werk.",
             ("Inschrijven bij het werkcentrum", "Cv bijwerken met de jobcoach")),
            ("finances", "Ons inkomen is geregeld.",
             ("Bijstandsuitkering aanvragen", "Kwijtschelding gemeentelijke belastingen")),
        ),
    ),
    Theme(
        "Zorgen om de kinderen",
        "School meldt dat de kinderen vaak zonder ontbijt en te laat komen.",
        ("parenting", "mental_health", "social_network"),
        True,
        (
            ("parenting", "De kinderen hebben een vast ritme: op tijd naar bed en naar school.",
             ("Samen een dagritmekaart maken", "Opa en oma vragen om twee ochtenden te helpen")),
            ("mental_health", "Moeder voelt zich minder somber en weet waar ze hulp vindt.",
             ("Afspraak bij de huisarts maken", "Aanmelden bij de praktijkondersteuner ggz")),
            ("social_network", "We hebben mensen om ons heen die we kunnen bellen.",
             ("Netwerkberaad organiseren",)),
        ),
    ),
    Theme(
        "Eenzaamheid en dagbesteding",
        "Na het overlijden van de partner komt meneer de deur niet meer uit.",
        ("social_network", "participation", "mental_health"),
        False,
        (
            ("social_network", "Ik heb elke week contact met anderen.",
             ("Kennismaken bij het buurthuis", "Maatje aanvragen bij de vrijwilligerscentrale")),
            ("participation", "Ik heb een zinvolle dagbesteding.",
             ("Meedraaien bij de moestuin in de wijk",)),
        ),
    ),
    Theme(
        "Spanningen in het gezin",
        "Melding van Veilig Thuis na een politiemelding over ruzie tussen de ouders.",
        ("domestic_relations", "parenting", "justice"),
        True,
        (
            ("domestic_relations", "Thuis is het veilig voor iedereen.",
             ("Veiligheidsplan opstellen met het hele gezin",
              "Ouders volgen samen gesprekken bij het maatschappelijk werk")),
            ("parenting", "De kinderen weten bij wie ze terechtkunnen.",
             ("Kindgesprek met de jeugdprofessional",)),
        ),
    ),
)  # fmt: skip

PROVIDERS = {
    "begeleiding": (("Zorgcoöperatie Stedendriehoek", "75750123"),
                    ("Begeleiding Berkelland", "75751234")),
    "dagbesteding": (("Dagbesteding De Hof", "75752345"),
                     ("Zorgboerderij Het Hooge Veld", "75753456")),
    "huishoudelijke_hulp": (("Thuishulp IJsselvallei", "75754567"),
                            ("Huishoudservice Zutphen", "75755678")),
    "hulpmiddelen": (("Hulpmiddelencentrum Oost", "75756789"),),
    "jeugdhulp_ambulant": (("Stichting Jeugdhulp Oost-Gelderland", "98100215"),
                           ("Gezinscoaching Achterhoek", "98103312")),
    "jeugd_ggz": (("GGZ IJsselvallei", "22108843"), ("Kinderpraktijk De Linde", "94061234")),
    "jeugdhulp_verblijf": (("Pleegzorg Gelderland", "98104421"),),
    "vervoer": (("Regiotaxi Stedendriehoek", "75757890"),),
}  # fmt: skip
# (law, category, product code, volume, unit, frequency) by life domain.
PRODUCTS = {
    "daily_living": [("wmo", "huishoudelijke_hulp", "01A01", "3", "hour", "week"),
                     ("wmo", "hulpmiddelen", "", "1", "piece", "total")],
    "physical_health": [("wmo", "vervoer", "08A01", "1", "piece", "total")],
    "participation": [("wmo", "dagbesteding", "03A12", "2", "day_part", "week")],
    "social_network": [("wmo", "begeleiding", "02A07", "2", "hour", "week")],
    "daytime_activities": [("wmo", "dagbesteding", "03A12", "3", "day_part", "week")],
    "mental_health": [("wmo", "begeleiding", "02A07", "3", "hour", "week")],
    "parenting": [("jeugdwet", "jeugdhulp_ambulant", "45A48", "4", "hour", "month")],
    "education": [("jeugdwet", "jeugdhulp_ambulant", "45A48", "2", "hour", "week")],
    "domestic_relations": [("jeugdwet", "jeugd_ggz", "54001", "8", "hour", "month")],
}  # fmt: skip
CONTACT_SUMMARIES = (
    ("home_visit", "Huisbezoek: kennismaking met het hele gezin, hulpvraag besproken."),
    ("phone", "Telefonisch contact over de voortgang van de afspraken."),
    ("office", "Gesprek op kantoor over de doelen in het plan."),
    ("video", "Beeldbellen met moeder en de school over de aanwezigheid."),
    ("message", "Bericht gestuurd met de gemaakte afspraken op een rij."),
    ("home_visit", "Huisbezoek: stand van zaken doorgenomen, het gaat beter."),
)
NOTES = (
    ("all_involved", "Afgesproken dat alle betrokkenen elke zes weken samen overleggen."),
    ("case_team", "In het teamoverleg besproken; collega schuldhulp sluit aan."),
    ("case_manager", "Moeder vertelde in vertrouwen over de relatie met haar ex-partner."),
    ("case_team", "Zorgen over de hygiëne in huis; bij het volgende huisbezoek op letten."),
)
APPOINTMENTS = (
    ("Even bijpraten over de school van de kinderen", "phone", "Dinsdag- of donderdagochtend"),
    ("Vragen over de huishoudelijke hulp", "home_visit", "Liefst 's middags"),
    ("Hulp bij het invullen van formulieren", "office", "Maandag na 13.00 uur"),
)


def _pick(rng: Any, weighted: tuple[tuple[str, int], ...]) -> str:
    return str(rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0])


def _uuid(rng: Any) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: dt.date, rng: Any) -> dt.datetime:
    """A working-hours moment on `day` (UTC)."""
    moment = dt.time(rng.randint(7, 15), rng.choice((0, 15, 30, 45)), tzinfo=dt.UTC)
    return dt.datetime.combine(day, moment)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


@dataclass
class Rows:
    """The rows to insert, per model."""

    by_model: dict[Any, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, model: Any, **values: Any) -> dict[str, Any]:
        values.setdefault("id", None)
        if values["id"] is None:
            del values["id"]
        self.by_model[model].append(values)
        return values


def _path(status: str, rng: Any) -> list[str]:
    """The statuses a case went through, ending at `status`."""
    if status != CLOSED:
        path = list(WORKFLOW[: WORKFLOW.index(status) + 1])
        if status == "uitvoering" and rng.random() < 0.2:
            path += ["evaluatie", "uitvoering"]  # evaluated once and continued
        return path
    last = rng.choices(WORKFLOW, weights=(8, 10, 5, 25, 52))[0]
    return [*WORKFLOW[: WORKFLOW.index(last) + 1], CLOSED]


# Parents before children (foreign keys).
INSERT_ORDER = (
    Case,
    CasePerson,
    CaseLifeDomain,
    Transition,
    Plan,
    PlanVersion,
    Goal,
    Action,
    ActionEvent,
    ZrmAssessment,
    ZrmScore,
    ContactMoment,
    Note,
    Allocation,
    AppointmentRequest,
)


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    session = context.session
    if session.scalar(select(func.count()).select_from(Case)):
        return
    rng = context.rng
    today = dt.date.today()
    households = session.scalars(select(HouseholdMember.household_id).distinct()).all()
    households = sorted(households)
    memberships = session.execute(
        select(Membership.team_id, Membership.user_id)
        .where(Membership.end_on.is_(None), Membership.role.in_(("professional", "team_lead")))
        .order_by(Membership.team_id, Membership.user_id)
    ).all()
    if not households or not memberships:
        context.progress("casemanagement: no households or team members; no cases")
        return
    names = dict(session.execute(select(_users.c.id, _users.c.display_name)).all())
    members: dict[uuid.UUID, list[tuple[uuid.UUID, str, dt.date | None, str]]] = defaultdict(list)
    for household_id, person_id, role, voornamen, birth in session.execute(
        select(
            HouseholdMember.household_id,
            HouseholdMember.person_id,
            HouseholdMember.role,
            Person.voornamen,
            Person.birth_date,
        )
        .join(Person, Person.id == HouseholdMember.person_id)
        .where(HouseholdMember.end_on.is_(None))
        .order_by(HouseholdMember.household_id, Person.birth_date, Person.id)
    ):
        members[household_id].append((person_id, role, birth, voornamen.split()[0]))

    rows = Rows()
    cases = 0
    for household_id in households:
        if rng.random() > SHARE or not members.get(household_id):
            continue
        cases += 1
        _case(rows, rng, today, household_id, members[household_id], memberships, names)
    for model in INSERT_ORDER:
        if rows.by_model.get(model):
            session.execute(insert(model), rows.by_model[model])
    session.flush()
    context.progress(
        f"casemanagement: {cases} cases, {len(rows.by_model[Goal])} goals, "
        f"{len(rows.by_model[Allocation])} allocations"
    )


def _case(
    rows: Rows,
    rng: Any,
    today: dt.date,
    household_id: uuid.UUID,
    household: list[tuple[uuid.UUID, str, dt.date | None, str]],
    memberships: list[Any],
    names: dict[uuid.UUID, str],
) -> None:
    team_id, manager_id = rng.choice(memberships)
    manager_name = names.get(manager_id, "Casusregisseur")
    has_minor = any(b is not None and (today - b).days < 18 * 365 for _, _, b, _ in household)
    themes = [t for t in THEMES if t.youth == has_minor] or list(THEMES)
    theme = rng.choice(themes)
    status = _pick(rng, STATUS_WEIGHTS)
    path = _path(status, rng)
    # Every step takes 2 to 8 weeks; the last one was 1 to 30 days ago.
    gaps = [rng.randint(14, 56) for _ in path[1:]]
    last = today - dt.timedelta(days=rng.randint(1, 30))
    opened = last - dt.timedelta(days=sum(gaps))
    days = [opened]
    for gap in gaps:
        days.append(days[-1] + dt.timedelta(days=gap))
    reached: dict[str, dt.date] = {}  # when each status was first reached
    for step, day in zip(path, days, strict=True):
        reached.setdefault(step, day)
    case_id = _uuid(rng)
    concerned = household if rng.random() < 0.6 else [rng.choice(household)]
    adults = [m for m in household if m[1] != "child"] or household
    closed = path[-1] == CLOSED
    agreed_on = reached.get("uitvoering")
    rows.add(
        Case,
        id=case_id,
        household_id=household_id,
        team_id=team_id,
        case_manager_id=manager_id,
        title=theme.title,
        referral_source=_pick(rng, REFERRALS),
        referral_reason=theme.reason,
        urgency=_pick(rng, URGENCIES),
        status=path[-1],
        opened_on=opened,
        closed_on=days[-1] if closed else None,
        closure_reason=_pick(rng, CLOSURES) if closed else None,
        evaluation_due_on=_add_months(agreed_on, EVALUATION_MONTHS) if agreed_on else None,
        created_at=_at(opened, rng),
        updated_at=_at(days[-1], rng),
    )
    for person_id, *_ in concerned:
        rows.add(CasePerson, case_id=case_id, person_id=person_id)
    for domain in theme.domains:
        rows.add(CaseLifeDomain, case_id=case_id, life_domain=domain)
    previous = None
    for step, day in zip(path, days, strict=True):
        rows.add(
            Transition,
            id=_uuid(rng),
            case_id=case_id,
            kind="status",
            from_status=previous,
            to_status=step,
            to_team_id=team_id if previous is None else None,
            reason="" if step != CLOSED else "Casus afgesloten na evaluatie met het gezin.",
            at=_at(day, rng),
            by_user_id=manager_id,
        )
        previous = step

    if "plan" in reached:
        _plan(rows, rng, today, case_id, theme, reached, household, adults, manager_id,
              manager_name, closed)  # fmt: skip
    if "intake" in reached and len(path) > 2:
        _zrm(rows, rng, case_id, theme, reached, manager_id)
    _contacts(rows, rng, case_id, opened, days[-1], manager_id, household)
    if rng.random() < 0.7:
        for confidentiality, text in rng.sample(NOTES, rng.randint(1, 3)):
            day = opened + dt.timedelta(days=rng.randint(0, max(0, (days[-1] - opened).days)))
            rows.add(
                Note,
                id=_uuid(rng),
                case_id=case_id,
                text=text,
                confidentiality=confidentiality,
                created_by_user_id=manager_id,
                created_at=_at(day, rng),
            )
    if agreed_on and rng.random() < 0.55:
        _allocations(rows, rng, today, case_id, theme, concerned, agreed_on, closed, days[-1])
    if not closed and rng.random() < 0.12:
        subject, channel, moments = rng.choice(APPOINTMENTS)
        rows.add(
            AppointmentRequest,
            id=_uuid(rng),
            case_id=case_id,
            person_id=adults[0][0],
            subject=subject,
            channel=channel,
            preferred_moments=moments,
            status="open",
            created_at=_at(today - dt.timedelta(days=rng.randint(0, 6)), rng),
        )


def _plan(
    rows: Rows,
    rng: Any,
    today: dt.date,
    case_id: uuid.UUID,
    theme: Theme,
    reached: dict[str, dt.date],
    household: list[tuple[uuid.UUID, str, dt.date | None, str]],
    adults: list[tuple[uuid.UUID, str, dt.date | None, str]],
    manager_id: uuid.UUID,
    manager_name: str,
    closed: bool,
) -> None:
    plan_id = _uuid(rng)
    agreed_on = reached.get("uitvoering")
    started = reached["plan"]
    by_first_name = {pid: first for pid, _, _, first in household}
    snapshot_goals = []
    for domain, text, actions in rng.sample(theme.goals, rng.randint(1, len(theme.goals))):
        goal_id = _uuid(rng)
        owner = rng.choice(adults)
        if agreed_on is None:
            goal_status = "open"
        elif closed:
            goal_status = rng.choices(("achieved", "not_achieved", "cancelled"), (6, 3, 1))[0]
        else:
            goal_status = rng.choices(("open", "in_progress", "achieved"), (3, 5, 2))[0]
        target = (agreed_on or started) + dt.timedelta(days=rng.randint(60, 240))
        rows.add(
            Goal,
            id=goal_id,
            plan_id=plan_id,
            life_domain=domain,
            text=text,
            owner_kind="resident",
            owner_person_id=owner[0],
            status=goal_status,
            target_date=target,
            created_at=_at(started, rng),
            changed_at=_at(started, rng),
            changed_by=manager_name,
        )
        snapshot_actions = []
        for description in rng.sample(actions, rng.randint(1, len(actions))):
            action_id = _uuid(rng)
            to_resident = rng.random() < 0.55
            assignee = rng.choice(household) if to_resident else None
            due = (agreed_on or started) + dt.timedelta(days=rng.randint(10, 120))
            if agreed_on is None:
                action_status = "open"
            elif closed or goal_status == "achieved":
                action_status = "done"
            else:
                # Some done, some still open (and then overdue when their date passed).
                action_status = rng.choices(("open", "in_progress", "done"), (4, 2, 3))[0]
            changed = min(today, due) if action_status == "done" else started
            rows.add(
                Action,
                id=action_id,
                goal_id=goal_id,
                case_id=case_id,
                description=description,
                assignee_kind="resident" if to_resident else "professional",
                assignee_person_id=assignee[0] if assignee else None,
                assignee_user_id=None if to_resident else manager_id,
                due_on=due,
                status=action_status,
                created_at=_at(started, rng),
                changed_at=_at(changed, rng),
                changed_by=assignee[3] if assignee and action_status == "done" else manager_name,
            )
            if action_status == "done" and assignee:
                rows.add(
                    ActionEvent,
                    id=_uuid(rng),
                    action_id=action_id,
                    at=_at(changed, rng),
                    by_person_id=assignee[0],
                    by_name=f"{assignee[3]} (inwoner)",
                    status="done",
                    comment="Gelukt!" if rng.random() < 0.5 else None,
                )
            party = (
                {"kind": "resident", "id": str(assignee[0]), "name": assignee[3]}
                if assignee
                else {"kind": "professional", "id": str(manager_id), "name": manager_name}
            )
            snapshot_actions.append(
                {
                    "id": str(action_id),
                    "description": description,
                    "assignee": party,
                    "due_on": due.isoformat(),
                    "status": "open",
                    "proposal": None,
                    "proposed_by_person_id": None,
                    "resident_comment": None,
                    "changed_at": _at(started, rng).isoformat(),
                    "changed_by": manager_name,
                    "version": 1,
                }
            )
        snapshot_goals.append(
            {
                "id": str(goal_id),
                "life_domain": domain,
                "text": text,
                "owner": {"kind": "resident", "id": str(owner[0]), "name": by_first_name[owner[0]]},
                "status": "open",
                "target_date": target.isoformat(),
                "proposal": None,
                "proposed_by_person_id": None,
                "version": 1,
                "actions": snapshot_actions,
            }
        )
    rows.add(
        Plan,
        id=plan_id,
        case_id=case_id,
        current_number=1,
        state="agreed" if agreed_on else "draft",
    )
    rows.add(
        PlanVersion,
        id=_uuid(rng),
        plan_id=plan_id,
        number=1,
        state="agreed" if agreed_on else "draft",
        started_at=_at(started, rng),
        started_by_user_id=manager_id,
        agreed_on=agreed_on,
        agreed_by_user_id=manager_id if agreed_on else None,
        agreed_by=[by_first_name[a[0]] for a in adults] + [manager_name] if agreed_on else [],
        changes=["Eerste vastgestelde versie van het plan."] if agreed_on else [],
        snapshot={"goals": snapshot_goals} if agreed_on else None,
    )


def _zrm(
    rows: Rows,
    rng: Any,
    case_id: uuid.UUID,
    theme: Theme,
    reached: dict[str, dt.date],
    manager_id: uuid.UUID,
) -> None:
    """The intake scores (on leaving intake) and, after an evaluation, the evaluation."""
    domains = list(theme.domains) + rng.sample(["finances", "housing", "physical_health",
                                                "social_network", "daily_living"], 2)  # fmt: skip
    domains = list(dict.fromkeys(domains))
    intake_id = _uuid(rng)
    intake_on = reached.get("plan", reached["intake"])
    rows.add(
        ZrmAssessment,
        id=intake_id,
        case_id=case_id,
        moment="intake",
        assessed_on=intake_on,
        by_user_id=manager_id,
        created_at=_at(intake_on, rng),
    )
    scores = {}
    for domain in domains:
        scores[domain] = rng.randint(1, 3) if domain in theme.domains else rng.randint(3, 5)
        rows.add(ZrmScore, assessment_id=intake_id, life_domain=domain, score=scores[domain])
    if "evaluatie" in reached:
        evaluation_id = _uuid(rng)
        on = reached["evaluatie"]
        rows.add(ZrmAssessment, id=evaluation_id, case_id=case_id, moment="evaluation",
                 assessed_on=on, by_user_id=manager_id, created_at=_at(on, rng))  # fmt: skip
        for domain, score in scores.items():
            better = min(5, max(1, score + rng.choice((-1, 0, 1, 1, 2))))
            rows.add(ZrmScore, assessment_id=evaluation_id, life_domain=domain, score=better)


def _contacts(
    rows: Rows,
    rng: Any,
    case_id: uuid.UUID,
    opened: dt.date,
    last: dt.date,
    manager_id: uuid.UUID,
    household: list[tuple[uuid.UUID, str, dt.date | None, str]],
) -> None:
    span = max(0, (last - opened).days)
    for index in range(rng.randint(1, 5)):
        channel, summary = CONTACT_SUMMARIES[0] if index == 0 else rng.choice(CONTACT_SUMMARIES)
        day = opened if index == 0 else opened + dt.timedelta(days=rng.randint(0, span))
        rows.add(
            ContactMoment,
            id=_uuid(rng),
            case_id=case_id,
            occurred_at=_at(day, rng),
            channel=channel,
            participants=", ".join(m[3] for m in household[:2]),
            summary=summary,
            visible_to_resident=rng.random() < 0.5,
            created_by_user_id=manager_id,
            created_at=_at(day, rng),
        )


def _allocations(
    rows: Rows,
    rng: Any,
    today: dt.date,
    case_id: uuid.UUID,
    theme: Theme,
    concerned: list[tuple[uuid.UUID, str, dt.date | None, str]],
    agreed_on: dt.date,
    closed: bool,
    closed_on: dt.date,
) -> None:
    for domain in rng.sample(theme.domains, rng.randint(1, min(2, len(theme.domains)))):
        options = PRODUCTS.get(domain)
        if not options:
            continue
        law, category, product_code, volume, unit, frequency = rng.choice(options)
        children = [m for m in concerned if m[1] == "child"]
        adults = [m for m in concerned if m[1] != "child"]
        person = rng.choice(children if law == "jeugdwet" and children else adults or concerned)
        provider, agb = rng.choice(PROVIDERS[category])
        limit = closed_on if closed else today
        requested = min(limit, agreed_on + dt.timedelta(days=rng.randint(0, 10)))
        decided = requested + dt.timedelta(days=rng.randint(5, 40))
        start = decided + dt.timedelta(days=rng.choice((0, 3, 7, 14, 21, 35, 56, 84)))
        if closed and decided > limit:
            continue  # not decided before the case closed: withdrawn, not recorded
        if decided > today:
            values: dict[str, Any] = {"status": "requested", "decided_on": None, "start_on": None}
        elif start > today:
            values = {"status": "allocated", "decided_on": decided, "start_on": None}
        else:
            values = {"status": "started", "decided_on": decided, "start_on": start}
        values.update(end_on=None, stop_reason=None)
        if closed and start > limit:
            values.update(
                status="stopped", start_on=None, end_on=closed_on, stop_reason="by_resident"
            )
        elif closed:
            values.update(
                status="stopped",
                end_on=closed_on,
                stop_reason=rng.choice(("goals_achieved", "goals_achieved", "by_resident")),
            )
        elif values["status"] == "started" and start < today - dt.timedelta(days=365):
            values.update(status="stopped", end_on=start + dt.timedelta(days=365),
                          stop_reason="goals_achieved")  # fmt: skip
        rows.add(
            Allocation,
            id=_uuid(rng),
            case_id=case_id,
            person_id=person[0],
            law=law,
            product_category=category,
            product_code=product_code,
            provider_name=provider,
            provider_agb=agb,
            volume=Decimal(volume),
            unit=unit,
            frequency=frequency,
            requested_on=requested,
            created_at=_at(requested, rng),
            **values,
        )
