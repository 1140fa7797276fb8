"""Reporting metrics of case management (`openregie_report_metrics`): aggregates for
accountability to the municipality, each a SQLAlchemy Core query honouring `MetricFilters`.

Every query restricts cases by their team: the teams given, the teams serving the areas
given, and the teams serving an area in the municipalities given. Day differences are
computed in the database (`date - date` on PostgreSQL, `julianday` on SQLite).
Definitions of the period:

- new cases: `opened_on` in the period; open at period end: opened on or before the end
  and not closed before or on it; closed: `closed_on` in the period.
- running allocations: care started (status started or stopped) on or before the period
  end and not ended before it; started: `start_on` in the period.
- waiting time: days from the decision to the start, for allocations started in the period.
- ZRM progress: per case, the first intake against the latest evaluation assessed in the
  period, averaged per life domain over the cases scored on that domain in both.
- goals: the goals of the cases open at some moment in the period, by status.
- help by the team itself: the cases open at some moment in the period, split into those
  with a granted provision (an allocation allocated, started or stopped, decided or started
  on or before the period end and not ended before its start) and those the team handles
  itself (none such).

Coded dimensions carry their Dutch labels (`MetricDefinition.labels`, from `codes`); the
ZRM progress, an average, names its `count` column (`counted_by`): the number of case and
life-domain pairs each average rests on, so that reporting suppresses small ones.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    and_,
    case,
    cast,
    exists,
    func,
    or_,
    select,
)

from openregie_casemanagement.codes import (
    CLOSED,
    CLOSURE_REASONS,
    GOAL_STATUSES,
    LAWS,
    LIFE_DOMAINS,
    N_,
    PRODUCT_CATEGORIES,
    REFERRAL_SOURCES,
)
from openregie_casemanagement.models import (
    Allocation,
    Case,
    CaseLifeDomain,
    Goal,
    Plan,
    ZrmAssessment,
    ZrmScore,
)
from openregie_sdk import hookimpl
from openregie_sdk.contributions import MetricDefinition, MetricFilters
from openregie_sdk.metrics import days_between, team_conditions
from openregie_sdk.registry import Team

RUNNING = ("started", "stopped")
GRANTED = ("allocated", "started", "stopped")
HELP = {
    "team": N_("Door het team zelf"),
    "provision": N_("Met toegekende voorziening"),
}


def _in_period(column: Any, filters: MetricFilters) -> ColumnElement[bool]:
    return column.between(filters.period_start, filters.period_end)


def _cases(filters: MetricFilters) -> list[ColumnElement[bool]]:
    return team_conditions(Case.team_id, filters)


def _active_in_period(filters: MetricFilters) -> ColumnElement[bool]:
    return and_(
        Case.opened_on <= filters.period_end,
        or_(Case.closed_on.is_(None), Case.closed_on >= filters.period_start),
    )


def cases_opened(filters: MetricFilters) -> Any:
    return (
        select(Team.name.label("team"), func.count(Case.id).label("value"))
        .join(Team, Team.id == Case.team_id)
        .where(_in_period(Case.opened_on, filters), *_cases(filters))
        .group_by(Team.name)
    )


def cases_open(filters: MetricFilters) -> Any:
    return (
        select(Team.name.label("team"), func.count(Case.id).label("value"))
        .join(Team, Team.id == Case.team_id)
        .where(
            Case.opened_on <= filters.period_end,
            or_(Case.closed_on.is_(None), Case.closed_on > filters.period_end),
            *_cases(filters),
        )
        .group_by(Team.name)
    )


def cases_closed(filters: MetricFilters) -> Any:
    reason = func.coalesce(Case.closure_reason, "anders")
    return (
        select(reason.label("closure_reason"), func.count(Case.id).label("value"))
        .where(
            Case.status == CLOSED,
            _in_period(Case.closed_on, filters),
            *_cases(filters),
        )
        .group_by(reason)
    )


def case_duration(filters: MetricFilters) -> Any:
    return select(
        days_between(Case.closed_on, Case.opened_on, filters.dialect).label("value")
    ).where(Case.status == CLOSED, _in_period(Case.closed_on, filters), *_cases(filters))


def referral_sources(filters: MetricFilters) -> Any:
    return (
        select(Case.referral_source.label("referral_source"), func.count(Case.id).label("value"))
        .where(_in_period(Case.opened_on, filters), *_cases(filters))
        .group_by(Case.referral_source)
    )


def life_domains(filters: MetricFilters) -> Any:
    return (
        select(
            CaseLifeDomain.life_domain.label("life_domain"),
            func.count(func.distinct(Case.id)).label("value"),
        )
        .join(Case, Case.id == CaseLifeDomain.case_id)
        .where(_in_period(Case.opened_on, filters), *_cases(filters))
        .group_by(CaseLifeDomain.life_domain)
    )


def allocations_running(filters: MetricFilters) -> Any:
    return (
        select(
            Allocation.law.label("law"),
            Allocation.product_category.label("product_category"),
            func.count(Allocation.id).label("value"),
        )
        .join(Case, Case.id == Allocation.case_id)
        .where(
            Allocation.status.in_(RUNNING),
            Allocation.start_on <= filters.period_end,
            or_(Allocation.end_on.is_(None), Allocation.end_on >= filters.period_end),
            *_cases(filters),
        )
        .group_by(Allocation.law, Allocation.product_category)
    )


def allocations_started(filters: MetricFilters) -> Any:
    return (
        select(
            Allocation.product_category.label("product_category"),
            Allocation.provider_name.label("provider"),
            func.count(Allocation.id).label("value"),
        )
        .join(Case, Case.id == Allocation.case_id)
        .where(
            Allocation.status.in_(RUNNING),
            _in_period(Allocation.start_on, filters),
            *_cases(filters),
        )
        .group_by(Allocation.product_category, Allocation.provider_name)
    )


def waiting_time(filters: MetricFilters) -> Any:
    return (
        select(
            Allocation.provider_name.label("provider"),
            Allocation.product_category.label("product_category"),
            days_between(Allocation.start_on, Allocation.decided_on, filters.dialect).label(
                "value"
            ),
        )
        .join(Case, Case.id == Allocation.case_id)
        .where(
            Allocation.decided_on.is_not(None),
            _in_period(Allocation.start_on, filters),
            *_cases(filters),
        )
    )


def _numbered_assessments(
    name: str, moment: str, condition: ColumnElement[bool], order_by: tuple[Any, ...]
) -> Any:
    """The ZRM assessments at `moment` meeting `condition`, numbered per case (`n`, from 1)
    in the order `order_by`."""
    return (
        select(
            ZrmAssessment.id.label("id"),
            ZrmAssessment.case_id.label("case_id"),
            func.row_number()
            .over(partition_by=ZrmAssessment.case_id, order_by=order_by)
            .label("n"),
        )
        .where(ZrmAssessment.moment == moment, condition)
        .subquery(name)
    )


def zrm_progress(filters: MetricFilters) -> Any:
    # Only cases evaluated in the period count, so only their intakes are numbered (the
    # same result; the window runs over a period's cases instead of all cases ever).
    evaluated = (
        select(ZrmAssessment.case_id)
        .where(ZrmAssessment.moment == "evaluation", _in_period(ZrmAssessment.assessed_on, filters))
        .scalar_subquery()
    )
    first_intake = _numbered_assessments(
        "first_intake",
        "intake",
        and_(ZrmAssessment.assessed_on <= filters.period_end, ZrmAssessment.case_id.in_(evaluated)),
        (ZrmAssessment.assessed_on, ZrmAssessment.created_at, ZrmAssessment.id),
    )
    latest_evaluation = _numbered_assessments(
        "latest_evaluation",
        "evaluation",
        _in_period(ZrmAssessment.assessed_on, filters),
        (
            ZrmAssessment.assessed_on.desc(),
            ZrmAssessment.created_at.desc(),
            ZrmAssessment.id.desc(),
        ),
    )
    intake_score = ZrmScore.__table__.alias("intake_score")
    evaluation_score = ZrmScore.__table__.alias("evaluation_score")
    difference = cast(evaluation_score.c.score - intake_score.c.score, Numeric(10, 2))
    return (
        select(
            intake_score.c.life_domain.label("life_domain"),
            func.avg(difference).label("value"),
            func.count().label("count"),
        )
        .select_from(first_intake)
        .join(
            latest_evaluation,
            and_(latest_evaluation.c.case_id == first_intake.c.case_id, latest_evaluation.c.n == 1),
        )
        .join(Case, Case.id == first_intake.c.case_id)
        .join(intake_score, intake_score.c.assessment_id == first_intake.c.id)
        .join(
            evaluation_score,
            and_(
                evaluation_score.c.assessment_id == latest_evaluation.c.id,
                evaluation_score.c.life_domain == intake_score.c.life_domain,
            ),
        )
        .where(first_intake.c.n == 1, *_cases(filters))
        .group_by(intake_score.c.life_domain)
    )


def goals_by_status(filters: MetricFilters) -> Any:
    return (
        select(Goal.status.label("status"), func.count(Goal.id).label("value"))
        .join(Plan, Plan.id == Goal.plan_id)
        .join(Case, Case.id == Plan.case_id)
        .where(_active_in_period(filters), *_cases(filters))
        .group_by(Goal.status)
    )


def help_by_team(filters: MetricFilters) -> Any:
    granted = exists().where(
        Allocation.case_id == Case.id,
        Allocation.status.in_(GRANTED),
        func.coalesce(Allocation.decided_on, Allocation.start_on) <= filters.period_end,
        or_(Allocation.end_on.is_(None), Allocation.end_on >= filters.period_start),
    )
    cases = (
        select(case((granted, "provision"), else_="team").label("help"))
        .where(_active_in_period(filters), *_cases(filters))
        .subquery("active_cases")
    )
    return select(cases.c.help, func.count().label("value")).group_by(cases.c.help)


def definitions() -> list[MetricDefinition]:
    return [
        MetricDefinition(
            id="casemanagement.cases_opened",
            title=N_("Nieuwe casussen"),
            unit=N_("casussen"),
            dimensions=("team",),
            description=N_("Casussen aangemeld in de periode, per team."),
            query=cases_opened,
        ),
        MetricDefinition(
            id="casemanagement.cases_open",
            title=N_("Lopende casussen op de einddatum"),
            unit=N_("casussen"),
            dimensions=("team",),
            description=N_("Casussen die op de laatste dag van de periode open waren, per team."),
            query=cases_open,
        ),
        MetricDefinition(
            id="casemanagement.cases_closed",
            title=N_("Afgesloten casussen"),
            unit=N_("casussen"),
            dimensions=("closure_reason",),
            description=N_("Casussen afgesloten in de periode, per reden van afsluiten."),
            query=cases_closed,
            labels={"closure_reason": CLOSURE_REASONS},
        ),
        MetricDefinition(
            id="casemanagement.case_duration",
            title=N_("Doorlooptijd van afgesloten casussen"),
            unit=N_("dagen"),
            kind="distribution",
            description=N_(
                "Dagen van aanmelding tot afsluiting, voor casussen afgesloten in de periode."
            ),
            query=case_duration,
        ),
        MetricDefinition(
            id="casemanagement.referral_sources",
            title=N_("Verwijzers van nieuwe casussen"),
            unit=N_("casussen"),
            dimensions=("referral_source",),
            description=N_("Nieuwe casussen in de periode per bron van aanmelding."),
            query=referral_sources,
            labels={"referral_source": REFERRAL_SOURCES},
        ),
        MetricDefinition(
            id="casemanagement.life_domains",
            title=N_("Leefgebieden van nieuwe casussen"),
            unit=N_("casussen"),
            dimensions=("life_domain",),
            description=N_(
                "Nieuwe casussen in de periode per leefgebied (een casus kan meerdere hebben)."
            ),
            query=life_domains,
            labels={"life_domain": LIFE_DOMAINS},
        ),
        MetricDefinition(
            id="casemanagement.allocations_running",
            title=N_("Lopende toekenningen op de einddatum"),
            unit=N_("toekenningen"),
            dimensions=("law", "product_category"),
            description=N_("Gestarte voorzieningen die op de laatste dag van de periode liepen."),
            query=allocations_running,
            labels={"law": LAWS, "product_category": PRODUCT_CATEGORIES},
        ),
        MetricDefinition(
            id="casemanagement.allocations_started",
            title=N_("Gestarte toekenningen"),
            unit=N_("toekenningen"),
            dimensions=("product_category", "provider"),
            description=N_("Voorzieningen gestart in de periode, per categorie en zorgaanbieder."),
            query=allocations_started,
            labels={"product_category": PRODUCT_CATEGORIES},
        ),
        MetricDefinition(
            id="casemanagement.help_by_team",
            title=N_("Hulp door het team zelf of met een voorziening"),
            unit=N_("casussen"),
            dimensions=("help",),
            description=N_(
                "Casussen die in de periode open waren: met een toegekende voorziening "
                "(Wmo, Jeugdwet) die in de periode liep, of alleen met hulp van het team zelf."
            ),
            query=help_by_team,
            labels={"help": HELP},
        ),
        MetricDefinition(
            id="casemanagement.waiting_time",
            title=N_("Wachttijd tot start van de zorg"),
            unit=N_("dagen"),
            dimensions=("provider", "product_category"),
            kind="distribution",
            description=N_(
                "Dagen van besluit tot start, voor voorzieningen gestart in de periode."
            ),
            query=waiting_time,
            labels={"product_category": PRODUCT_CATEGORIES},
        ),
        MetricDefinition(
            id="casemanagement.zrm_progress",
            title=N_("Voortgang op de zelfredzaamheidsmatrix"),
            unit=N_("punten"),
            dimensions=("life_domain",),
            description=N_(
                "Gemiddeld verschil tussen de eerste intake en de laatste evaluatie in de "
                "periode, per leefgebied, voor casussen met beide."
            ),
            query=zrm_progress,
            labels={"life_domain": LIFE_DOMAINS},
            counted_by="count",
        ),
        MetricDefinition(
            id="casemanagement.goals_achieved",
            title=N_("Doelen en hun status"),
            unit=N_("doelen"),
            dimensions=("status",),
            description=N_(
                "Doelen van casussen die in de periode open waren, per status (bereikt "
                "tegenover het totaal)."
            ),
            query=goals_by_status,
            labels={"status": GOAL_STATUSES},
        ),
    ]


@hookimpl
def openregie_report_metrics() -> list[MetricDefinition]:
    return definitions()


__all__ = ["definitions", "openregie_report_metrics"]
