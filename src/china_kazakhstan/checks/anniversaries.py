"""Start years: "N years since X" and "the Nth annual meeting" imply when X happened.

Which event a figure counts from is read from data/relations.csv (``years_since``,
``numbered_from``), never from the words of an event's description. The implied start
years must share a year with each other and with the event's own date, unless that date
is itself derived from one of these figures (then it is shown but not used).
A round number of years ("30 years") is read literally and as a round figure; the verdict
is given under both readings when they differ.
"""

from __future__ import annotations

from .. import fmt
from ..analysis.intervals import Interval, decimal_year, intersection
from ..data.ledger import Ledger
from .describe import year_span
from .model import VERDICT_LABELS, Check
from .rules import read_claim, start_verdict


def event_interval(event) -> Interval:
    """An event's date as a span of fractional years, at the precision the articles give."""
    return Interval(decimal_year(event["date_start"].date()), decimal_year(event["date_end"].date()))


def _event_rows(ledger: Ledger, key: str) -> list[dict]:
    event = ledger.event(key)
    return [{"event": key, "mention_ids": event["mention_ids"], "date": event["date_label"],
             "interval": event_interval(event), "derived": bool(event["derived"]),
             "description": event["description"]}]


def checks(ledger: Ledger) -> list[Check]:
    found = []
    for rel in ledger.relation("years_since").itertuples():
        claims = ledger.metric(rel.metric).sort_values(["period_end", "claim_id"])
        if claims.empty:
            continue
        rows, parts = [], []
        for _, c in claims.iterrows():
            as_of = round(decimal_year(c["period_end"].date()), 2)
            reading = read_claim(c)
            book = Interval(as_of - reading.book.high, as_of - reading.book.low)
            literal = Interval(as_of - reading.literal.high, as_of - reading.literal.low)
            central = as_of - c["value"]
            parts.append(f"{c['claim_id']}: {fmt.plain(as_of, 2)} − "
                         f"{fmt.quantity(c['value'], 'years', c['qualifier'])} = {fmt.plain(central, 1)} "
                         f"({year_span(literal)}" + (f"; as a round figure {year_span(book)})" if book != literal
                                                     else ")"))
            rows.append({"claim_id": c["claim_id"], "label": f"{c['short_name']}: "
                         f"{fmt.quantity(c['value'], 'years', c['qualifier'])}",
                         "central": central, "interval": book, "literal": literal})
        found.append(_start_check(ledger, rel.metric, rel.object, claims, rows, parts,
                                  title=f"{ledger.label(rel.metric)}: the start year each article implies"))
    for rel in ledger.relation("numbered_from").itertuples():
        claims = ledger.metric(rel.metric).sort_values(["period_end", "claim_id"])
        if claims.empty:
            continue
        rows, parts = [], []
        for _, c in claims.iterrows():
            first = int(c["period_start"].year) - int(c["value"]) + 1
            interval = Interval(float(first), float(first + 1))
            parts.append(f"{c['claim_id']}: {fmt.year(c['period_start'].year)} − {fmt.number(c['value'])} + 1 "
                         f"= {fmt.year(first)}")
            rows.append({"claim_id": c["claim_id"], "label": f"{c['short_name']}: "
                         f"{fmt.ordinal(c['value'])} meeting", "central": first + 0.5, "interval": interval,
                         "literal": interval})
        found.append(_start_check(ledger, rel.metric, rel.object, claims, rows, parts,
                                  title=f"{ledger.label(rel.metric)}: the first meeting each ordinal implies",
                                  annual=True))
    return found


def _start_check(ledger: Ledger, metric: str, event_key: str, claims, rows: list[dict], parts: list[str], *,
                 title: str, annual: bool = False) -> Check:
    events = _event_rows(ledger, event_key)
    used = [e for e in events if not e["derived"]]
    book = [r["interval"] for r in rows] + [e["interval"] for e in used]
    literal = [r["literal"] for r in rows] + [e["interval"] for e in used]
    verdict, literal_verdict = start_verdict(book), start_verdict(literal)
    common = intersection(book)
    arithmetic = "; ".join(parts)
    if used:
        arithmetic += "; dated event " + ", ".join(f"{e['description']} ({e['date']}, {e['mention_ids']})"
                                                     for e in used)
    if annual:
        explanation = ("With one meeting a year, every ordinal points to the founding year."
                       if verdict == "consistent" else
                       "The ordinals do not fit one meeting a year since the founding.")
        hypothesis = "" if verdict == "consistent" else "a year without a meeting, or a different count."
    else:
        explanation = (f"Every implied start year shares {year_span(common)} with the others"
                       if common else "The implied start years do not share a common year")
        explanation += " and with the dated event." if used and common else "."
        hypothesis = ""
        if literal_verdict != verdict:
            explanation += (f" Read literally, the round figures give start years that do not meet "
                            f"({VERDICT_LABELS[literal_verdict]}); read as round figures, they do.")
    for e in events:
        if e["derived"]:
            explanation += (f" The date of the event “{e['description']}” ({e['date']}, {e['mention_ids']}) "
                            "is not used: it is derived from one of these figures.")
    return Check(
        kind="start_year", key=(metric,), title=title, metrics=(metric,), claim_ids=tuple(claims["claim_id"]),
        event_ids=tuple(e["mention_ids"] for e in used), arithmetic=arithmetic, verdict=verdict,
        literal_verdict="" if literal_verdict == verdict else literal_verdict, explanation=explanation,
        hypothesis=hypothesis, values={"claims": rows, "events": events, "common": common})
