"""Suppression of small cells: primary below the threshold, secondary so that a total
cannot reveal a suppressed cell, and distributions whose group is too small."""

from __future__ import annotations

import pytest

from openregie_reporting.engine.suppression import (
    TableMask,
    is_small,
    shown,
    suppress_counts,
    suppress_distribution,
)


@pytest.mark.parametrize(
    ("value", "small"),
    [(0, False), (1, True), (4, True), (5, False), (1234, False), (None, False), (2.5, True)],
)
def test_primary_suppression_is_above_zero_and_below_the_threshold(value, small):
    assert is_small(value, 5) is small


def test_a_table_without_small_cells_is_shown_whole():
    assert suppress_counts([7, 12, 5], 5) == TableMask((False, False, False), False)


def test_one_small_cell_takes_the_smallest_other_cell_with_it():
    # 3 alone could be computed as total 40 - 7 - 9 - 21; hiding 7 too leaves 3 + 7 = 10.
    mask = suppress_counts([21, 3, 9, 7], 5)
    assert mask.cells == (False, True, False, True)
    assert mask.secondary == (3,)
    assert mask.total is False


def test_secondary_suppression_skips_zero_cells():
    # Hiding the 0 would protect nothing: 3 = 20 - 17 - 0 still.
    mask = suppress_counts([0, 3, 17, None], 5)
    assert mask.cells == (False, True, True, False)
    assert mask.secondary == (2,)


def test_ties_take_the_first_smallest_cell():
    assert suppress_counts([8, 2, 8], 5).cells == (True, True, False)


def test_two_small_cells_protect_each_other():
    mask = suppress_counts([4, 2, 30], 5)
    assert mask.cells == (True, True, False)
    assert mask.secondary == ()
    assert mask.total is False


def test_a_small_total_is_suppressed():
    mask = suppress_counts([3], 5)
    assert mask == TableMask((True,), True)
    assert suppress_counts([2, 1, 0], 5) == TableMask((True, True, False), True)


def test_a_lone_small_cell_among_zeros_hides_the_total():
    assert suppress_counts([0, 4, 0], 5).total is True


def test_the_threshold_is_configurable():
    assert suppress_counts([7, 12], 10).cells == (True, True)
    assert suppress_counts([7, 12], 5).cells == (False, False)
    assert suppress_counts([7, 12], 10).total is False


def test_empty_table():
    assert suppress_counts([], 5) == TableMask((), False)


def test_no_suppressed_value_can_be_computed_from_the_total():
    """For many hand-made tables: no suppressed cell equals the total minus the shown."""
    tables = [[21, 3, 9, 7], [1, 50], [4, 4, 4, 100], [0, 0, 2, 9, 9], [6, 1, 1, 6], [30, 4]]
    for values in tables:
        mask = suppress_counts(values, 5)
        hidden = [v for v, s in zip(values, mask.cells, strict=True) if s]
        if mask.total or not hidden:
            continue
        assert len(hidden) != 1, values


@pytest.mark.parametrize(
    ("count", "suppressed"), [(0, False), (None, False), (3, True), (5, False)]
)
def test_distributions_are_suppressed_by_their_count(count, suppressed):
    assert suppress_distribution(count, 5) is suppressed


def test_shown_marks_suppressed_cells():
    assert shown(3, True, 5) == "<5"
    assert shown(3, False, 5) == 3
    assert shown(7, True, 5, secondary=True) == "x"
