"""The same metric in several articles: the same period must agree; two dates may differ.

Same period (``same_period``): every article's figure for one metric and one period (for
ranks, one year of data) is compared with every other; the check's id is made from the
metric and the period, so a further article stating the same figure joins the check.
Two dates (``over_time``): a stock (a count "as of" a date, a rank) at consecutive dates;
a cumulative metric (data/metrics.csv ``cumulative``) must not fall, any other may change.
"""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..analysis.selection import RULE, featured
from ..data.ledger import Ledger
from ..data.periods import months_between
from .describe import describe, describe_group, group_key, span, when
from .model import Check
from .rules import PLAIN_MARGIN, compare_over_time, compare_same, read_claim

#: Metrics whose claims other kinds of check read (anniversaries, numbered meetings, visits).
SPECIAL_RELATIONS = ("years_since", "numbered_from", "counts_visits_by")


def _decimals(unit: str) -> int:
    return {"USD_billion": 2, "percent": 1, "years": 1}.get(unit, 0)


def checks(ledger: Ledger) -> list[Check]:
    special = set(ledger.relations[ledger.relations["relation"].isin(SPECIAL_RELATIONS)]["metric"])
    found = []
    for metric in ledger.metrics["metric"]:
        if metric in special:
            continue
        rows = ledger.metric(metric)
        if len(rows) < 2:
            continue
        rows = rows.assign(_key=[group_key(r) for _, r in rows.iterrows()])
        order = rows.groupby("_key")["period_end"].max().sort_values(kind="stable")
        groups = [(key, rows[rows["_key"] == key].sort_values("claim_id")) for key in order.index]
        for key, group in groups:
            if len(group) > 1:
                found.append(_same_period(ledger, metric, key, group))
        stock = ((rows["period_kind"] == "as_of") | (rows["unit"] == "rank")).all()
        if stock:
            for (ka, before), (kb, after) in zip(groups[:-1], groups[1:], strict=True):
                found.append(_over_time(ledger, metric, (ka, kb), before, after))
    return found


def _same_period(ledger: Ledger, metric: str, key: str, group: pd.DataFrame) -> Check:
    claims = [c for _, c in group.iterrows()]
    readings = [read_claim(c) for c in claims]
    verdict, literal = compare_same(readings)
    first = claims[0]
    n_articles = group["seed"].nunique()
    who = (fmt.count(len(claims), "claim") + " in " + fmt.count(n_articles, "article")
           if n_articles != len(claims) else fmt.count(len(claims), "article"))
    decimals = _decimals(first["unit"])
    ranges = ", ".join(span(r.book, decimals=decimals) for r in readings)
    if verdict == "consistent":
        same = len({c["value"] for c in claims}) == 1
        explanation = (f"The {who} give the same figure." if same
                       else "The figures differ only within their rounding.")
    else:
        explanation = "The figures for the same period differ beyond their rounding."
    if len({c["value"] for c in claims}) > 1:
        chosen = featured(group)
        explanation += (f" Where the book features one figure it takes {chosen['claim_id']} "
                        f"({describe(chosen)}), by its rule for choosing: the claim that {RULE}.")
    return Check(
        kind="same_period", key=(metric, key), title=f"{ledger.label(metric)}, {when(first)}: {who}",
        metrics=(metric,), claim_ids=tuple(c["claim_id"] for c in claims),
        arithmetic=f"{'; '.join(describe(c) for c in claims)}. Values the wording allows: {ranges}.",
        verdict=verdict, literal_verdict=literal, explanation=explanation, values={"readings": readings})


def _over_time(ledger: Ledger, metric: str, keys: tuple[str, str], before: pd.DataFrame,
               after: pd.DataFrame) -> Check:
    a, b = featured(before), featured(after)
    ra, rb = read_claim(a), read_claim(b)
    scope_a, scope_b = (str(c["counted_as"]) if isinstance(c["counted_as"], str) else "" for c in (a, b))
    scope_differs = bool(scope_a and scope_b and scope_a != scope_b)
    info = ledger.metric_row(metric)
    cumulative = bool(info["cumulative"])
    verdict, literal = compare_over_time(ra, rb, cumulative=cumulative, scope_differs=scope_differs)
    decimals = _decimals(a["unit"])
    months = months_between(a["period_end"].date(), b["period_end"].date())
    ids = tuple(dict.fromkeys([*before["claim_id"], *after["claim_id"]]))
    arithmetic = (f"{describe_group(before)} → {describe_group(after)}; read as "
                  f"{span(ra.book, decimals=decimals)} and {span(rb.book, decimals=decimals)}")
    if ra.differs or rb.differs:
        arithmetic += (f" (literally {span(ra.literal, decimals=decimals)} and "
                       f"{span(rb.literal, decimals=decimals)})")
    hypothesis = ""
    change_note = info["change_note"] if isinstance(info["change_note"], str) else ""
    if verdict == "consistent":
        explanation = ("Both dates allow the same value: no change is needed to reconcile them."
                       if a["value"] != b["value"] else "The same figure at both dates.")
    elif a["unit"] == "rank":
        explanation = (f"The ranks describe different years of data ({when(a)} and {when(b)}): "
                       "the rank changed between them.")
        if a["period_kind"] == "as_of" or b["period_kind"] == "as_of":
            hypothesis = ("an undated 'now' or 'for years' refers to the last full year of data "
                          "before the article.")
    elif verdict == "timing_or_scope":
        change = b["value"] - a["value"]
        explanation = (f"A {'rise' if change > 0 else 'fall'} of {fmt.number(abs(change), None)} over "
                       f"{fmt.count(months, 'month')}: the figures describe different dates"
                       + ("" if cumulative else ", and this figure is not one that can only grow") + ".")
        if scope_differs:
            explanation += f" The wording also changes, from '{scope_a}' to '{scope_b}'."
        hypothesis = change_note or "new entries between the articles; the articles do not date them."
    else:
        explanation = _fall(a, b, ra, rb)
        if scope_differs:
            explanation += f" The articles count different things: '{scope_a}', then '{scope_b}'."
        hypothesis = change_note or "a revision of the series, or a different scope."
    if verdict != "consistent" and cumulative:
        explanation += " The figure counts things that, once counted, stay counted."
    return Check(
        kind="over_time", key=(metric, *keys), title=f"{ledger.label(metric)}: {when(a)} against {when(b)}",
        metrics=(metric,), claim_ids=ids, arithmetic=arithmetic, verdict=verdict, literal_verdict=literal,
        explanation=explanation, hypothesis=hypothesis,
        values={"before": ra, "after": rb, "scope": (scope_a, scope_b), "months": months,
                "claims": (a["claim_id"], b["claim_id"])})


def _fall(a: pd.Series, b: pd.Series, ra, rb) -> str:
    decimals = _decimals(a["unit"])
    if rb.literal.high < ra.literal.low:
        return (f"A count of things that stay counted cannot fall, yet it goes from "
                f"{fmt.number(a['value'], decimals)} to {fmt.number(b['value'], decimals)}.")
    return (f"'{fmt.quantity(b['value'], b['unit'], b['qualifier'])}' allows "
            f"{fmt.quantity(a['value'], a['unit'])}, but read plainly (up to "
            f"{fmt.percent(PLAIN_MARGIN * 100, 0)} more) it is at most "
            f"{fmt.quantity(rb.book.high, b['unit'], decimals=2)}, still "
            f"{fmt.percent((1 - rb.book.high / a['value']) * 100)} below the earlier figure.")
