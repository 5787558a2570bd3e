"""The coverage guard: every number in every seed is a claim, an event date or an exclusion.

A report that quotes some figures of its sources and silently drops others can mislead
as surely as one that misquotes them. The scanner (:func:`.numbers.find_mentions`) finds
every numeric mention in the articles; a mention is accounted for when it is

* inside a claim's quote and states that claim's value in its unit,
* inside an event's quote and is the year, month or day of the event's date, or
* inside the context of an exclusion row with the same mention text (a timestamp, a
  list marker, part of a name...), whose ``reason`` says why it is not a figure.

Anything else is reported with the sentence it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from .ledger import Ledger, load_ledger
from .numbers import Mention, find_mentions, matches_unit


@dataclass(frozen=True)
class Uncovered:
    seed: str
    mention: Mention
    sentence: str

    def __str__(self) -> str:
        m = self.mention
        return (f"seeds/{self.seed}, character {m.start}: {m.text!r} "
                f"({m.kind} {m.value:g}) in: {self.sentence!r}")


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence around a span, for messages a person can act on."""
    boundaries = [m.end() for m in re.finditer(r"[.!?][\"”’]?\s+|\n", text[:start])]
    left = boundaries[-1] if boundaries else 0
    match = re.search(r"[.!?][\"”’]?(\s|$)|\n", text[end:])
    right = end + match.end() if match else len(text)
    return " ".join(text[left:right].split())


def _occurrences(text: str, sub: str) -> list[int]:
    found, index = [], text.find(sub)
    while index != -1:
        found.append(index)
        index = text.find(sub, index + 1)
    return found


def covered_spans(ledger: Ledger) -> dict[tuple[str, int, int], str]:
    """``(seed, start, end)`` of every mention a claim or an event accounts for -> its id."""
    covered: dict[tuple[str, int, int], str] = {}
    for row in ledger.claims.itertuples():
        start = ledger.seed_texts[row.seed].index(row.quote)
        for m in find_mentions(row.quote):
            if matches_unit(m, row.value, row.unit):
                covered[(row.seed, start + m.start, start + m.end)] = row.claim_id
    for row in ledger.events.itertuples():
        start = ledger.seed_texts[row.seed].index(row.quote)
        parts = {float(p) for p in row.date.split("-")}
        for m in find_mentions(row.quote):
            if m.kind == "plain" and m.value in parts:
                covered[(row.seed, start + m.start, start + m.end)] = row.event_id
    return covered


def _exclusion_windows(ledger: Ledger, seed: str) -> list[tuple[int, str, list[int], int]]:
    rows = ledger.exclusions[ledger.exclusions["seed"] == seed]
    text = ledger.seed_texts[seed]
    return [(index, r.mention, _occurrences(text, r.context), len(r.context))
            for index, r in zip(rows.index, rows.itertuples(), strict=True)]


def audit(ledger: Ledger, seeds: dict[str, str] | None = None
          ) -> tuple[list[Uncovered], list[int]]:
    """Uncovered mentions, and exclusion rows (by index) that account for nothing."""
    covered = covered_spans(ledger)
    seeds = seeds if seeds is not None else ledger.seed_texts
    used: set[int] = set()
    uncovered: list[Uncovered] = []
    for seed, text in seeds.items():
        windows = _exclusion_windows(ledger, seed) if seed in ledger.seed_texts else []
        for m in find_mentions(text):
            if (seed, m.start, m.end) in covered:
                continue
            hits = [index for index, mention, starts, length in windows
                    if mention == m.text and any(s <= m.start and m.end <= s + length
                                                 for s in starts)]
            used.update(hits)
            if not hits:
                uncovered.append(Uncovered(seed, m, sentence_of(text, m.start, m.end)))
    unused = [i for i in ledger.exclusions.index if i not in used
              and ledger.exclusions.at[i, "seed"] in seeds]
    return uncovered, unused


def uncovered_mentions(ledger: Ledger) -> list[str]:
    """Every problem of coverage as a message: unaccounted numbers and stale exclusions."""
    uncovered, unused = audit(ledger)
    messages = [str(u) for u in uncovered]
    for index in unused:
        row = ledger.exclusions.loc[index]
        messages.append(
            f"data/exclusions.csv, line {index + 2} ({row['seed']}: {row['mention']!r}): "
            "excludes nothing (the number is a claim or an event date, or the context moved); "
            "delete the row")
    return messages


def candidates_report(seed_path: Path) -> str:
    """The numbers of one seed not yet accounted for, with their sentences.

    Works for an article that is not in the ledger yet (a sixth seed): then every
    number it contains is a candidate.
    """
    text = seed_path.read_text(encoding="utf-8")
    name = seed_path.name
    header = ""
    try:
        ledger = load_ledger()
        uncovered, _ = audit(ledger, {name: text})
        if name not in ledger.seed_texts:
            header = f"{name} is not in the ledger yet: every number is a candidate.\n"
    except DataError as exc:
        first = str(exc).splitlines()[:4]
        header = ("The ledger does not load yet, so every number is shown:\n"
                  + "\n".join(first) + "\n")
        uncovered = [Uncovered(name, m, sentence_of(text, m.start, m.end))
                     for m in find_mentions(text)]
    lines = [header + f"{len(uncovered)} unaccounted number(s) in seeds/{name}:"]
    for item in uncovered:
        m = item.mention
        lines.append(f"  {m.text!r:>18}  {m.kind:<8} {m.value:>14g}   {item.sentence}")
    lines.append("Add each as a claim (data/claims.csv), an event (data/events.csv) "
                 "or an exclusion with a reason (data/exclusions.csv).")
    return "\n".join(lines)
