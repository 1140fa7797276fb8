"""The sizes of the benchmark dataset: tiers S, M and L (issue 9) and XS for tests.

Counts of the large tables are given per tier; everything else follows from them (teams
and staff from the number of persons, plans, goals, assessments and allocations from the
cases), so a tier is the same shape at every size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

# The two years the dataset covers end here (the last day of 2026-Q3): fixed, so a seed gives
# the same rows on any day, and the benchmark can report 2026-Q3 against 2026-Q2.
DEFAULT_END = dt.date(2026, 9, 30)
YEARS = 2


@dataclass(frozen=True, slots=True)
class Tier:
    """Row counts of one tier. `users` are professionals, team leads and policy officers."""

    name: str
    persons: int
    households: int
    cases: int
    contact_moments: int
    audit_records: int
    municipalities: int = 6
    areas_per_municipality: int = 5

    @property
    def users(self) -> int:
        return max(12, self.persons // 160)

    def scaled(self, factor: float) -> Tier:
        """This tier with every count multiplied by `factor` (at least one of each)."""

        def times(n: int) -> int:
            return max(1, round(n * factor))

        return replace(
            self,
            name=f"{self.name}×{factor:g}",
            persons=times(self.persons),
            households=times(self.households),
            cases=times(self.cases),
            contact_moments=times(self.contact_moments),
            audit_records=times(self.audit_records),
        )


TIERS = {
    "XS": Tier("XS", 400, 200, 200, 2_000, 5_000, municipalities=3, areas_per_municipality=2),
    "S": Tier("S", 10_000, 5_000, 5_000, 100_000, 500_000),
    "M": Tier("M", 100_000, 50_000, 50_000, 1_000_000, 5_000_000),
    "L": Tier("L", 1_000_000, 500_000, 500_000, 10_000_000, 50_000_000),
}
