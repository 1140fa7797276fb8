"""The reporting metric of the Wachttijden module: the median waiting time in weeks per
product category and provider, over the measurements taken in the period.

Waiting times belong to providers, not to teams: the team, area and municipality filters
do not narrow this metric (every provider the feed covers counts). Reporting computes the
median (and 90th percentile) of the measurements per category and provider.
"""

from __future__ import annotations

from typing import Any

from openregie_sdk.contributions import MetricDefinition, MetricFilters
from sqlalchemy import select

from wachttijden_openregie.categories import CATEGORY_LABELS
from wachttijden_openregie.models import WaitingTime
from wachttijden_openregie.module import N_


def waiting_weeks(filters: MetricFilters) -> Any:
    """One row per measurement in the period: category, provider and the weeks."""
    return select(
        WaitingTime.product_category.label("product_category"),
        WaitingTime.provider_name.label("provider"),
        WaitingTime.waiting_weeks.label("value"),
    ).where(WaitingTime.measured_on.between(filters.period_start, filters.period_end))


def waiting_weeks_metric() -> MetricDefinition:
    return MetricDefinition(
        id="wachttijden.waiting_weeks",
        title=N_("Wachttijd bij zorgaanbieders"),
        unit=N_("weken"),
        dimensions=("product_category", "provider"),
        kind="distribution",
        description=N_(
            "Mediaan van de gemeten wachttijden in de periode, per productcategorie en "
            "zorgaanbieder (uit de feed van Wachttijd BV; voor de hele regio)."
        ),
        query=waiting_weeks,
        labels={"product_category": CATEGORY_LABELS},
    )
