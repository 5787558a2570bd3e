"""Which number of an article a ledger row reads: mentions, not values.

A claim names the number it reads by its ``mention``: the number as the quote prints it
("7,762", "five Chinese", "more than 10,000"). That makes every reading a position in
the article, so that two rows cannot silently read the same printed number, and a row
whose value was swapped with another's no longer states what its mention prints. The
coverage guard (:mod:`.coverage`) then accounts for every printed number exactly once.

A hedge printed before a number ("more than", "over", "some", "nearly") is part of the
mention, and it must be the hedge of the row's ``qualifier``: the ledger never adds a
hedge the article does not print, and never drops one it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import Mention, find_mentions, matches_unit

#: Hedge words an article prints before a number, and the qualifier each one means.
#: Longest first, so that "more than" is not read as "than".
HEDGES: dict[str, str] = {
    "more than": "more_than",
    "over": "more_than",
    "exceeded": "more_than",
    "exceeding": "more_than",
    "in excess of": "more_than",
    "at least": "at_least",
    "some": "about",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "one of the": "up_to",
    "among the": "up_to",
}
_HEDGE = re.compile(r"^(?P<hedge>" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True))
                    + r")\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """The number a row reads: where it is in the quote, what it says, and any problem."""

    number: Mention | None
    offset: int  # where the mention text starts in the quote (-1 if absent)
    problem: str | None


def hedge_of(text: str) -> str | None:
    """The qualifier of the hedge words a mention opens with ("more than 200" -> more_than)."""
    match = _HEDGE.match(text)
    return HEDGES[match["hedge"].lower()] if match else None


def hedge_before(text: str, start: int) -> str | None:
    """The hedge words printed right before position ``start`` of ``text``, if any."""
    before = text[:start].rstrip().lower()
    for hedge in sorted(HEDGES, key=len, reverse=True):
        if before.endswith(hedge) and (len(before) == len(hedge) or not before[-len(hedge) - 1].isalnum()):
            return hedge
    return None


def claim_reading(quote: str, mention: str, value: float, unit: str, qualifier: str) -> Reading:
    """Check that ``mention`` is one printed number of ``quote`` stating ``value`` in ``unit``."""
    count = quote.count(mention) if mention else 0
    if count == 0:
        return Reading(None, -1, f"the mention {mention!r} does not occur in the quote: copy the number "
                                 "exactly as the quote prints it")
    if count > 1:
        return Reading(None, -1, f"the mention {mention!r} occurs {count} times in the quote: add the "
                                 "word that follows it, so that it names one place")
    offset = quote.index(mention)
    opening = _HEDGE.match(mention)
    body = opening.end() if opening else 0  # "one of the five largest": the hedge's "one" is no figure
    numbers = [Mention(n.text, n.start + body, n.end + body, n.value, n.kind)
               for n in find_mentions(mention[body:])]
    if len(numbers) != 1:
        found = ", ".join(repr(n.text) for n in numbers) or "none"
        return Reading(None, offset, f"the mention {mention!r} must hold exactly one number; it holds {found}")
    number = numbers[0]
    # The number as the whole quote reads it (the scanner reads "US$41 billion" as one number).
    absolute = [n for n in find_mentions(quote) if n.start <= offset + number.start < n.end]
    if absolute and absolute[0].text != number.text:
        number = Mention(absolute[0].text, absolute[0].start - offset, absolute[0].end - offset,
                         absolute[0].value, absolute[0].kind)
    if not matches_unit(number, value, unit):
        return Reading(number, offset, f"the mention {mention!r} states {number.text!r} ({number.kind} "
                                       f"{number.value:g}), not {value:g} {unit}")
    hedge = hedge_of(mention)
    if hedge is None and qualifier != "exact":
        printed = hedge_before(quote, offset + number.start)
        hint = (f"; the quote prints {printed!r} before it: start the mention with it" if printed
                else "; the quote prints no hedge before it: the qualifier is 'exact'")
        return Reading(number, offset, f"qualifier {qualifier!r} needs the hedge words in the mention{hint}")
    if hedge is not None and hedge != qualifier:
        return Reading(number, offset, f"the mention's hedge {_HEDGE.match(mention)['hedge']!r} means "
                                       f"{hedge!r}, but the qualifier is {qualifier!r}")
    if hedge is None:
        printed = hedge_before(quote, offset + number.start)
        if printed:
            return Reading(number, offset, f"the quote prints {printed!r} before {number.text!r}: start the "
                                           f"mention with it and set the qualifier to {HEDGES[printed]!r}")
    return Reading(number, offset, None)


def date_parts(date_text: str) -> set[float]:
    """The numbers a printed date may contain for a ledger date: years, months, days."""
    return {float(part) for part in re.findall(r"[0-9]+", date_text)}


def event_reading(quote: str, mention: str, date: str) -> tuple[list[Mention], int, str | None]:
    """The numbers an event mention reads: every number in its printed date, each a part of ``date``."""
    if not mention:
        return [], -1, None
    count = quote.count(mention)
    if count != 1:
        return [], -1, (f"the mention {mention!r} occurs {count} times in the quote: copy the date exactly "
                        "as printed, once" if count else
                        f"the mention {mention!r} does not occur in the quote: copy the date exactly as printed")
    offset = quote.index(mention)
    numbers = find_mentions(mention)
    parts = date_parts(date)
    wrong = [n.text for n in numbers if n.kind != "plain" or n.value not in parts]
    if wrong:
        return [], offset, (f"the mention {mention!r} prints {', '.join(map(repr, wrong))}, which is not a "
                            f"year, month or day of the date {date!r}")
    return numbers, offset, None
