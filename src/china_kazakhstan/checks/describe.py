"""Words for the checks: a claim described as a reader cites it, a label inside a sentence."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .. import fmt
from ..analysis.intervals import Interval
from ..data.ledger import Ledger


def describe(claim: pd.Series) -> str:
    """'US$41 bn (2023, Xinhua, Jul 2024)'."""
    return f"{fmt.quantity(claim['value'], claim['unit'], claim['qualifier'])} " \
           f"({when(claim)}, {claim['short_name']})"


def basis_year(claim: pd.Series) -> int:
    """The year of data a rank describes: its own year, or for "now" the last full year."""
    if claim["period_kind"] == "as_of":
        return int(claim["period_end"].year) - 1
    return int(claim["year"])


def when(claim: pd.Series) -> str:
    """The period a figure covers, as a reader writes it ('2023', 'Jan–May 2024', '2022 data')."""
    if claim["unit"] == "rank":
        return f"{basis_year(claim)} data"
    return str(claim["period_label"]).removeprefix("as of ")


def group_key(claim: pd.Series) -> str:
    """What makes two figures comparable as 'the same period': ranks by year of data."""
    return f"data year {basis_year(claim)}" if claim["unit"] == "rank" else str(claim["period"])


def describe_group(group: pd.DataFrame) -> str:
    """One claim described, or several of the same value and period with their ids."""
    first = group.iloc[0]
    if len(group) == 1:
        return describe(first)
    values = {fmt.quantity(v, u, q) for v, u, q in zip(group["value"], group["unit"], group["qualifier"],
                                                      strict=True)}
    if len(values) == 1:
        return f"{values.pop()} ({when(first)}; {', '.join(group['claim_id'])})"
    return "; ".join(describe(c) for _, c in group.iterrows())


def span(interval: Interval, unit: str | None = None, decimals: int | None = 2) -> str:
    return fmt.interval(interval.low, interval.high, unit, decimals)


def year_span(interval: Interval) -> str:
    """'1991.4–1992.4': fractional years, never with a thousands separator."""
    return fmt.interval(interval.low, interval.high, decimals=1, years=True)


@lru_cache(maxsize=8)
def _proper_words(texts: tuple[str, ...]) -> frozenset[str]:
    """Words the data capitalise inside sentences: names (China, Kazakh, Xinjiang), not sentence case."""
    words = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.!?:;])\s+", text):
            for word in re.findall(r"[A-Za-z][\w'’-]*", sentence)[1:]:
                if word[0].isupper():
                    words.add(word.split("'")[0].split("’")[0])
    return frozenset(words)


def in_sentence(label: str, ledger: Ledger) -> str:
    """A metric's label inside a sentence: 'Bilateral goods trade' -> 'bilateral goods trade'.

    The first letter is lowered unless the first word is a name, which is read from the data:
    a word that the metrics' labels and descriptions capitalise in the middle of a sentence
    (China, Kazakh, Xinjiang, Confucius…). No list of names is kept in code.
    """
    texts = tuple(ledger.metrics["label"]) + tuple(ledger.metrics["description"])
    first = re.match(r"[A-Za-z][\w-]*", label)
    if first is None:
        return label
    word = first.group(0).split("'")[0]
    if word in _proper_words(texts) or word.isupper():
        return label
    return label[:1].lower() + label[1:]
