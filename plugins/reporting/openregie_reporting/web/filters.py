"""The report's filters, read from query parameters (a GET form, so a report can be
bookmarked and its downloads carry the same filters):

- `periode`: 2026, 2026-H1, 2026-Q3 or 2026-07; default the last complete quarter. A
  period that has not started yet is refused.
- `gemeente`: a CBS code (GM0262); `team` and `wijk`: ids of a team and an area (an area
  must lie in the chosen municipality).

An actor who may view reports only in some municipalities or teams (a municipality-scoped
role, a team lead through their team) gets reports of those only: without a choice the
first of them is chosen, another choice is refused. A refused value raises FilterError
naming the field; the page answers 400 with the message next to that field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from openregie_reporting.engine.periods import Period, PeriodError, parse_period
from openregie_reporting.engine.sections import N_
from openregie_sdk import Actor, db_session
from openregie_sdk.registry import Area, Municipality, Team

VIEW = "reporting.dashboard.view"
MONTHS = (
    N_("januari"),
    N_("februari"),
    N_("maart"),
    N_("april"),
    N_("mei"),
    N_("juni"),
    N_("juli"),
    N_("augustus"),
    N_("september"),
    N_("oktober"),
    N_("november"),
    N_("december"),
)


class FilterError(ValueError):
    """A filter value that is refused; `field` is the query parameter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ReportFilters:
    period: Period
    municipality: Municipality | None = None
    team: Team | None = None
    area: Area | None = None

    def query(self) -> dict[str, str]:
        """The query parameters that give these filters (for links and downloads)."""
        values = {"periode": self.period.label}
        if self.municipality is not None:
            values["gemeente"] = self.municipality.cbs_code
        if self.team is not None:
            values["team"] = str(self.team.id)
        if self.area is not None:
            values["wijk"] = str(self.area.id)
        return values


def last_complete_quarter(today: dt.date) -> Period:
    quarter = (today.month - 1) // 3 + 1
    return Period("quarter", today.year, quarter).previous()


def period_name(period: Period) -> str:
    """The period as a reader says it: "3e kwartaal 2026", "juli 2026"."""
    if period.kind == "year":
        return str(period.year)
    if period.kind == "half":
        return _("%(n)se halfjaar %(year)s", n=period.index, year=period.year)
    if period.kind == "quarter":
        return _("%(n)se kwartaal %(year)s", n=period.index, year=period.year)
    return f"{_(MONTHS[period.index - 1])} {period.year}"


def period_choices(today: dt.date, years: int = 3) -> list[tuple[str, list[Period]]]:
    """The periods the form offers, newest first, grouped by kind: those that have
    started in the last `years` years."""
    groups = []
    for kind, label, per_year in (
        ("quarter", _("Kwartalen"), 4),
        ("month", _("Maanden"), 12),
        ("half", _("Halfjaren"), 2),
        ("year", _("Jaren"), 1),
    ):
        periods = [
            Period(kind, year, index)
            for year in range(today.year, today.year - years, -1)
            for index in range(per_year, 0, -1)
            if Period(kind, year, index).start <= today
        ]
        groups.append((label, periods))
    return groups


def _uuid(raw: str, field: str, message: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise FilterError(field, message) from None


def read_filters(args: Mapping[str, str], actor: Actor, today: dt.date) -> ReportFilters:
    """The filters of `args`, checked (raises FilterError)."""
    session = db_session()
    raw_period = (args.get("periode") or "").strip()
    if raw_period:
        try:
            period = parse_period(raw_period)
        except PeriodError:
            raise FilterError(
                "periode",
                _(
                    "Kies een periode: een jaar (2026), halfjaar (2026-H1), kwartaal (2026-Q3) "
                    "of maand (2026-07)."
                ),
            ) from None
        if period.start > today:
            raise FilterError("periode", _("Deze periode is nog niet begonnen."))
    else:
        period = last_complete_quarter(today)

    municipality = None
    if code := (args.get("gemeente") or "").strip().upper():
        municipality = session.scalar(select(Municipality).where(Municipality.cbs_code == code))
        if municipality is None:
            raise FilterError("gemeente", _("Kies een bestaande gemeente."))
    team = None
    if raw := (args.get("team") or "").strip():
        team = session.get(Team, _uuid(raw, "team", _("Kies een bestaand team.")))
        if team is None:
            raise FilterError("team", _("Kies een bestaand team."))
    area = None
    if raw := (args.get("wijk") or "").strip():
        area = session.get(Area, _uuid(raw, "wijk", _("Kies een bestaande wijk.")))
        if area is None:
            raise FilterError("wijk", _("Kies een bestaande wijk."))
        if municipality is not None and area.municipality_id != municipality.id:
            raise FilterError("wijk", _("Deze wijk ligt niet in de gekozen gemeente."))

    scope = actor.scope_of(VIEW)
    if not scope.everywhere:
        if municipality is None and team is None:
            if scope.municipality_ids:
                municipality = session.scalar(
                    select(Municipality)
                    .where(Municipality.id.in_(scope.municipality_ids))
                    .order_by(Municipality.name)
                    .limit(1)
                )
            elif scope.team_ids:
                team = session.scalar(
                    select(Team).where(Team.id.in_(scope.team_ids)).order_by(Team.name).limit(1)
                )
        in_scope = (municipality is not None and municipality.id in scope.municipality_ids) or (
            team is not None and team.id in scope.team_ids
        )
        if not in_scope:
            field = "team" if team is not None and municipality is None else "gemeente"
            raise FilterError(
                field, _("U mag alleen rapportages van uw eigen gemeente of team bekijken.")
            )
    return ReportFilters(period, municipality, team, area)
