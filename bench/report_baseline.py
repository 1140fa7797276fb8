"""The raw baseline of the quarterly-report benchmark: the same figures as the report's
metrics (core's and case management's), computed by hand-written SQL sent through the
psycopg driver, with no ORM, no SQLAlchemy and no suppression. One statement per metric
and period, as the engine runs them.

Each query returns (dimension..., value) rows or, for the two distributions, (dimension...,
count, median, p90) with PostgreSQL's own `percentile_cont`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

# Restricts a team id column to the teams serving an area of the municipality (when given).
TEAMS = (
    " AND {column} IN (SELECT ta.team_id FROM core_team_area ta JOIN core_area a"
    " ON a.id = ta.area_id WHERE a.municipality_id = %(municipality)s)"
)
PERSON_MUNICIPALITY = " AND p.municipality_id = %(municipality)s"

SQL: dict[str, str] = {
    "core.persons": """
        SELECT m.name, count(p.id) FROM core_person p
        JOIN core_municipality m ON m.id = p.municipality_id
        WHERE p.created_at < %(end_moment)s {person} GROUP BY m.id, m.name""",
    "core.households": """
        SELECT m.name, count(DISTINCT hm.household_id) FROM core_household_member hm
        JOIN core_person p ON p.id = hm.person_id
        JOIN core_municipality m ON m.id = p.municipality_id
        WHERE hm.start_on <= %(end)s AND (hm.end_on IS NULL OR hm.end_on > %(end)s) {person}
        GROUP BY m.id, m.name""",
    "core.contracted_hours": """
        SELECT t.name, o.name, sum(ms.hours_per_week) FROM core_membership ms
        JOIN core_team t ON t.id = ms.team_id
        LEFT JOIN core_organisation o ON o.id = ms.home_organisation_id
        WHERE ms.hours_per_week IS NOT NULL AND ms.start_on <= %(end)s
          AND (ms.end_on IS NULL OR ms.end_on > %(end)s) {teams:ms.team_id}
        GROUP BY t.name, o.name""",
    "core.staff": """
        SELECT t.name, count(DISTINCT ms.user_id) FROM core_membership ms
        JOIN core_team t ON t.id = ms.team_id
        WHERE ms.start_on <= %(end)s AND (ms.end_on IS NULL OR ms.end_on > %(end)s)
          {teams:ms.team_id}
        GROUP BY t.name""",
    "casemanagement.cases_opened": """
        SELECT t.name, count(c.id) FROM casemanagement_case c JOIN core_team t ON t.id = c.team_id
        WHERE c.opened_on BETWEEN %(start)s AND %(end)s {teams:c.team_id} GROUP BY t.name""",
    "casemanagement.cases_open": """
        SELECT t.name, count(c.id) FROM casemanagement_case c JOIN core_team t ON t.id = c.team_id
        WHERE c.opened_on <= %(end)s AND (c.closed_on IS NULL OR c.closed_on > %(end)s)
          {teams:c.team_id}
        GROUP BY t.name""",
    "casemanagement.cases_closed": """
        SELECT coalesce(c.closure_reason, 'anders'), count(c.id) FROM casemanagement_case c
        WHERE c.status = 'afgesloten' AND c.closed_on BETWEEN %(start)s AND %(end)s
          {teams:c.team_id}
        GROUP BY 1""",
    "casemanagement.case_duration": """
        SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY d),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY d)
        FROM (SELECT c.closed_on - c.opened_on AS d FROM casemanagement_case c
              WHERE c.status = 'afgesloten' AND c.closed_on BETWEEN %(start)s AND %(end)s
                {teams:c.team_id}) items""",
    "casemanagement.referral_sources": """
        SELECT c.referral_source, count(c.id) FROM casemanagement_case c
        WHERE c.opened_on BETWEEN %(start)s AND %(end)s {teams:c.team_id}
        GROUP BY c.referral_source""",
    "casemanagement.life_domains": """
        SELECT ld.life_domain, count(DISTINCT c.id) FROM casemanagement_case_life_domain ld
        JOIN casemanagement_case c ON c.id = ld.case_id
        WHERE c.opened_on BETWEEN %(start)s AND %(end)s {teams:c.team_id}
        GROUP BY ld.life_domain""",
    "casemanagement.allocations_running": """
        SELECT al.law, al.product_category, count(al.id) FROM casemanagement_allocation al
        JOIN casemanagement_case c ON c.id = al.case_id
        WHERE al.status IN ('started', 'stopped') AND al.start_on <= %(end)s
          AND (al.end_on IS NULL OR al.end_on >= %(end)s) {teams:c.team_id}
        GROUP BY al.law, al.product_category""",
    "casemanagement.allocations_started": """
        SELECT al.product_category, al.provider_name, count(al.id)
        FROM casemanagement_allocation al JOIN casemanagement_case c ON c.id = al.case_id
        WHERE al.status IN ('started', 'stopped') AND al.start_on BETWEEN %(start)s AND %(end)s
          {teams:c.team_id}
        GROUP BY al.product_category, al.provider_name""",
    "casemanagement.waiting_time": """
        SELECT al.provider_name, al.product_category, count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY al.start_on - al.decided_on),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY al.start_on - al.decided_on)
        FROM casemanagement_allocation al JOIN casemanagement_case c ON c.id = al.case_id
        WHERE al.decided_on IS NOT NULL AND al.start_on BETWEEN %(start)s AND %(end)s
          {teams:c.team_id}
        GROUP BY al.provider_name, al.product_category""",
    "casemanagement.zrm_progress": """
        WITH intake AS (
            SELECT DISTINCT ON (a.case_id) a.case_id, a.id FROM casemanagement_zrm_assessment a
            WHERE a.moment = 'intake' AND a.assessed_on <= %(end)s
            ORDER BY a.case_id, a.assessed_on, a.created_at, a.id),
        evaluation AS (
            SELECT DISTINCT ON (a.case_id) a.case_id, a.id FROM casemanagement_zrm_assessment a
            WHERE a.moment = 'evaluation' AND a.assessed_on BETWEEN %(start)s AND %(end)s
            ORDER BY a.case_id, a.assessed_on DESC, a.created_at DESC, a.id DESC)
        SELECT i_s.life_domain, avg((e_s.score - i_s.score)::numeric(10, 2))
        FROM intake i JOIN evaluation e ON e.case_id = i.case_id
        JOIN casemanagement_case c ON c.id = i.case_id
        JOIN casemanagement_zrm_score i_s ON i_s.assessment_id = i.id
        JOIN casemanagement_zrm_score e_s
          ON e_s.assessment_id = e.id AND e_s.life_domain = i_s.life_domain
        WHERE true {teams:c.team_id}
        GROUP BY i_s.life_domain""",
    "casemanagement.goals_achieved": """
        SELECT g.status, count(g.id) FROM casemanagement_goal g
        JOIN casemanagement_plan pl ON pl.id = g.plan_id
        JOIN casemanagement_case c ON c.id = pl.case_id
        WHERE c.opened_on <= %(end)s AND (c.closed_on IS NULL OR c.closed_on >= %(start)s)
          {teams:c.team_id}
        GROUP BY g.status""",
}


def statement(metric: str, municipality: bool) -> str:
    """The SQL of `metric`, restricted to one municipality or not."""
    text = SQL[metric]
    for column in ("ms.team_id", "c.team_id"):
        text = text.replace(
            "{teams:" + column + "}", TEAMS.format(column=column) if municipality else ""
        )
    return text.replace("{person}", PERSON_MUNICIPALITY if municipality else "")


def parameters(start: dt.date, end: dt.date, municipality: uuid.UUID | None) -> dict[str, Any]:
    end_moment = dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    return {"start": start, "end": end, "end_moment": end_moment, "municipality": municipality}


def run_all(
    connection: Any, periods: list[tuple[dt.date, dt.date]], municipality: uuid.UUID | None
) -> dict[str, list[list[tuple[Any, ...]]]]:
    """Every metric for every period: {metric id: [rows of period 1, rows of period 2]}."""
    results: dict[str, list[list[tuple[Any, ...]]]] = {}
    with connection.cursor() as cursor:
        for metric in SQL:
            sql = statement(metric, municipality is not None)
            results[metric] = []
            for start, end in periods:
                cursor.execute(sql, parameters(start, end, municipality))  # type: ignore[arg-type]
                results[metric].append(cursor.fetchall())
    return results
