"""Hook implementations of the Wachttijden module: the panel on allocation pages, the
reporting metric and the demo data. The first two are contribution hooks: one that raises
is logged with the module id and dropped, and the page or report still works.

Waiting times are about providers, not about persons: the panel reads no personal data
(the allocation it receives was read, and audited, by the case-management module), so it
records nothing in the audit log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib.resources import files

from flask_babel import gettext
from openregie_sdk import Actor, authorize, hookimpl, module_settings, render
from openregie_sdk.capabilities.casemanagement import AllocationSummary
from openregie_sdk.contributions import DemoContext, MetricDefinition, Panel

from wachttijden_openregie.feed import read_feed
from wachttijden_openregie.metrics import waiting_weeks_metric
from wachttijden_openregie.module import MANIFEST, VIEW
from wachttijden_openregie.store import current_for, is_stale, store

# The waiting time matters while care has not started yet.
WAITING = ("requested", "allocated")


@hookimpl
def openregie_allocation_panels(actor: Actor, allocation: AllocationSummary) -> list[Panel]:
    """The current waiting time of the allocation's provider for its product category,
    with a warning when the measurement is older than the `stale_after_days` setting;
    only for allocations whose care has not started, and only for actors holding VIEW."""
    if allocation.status not in WAITING or not authorize(VIEW):
        return []
    waiting = current_for(
        allocation.provider_agb, allocation.provider_name, allocation.product_category
    )
    today = dt.date.today()
    settings = module_settings(MANIFEST.id)
    stale = waiting is not None and is_stale(waiting, today, settings.stale_after_days)  # type: ignore[attr-defined]
    body = render(
        "wachttijden/panel.html",
        waiting=waiting,
        stale=stale,
        provider_name=allocation.provider_name,
    )
    return [Panel(title=gettext("Actuele wachttijd"), body=body, order=50)]


@hookimpl
def openregie_report_metrics() -> list[MetricDefinition]:
    return [waiting_weeks_metric()]


# The example feed's latest measurement day, moved to two weeks before the demo's today.
EXAMPLE_LATEST = dt.date(2026, 11, 2)


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    """The example feed (`voorbeeld-feed.csv`, the providers of the demo region), its dates
    moved so that its latest measurements are two weeks old."""
    today = dt.date.today()
    text = files("wachttijden_openregie").joinpath("voorbeeld-feed.csv").read_text("utf-8")
    rows, problems = read_feed(text, EXAMPLE_LATEST)
    if problems:
        raise ValueError(f"the example feed is invalid: {problems[0]}")
    shift = today - dt.timedelta(days=14) - EXAMPLE_LATEST
    moved = [dataclasses.replace(row, measured_on=row.measured_on + shift) for row in rows]
    outcome = store(moved, context.session)
    context.progress(f"wachttijden: {outcome}")
