"""The generic helpers appended to derive.py for the reconciliation checks."""

from __future__ import annotations

import math
from datetime import date

import pytest

from china_kazakhstan.analysis.intervals import (
    Interval,
    decimal_year,
    gap_between,
    intersection,
    plain_interval,
    stated_interval,
)


def test_plain_interval_caps_more_than_at_the_margin():
    plain = plain_interval(21.2, "more_than")
    assert (plain.low, plain.high) == (21.2, pytest.approx(21.2 * 1.1))
    plain = plain_interval(200, "at_least", margin=0.05)
    assert (plain.low, plain.high) == (200, pytest.approx(210))
    # The strict reading of the same figure has no upper bound.
    assert math.isinf(stated_interval(21.2, "more_than").high)


@pytest.mark.parametrize("value, qualifier", [(31.17, "exact"), (12000, "about"), (10, "nearly"),
                                              (5, "up_to")])
def test_plain_interval_keeps_bounded_readings(value, qualifier):
    assert plain_interval(value, qualifier) == stated_interval(value, qualifier)


def test_intersection_of_overlapping_and_disjoint_intervals():
    assert intersection([Interval(1991.34, 1992.34), Interval(1991.93, 1992.93),
                         Interval(1989.5, 1999.5)]) == Interval(1991.93, 1992.34)
    assert intersection([Interval(0, 1), Interval(2, 3)]) is None
    assert intersection([Interval(0, 1), Interval(1, 2)]) == Interval(1, 1)  # touching counts
    with pytest.raises(ValueError):
        intersection([])


def test_gap_between_is_zero_on_overlap_and_symmetric():
    assert gap_between(Interval(0, 2), Interval(1, 3)) == 0
    assert gap_between(Interval(0, 1), Interval(3, 4)) == pytest.approx(2)
    assert gap_between(Interval(3, 4), Interval(0, 1)) == pytest.approx(2)
    assert gap_between(Interval(5, math.inf), Interval(1, 2)) == pytest.approx(3)


def test_decimal_year_counts_days_in_the_year():
    assert decimal_year(date(2023, 1, 1)) == 2023.0
    assert decimal_year(date(2024, 7, 1)) == pytest.approx(2024 + 182 / 366)  # leap year
    assert decimal_year(date(2023, 7, 2)) == pytest.approx(2023 + 182 / 365)
    assert decimal_year(date(2016, 12, 31)) < 2017


def test_steady_growth_share():
    from china_kazakhstan.analysis.intervals import steady_growth_share

    assert steady_growth_share(0, 0.25) == 0.25
    assert steady_growth_share(32, 1.0) == pytest.approx(1.0)
    assert steady_growth_share(32, 0.0) == pytest.approx(0.0)
    # Growth pushes the flow towards the end of the year: the first months hold less.
    assert steady_growth_share(32, 151 / 365) == pytest.approx((1.32 ** (151 / 365) - 1) / 0.32)
    assert steady_growth_share(32, 151 / 365) < 151 / 365 < steady_growth_share(-10, 151 / 365)
