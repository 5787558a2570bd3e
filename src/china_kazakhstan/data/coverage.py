"""The coverage guard: every printed number of every article is read by exactly one row.

A report that quotes some figures of its sources and silently drops others can mislead
as surely as one that misquotes them. The scanner (:func:`.numbers.find_mentions`) finds
every numeric mention in the articles; a mention is *read* by

* the claim whose ``mention`` prints it (:func:`.readings.claim_reading`),
* the event mention whose printed date holds it (:func:`.readings.event_reading`), or
* an exclusion row with the same mention text inside its ``context`` (a timestamp, a
  list marker, part of a name...), whose ``reason`` says why it is not a figure.

A number read by no row is reported with its sentence; a number read by two rows is
reported with both (deleting one of two claims on one quote, or a duplicated row, is
caught that way); an exclusion that reads nothing is stale. :func:`coverage_report`
gives, per article, the mentions read against the mentions in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Problem
from .ledger import Ledger, load_ledger
from .numbers import Mention, find_mentions
from .readings import HEDGES, claim_reading, event_reading, hedge_before


@dataclass(frozen=True)
class Uncovered:
    seed: str
    mention: Mention
    sentence: str

    def __str__(self) -> str:
        m = self.mention
        return (f"seeds/{self.seed}, character {m.start}: {m.text!r} "
                f"({m.kind} {m.value:g}) is read by no row, in: {self.sentence!r}")


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


def readings(ledger: Ledger) -> dict[tuple[str, int, int], list[str]]:
    """``(seed, start, end)`` of every printed number a row reads -> the rows that read it."""
    read: dict[tuple[str, int, int], list[str]] = {}

    def add(seed: str, start: int, end: int, row: str) -> None:
        read.setdefault((seed, start, end), []).append(row)

    for c in ledger.claims.itertuples():
        r = claim_reading(c.quote, c.mention, c.value, c.unit, c.qualifier)
        start = c.quote_start + r.offset + r.number.start
        add(c.seed, start, start + len(r.number.text), c.claim_id)
    for m in ledger.mentions.itertuples():
        numbers, offset, _ = event_reading(m.quote, m.mention or "", m.date)
        base = ledger.seed_texts[m.seed].index(m.quote) + offset
        for n in numbers:
            add(m.seed, base + n.start, base + n.end, m.mention_id)
    for index, e in zip(ledger.exclusions.index, ledger.exclusions.itertuples(), strict=True):
        text = ledger.seed_texts[e.seed]
        for start in _occurrences(text, e.context):
            for n in find_mentions(e.context):
                if n.text == e.mention:
                    add(e.seed, start + n.start, start + n.end, f"exclusion:{index}")
    return read


@dataclass(frozen=True)
class SeedCoverage:
    seed: str
    mentions: int
    read: int

    @property
    def share(self) -> float:
        return self.read / self.mentions if self.mentions else 1.0


def audit(ledger: Ledger, seeds: dict[str, str] | None = None):
    """Unread mentions, mentions read twice, stale exclusions (by index), per-seed coverage."""
    read = readings(ledger)
    seeds = seeds if seeds is not None else ledger.seed_texts
    uncovered: list[Uncovered] = []
    twice: list[tuple[str, Mention, list[str]]] = []
    per_seed: list[SeedCoverage] = []
    for seed, text in seeds.items():
        found = find_mentions(text)
        got = 0
        for m in found:
            rows = read.get((seed, m.start, m.end), [])
            if not rows:
                uncovered.append(Uncovered(seed, m, sentence_of(text, m.start, m.end)))
            else:
                got += 1
            if len(rows) > 1:
                twice.append((seed, m, rows))
        per_seed.append(SeedCoverage(seed, len(found), got))
    used = {int(r.split(":")[1]) for rows in read.values() for r in rows if r.startswith("exclusion:")}
    unused = [i for i in ledger.exclusions.index if i not in used and ledger.exclusions.at[i, "seed"] in seeds]
    return uncovered, twice, unused, per_seed


def _row_name(ledger: Ledger, row: str) -> str:
    if row.startswith("exclusion:"):
        index = int(row.split(":")[1])
        return f"the exclusion on line {ledger.exclusions.at[index, 'line']} of data/exclusions.csv"
    if row.startswith("C"):
        return f"{row} (data/claims.csv)"
    return f"{row} (data/event_mentions.csv)"


def uncovered_mentions(ledger: Ledger) -> list[str]:
    """Every problem of coverage as a message: unread numbers, numbers read twice, stale exclusions."""
    uncovered, twice, unused, _ = audit(ledger)
    messages = [str(u) for u in uncovered]
    for seed, m, rows in twice:
        names = " and ".join(_row_name(ledger, r) for r in rows)
        messages.append(f"seeds/{seed}, character {m.start}: {m.text!r} is read by {names}: each printed "
                        "number is read by one row (a duplicated row, or two rows on one number)")
    for index in unused:
        row = ledger.exclusions.loc[index]
        messages.append(
            f"data/exclusions.csv, line {row['line']} ({row['seed']}: {row['mention']!r}): "
            "excludes nothing (the number is read by a claim or an event mention, or the context moved); "
            "delete the row")
    return messages


def coverage_problems(ledger: Ledger) -> list[Problem]:
    """The problems of coverage as Problems of the file to fix: the article or the exclusions."""
    uncovered, twice, unused, _ = audit(ledger)
    problems = [Problem(f"seeds/{u.seed}", None, None, None,
                        f"character {u.mention.start}: {u.mention.text!r} is read by no row, in: "
                        f"{u.sentence!r}; add it to data/claims.csv, data/event_mentions.csv or "
                        "data/exclusions.csv (with a reason); `python -m china_kazakhstan candidates "
                        f"seeds/{u.seed}` drafts the rows") for u in uncovered]
    for seed, m, rows in twice:
        names = " and ".join(_row_name(ledger, r) for r in rows)
        problems.append(Problem(f"seeds/{seed}", None, None, None,
                                f"character {m.start}: {m.text!r} is read by {names}: each printed number is "
                                "read by one row (a duplicated row, or two rows on one number)"))
    for index in unused:
        row = ledger.exclusions.loc[index]
        problems.append(Problem("data/exclusions.csv", int(row["line"]), f"{row['seed']}: {row['mention']!r}",
                                "context", "excludes nothing (the number is read by a claim or an event "
                                "mention, or the context moved): delete the row"))
    return problems


def coverage_report(ledger: Ledger) -> list[SeedCoverage]:
    """Per article: how many of its printed numbers the ledger reads."""
    return audit(ledger)[3]


# --- candidates: draft rows for an article's unread numbers --------------------------------

_UNIT_GUESS = (("percent", "percent"), ("billion", "USD_billion"), ("million tons", "million_tonnes"),
               ("million tonnes", "million_tonnes"), ("million", "USD_million"), ("MW", "MW"),
               ("megawatt", "MW"), ("year", "years"), ("student", "persons"), ("people", "persons"),
               ("tourist", "persons"))


def _guess_unit(m: Mention, sentence: str) -> str:
    if m.kind == "percent":
        return "percent"
    if m.kind == "ordinal":
        return "rank"
    if m.kind == "multiple":
        return "multiple"
    after = sentence[sentence.find(m.text) + len(m.text):][:30].lower() if m.text in sentence else ""
    for word, unit in _UNIT_GUESS:
        if word.lower() in (m.text.lower() + after):
            return unit
    return "count"


def _value_in(unit: str, m: Mention) -> str:
    from .numbers import UNIT_SCALE

    value = m.value / UNIT_SCALE[unit]
    return f"{value:g}"


def draft_row(seed: str, m: Mention, text: str, published: str) -> str:
    """A claims.csv row to paste and correct: every field the article suggests, guessed."""
    sentence = sentence_of(text, m.start, m.end)
    hedge = hedge_before(text, m.start)
    mention = (text[m.start - len(hedge) - 1:m.end] if hedge and text[m.start - len(hedge) - 1:m.start].strip()
               .lower() == hedge else m.text)
    qualifier = HEDGES.get(hedge, "exact") if hedge else "exact"
    unit = _guess_unit(m, sentence)
    year = published[:4]
    period = year if m.kind != "ordinal" else f"@{published}"
    fields = ["C???", seed, "TOPIC", "METRIC", _value_in(unit, m), unit, period, qualifier, mention,
              sentence, "", "", ""]

    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in ',"\n') else value
    return ",".join(cell(f.replace('"', '""')) for f in fields)


def candidates_report(seed_path: Path) -> str:
    """The numbers of one article not yet read by any row, with their sentences and draft rows.

    Works for an article that is not in the ledger yet (a new seed): then every number it
    contains is a candidate. Each comes with a draft claims.csv row (unit, period and
    qualifier guessed from the words around it and the article's date) to paste and correct,
    or to turn into an event mention or an exclusion.
    """
    text = seed_path.read_text(encoding="utf-8")
    name = seed_path.name
    header = ""
    published = "YYYY-MM-DD"
    try:
        ledger = load_ledger()
        uncovered, _, _, _ = audit(ledger, {name: text})
        if name not in ledger.seed_texts:
            header = f"{name} is not in the ledger yet: every number is a candidate.\n"
        rows = ledger.sources[ledger.sources["file"] == name]
        if len(rows):
            published = str(rows["published"].iloc[0])
    except DataError as exc:
        first = str(exc).splitlines()[:4]
        header = ("The ledger does not load yet, so every number is shown:\n" + "\n".join(first) + "\n")
        uncovered = [Uncovered(name, m, sentence_of(text, m.start, m.end)) for m in find_mentions(text)]
    lines = [header + f"{len(uncovered)} unread number(s) in seeds/{name}:"]
    for item in uncovered:
        m = item.mention
        lines.append(f"  {m.text!r:>18}  {m.kind:<8} {m.value:>14g}   {item.sentence}")
    lines.append("")
    lines.append("Draft rows for data/claims.csv (check every field; the period is guessed from the "
                 "article's date):")
    lines.append("claim_id,seed,topic,metric,value,unit,period,qualifier,mention,quote,counted_as,"
                 "attributed_to,note")
    lines += [draft_row(name, item.mention, text, published) for item in uncovered]
    lines.append("")
    lines.append("Add each as a claim (data/claims.csv), an event mention (data/event_mentions.csv) "
                 "or an exclusion with a reason (data/exclusions.csv).")
    return "\n".join(lines)
