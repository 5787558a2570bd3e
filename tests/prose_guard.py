"""The prose guard: figures typed into a notebook's markdown instead of computed and glued.

Every number a reader sees must come from ``data/`` through a glue role, so that it
changes when the data do and strict nbval re-checks it. A digit typed in prose breaks
that, and so does a number written in words: "twenty-five million tonnes" reached a page
past a digits-only check. This module finds both, in one markdown cell's source:

* :func:`prose_digits`: any token with a digit, outside glue roles, inline code,
  cross-references, link targets, years, heading markers and list numbers;
* :func:`prose_number_words`: the number words (one to ninety-nine, with hyphenated
  compounds such as "twenty-five", hundred, thousand, million, billion and their plurals,
  the ordinals first to ninetieth with "twenty-first" and the like, hundredth to
  billionth, "dozen", "half"), case-insensitive, whole words only, outside the same glued
  or code spans, unless the phrase is on :data:`ALLOWED_PHRASES`.

The allow-list is short on purpose; each entry says why it is not a figure to trace.
"""

from __future__ import annotations

import re

#: Spans that are not reader prose, or whose numbers are computed: glue roles, other roles
#: (cross-references show a page's title), inline code (ids, file names), link targets,
#: fenced code, HTML comments.
_NOT_PROSE = [
    r"```.*?```",
    r"<!--.*?-->",
    r"\{glue(?::\w+)?\}`[^`]*`",
    r"\{(?:doc|ref|numref|download|term|abbr)\}`[^`]*`",
    r"`[^`]*`",
    r"\]\([^)]*\)",
]

# --- digits (the original rule of tests/test_notebooks.py) -----------------------------------

#: What may hold digits in prose without being a figure, on top of :data:`_NOT_PROSE`:
#: years, heading markers, numbered list markers, the hash name.
_DIGITS_ALLOWED = [
    r"\b(?:19|20)\d\d\b",
    r"^#+ ",
    r"^\s*\d+\.\s",
    r"\bsha256\b",
]


def _strip(source: str, patterns: list[str]) -> str:
    text = source
    for pattern in patterns:
        text = re.sub(pattern, " ", text, flags=re.M | re.S)
    return text


def prose_digits(source: str) -> list[str]:
    """Tokens with a digit typed in a markdown cell's prose."""
    return re.findall(r"[^\s]*\d[^\s]*", _strip(source, [*_NOT_PROSE, *_DIGITS_ALLOWED]))


# --- number words ----------------------------------------------------------------------------

UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ORDINAL_UNITS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth",
)
ORDINAL_TENS = (
    "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
    "ninetieth",
)
SCALES = ("hundred", "thousand", "million", "billion")
OTHERS = ("dozen", "dozens", "half")

_DIGIT_WORDS = "|".join(UNITS[:9] + ORDINAL_UNITS[:9])
_WORDS = "|".join(sorted(
    [*UNITS, *ORDINAL_UNITS, *ORDINAL_TENS, *OTHERS,
     *(s for scale in SCALES for s in (scale, scale + "s", scale + "th"))],
    key=len, reverse=True))
NUMBER_WORD = re.compile(
    rf"\b(?:(?:{'|'.join(TENS)})(?:-(?:{_DIGIT_WORDS}))?|{_WORDS})\b", re.IGNORECASE)

#: Phrases with a number word that are not figures of the book, each with its reason.
ALLOWED_PHRASES: dict[str, str] = {
    "two countries": "China and Kazakhstan, the book's subject: not a figure any data could change",
    "one another": "a pronoun, not a count",
    "Hualong One": "the name of a reactor design",
}
_ALLOWED = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ALLOWED_PHRASES) + r")\b", re.IGNORECASE)


def prose_number_words(source: str) -> list[str]:
    """Number words typed in a markdown cell's prose (outside glue and code, not allow-listed)."""
    text = _ALLOWED.sub(" ", _strip(source, _NOT_PROSE))
    return [match.group(0) for match in NUMBER_WORD.finditer(text)]


def notebook_offenders(nb) -> dict[int, list[str]]:
    """``{cell number (1-based): [number words]}`` for a notebook's markdown cells."""
    found = {}
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            words = prose_number_words(cell.source)
            if words:
                found[index] = words
    return found
