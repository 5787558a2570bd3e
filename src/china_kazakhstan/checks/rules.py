"""How a stated figure is read, and the rules that turn two readings into a verdict.

Every stated figure is read as an interval, in two ways:

* **literally**: what its words allow. An exact figure allows half a unit of its last
  printed digit (counts and ranks stated exactly are exact); "about" ±10 %; "nearly" up
  to 10 % below; "more than" anything above;
* **as the book reads it**: the same, except that "more than X" is read as at most
  :data:`PLAIN_MARGIN` above X (what a reader takes it to mean), and a round number of
  years ("30 years") as rounded to its last non-zero digit (25–35 years), as
  anniversaries are.

A check applies its rule under both readings; the book's reading gives the verdict, and
the literal one is shown beside it when it differs. Tolerances (all here, all tested):
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analysis.intervals import Interval, gap_between, intersection, rounding_step, stated_interval

#: A plain reading of "more than X": up to this fraction above X (the margin "about" allows).
PLAIN_MARGIN = 0.10
#: Two figures for the same thing whose ranges miss by less than this (relative) are in
#: tension, not conflict: the size of a revision or of a difference between statistical sources.
REVISION_TOLERANCE = 0.02
#: A part of a year within this fraction of the full year's even pace is on pace.
PACE_TOLERANCE = 0.10
#: Units whose round figures the book reads as rounded (anniversaries: "30 years").
ROUNDED_UNITS = frozenset({"years"})


@dataclass(frozen=True)
class Reading:
    """A stated figure read two ways: what its words allow, and what the book takes it to mean."""

    literal: Interval
    book: Interval

    @property
    def differs(self) -> bool:
        return self.literal != self.book


def read(value: float, unit: str, qualifier: str = "exact") -> Reading:
    """The two readings of one stated figure (see the module docstring)."""
    if unit in ("count", "rank") and qualifier == "exact":
        point = Interval(value, value)
        return Reading(point, point)
    if unit == "rank" and qualifier == "up_to":
        top = Interval(1.0, value)
        return Reading(top, top)
    literal = stated_interval(value, qualifier)
    if qualifier in ("more_than", "at_least"):
        return Reading(literal, Interval(value, value * (1 + PLAIN_MARGIN)))
    if unit in ROUNDED_UNITS and qualifier == "exact" and rounding_step(value) > 1:
        half = rounding_step(value) / 2
        return Reading(literal, Interval(value - half, value + half))
    return Reading(literal, literal)


def read_claim(claim) -> Reading:
    return read(float(claim["value"]), str(claim["unit"]), str(claim["qualifier"]))


def derived(interval: Interval) -> Reading:
    """A derived figure's interval is the same under both readings of its inputs' arithmetic."""
    return Reading(interval, interval)


def relative_gap(a: Interval, b: Interval) -> float:
    """The distance between two ranges as a fraction of the nearer edge (0 if they overlap)."""
    gap = gap_between(a, b)
    if gap == 0:
        return 0.0
    edge = a.high if a.high < b.low else b.high
    return gap / abs(edge) if edge else math.inf


def _same(a: Interval, b: Interval) -> str:
    if a.overlaps(b):
        return "consistent"
    return "tension" if relative_gap(a, b) <= REVISION_TOLERANCE else "conflict"


def both(rule, *readings: Reading) -> tuple[str, str]:
    """Apply a one-reading ``rule`` to the book's and the literal readings: (verdict, literal or '')."""
    book = rule(*(r.book for r in readings))
    literal = rule(*(r.literal for r in readings))
    return book, ("" if literal == book else literal)


def compare_same(readings: Sequence[Reading]) -> tuple[str, str]:
    """Figures for the same thing at the same time: every pair must overlap."""
    def rule(*intervals: Interval) -> str:
        verdicts = [_same(a, b) for i, a in enumerate(intervals) for b in intervals[i + 1:]]
        return max(verdicts, key=VERDICT_ORDER.index)
    return both(rule, *readings)


VERDICT_ORDER = ("consistent", "timing_or_scope", "tension", "conflict")


def compare_over_time(earlier: Reading, later: Reading, *, cumulative: bool,
                      scope_differs: bool = False) -> tuple[str, str]:
    """The same thing at two dates: a cumulative count must not fall; anything else may change."""
    def rule(a: Interval, b: Interval) -> str:
        if a.overlaps(b):
            return "consistent"
        if cumulative and b.high < a.low:
            return "tension" if scope_differs else "conflict"
        return "timing_or_scope"
    return both(rule, earlier, later)


def pace_verdict(ratio: Interval) -> str:
    """A part of a period against the whole at an even pace (ratio 1 = on pace)."""
    if ratio.overlaps(Interval(1 - PACE_TOLERANCE, 1 + PACE_TOLERANCE)):
        return "consistent"
    return "timing_or_scope"


def start_verdict(intervals: Sequence[Interval]) -> str:
    """Implied start dates: one date all allow; or every two overlap; or some pair cannot meet."""
    if intersection(intervals) is not None:
        return "consistent"
    if all(a.overlaps(b) for i, a in enumerate(intervals) for b in intervals[i + 1:]):
        return "tension"
    return "conflict"


def count_verdict(stated: Interval, hard_floor: int, chained_floor: int | None = None) -> str:
    """A count of events against the events the articles date inside its window."""
    if stated.high < hard_floor:
        return "conflict"
    if chained_floor is not None and stated.high < chained_floor:
        return "tension"
    return "consistent"


def part_whole_verdict(part: Interval, whole: Interval, *, same_date: bool) -> str:
    if part.low <= whole.high:
        return "consistent"
    return "conflict" if same_date else "timing_or_scope"


def rank_bound(component_ranks: Iterable[Interval]) -> Interval:
    """Best and worst overall rank allowed by the ranks in each component of a total.

    A partner ahead overall must be ahead in at least one component, so at most
    (r1 − 1) + (r2 − 1) partners can be ahead: the overall rank is at most r1 + r2 − 1.
    """
    ranks = list(component_ranks)
    return Interval(1.0, sum(r.high for r in ranks) - (len(ranks) - 1))
