"""The house style for numbers in the book: one formatter, used by every page and check.

Rules (tested in tests/test_fmt.py):

* thousands are separated by commas (12,000), decimals by a point, minus signs are true
  minus signs (−7), and a number is never wrapped away from its unit: a no-break space
  joins them (``US$31.17 bn``, ``61.3 %``, ``205 MW``);
* years never take a separator (2016, not 2,016), nor do fractional years (1992.4);
* ranks and orders are ordinals (2nd), or words in prose (second);
* counts under ten are words in prose (five articles), and :func:`spelled` gives the
  capitalised word a sentence may open with: no sentence opens with a numeral;
* one hedge per figure: a hedged figure carries its hedge ("more than 1,000 MW"), so the
  sentence around it must not add another;
* precision follows the unit and magnitude: whole trains and whole people, money in
  billions to two decimals, percentages to one.

Pure Python, no imports from the rest of the package: data messages, checks and pages can
all use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"  # en dash, for ranges

#: How a qualifier reads in front of a figure.
HEDGE = {"exact": "", "about": "about ", "more_than": "more than ", "at_least": "at least ",
         "up_to": "up to ", "nearly": "nearly "}

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINAL_WORDS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth")
#: Prefix and suffix of each ledger unit, and the decimals a derived figure in it shows.
_UNITS = {
    "USD_billion": ("US$", "bn", 2),
    "USD_million": ("US$", "m", 1),
    "million_tonnes": ("", "million tonnes", 1),
    "percent": ("", "%", 1),
    "MW": ("", "MW", 0),
    "persons": ("", "people", 0),
    "years": ("", "years", 0),
    "count": ("", "", 0),
    "multiple": ("×", "", 1),
    "rank": ("", "", 0),
}


def number(value: float, decimals: int | None = None) -> str:
    """12000 -> '12,000'; 31.17 -> '31.17'; -7 -> '−7'; ``decimals`` fixes the places."""
    if decimals is None:
        whole = float(value).is_integer()
        text = f"{abs(value):,.0f}" if whole else f"{abs(value):,.6f}".rstrip("0").rstrip(".")
    else:
        text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and float(text.replace(",", "")) != 0
    return (MINUS if negative else "") + text


def plain(value: float, decimals: int | None = None) -> str:
    """A number without thousands separators: years, fractional years, identifiers."""
    return number(value, decimals).replace(",", "")


def year(value: float) -> str:
    """2016 -> '2016' (never '2,016')."""
    return str(int(round(value)))


def signed(value: float, decimals: int | None = None, unit: str = "") -> str:
    """+1, −7, −13.5 %: a change with its sign."""
    sign = "+" if value > 0 and float(number(value, decimals).replace(",", "")) != 0 else ""
    return f"{sign}{number(value, decimals)}{NBSP + unit if unit else ''}"


def percent(value: float, decimals: int = 1, *, sign: bool = False) -> str:
    """61.3 -> '61.3 %' (no-break space); ``sign`` gives '+23.6 %'."""
    return signed(value, decimals, "%") if sign else f"{number(value, decimals)}{NBSP}%"


def ordinal(rank: float) -> str:
    """2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    n = int(rank)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal_word(rank: float) -> str:
    """2 -> 'second' (up to tenth; then '11th')."""
    n = int(rank)
    return _ORDINAL_WORDS[n] if 0 < n < len(_ORDINAL_WORDS) else ordinal(n)


def largest(rank: float, qualifier: str = "exact") -> str:
    """A rank in prose: 1 -> 'largest', 2 -> 'second-largest', up to 5 -> 'among the five largest'."""
    if qualifier == "up_to":
        return f"among the {spelled(rank)} largest"
    return "largest" if int(rank) == 1 else f"{ordinal_word(rank)}-largest"


def spelled(value: float, *, capital: bool = False) -> str:
    """A whole count as prose writes it: 0–10 in words ('five'), larger in figures ('26').

    ``capital`` capitalises a word for the start of a sentence; a figure cannot open a
    sentence, so a count above ten there raises: rephrase the sentence.
    """
    n = int(round(value))
    if 0 <= n < len(_WORDS):
        word = _WORDS[n]
        return word.capitalize() if capital else word
    if capital:
        raise ValueError(f"{n} cannot open a sentence: rephrase so that the sentence starts with a word")
    return number(n)


def count(value: float, noun: str, plural: str | None = None, *, capital: bool = False) -> str:
    """'one article', 'five articles', '26 pairs': a whole count with its noun."""
    n = int(round(value))
    word = noun if n == 1 else (plural or noun + "s")
    return f"{spelled(n, capital=capital)}{NBSP if n > 10 else ' '}{word}"


def decimals_for(unit: str) -> int:
    """The places a *derived* figure in ``unit`` shows (whole trains, US$ bn to two places)."""
    return _UNITS[unit][2]


def quantity(value: float, unit: str, qualifier: str = "exact", *, decimals: int | None = None,
             derived: bool = False) -> str:
    """A figure as a reader writes it: 'more than US$21.2 bn', '2nd', '×12', '61.3 %'.

    A stated figure keeps the digits it was printed with; a ``derived`` one is rounded to
    the precision of its unit (:func:`decimals_for`) unless ``decimals`` says otherwise.
    """
    if unit == "rank":
        return f"among the top {spelled(value)}" if qualifier == "up_to" else HEDGE[qualifier] + ordinal(value)
    if decimals is None and derived:
        decimals = decimals_for(unit)
    prefix, suffix, _ = _UNITS[unit]
    body = f"{prefix}{number(value, decimals)}"
    if suffix:
        body += NBSP + suffix
    return HEDGE[qualifier] + body


def money_bn(value: float, decimals: int | None = None) -> str:
    return quantity(value, "USD_billion", decimals=decimals)


def interval(low: float, high: float, unit: str | None = None, decimals: int | None = None,
             *, years: bool = False) -> str:
    """'30.57–31.56', '1,000 or more', '1991.4–1992.4' (years without separators)."""
    fmt = (lambda v: plain(v, decimals)) if years else (lambda v: number(v, decimals))
    if math.isinf(high):
        text = f"{fmt(low)} or more"
    elif fmt(low) == fmt(high):
        text = fmt(low)
    else:
        text = f"{fmt(low)}{DASH}{fmt(high)}"
    if unit:
        prefix, suffix, _ = _UNITS[unit]
        text = f"{prefix}{text}{NBSP + suffix if suffix else ''}"
    return text


def join(items: Iterable[str], last: str = "and", sep: str = ", ") -> str:
    """'a', 'a and b', 'a, b and c'; with ``sep="; "`` for items that hold commas themselves."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    glue = f"{sep}{last} " if sep.strip() == ";" else f" {last} "
    return f"{sep.join(items[:-1])}{glue}{items[-1]}"


def month(timestamp) -> str:
    """'May 2023' from a date or timestamp."""
    return f"{timestamp:%B %Y}"


def day(timestamp) -> str:
    """'1 July 2024' from a date or timestamp."""
    return f"{timestamp.day} {timestamp:%B %Y}"


def capital(text: str) -> str:
    """The text with its first letter capitalised, for the start of a sentence."""
    return text[:1].upper() + text[1:]


def times(value: float) -> str:
    """How often: 'once', 'twice', 'four times', '26 times'."""
    n = int(round(value))
    return {1: "once", 2: "twice"}.get(n, f"{spelled(n)}{NBSP if n > 10 else ' '}times")


def day_span(start, end) -> str:
    """'2–6 July 2024', '30 June–2 July 2024', '1 July 2024' from two dates or timestamps."""
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{DASH}{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B}{DASH}{end.day} {end:%B %Y}"
    return f"{day(start)}{DASH}{day(end)}"


def year_runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive years as (first, last) runs: 1992, 1993, 1996 -> (1992, 1993), (1996, 1996)."""
    runs: list[list[int]] = []
    for y in sorted(set(int(v) for v in values)):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return [(a, b) for a, b in runs]


def years(values: Iterable[int], none: str = "no year") -> str:
    """Years as prose writes them: '1993, 2013–2015 and 2020' (runs of three or more joined by a dash)."""
    parts = []
    for first, last in year_runs(values):
        if last - first >= 2:
            parts.append(f"{year(first)}{DASH}{year(last)}")
        else:
            parts += [year(y) for y in range(first, last + 1)]
    return join(parts) or none
