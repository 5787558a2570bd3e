"""Parts within wholes, and an overall rank within the ranks of its components.

Which metric is a part of which, and which ranks make up an overall rank, is read from
data/relations.csv (``part_of``, ``component_of``); what a relation assumes that the
articles do not say is its ``hypothesis``, shown with the verdict.
"""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..analysis.intervals import prior_from_growth
from ..analysis.selection import prefer_article
from ..data.ledger import Ledger
from ..data.periods import months_between
from .describe import describe, in_sentence
from .implied import growth_pairs
from .model import Check
from .rules import part_whole_verdict, rank_bound, read, read_claim

#: Money in millions is compared with money in billions after scaling.
SCALE = {("USD_million", "USD_billion"): 0.001}


def checks(ledger: Ledger) -> list[Check]:
    return [*_part_whole(ledger), *_rank_components(ledger)]


def _whole_for(wholes: pd.DataFrame, part: pd.Series) -> pd.Series:
    """The whole of the same period (the part's own article first), else the nearest in time."""
    same = wholes[wholes["period"] == part["period"]]
    if len(same):
        return prefer_article(same, part["seed"]).iloc[0]
    gaps = (wholes["period_end"] - part["period_end"]).abs()
    return wholes.loc[gaps.sort_values(kind="stable").index[0]]


def _part_whole(ledger: Ledger) -> list[Check]:
    found = []
    growth_of = {v["claim_id"]: g for v, g in growth_pairs(ledger)}
    for rel in ledger.relation("part_of").itertuples():
        wholes = ledger.metric(rel.object)
        if wholes.empty:
            continue
        for _, part in ledger.metric(rel.metric).iterrows():
            whole = _whole_for(wholes, part)
            scale = SCALE.get((part["unit"], whole["unit"]), 1.0)
            rp = read(part["value"] * scale, whole["unit"], part["qualifier"]).literal
            rw = read_claim(whole).literal
            same_date = part["period"] == whole["period"]
            verdict = part_whole_verdict(rp, rw, same_date=same_date)
            share = part["value"] * scale / whole["value"] * 100
            bound = "at most " if whole["qualifier"] in ("more_than", "at_least") else ""
            arithmetic = f"{describe(part)} ÷ {describe(whole)} = {bound}{fmt.percent(share)}"
            explanation = "The part is within its whole." if verdict == "consistent" else \
                "The part exceeds its whole."
            hypotheses = [rel.hypothesis] if isinstance(rel.hypothesis, str) and rel.hypothesis else []
            if not same_date:
                months = abs(months_between(whole["period_end"].date(), part["period_end"].date()))
                explanation += f" The figures are {fmt.count(months, 'month')} apart."
                hypotheses.append("the part was already counted in the whole; if it came later, the whole "
                                  "has grown by at least the part.")
            values = {"part": rp, "whole": rw, "share": share}
            ids = (part["claim_id"], whole["claim_id"])
            gp, gw = growth_of.get(part["claim_id"]), growth_of.get(whole["claim_id"])
            if gp is not None and gw is not None:
                p = prior_from_growth(part["value"], gp["value"])
                w = prior_from_growth(whole["value"], gw["value"])
                prior_share = p.value * scale / w.value * 100
                arithmetic += (f"; a year earlier (implied from the growth rates {gp['claim_id']}, "
                               f"{gw['claim_id']}): {fmt.quantity(p.value, part['unit'], derived=True)} ÷ "
                               f"{fmt.quantity(w.value, whole['unit'], derived=True)} = "
                               f"{fmt.percent(prior_share)}")
                values["prior_share"] = prior_share
                ids += (gp["claim_id"], gw["claim_id"])
            found.append(Check(
                kind="part_whole", key=(part["claim_id"], whole["claim_id"]),
                title=f"{ledger.label(rel.metric)} within {in_sentence(ledger.label(rel.object), ledger)}, "
                      f"{part['period_label']}",
                metrics=(rel.metric, rel.object), claim_ids=ids, arithmetic=arithmetic, verdict=verdict,
                explanation=explanation, hypothesis=" Also: ".join(hypotheses), values=values))
    return found


def _rank_components(ledger: Ledger) -> list[Check]:
    found = []
    for overall_metric, rels in ledger.relation("component_of").groupby("object", sort=True):
        components = list(rels["metric"])
        for _, overall in ledger.metric(overall_metric).iterrows():
            comps = []
            for m in components:
                rows = ledger.metric(m)
                rows = rows[(rows["seed"] == overall["seed"]) & (rows["period"] == overall["period"])]
                if rows.empty:
                    break
                comps.append(rows.iloc[0])
            if len(comps) != len(components):
                continue
            readings = [read_claim(c).literal for c in comps]
            bound = rank_bound(readings)
            stated = read_claim(overall).literal
            verdict = "consistent" if stated.overlaps(bound) else "conflict"
            ranks = fmt.join(f"{fmt.ordinal(c['value'])} as {in_sentence(ledger.label(c['metric']), ledger)}"
                             for c in comps)
            ahead = int(bound.high) - 1
            found.append(Check(
                kind="rank_components", key=(overall["claim_id"],),
                title=f"{ledger.label(overall_metric)} against its export and import ranks, {overall['short_name']}",
                metrics=(overall_metric, *components),
                claim_ids=(overall["claim_id"], *(c["claim_id"] for c in comps)),
                arithmetic=(f"{ranks}: at most "
                            f"{' + '.join(f'({fmt.number(r.high)} − 1)' for r in readings)} = "
                            f"{fmt.count(ahead, 'partner')} can be ahead overall, so the overall rank is "
                            f"{fmt.ordinal(bound.low)} to {fmt.ordinal(bound.high)}; stated "
                            f"{fmt.ordinal(overall['value'])}"),
                verdict=verdict,
                explanation=("The overall rank is within the bounds its components allow: a partner ahead "
                             "overall must be ahead in exports or in imports." if verdict == "consistent" else
                             "The overall rank is outside the bounds its components allow."),
                values={"bound": bound}))
    return found
