"""Data-subject rights in case management: what the module holds about a person
(inzageverzoek, AVG art. 15) and erasing it (AVG art. 17) where no retention period applies.

Export: the cases concerning the person or their household (status, dates, referral,
life domains), the ZRM scores of those cases, plan goals and actions the person owns, is
assigned or proposed, their comments on actions, the contact moments of those cases, the
notes of those cases *with their confidentiality level* (an inzageverzoek covers all
personal data; whether a note is withheld under AVG art. 23 / UAVG art. 41, e.g. to
protect another person, is the privacy officer's decision on the export, not the
software's — the level is there to make that review possible), document metadata (never
the content), allocations and appointment requests. Core records the export in the audit
log.

Erasure, per case, following the retention periods (bewaartermijnen):
- a case that is still open is kept (support is ongoing);
- a youth case — one concerning a minor (under 18 when it opened) or holding a Jeugdwet
  allocation — is kept for 20 years after closing (Jeugdwet art. 7.3.8 counts 20 years
  from when each record was made; counting from the closure keeps at least that long);
- any other case (Wmo) for 15 years after closing. ASSUMPTION: the Selectielijst
  gemeenten en intergemeentelijke organen (VNG, 2020) sets the periods for Wmo files per
  process (mostly 7 to 15 years); we take the longest so nothing is destroyed early. A
  municipality with a shorter period can change `WMO_RETENTION_YEARS`.
In a case past its period the person's rows are erased: the case-person link, their
allocations and appointment requests are deleted; goals, actions, action events and
documents keep their content but lose the link to the person (owner, assignee, proposer,
uploader, their comments). What the professionals wrote about the household in notes and
contact moments belongs to the case and goes when the case itself is destroyed. In a case
still within its period nothing is changed, and the case file itself counts as retained
(so core keeps the person in the registry and the file stays readable).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, or_, select, update

from openregie_casemanagement.codes import (
    CLOSURE_REASONS,
    CONFIDENTIALITY,
    LIFE_DOMAINS,
    OPEN_STATUSES,
    STATUSES,
)
from openregie_casemanagement.models import (
    Action,
    ActionEvent,
    Allocation,
    AppointmentRequest,
    Case,
    CaseLifeDomain,
    CasePerson,
    ContactMoment,
    Document,
    Goal,
    Note,
    Plan,
    ZrmAssessment,
    ZrmScore,
)
from openregie_casemanagement.services.allocations import FIELDS as allocation_fields
from openregie_sdk import db_session, hookimpl
from openregie_sdk.contributions import ErasureOutcome, SubjectExportSection
from openregie_sdk.registry import HouseholdMember, Person, Team

YOUTH_RETENTION_YEARS = 20
WMO_RETENTION_YEARS = 15
ADULT_AGE = 18
ERASED_NAME = "(verwijderd)"


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "is_finite"):  # Decimal
        return str(value)
    return value


def _row(obj: Any, names: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    record = {name: _plain(getattr(obj, name)) for name in names}
    record.update({key: _plain(value) for key, value in extra.items()})
    return record


def _household_ids(person_id: uuid.UUID) -> Any:
    return select(HouseholdMember.household_id).where(HouseholdMember.person_id == person_id)


def _case_ids(person_id: uuid.UUID) -> Any:
    """The cases concerning the person or one of their households (as a subquery)."""
    return select(Case.id).where(
        or_(
            Case.id.in_(select(CasePerson.case_id).where(CasePerson.person_id == person_id)),
            Case.household_id.in_(_household_ids(person_id)),
        )
    )


# -- export ---------------------------------------------------------------------------------


CASE_FIELDS = (
    "id",
    "household_id",
    "title",
    "status",
    "referral_source",
    "referral_reason",
    "urgency",
    "opened_on",
    "closed_on",
    "closure_reason",
    "evaluation_due_on",
)
# An allocation's fields but its person (the export is the person's own).
ALLOCATION_FIELDS = ("id", "case_id", *(f for f in allocation_fields if f != "person_id"))


@hookimpl
def openregie_subject_export(person: Person) -> list[SubjectExportSection]:
    session = db_session()
    case_ids = _case_ids(person.id)
    cases = list(
        session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.opened_on))
    )
    ids = [c.id for c in cases]
    concerned = set(
        session.scalars(
            select(CasePerson.case_id).where(
                CasePerson.person_id == person.id, CasePerson.case_id.in_(ids)
            )
        )
    )
    domains: dict[uuid.UUID, list[str]] = defaultdict(list)
    for case_id, domain in session.execute(
        select(CaseLifeDomain.case_id, CaseLifeDomain.life_domain).where(
            CaseLifeDomain.case_id.in_(ids)
        )
    ):
        domains[case_id].append(domain)
    teams = dict(
        session.execute(
            select(Team.id, Team.name).where(Team.id.in_({c.team_id for c in cases}))
        ).all()
    )
    sections = []
    if cases:
        sections.append(
            SubjectExportSection(
                title="Casussen",
                records=[
                    _row(
                        c,
                        CASE_FIELDS,
                        status_label=STATUSES.get(c.status, c.status),
                        closure_reason_label=CLOSURE_REASONS.get(c.closure_reason or "", None),
                        team=teams.get(c.team_id),
                        life_domains=sorted(domains.get(c.id, [])),
                        relation="betrokken persoon"
                        if c.id in concerned
                        else "lid van het huishouden",
                    )
                    for c in cases
                ],
            )
        )

    scores = session.execute(
        select(ZrmAssessment, ZrmScore.life_domain, ZrmScore.score)
        .join(ZrmScore, ZrmScore.assessment_id == ZrmAssessment.id)
        .where(ZrmAssessment.case_id.in_(ids))
        .order_by(ZrmAssessment.assessed_on, ZrmScore.life_domain)
    ).all()
    if scores:
        sections.append(
            SubjectExportSection(
                title="Zelfredzaamheidsmatrix",
                records=[
                    {
                        "case_id": str(a.case_id),
                        "moment": a.moment,
                        "assessed_on": a.assessed_on.isoformat(),
                        "life_domain": domain,
                        "life_domain_label": LIFE_DOMAINS.get(domain, domain),
                        "score": score,
                    }
                    for a, domain, score in scores
                ],
            )
        )

    goals = session.execute(
        select(Goal, Plan.case_id)
        .join(Plan, Plan.id == Goal.plan_id)
        .where(or_(Goal.owner_person_id == person.id, Goal.proposed_by_person_id == person.id))
        .order_by(Goal.created_at)
    ).all()
    actions = session.scalars(
        select(Action)
        .where(
            or_(Action.assignee_person_id == person.id, Action.proposed_by_person_id == person.id)
        )
        .order_by(Action.created_at)
    ).all()
    events = session.scalars(
        select(ActionEvent).where(ActionEvent.by_person_id == person.id).order_by(ActionEvent.at)
    ).all()
    plan_records = [
        _row(
            g,
            ("id", "life_domain", "text", "status", "target_date", "proposal", "created_at"),
            kind="doel",
            case_id=case_id,
            owner=g.owner_person_id == person.id,
            proposed_by_person=g.proposed_by_person_id == person.id,
        )
        for g, case_id in goals
    ]
    plan_records += [
        _row(
            a,
            (
                "id",
                "case_id",
                "goal_id",
                "description",
                "status",
                "due_on",
                "proposal",
                "resident_comment",
                "created_at",
            ),
            kind="actie",
            assigned=a.assignee_person_id == person.id,
            proposed_by_person=a.proposed_by_person_id == person.id,
        )
        for a in actions
    ]
    plan_records += [
        _row(e, ("id", "action_id", "at", "status", "comment"), kind="reactie op actie")
        for e in events
    ]
    if plan_records:
        sections.append(SubjectExportSection(title="Plan: doelen en acties", records=plan_records))

    moments = session.scalars(
        select(ContactMoment)
        .where(ContactMoment.case_id.in_(ids))
        .order_by(ContactMoment.occurred_at)
    ).all()
    if moments:
        sections.append(
            SubjectExportSection(
                title="Contactmomenten",
                records=[
                    _row(
                        m,
                        (
                            "id",
                            "case_id",
                            "occurred_at",
                            "channel",
                            "participants",
                            "summary",
                            "visible_to_resident",
                        ),
                    )
                    for m in moments
                ],
            )
        )
    notes = session.scalars(
        select(Note).where(Note.case_id.in_(ids)).order_by(Note.created_at)
    ).all()
    if notes:
        sections.append(
            SubjectExportSection(
                title="Notities (met vertrouwelijkheid; beoordeel vóór verstrekking)",
                records=[
                    _row(
                        n,
                        ("id", "case_id", "created_at", "text", "confidentiality"),
                        confidentiality_label=CONFIDENTIALITY.get(n.confidentiality),
                    )
                    for n in notes
                ],
            )
        )
    documents = session.scalars(
        select(Document)
        .where(or_(Document.case_id.in_(ids), Document.uploaded_by_person_id == person.id))
        .order_by(Document.uploaded_at)
    ).all()
    if documents:
        sections.append(
            SubjectExportSection(
                title="Documenten (alleen gegevens over het document, niet de inhoud)",
                records=[
                    _row(
                        d,
                        (
                            "id",
                            "case_id",
                            "filename",
                            "content_type",
                            "size",
                            "description",
                            "shared_with_resident",
                            "uploaded_at",
                        ),
                        uploaded_by_person=d.uploaded_by_person_id == person.id,
                    )
                    for d in documents
                ],
            )
        )
    allocations = session.scalars(
        select(Allocation)
        .where(Allocation.person_id == person.id)
        .order_by(Allocation.requested_on)
    ).all()
    if allocations:
        sections.append(
            SubjectExportSection(
                title="Toekenningen",
                records=[_row(a, ALLOCATION_FIELDS) for a in allocations],
            )
        )
    requests = session.scalars(
        select(AppointmentRequest)
        .where(AppointmentRequest.person_id == person.id)
        .order_by(AppointmentRequest.created_at)
    ).all()
    if requests:
        sections.append(
            SubjectExportSection(
                title="Afspraakverzoeken",
                records=[
                    _row(
                        r,
                        (
                            "id",
                            "case_id",
                            "subject",
                            "channel",
                            "preferred_moments",
                            "status",
                            "created_at",
                            "handled_at",
                        ),
                    )
                    for r in requests
                ],
            )
        )
    return sections


# -- erasure --------------------------------------------------------------------------------


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention(case: Case, youth: bool, today: dt.date) -> str | None:
    """Why the case must still be kept (a Dutch sentence), or None when it may go."""
    if case.status in OPEN_STATUSES or case.closed_on is None:
        return f"Casus '{case.title}' loopt nog; gegevens blijven bewaard tot na afsluiting."
    if youth:
        until = _years_after(case.closed_on, YOUTH_RETENTION_YEARS)
        law = f"Jeugdwet art. 7.3.8: {YOUTH_RETENTION_YEARS} jaar"
    else:
        until = _years_after(case.closed_on, WMO_RETENTION_YEARS)
        law = f"Wmo, Selectielijst gemeenten: {WMO_RETENTION_YEARS} jaar"
    if today < until:
        return (
            f"Casus '{case.title}' (afgesloten {case.closed_on.strftime('%d-%m-%Y')}) wordt "
            f"bewaard tot {until.strftime('%d-%m-%Y')} ({law} na afsluiting)."
        )
    return None


def _youth_cases(case_ids: list[uuid.UUID], cases: dict[uuid.UUID, Case]) -> set[uuid.UUID]:
    """Cases with a Jeugdwet allocation or concerning a minor: a person of the case or a
    member of its household who was under 18 when it opened (and born before it closed)."""
    session = db_session()
    youth = set(
        session.scalars(
            select(Allocation.case_id).where(
                Allocation.case_id.in_(case_ids), Allocation.law == "jeugdwet"
            )
        )
    )
    births = session.execute(
        select(CasePerson.case_id, Person.birth_date)
        .join(Person, Person.id == CasePerson.person_id)
        .where(CasePerson.case_id.in_(case_ids))
    ).all()
    births += session.execute(
        select(Case.id, Person.birth_date)
        .join(HouseholdMember, HouseholdMember.household_id == Case.household_id)
        .join(Person, Person.id == HouseholdMember.person_id)
        .where(Case.id.in_(case_ids))
    ).all()
    for case_id, birth in births:
        case = cases[case_id]
        if birth is None or birth > (case.closed_on or dt.date.today()):
            continue  # born after the case: not part of it
        if _years_after(birth, ADULT_AGE) > case.opened_on:
            youth.add(case_id)
    return youth


@hookimpl
def openregie_subject_erasure(person: Person, dry_run: bool) -> ErasureOutcome | None:
    session = db_session()
    pid = person.id
    goal_case = select(Plan.case_id).where(Plan.id == Goal.plan_id).scalar_subquery()
    event_case = select(Action.case_id).where(Action.id == ActionEvent.action_id).scalar_subquery()
    # (kind, row key, case id) of every row that names the person.
    rows: list[tuple[str, Any, uuid.UUID]] = []
    rows += [
        ("case_person", cid, cid)
        for cid in session.scalars(select(CasePerson.case_id).where(CasePerson.person_id == pid))
    ]
    rows += [
        ("allocation", i, c)
        for i, c in session.execute(
            select(Allocation.id, Allocation.case_id).where(Allocation.person_id == pid)
        )
    ]
    rows += [
        ("appointment", i, c)
        for i, c in session.execute(
            select(AppointmentRequest.id, AppointmentRequest.case_id).where(
                AppointmentRequest.person_id == pid
            )
        )
    ]
    rows += [
        ("goal", i, c)
        for i, c in session.execute(
            select(Goal.id, goal_case).where(
                or_(Goal.owner_person_id == pid, Goal.proposed_by_person_id == pid)
            )
        )
    ]
    rows += [
        ("action", i, c)
        for i, c in session.execute(
            select(Action.id, Action.case_id).where(
                or_(Action.assignee_person_id == pid, Action.proposed_by_person_id == pid)
            )
        )
    ]
    rows += [
        ("action_event", i, c)
        for i, c in session.execute(
            select(ActionEvent.id, event_case).where(ActionEvent.by_person_id == pid)
        )
    ]
    rows += [
        ("document", i, c)
        for i, c in session.execute(
            select(Document.id, Document.case_id).where(Document.uploaded_by_person_id == pid)
        )
    ]
    household_cases = set(
        session.scalars(select(Case.id).where(Case.household_id.in_(_household_ids(pid))))
    )
    case_ids = sorted({c for _, _, c in rows} | household_cases)
    if not case_ids:
        return None
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    youth = _youth_cases(case_ids, cases)
    today = dt.date.today()
    kept = {cid: retention(cases[cid], cid in youth, today) for cid in case_ids}

    retained = 0
    reasons: list[str] = []
    erase: dict[str, list[Any]] = defaultdict(list)
    for kind, key, cid in rows:
        if kept[cid]:
            retained += 1
        else:
            erase[kind].append(key)
    # The case file itself, for the person's households' cases still within their period.
    named = {cid for _, _, cid in rows}
    retained += sum(1 for cid in household_cases - named if kept[cid])
    for cid in case_ids:
        reason = kept[cid]
        if reason and reason not in reasons:
            reasons.append(reason)
    erased = sum(len(keys) for keys in erase.values())
    if not dry_run and erased:
        _erase(pid, erase)
    if erased:
        reasons.append(
            "Koppelingen, toekenningen en afspraakverzoeken in casussen na hun bewaartermijn "
            "zijn verwijderd; doelen, acties en documenten daarin zijn geanonimiseerd."
            if not dry_run
            else "Koppelingen, toekenningen en afspraakverzoeken in casussen na hun "
            "bewaartermijn worden verwijderd; doelen, acties en documenten daarin worden "
            "geanonimiseerd."
        )
    return ErasureOutcome(erased=erased, retained=retained, reasons=reasons)


def _erase(pid: uuid.UUID, erase: dict[str, list[Any]]) -> None:
    session = db_session()
    if erase["case_person"]:
        session.execute(
            delete(CasePerson).where(
                CasePerson.person_id == pid, CasePerson.case_id.in_(erase["case_person"])
            )
        )
    if erase["allocation"]:
        session.execute(delete(Allocation).where(Allocation.id.in_(erase["allocation"])))
    if erase["appointment"]:
        session.execute(
            delete(AppointmentRequest).where(AppointmentRequest.id.in_(erase["appointment"]))
        )
    for goal in session.scalars(select(Goal).where(Goal.id.in_(erase["goal"]))):
        if goal.owner_person_id == pid:
            goal.owner_person_id = None
            goal.owner_kind = None
        if goal.proposed_by_person_id == pid:
            goal.proposed_by_person_id = None
    for action in session.scalars(select(Action).where(Action.id.in_(erase["action"]))):
        if action.assignee_person_id == pid:
            action.assignee_person_id = None
            action.assignee_kind = None
            action.resident_comment = None
        if action.proposed_by_person_id == pid:
            action.proposed_by_person_id = None
    if erase["action_event"]:
        session.execute(
            update(ActionEvent)
            .where(ActionEvent.id.in_(erase["action_event"]))
            .values(by_person_id=None, by_name=ERASED_NAME, comment=None)
        )
    if erase["document"]:
        session.execute(
            update(Document)
            .where(Document.id.in_(erase["document"]))
            .values(uploaded_by_person_id=None)
        )
    session.flush()


__all__ = [
    "WMO_RETENTION_YEARS",
    "YOUTH_RETENTION_YEARS",
    "openregie_subject_erasure",
    "openregie_subject_export",
    "retention",
]
