"""Counts of visits against the visits the articles date.

Whose visits a count counts, and to where, is read from data/relations.csv
(``counts_visits_by``, ``counts_visits_to``) and matched on the events' ``visitor`` and
``host`` fields, never on words in a description. A count's window is its period: a count
of earlier visits written on the day a visit begins ends the day before, one that
includes the visit ends on its day. Each count is described with the convention its
article uses (whether the visit the article reports is in it).
"""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..data.ledger import Ledger
from .model import Check
from .rules import count_verdict, read_claim


def visits_counted(ledger: Ledger, metric: str) -> pd.DataFrame:
    """The dated visits a count metric counts: visitor and host as data/relations.csv names them."""
    by, to = ledger.related(metric, "counts_visits_by"), ledger.related(metric, "counts_visits_to")
    events = ledger.events[ledger.events["event_type"] == "visit"]
    if by:
        events = events[events["visitor"].isin(by)]
    if to:
        events = events[events["host"].isin(to)]
    return events.sort_values(["date_start", "event"])


def _inside(event: pd.Series, start, end) -> bool:
    return (start is None or event["date_start"] >= start) and event["date_start"] <= end


def own_visit(ledger: Ledger, claim: pd.Series, visits: pd.DataFrame) -> tuple[str | None, bool | None]:
    """The visit a count's own article reports (one under way or coming when it was written),
    and whether the count's window includes it: (event key, included), or (None, None)."""
    mentions = ledger.mentions[(ledger.mentions["seed"] == claim["seed"])
                               & ledger.mentions["event"].isin(visits["event"])
                               & (ledger.mentions["date_end"] >= claim["published_date"])]
    own = visits[visits["event"].isin(mentions["event"])]
    if own.empty:
        return None, None
    event = own.iloc[0]
    start = claim["period_start"] if claim["period_kind"] == "range" else None
    return str(event["event"]), _inside(event, start, claim["period_end"])


def convention(ledger: Ledger, claim: pd.Series, visits: pd.DataFrame) -> str:
    """How the count treats the visit its own article reports: included, or not."""
    key, included = own_visit(ledger, claim, visits)
    if key is None:
        return "counts the visits up to its date"
    label = ledger.event(key)["date_label"]
    if included:
        return f"includes the visit the article reports ({label})"
    return f"excludes the visit the article reports ({label}): it counts earlier visits"


def checks(ledger: Ledger) -> list[Check]:
    found = []
    metrics = sorted(set(ledger.relation("counts_visits_by")["metric"])
                     | set(ledger.relation("counts_visits_to")["metric"]))
    for metric in metrics:
        claims = ledger.metric(metric).sort_values(["period_end", "claim_id"])
        if claims.empty:
            continue
        visits = visits_counted(ledger, metric)
        parts, verdicts, notes, rows, used = [], [], [], [], set()
        hypothesis = ""
        previous = None
        for _, c in claims.iterrows():
            start = c["period_start"] if c["period_kind"] == "range" else None
            end = c["period_end"]
            inside = [e for _, e in visits.iterrows() if _inside(e, start, end)]
            stated = read_claim(c).literal
            chained = None
            ids = ", ".join(e["mention_ids"] for e in inside) or "none"
            parts.append(f"{c['claim_id']} ({convention(ledger, c, visits)}): {fmt.number(c['value'])} stated, "
                         f"{len(inside)} dated in its window ({ids})")
            if previous is not None:
                p_claim, p_end = previous
                between = [e for _, e in visits.iterrows() if p_end < e["date_start"] <= end]
                chained = int(p_claim["value"]) + len(between)
                parts.append(f"{c['claim_id']}: {fmt.number(p_claim['value'])} ({p_claim['claim_id']}) + "
                             f"{len(between)} dated in between "
                             f"({', '.join(e['mention_ids'] for e in between) or 'none'}) = {chained}, "
                             f"stated {fmt.number(c['value'])}")
                unrecorded = int(c["value"]) - chained
                if unrecorded > 0:
                    hypothesis = "visits the articles do not mention."
                    notes.append(f"{c['claim_id']} implies {fmt.count(unrecorded, 'visit')} between "
                                 f"{fmt.month(p_end)} and {fmt.month(end)} that no article dates, if the "
                                 f"{fmt.count(p_claim['value'], 'visit')} of {p_claim['claim_id']} fall in its "
                                 "window.")
            elif int(c["value"]) > len(inside):
                missing = int(c["value"]) - len(inside)
                notes.append(f"{c['claim_id']} counts {fmt.count(missing, 'more visit', 'more visits')} than "
                             "the articles date: the articles do not mention every visit.")
            used.update(e["mention_ids"] for e in inside)
            verdicts.append(count_verdict(stated, len(inside), chained))
            key, included = own_visit(ledger, c, visits)
            rows.append({"claim_id": c["claim_id"], "stated": c["value"], "dated": len(inside),
                         "chained": chained, "convention": convention(ledger, c, visits),
                         "own_visit": key, "own_included": included})
            previous = (c, end)
        verdict = max(verdicts, key=("consistent", "timing_or_scope", "tension", "conflict").index)
        lead = ("No count is below the visits dated in its window." if verdict == "consistent" else
                "A count is below the visits the articles date in its window.")
        found.append(Check(
            kind="visits", key=(metric,),
            title=f"{ledger.label(metric)}: the count against the visits the articles date",
            metrics=(metric,), claim_ids=tuple(claims["claim_id"]), event_ids=tuple(sorted(used)),
            arithmetic="; ".join(parts), verdict=verdict, explanation=" ".join([lead, *notes]),
            hypothesis=hypothesis, values={"rows": rows, "visits": list(visits["event"])}))
    return found
