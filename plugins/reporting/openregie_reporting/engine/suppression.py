"""Statistical disclosure control of report tables: pure functions.

Primary suppression: a count above zero and below the threshold (default 5,
`ReportingSettings.suppression_threshold`) is not shown ("<5"). Zero is shown: it reveals
no one. A cell suppressed only for secondary reasons is shown as "x".

Secondary suppression: a table of counts is shown with its total (the sum of its cells).
When exactly one cell of the table is suppressed, the total minus the shown cells would
give it away, so the smallest other cell above zero is suppressed too. When there is no
such cell (the suppressed cell is the only one above zero), the total is suppressed
instead. A total that is itself above zero and below the threshold is suppressed as well.
Every cell of a table belongs to one group with one total (a metric with two dimensions
shows its grand total only, no subtotals, so no further groups need protecting).

Distributions (count, median, 90th percentile per group): when the group's count is
suppressed, its median and p90 are suppressed with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def is_small(value: object, threshold: int) -> bool:
    """Primary suppression: a number above zero and below `threshold`."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < threshold


@dataclass(frozen=True, slots=True)
class TableMask:
    """Which cells (by position) and whether the total are suppressed, and why."""

    cells: tuple[bool, ...]
    total: bool
    secondary: tuple[int, ...] = ()


def suppress_counts(values: Sequence[int | None], threshold: int) -> TableMask:
    """The suppression of a table of counts `values` shown with their total.
    None (no value) counts as zero."""
    counts = [v or 0 for v in values]
    cells = [is_small(v, threshold) for v in counts]
    secondary: list[int] = []
    if sum(cells) == 1:
        candidates = [i for i, v in enumerate(counts) if v > 0 and not cells[i]]
        if candidates:
            smallest = min(candidates, key=lambda i: (counts[i], i))
            cells[smallest] = True
            secondary.append(smallest)
    total = sum(counts)
    total_suppressed = is_small(total, threshold) or (
        sum(cells) == 1 and not secondary  # the one suppressed cell is the total
    )
    return TableMask(cells=tuple(cells), total=total_suppressed, secondary=tuple(secondary))


def suppress_distribution(count: int | None, threshold: int) -> bool:
    """Whether a group of a distribution (its count, median and p90) is suppressed."""
    return is_small(count or 0, threshold)


SECONDARY = "x"


def shown(value: object, suppressed: bool, threshold: int, *, secondary: bool = False) -> object:
    """What a reader sees: the value; "<threshold" when it is suppressed for being small;
    "x" when it is suppressed only to protect a small cell (saying "<5" of a 7 would be
    false, and "x" reveals no more than the "<5" beside it: that one is in 1..4)."""
    if not suppressed:
        return value
    return SECONDARY if secondary else f"<{threshold}"
