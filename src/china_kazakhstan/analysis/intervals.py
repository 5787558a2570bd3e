"""Figures the articles imply but do not state, with the interval rounding allows.

An article that says "23 million tons, up 20 percent" also says, implicitly, that the
previous year carried about 19.2 million tons. Such derived figures are shown in the
book (drawn and labelled differently from stated ones) and used by the
reconciliation checks, so each comes with an interval: a figure printed as "23" may
be anything from 22.5 to 23.5, and "more than 5,000" anything above 5,000.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import fmt


@dataclass(frozen=True)
class Interval:
    """A closed interval of plausible values; ``high`` may be ``math.inf``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"interval low {self.low} is above high {self.high}")

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2 if math.isfinite(self.high) else self.low


def decimals_of(value: float) -> int:
    """Decimals a figure was printed with: 31.17 -> 2, 23.0 -> 0, 9.8 -> 1."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return len(text.split(".")[1]) if "." in text else 0


def rounding_step(value: float) -> float:
    """The last printed digit's unit: 23 -> 1, 9.8 -> 0.1, 12000 -> 1000, 1000 -> 100."""
    decimals = decimals_of(value)
    if decimals:
        return 10.0 ** -decimals
    integer = int(round(abs(value)))
    if integer == 0:
        return 1.0
    zeros = len(str(integer)) - len(str(integer).rstrip("0"))
    # "12,000" or "1,000": a round figure carries its precision in the leading digits.
    return float(10 ** zeros) if zeros else 1.0


def stated_interval(value: float, qualifier: str = "exact", *, round_figure: bool = False) -> Interval:
    """Values consistent with a stated figure, given how it was hedged.

    ``exact`` still allows rounding of the last printed digit (half a unit either side);
    ``round_figure=True`` also treats trailing zeros as rounding (12,000 -> ±500).
    ``about`` allows 10 % either side, ``more_than``/``at_least`` anything above,
    ``up_to``/``nearly`` anything up to the figure.
    """
    step = rounding_step(value) if round_figure else 10.0 ** -decimals_of(value)
    half = step / 2
    if qualifier == "exact":
        return Interval(value - half, value + half)
    if qualifier == "about":
        spread = max(half, abs(value) * 0.10)
        return Interval(value - spread, value + spread)
    if qualifier in ("more_than", "at_least"):
        return Interval(value, math.inf)
    if qualifier == "nearly":
        return Interval(value * 0.9, value)
    if qualifier == "up_to":
        return Interval(0.0, value)
    raise ValueError(f"unknown qualifier {qualifier!r}")


@dataclass(frozen=True)
class Derived:
    """A derived figure: central value, interval, and the arithmetic as a reader reads it."""

    value: float
    interval: Interval
    formula: str


def prior_from_growth(value: float, growth_pct: float, *, value_q: str = "exact",
                      growth_q: str = "exact", decimals: int = 2) -> Derived:
    """The previous period implied by a value and its year-on-year growth: v / (1 + g)."""
    v = stated_interval(value, value_q)
    g = stated_interval(growth_pct, growth_q)
    central = value / (1 + growth_pct / 100)
    low = v.low / (1 + g.high / 100) if math.isfinite(g.high) else 0.0
    high = v.high / (1 + g.low / 100)
    return Derived(central, Interval(low, high),
                   f"{_n(value)} ÷ (1 + {fmt.percent(growth_pct, decimals_of(growth_pct))}) = {_n(central, decimals)}")


def growth_between(earlier: float, later: float, *, earlier_q: str = "exact",
                   later_q: str = "exact", decimals: int | None = None) -> Derived:
    """Growth in percent from one value to another, with its rounding interval.

    ``decimals`` rounds the two inputs in the printed formula (a derived input such as an
    implied year has more digits than a reader needs); the arithmetic itself is unrounded.
    """
    a = stated_interval(earlier, earlier_q)
    b = stated_interval(later, later_q)
    central = (later / earlier - 1) * 100
    low = (b.low / a.high - 1) * 100 if math.isfinite(a.high) else -100.0
    high = (b.high / a.low - 1) * 100 if a.low > 0 and math.isfinite(b.high) else math.inf
    return Derived(central, Interval(low, high),
                   f"{_n(later, decimals)} ÷ {_n(earlier, decimals)} − 1 = {fmt.percent(central, 1)}")


def pro_rata(value: float, days_in_part: int, days_in_whole: int) -> Derived:
    """A full-period figure scaled to a part of it, assuming an even pace."""
    central = value * days_in_part / days_in_whole
    return Derived(central, Interval(central, central),
                   f"{_n(value)} × {days_in_part}/{days_in_whole} days = {_n(central, 0)}")


def start_year(as_of_year: int, years: float, qualifier: str = "exact") -> Derived:
    """The year a span of "N years since" began, with the years N may be rounded from."""
    span = stated_interval(years, qualifier, round_figure=years >= 10)
    if qualifier == "exact":
        span = Interval(years - 0.5, years + 0.5)
    low = as_of_year - span.high if math.isfinite(span.high) else -math.inf
    high = as_of_year - span.low
    return Derived(as_of_year - years, Interval(low, high),
                   f"{fmt.plain(as_of_year)} − {_n(years)} = {fmt.plain(as_of_year - years)}")


def _n(value: float, decimals: int | None = None) -> str:
    return fmt.number(value, decimals_of(value) if decimals is None else decimals)


# --- added for the reconciliation checks (generic helpers) ------------------------------------

def plain_interval(value: float, qualifier: str = "exact", *, margin: float = 0.10) -> Interval:
    """Values a plain reading of a hedged figure gives, where the logical reading is open-ended.

    "more than 21.2" logically allows anything above 21.2 (:func:`stated_interval`); a reader
    takes it to mean a little more, here up to ``margin`` above (10 %, the margin "about"
    allows). Qualifiers with a bounded reading keep :func:`stated_interval`'s interval.
    """
    if qualifier in ("more_than", "at_least"):
        return Interval(value, value * (1 + margin))
    return stated_interval(value, qualifier)


def intersection(intervals: Iterable[Interval]) -> Interval | None:
    """The values every interval allows, or None when they have none in common."""
    items = list(intervals)
    if not items:
        raise ValueError("intersection of no intervals")
    low = max(i.low for i in items)
    high = min(i.high for i in items)
    return Interval(low, high) if low <= high else None


def gap_between(a: Interval, b: Interval) -> float:
    """Distance between two intervals (0 when they overlap), in their own unit."""
    if a.overlaps(b):
        return 0.0
    return b.low - a.high if a.high < b.low else a.low - b.high


def decimal_year(day: date) -> float:
    """A date as a fractional year: 1 July 2024 -> 2024.497 (day 183 of a 366-day year)."""
    first = date(day.year, 1, 1)
    days = (date(day.year + 1, 1, 1) - first).days
    return day.year + (day - first).days / days


def steady_growth_share(growth_pct: float, fraction: float) -> float:
    """Share of a year's flow that falls in its first ``fraction`` if the flow grows steadily.

    A flow growing by ``growth_pct`` a year at a constant rate runs at (1 + g)^x at time x of
    the year, so the first ``fraction`` of the year holds ((1 + g)^fraction − 1) / g of it;
    with no growth that is ``fraction`` itself.
    """
    factor = 1 + growth_pct / 100
    if math.isclose(factor, 1.0):
        return fraction
    return (factor ** fraction - 1) / (factor - 1)
