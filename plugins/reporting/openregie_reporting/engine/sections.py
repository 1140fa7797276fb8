"""The sections of a report, in the order of the accountability story (issue 7): caseload,
referral sources, life domains, help by the team itself versus provisions, running
allocations, waiting times, outcomes, formation, and then every other metric a module
contributes (a metric this list does not know is still shown, under "Overige cijfers").
Pages and exports use the same order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def N_(text: str) -> str:
    """Mark a Dutch text for extraction; it is translated where it is shown."""
    return text


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    metric_ids: tuple[str, ...]


SECTIONS = (
    Section(
        "caseload",
        N_("Caseload: nieuwe, lopende en afgesloten casussen"),
        (
            "casemanagement.cases_opened",
            "casemanagement.cases_open",
            "casemanagement.cases_closed",
            "casemanagement.case_duration",
        ),
    ),
    Section("referrals", N_("Verwijzers"), ("casemanagement.referral_sources",)),
    Section("life_domains", N_("Leefgebieden"), ("casemanagement.life_domains",)),
    Section(
        "help",
        N_("Hulp door het team zelf en toegekende voorzieningen"),
        ("casemanagement.help_by_team", "casemanagement.allocations_started"),
    ),
    Section("allocations", N_("Lopende toekenningen"), ("casemanagement.allocations_running",)),
    Section("waiting", N_("Wachttijden"), ("casemanagement.waiting_time",)),
    Section(
        "outcomes",
        N_("Resultaten"),
        ("casemanagement.zrm_progress", "casemanagement.goals_achieved"),
    ),
    Section("formation", N_("Formatie"), ("reporting.formation", "core.staff")),
)
OTHER = Section("other", N_("Overige cijfers"), ())


def position(metric_id: str) -> tuple[int, int]:
    """Where a metric goes: (section index, index in the section); unknown ones last."""
    for index, section in enumerate(SECTIONS):
        if metric_id in section.metric_ids:
            return index, section.metric_ids.index(metric_id)
    return len(SECTIONS), 0


def grouped(tables: Sequence[Any]) -> list[tuple[Section, list[Any]]]:
    """The sections holding at least one of `tables` (objects with an `id`), each with its
    tables in order; tables of metrics no section names end up in `OTHER`."""
    chosen: list[tuple[Section, list[Any]]] = []
    for index, section in enumerate((*SECTIONS, OTHER)):
        inside = [t for t in tables if position(t.id)[0] == index]
        if inside:
            chosen.append((section, sorted(inside, key=lambda t: position(t.id))))
    return chosen
