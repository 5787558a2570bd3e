"""Find every number a news article states, so that no figure escapes the ledger.

The book promises that each figure it shows is traced to a verbatim quote in
one of the five seed articles. Two checks keep that promise honest, and both
need to know where the numbers in a text are:

* a ledger row's ``value`` must be *stated* in its ``quote`` (not derived), and
* every number in a seed must be accounted for -- by a claim, by the date of a
  timeline event, or by an exclusion row that says why it is not a figure --
  so that a figure cannot be silently left out of the report.

This module is deliberately pure Python (``re`` and ``dataclasses`` only): it
is the ground truth for both checks and must behave identically in the tests,
the notebooks and the self-check script, with nothing to install.

Kinds of mention
----------------
``plain``
    A cardinal: ``12,000``, ``31.17``, ``2016``, ``205`` in ``205MW``, the
    words ``one`` .. ``twenty``, ``thirty`` .. ``ninety``, ``hundred``. A
    following scale word (``thousand``, ``million``, ``billion``,
    ``trillion``) multiplies the value and belongs to the mention, as does a
    leading ``$`` / ``US$``: ``US$41 billion`` is one mention worth 41e9.
``percent``
    A number followed by ``%``, ``percent`` or ``per cent``; the value is the
    number itself (``61.3 percent`` -> 61.3).
``ordinal``
    ``first`` .. ``twentieth`` (also ``firstly``, ``secondly`` ...), digit
    ordinals (``17th``), and the superlatives ``largest`` / ``biggest`` (value
    1). A superlative right after an ordinal is one mention with the
    ordinal's value (``second largest`` -> 2), and right after a cardinal it
    is one mention meaning "among the top N" (``five largest`` -> 5), because
    that is the rank the sentence states.
``multiple``
    ``12 times``, ``3-fold``, ``twice``/``doubled`` (2), ``thrice``/
    ``tripled``/``trebled`` (3), ``quadrupled`` (4).

Words match case-insensitively and only as whole words ("someone" holds no
"one", "often" no "ten"); digits match wherever they occur, even inside a
token such as ``4:17`` or ``205MW``, because a guard that skipped them could
let a figure through unaccounted for. "dozens", "thousands" and "many" are not
numbers: they state no value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Mention",
    "UNIT_KINDS",
    "UNIT_SCALE",
    "find_mentions",
    "matches_unit",
    "stated_values",
]


@dataclass(frozen=True)
class Mention:
    """One numeric mention in a text.

    Attributes
    ----------
    text : str
        The mention exactly as it appears in the text (``text[start:end]``),
        e.g. ``"US$41 billion"``, ``"second largest"``, ``"08"``.
    start, end : int
        Character offsets of the mention in the searched text, so a checker
        can tell whether the mention lies inside a quote.
    value : float
        The number stated, scale word applied (``17.62 billion`` ->
        1.762e10); for percentages the number of percent, for ordinals the
        rank, for multiples the factor.
    kind : str
        ``"plain"``, ``"percent"``, ``"ordinal"`` or ``"multiple"``; a ledger
        unit only accepts mentions of its own kind (see `UNIT_KINDS`).
    """

    text: str
    start: int
    end: int
    value: float
    kind: str


# --- vocabulary --------------------------------------------------------------

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_MULTIPLE_WORDS = {
    "twice": 2,
    "doubled": 2,
    "thrice": 3,
    "tripled": 3,
    "trebled": 3,
    "quadrupled": 4,
}


def _alt(words) -> str:
    # Longest first, so that "seventeen" is not read as "seven" + "teen".
    return "|".join(sorted(words, key=len, reverse=True))


# A cardinal written in words: "four", "twenty-five", "two hundred", "hundred".
_WORD_NUM = (
    rf"(?:(?:{_alt(_TENS)})(?:-(?:{_alt(_UNITS)}))?|{_alt(_TEENS)}|{_alt(_UNITS)})"
    rf"(?:\s+hundred)?|hundred"
)
# Digits: "12,000" (thousands groups of exactly three digits, so that
# "Nov 3,2016" stays two numbers), "31.17", "2016". Never starts mid-number.
_DIGITS = r"(?<![\d.])(?:\d{1,3}(?:,\d{3}(?!\d))+|\d+)(?:\.\d+)?"
_ORD_WORD = rf"(?:{_alt(_ORDINALS)})(?:ly)?"
_SCALE = rf"\s+(?P<scale>{_alt(_SCALES)})\b"
_SUPERLATIVE = r"(?:largest|biggest)"

_PATTERN = re.compile(
    "|".join(
        [
            # ordinal + superlative: "second largest" (one mention, value 2)
            rf"(?P<ordsup>\b(?P<os_word>{_ORD_WORD})\b|(?<!\d)(?P<os_dig>\d+)(?:st|nd|rd|th)\b)"
            rf"\s+{_SUPERLATIVE}\b",
            # cardinal + superlative: "five largest" = among the top five
            rf"(?P<cardsup>\b(?P<cs_word>{_WORD_NUM})\b|(?<![\d.])(?P<cs_dig>\d+))"
            rf"\s+{_SUPERLATIVE}\b",
            # multiple words: "twice", "doubled", "tripled"
            rf"\b(?P<multword>{_alt(_MULTIPLE_WORDS)})\b",
            # digit ordinal: "17th", "2nd"
            r"(?<![\d.])(?P<orddig>\d+)(?:st|nd|rd|th)\b",
            # ordinal word: "second", "thirdly"
            rf"\b(?P<ordword>{_ORD_WORD})\b",
            # bare superlative: "largest" (value 1)
            rf"\b(?P<sup>{_SUPERLATIVE})\b",
            # a cardinal (digits or words), with optional currency, scale and suffix
            rf"(?P<card>(?P<cur>US\$|\$)?(?:(?P<dig>{_DIGITS})|\b(?P<word>{_WORD_NUM})\b)"
            rf"(?:{_SCALE})?"
            rf"(?:(?P<pct>\s?%|\s+percent\b|\s+per\s+cent\b)"
            rf"|(?P<times>\s+times\b|-fold\b))?)",
        ]
    ),
    re.IGNORECASE,
)


def _word_value(word: str) -> float:
    """Value of a cardinal written in words ("twenty-five", "two hundred")."""
    parts = word.lower().split()
    total = 0
    head = parts[0]
    if head == "hundred":
        return 100.0
    if "-" in head:
        tens, units = head.split("-")
        total = _TENS[tens] + _UNITS[units]
    else:
        total = _UNITS.get(head) or _TEENS.get(head) or _TENS[head]
    if parts[-1] == "hundred" and len(parts) > 1:
        total *= 100
    return float(total)


def _ordinal_word_value(word: str) -> float:
    w = word.lower()
    if w.endswith("ly") and w[:-2] in _ORDINALS:
        w = w[:-2]
    return float(_ORDINALS[w])


def _digits_value(digits: str) -> float:
    return float(digits.replace(",", ""))


def find_mentions(text: str) -> list[Mention]:
    """Return every numeric mention in `text`, in order and non-overlapping.

    Parameters
    ----------
    text : str
        Any text, typically a whole seed article or a ledger quote.

    Returns
    -------
    list of Mention
        Offsets refer to `text`. Longer readings win where forms overlap
        ("second largest" is one ordinal, "$41 billion" one plain 4.1e10,
        "12 times" one multiple), because each of those is one stated figure
        and splitting it would mis-state its value.

    Notes
    -----
    The scan is greedy and left to right; at each position the most specific
    form is tried first (ordinal + superlative, cardinal + superlative,
    multiple words, ordinals, superlatives, then cardinals with their
    currency / scale / percent / times decorations).
    """
    return list(_scan(text))


@lru_cache(maxsize=4096)
def _scan(text: str) -> tuple[Mention, ...]:
    """The scan behind :func:`find_mentions`, kept per text: the coverage guard and the
    ledger's checks scan the same quotes and seeds many times in one run."""
    mentions: list[Mention] = []
    for m in _PATTERN.finditer(text):
        g = m.groupdict()
        if g["ordsup"] is not None:
            value = _ordinal_word_value(g["os_word"]) if g["os_word"] else float(g["os_dig"])
            kind = "ordinal"
        elif g["cardsup"] is not None:
            value = _word_value(g["cs_word"]) if g["cs_word"] else float(g["cs_dig"])
            kind = "ordinal"
        elif g["multword"] is not None:
            value = float(_MULTIPLE_WORDS[g["multword"].lower()])
            kind = "multiple"
        elif g["orddig"] is not None:
            value = float(g["orddig"])
            kind = "ordinal"
        elif g["ordword"] is not None:
            value = _ordinal_word_value(g["ordword"])
            kind = "ordinal"
        elif g["sup"] is not None:
            value = 1.0
            kind = "ordinal"
        else:
            value = _digits_value(g["dig"]) if g["dig"] else _word_value(g["word"])
            if g["scale"]:
                value *= _SCALES[g["scale"].lower()]
            if g["pct"]:
                kind = "percent"
            elif g["times"]:
                kind = "multiple"
            else:
                kind = "plain"
        mentions.append(Mention(m.group(0), m.start(), m.end(), value, kind))
    return tuple(mentions)


def stated_values(quote: str) -> list[Mention]:
    """Mentions a ledger row may take its value from: all mentions of `quote`.

    Kept as its own name so the rule "the value must be stated in the quote"
    reads as such at the call site, and can be narrowed later in one place.
    """
    return find_mentions(quote)


#: Which mention kinds each ledger unit accepts. A growth rate can only be
#: backed by a percentage, a rank only by an ordinal, a tonnage only by a
#: cardinal, so that e.g. "second largest" cannot back 2 million tonnes nor
#: "12 times" a growth of 12 percent.
#:
#: ``count`` is the one unit with more than one kind, because English states
#: how many times something has happened in three ways: "two visits" (plain),
#: "visited four times" (the extractor cannot tell this frequency from the
#: factor in "increased 12 times", so it reads both as ``multiple``) and "the
#: Premier's second visit" / "the 17th meeting" (ordinal: the 2nd occurrence
#: means two so far). The ledger row's unit says which reading is meant.
UNIT_KINDS: dict[str, frozenset[str]] = {
    "USD_billion": frozenset({"plain"}),
    "USD_million": frozenset({"plain"}),
    "million_tonnes": frozenset({"plain"}),
    "count": frozenset({"plain", "multiple", "ordinal"}),
    "persons": frozenset({"plain"}),
    "years": frozenset({"plain"}),
    "MW": frozenset({"plain"}),
    "percent": frozenset({"percent"}),
    "rank": frozenset({"ordinal"}),
    "multiple": frozenset({"multiple"}),
}

#: What a mention's value is divided by to express it in the unit:
#: "31.17 billion" is 3.117e10 as a mention and 31.17 in ``USD_billion``.
UNIT_SCALE: dict[str, float] = {
    "USD_billion": 1e9,
    "USD_million": 1e6,
    "million_tonnes": 1e6,
    "count": 1.0,
    "persons": 1.0,
    "years": 1.0,
    "MW": 1.0,
    "percent": 1.0,
    "rank": 1.0,
    "multiple": 1.0,
}

_REL_TOL = 1e-9


def matches_unit(mention: Mention, value: float, unit: str) -> bool:
    """Whether `mention` states `value` expressed in `unit`.

    Parameters
    ----------
    mention : Mention
        A mention found in a ledger row's quote.
    value : float
        The row's value, in the row's unit.
    unit : str
        One of the keys of `UNIT_KINDS`.

    Returns
    -------
    bool
        True if the mention is of a kind the unit accepts and its value, divided by
        the unit's scale, equals `value` within a relative tolerance of 1e-9
        (only float rounding is forgiven: a ledger value is a stated value,
        not an approximation of one).

    Raises
    ------
    KeyError
        For an unknown unit, so a typo in the ledger fails loudly instead of
        matching nothing.
    """
    if mention.kind not in UNIT_KINDS[unit]:
        return False
    return math.isclose(mention.value / UNIT_SCALE[unit], float(value), rel_tol=_REL_TOL)
