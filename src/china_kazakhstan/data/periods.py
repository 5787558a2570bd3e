"""Periods a figure refers to: a year, a month, a day, a range of them, or "as of" a date.

Figures from articles eight years apart can only be compared when we know what
time each one covers. The ledger writes that as text (``2022``, ``2024-01..2024-05``,
``@2024-04-30``); this module parses it into start and end dates and a label for tables.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?")
_MONTHS = [calendar.month_abbr[i] for i in range(13)]


class PeriodError(ValueError):
    """A period string that does not follow the ledger's grammar."""


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _DATE.fullmatch(text)
        if not match:
            raise PeriodError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match["y"])
        month = int(match["m"]) if match["m"] else None
        day = int(match["d"]) if match["d"] else None
        if month is not None and not 1 <= month <= 12:
            raise PeriodError(f"{text!r}: month {month} is not between 01 and 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise PeriodError(f"{text!r}: day {day} does not exist in {year}-{month:02d}")
        return cls(year, month, day)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def label(self) -> str:
        if self.day:
            return f"{self.day} {_MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{_MONTHS[self.month]} {self.year}"
        return str(self.year)


@dataclass(frozen=True)
class Period:
    """What a figure covers: a flow over ``start``..``end`` or a stock as of ``end``."""

    text: str
    kind: str  # "flow" (one year, month or day), "range", or "as_of"
    start: PartialDate
    end: PartialDate

    @property
    def start_date(self) -> date:
        return self.start.first_day

    @property
    def end_date(self) -> date:
        return self.end.last_day

    @property
    def year(self) -> int:
        """The year a chart places the figure in: the year the period ends."""
        return self.end.year

    def label(self) -> str:
        if self.kind == "as_of":
            return f"as of {self.end.label()}"
        if self.kind == "flow":
            return self.start.label()
        s, e = self.start, self.end
        if s.year == e.year and s.month and e.month:
            if s.month == e.month and s.day and e.day:
                return f"{s.day}–{e.day} {_MONTHS[s.month]} {s.year}"
            start = _MONTHS[s.month] if not s.day else f"{s.day} {_MONTHS[s.month]}"
            return f"{start}–{e.label()}"
        return f"{self.start.label()}–{self.end.label()}"


def parse_period(text: str) -> Period:
    """Parse a ledger period; raise :class:`PeriodError` saying what is wrong."""
    if text != text.strip() or not text:
        raise PeriodError(f"{text!r} is empty or has surrounding spaces")
    if text.startswith("@"):
        point = PartialDate.parse(text[1:])
        return Period(text, "as_of", point, point)
    if ".." in text:
        left, _, right = text.partition("..")
        start, end = PartialDate.parse(left), PartialDate.parse(right)
        if start.first_day > end.last_day:
            raise PeriodError(f"{text!r}: the range starts after it ends")
        return Period(text, "range", start, end)
    point = PartialDate.parse(text)
    return Period(text, "flow", point, point)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``: 31 Dec 2022 to 1 Jul 2024 is 18."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def period_days(period: str) -> int:
    """Days covered by a ledger period: '2024-01..2024-05' -> 152 (2024 is a leap year)."""
    parsed = parse_period(period)
    return (parsed.end_date - parsed.start_date).days + 1
