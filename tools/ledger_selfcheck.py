"""Self-check of the figures ledger: every number in the seeds is accounted for.

Run from anywhere::

    python3 tools/ledger_selfcheck.py

It checks ``data/claims.csv``, ``data/events.csv`` and ``data/exclusions.csv``
against the byte-exact seed articles in ``seeds/`` and exits non-zero on any
problem, printing each one (and, for an uncovered number, its sentence):

* every quote / context is a verbatim substring of its seed, on one line;
* ids are unique and sequential, headers exact, enumerations respected,
  periods and dates well-formed;
* every claim's value is *stated* in its quote (`matches_unit` finds a mention
  of the right kind and value) -- the ledger holds no derived numbers;
* every mention that `find_mentions` finds in a seed is covered by a claim
  (inside the claim's quote and equal to its value), by an event (inside the
  event's quote and equal to its year, month or day) or by an exclusion row
  (same mention text, inside the row's context) -- so that no figure in the
  sources is silently left out of the report.

Only the standard library and ``china_kazakhstan.numbers`` are used, so the
check runs before any virtual environment exists. The package's loader may
later take over these rules; this script documents them in executable form.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:  # installed package (the project venv) ...
    from china_kazakhstan.numbers import UNIT_KINDS, find_mentions, matches_unit
except ImportError:  # ... or straight from the source tree
    sys.path.insert(0, str(ROOT / "src"))
    from china_kazakhstan.numbers import UNIT_KINDS, find_mentions, matches_unit

SEEDS = ROOT / "seeds"
DATA = ROOT / "data"

CLAIM_HEADER = [
    "claim_id",
    "seed",
    "topic",
    "metric",
    "value",
    "unit",
    "period",
    "qualifier",
    "quote",
    "attributed_to",
    "note",
]
EVENT_HEADER = ["event_id", "seed", "date", "event_type", "description", "quote", "note"]
EXCLUSION_HEADER = ["seed", "mention", "context", "reason", "note"]

TOPICS = {"connectivity", "trade", "energy_industry", "people_to_people", "diplomacy_context"}
QUALIFIERS = {"exact", "about", "more_than", "at_least", "up_to", "nearly"}
EVENT_TYPES = {
    "visit",
    "agreement",
    "opening",
    "summit",
    "declared_year",
    "establishment",
    "proposal",
    "other",
}
REASONS = {
    "timestamp",
    "date_only",
    "enumeration",
    "proper_name",
    "event_label",
    "figure_of_speech",
    "repeat",
    "not_quantitative",
}
_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
DATE_RE = re.compile(rf"^{_DATE}$")
PERIOD_RE = re.compile(rf"^(?:{_DATE}|{_DATE}\.\.{_DATE}|@{_DATE})$")
METRIC_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass
class Report:
    problems: list[str]

    def add(self, msg: str) -> None:
        self.problems.append(msg)


def read_csv(path: Path, header: list[str], rep: Report) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        got = next(reader, None)
        if got != header:
            rep.add(f"{path.name}: expected header {header} but got {got}")
            return []
        rows = []
        for n, rec in enumerate(reader, start=2):
            if len(rec) != len(header):
                rep.add(f"{path.name}:{n}: expected {len(header)} fields but got {len(rec)}")
                continue
            rows.append(dict(zip(header, rec, strict=True)))
        return rows


def load_seeds() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence (or line) around a span, for readable error messages."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "? ")))
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right + 1].strip()


def occurrences(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i != -1:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def check_quote(rep: Report, where: str, seeds: dict[str, str], seed: str, quote: str) -> int:
    """Position of the quote's first occurrence in its seed, or -1 (reported)."""
    if seed not in seeds:
        rep.add(f"{where}: unknown seed {seed!r}")
        return -1
    if not quote or "\n" in quote or "\r" in quote:
        rep.add(f"{where}: quote must be non-empty and on one line: {quote!r}")
        return -1
    pos = seeds[seed].find(quote)
    if pos == -1:
        rep.add(f"{where}: quote not found verbatim in {seed}: {quote!r}")
    return pos


def check_ids(rep: Report, rows: list[dict[str, str]], key: str, prefix: str) -> None:
    ids = [r[key] for r in rows]
    expected = [f"{prefix}{i:03d}" for i in range(1, len(rows) + 1)]
    if ids != expected:
        bad = [(a, b) for a, b in zip(ids, expected, strict=True) if a != b][:5]
        rep.add(f"{key}: expected sequential unique ids {prefix}001.. but got mismatches {bad}")


def main() -> int:
    rep = Report([])
    seeds = load_seeds()
    claims = read_csv(DATA / "claims.csv", CLAIM_HEADER, rep)
    events = read_csv(DATA / "events.csv", EVENT_HEADER, rep)
    exclusions = read_csv(DATA / "exclusions.csv", EXCLUSION_HEADER, rep)
    check_ids(rep, claims, "claim_id", "C")
    check_ids(rep, events, "event_id", "E")

    # covered[(seed, start, end)] = how it is covered
    covered: dict[tuple[str, int, int], str] = {}

    metric_units: dict[str, set[str]] = {}
    for c in claims:
        where = f"claims {c['claim_id']}"
        if c["topic"] not in TOPICS:
            rep.add(f"{where}: topic {c['topic']!r} not in {sorted(TOPICS)}")
        if c["qualifier"] not in QUALIFIERS:
            rep.add(f"{where}: qualifier {c['qualifier']!r} not in {sorted(QUALIFIERS)}")
        if c["unit"] not in UNIT_KINDS:
            rep.add(f"{where}: unit {c['unit']!r} not in {sorted(UNIT_KINDS)}")
            continue
        if not METRIC_RE.match(c["metric"]):
            rep.add(f"{where}: metric {c['metric']!r} is not snake_case")
        metric_units.setdefault(c["metric"], set()).add(c["unit"])
        if not PERIOD_RE.match(c["period"]):
            rep.add(f"{where}: period {c['period']!r} does not follow the period grammar")
        try:
            value = float(c["value"])
        except ValueError:
            rep.add(f"{where}: value {c['value']!r} is not a number")
            continue
        pos = check_quote(rep, where, seeds, c["seed"], c["quote"])
        if pos == -1:
            continue
        hits = [m for m in find_mentions(c["quote"]) if matches_unit(m, value, c["unit"])]
        if not hits:
            found = [(m.text, m.value, m.kind) for m in find_mentions(c["quote"])]
            rep.add(
                f"{where}: expected a mention stating {value} {c['unit']} in the quote "
                f"but got {found}: {c['quote']!r}"
            )
        for m in hits:
            covered[(c["seed"], pos + m.start, pos + m.end)] = c["claim_id"]
    for metric, units in metric_units.items():
        if len(units) > 1:
            rep.add(f"metric {metric!r}: expected one unit but got {sorted(units)}")

    for e in events:
        where = f"events {e['event_id']}"
        if e["event_type"] not in EVENT_TYPES:
            rep.add(f"{where}: event_type {e['event_type']!r} not in {sorted(EVENT_TYPES)}")
        if not DATE_RE.match(e["date"]):
            rep.add(f"{where}: date {e['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            continue
        pos = check_quote(rep, where, seeds, e["seed"], e["quote"])
        if pos == -1:
            continue
        parts = {float(p) for p in e["date"].split("-")}
        for m in find_mentions(e["quote"]):
            if m.kind == "plain" and m.value in parts:
                covered[(e["seed"], pos + m.start, pos + m.end)] = e["event_id"]

    seen_excl: set[tuple[str, str, str]] = set()
    excl_by_seed: dict[str, list[tuple[int, str, list[int], int]]] = {}
    for n, x in enumerate(exclusions, start=2):
        where = f"exclusions line {n}"
        if x["reason"] not in REASONS:
            rep.add(f"{where}: reason {x['reason']!r} not in {sorted(REASONS)}")
        key = (x["seed"], x["mention"], x["context"])
        if key in seen_excl:
            rep.add(f"{where}: duplicate row {key}")
        seen_excl.add(key)
        if check_quote(rep, where, seeds, x["seed"], x["context"]) == -1:
            continue
        if not any(m.text == x["mention"] for m in find_mentions(x["context"])):
            rep.add(f"{where}: mention {x['mention']!r} is not a mention of its context")
        excl_by_seed.setdefault(x["seed"], []).append(
            (n, x["mention"], occurrences(seeds[x["seed"]], x["context"]), len(x["context"]))
        )

    used_excl: set[int] = set()
    uncovered = 0
    for name, text in seeds.items():
        for m in find_mentions(text):
            if (name, m.start, m.end) in covered:
                continue
            ok = False
            for n, mention, starts, length in excl_by_seed.get(name, []):
                if mention == m.text and any(s <= m.start and m.end <= s + length for s in starts):
                    ok = True
                    used_excl.add(n)
            if not ok:
                uncovered += 1
                rep.add(
                    f"uncovered {name} @{m.start}: {m.text!r} ({m.kind} {m.value:g}) in: "
                    f"{sentence_of(text, m.start, m.end)!r}"
                )
    # An exclusion that covers nothing (e.g. its number is a claim) is stale.
    for n, x in enumerate(exclusions, start=2):
        if n not in used_excl and x["seed"] in seeds:
            rep.add(
                f"exclusions line {n}: not needed (its mention is covered otherwise): "
                f"{x['seed']} {x['mention']!r} in {x['context']!r}"
            )

    for p in rep.problems:
        print(p)
    print(
        f"{len(claims)} claims, {len(events)} events, {len(exclusions)} exclusions; "
        f"{uncovered} uncovered mentions; {len(rep.problems)} problems"
    )
    return 1 if rep.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
