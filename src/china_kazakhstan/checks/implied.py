"""A total with its growth rate implies the year before; set against what another article states.

Which metric is the growth rate of which is read from data/relations.csv (``growth_of``);
a value and its growth rate pair up when one article gives both for the same period.
"""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..analysis.growth import shift_period
from ..analysis.intervals import Interval, growth_between, prior_from_growth
from ..data.ledger import Ledger
from .describe import describe, span
from .model import Check
from .rules import Reading, compare_same, derived, read_claim


def growth_pairs(ledger: Ledger) -> list[tuple[pd.Series, pd.Series]]:
    """(value, growth) claims that one article gives for one period (data/relations.csv growth_of)."""
    pairs = []
    claims = ledger.claims
    for rel in ledger.relation("growth_of").itertuples():
        growth = claims[claims["metric"] == rel.metric].sort_values("claim_id")
        for _, g in growth.iterrows():
            match = claims[(claims["metric"] == rel.object) & (claims["seed"] == g["seed"])
                           & (claims["period"] == g["period"])]
            if len(match) == 1:
                pairs.append((match.iloc[0], g))
    return sorted(pairs, key=lambda p: p[1]["claim_id"])


def checks(ledger: Ledger) -> list[Check]:
    found = []
    for value, growth in growth_pairs(ledger):
        prior = prior_from_growth(value["value"], growth["value"], value_q=value["qualifier"],
                                  growth_q=growth["qualifier"])
        earlier = shift_period(str(value["period"]), -1)
        stated = ledger.metric(value["metric"])
        stated = stated[stated["period"] == earlier]
        decimals = fmt.decimals_for(value["unit"]) or 1
        for _, s in stated.iterrows():
            rs = read_claim(s)
            verdict, literal = compare_same([derived(prior.interval), rs])
            gap = s["value"] - prior.value
            arithmetic = (f"{prior.formula}, range {span(prior.interval, decimals=decimals)} from rounding; "
                          f"stated {describe(s)}, range {span(rs.literal, decimals=decimals + 1)}")
            direction = "above" if gap > 0 else "below"
            if verdict == "consistent":
                explanation = (f"The stated figure is {fmt.number(abs(gap), decimals)} "
                               f"({fmt.percent(abs(gap) / prior.value * 100, 2)}) {direction} the implied "
                               "one, inside the range that the rounding of the value and of the growth rate "
                               "allows.")
                hypothesis = ""
            else:
                explanation = (f"The stated figure lies {fmt.number(abs(gap), decimals)} {direction} the "
                               "implied one, outside the range rounding allows.")
                hypothesis = "a revision between the articles, or different statistical sources."
            found.append(Check(
                kind="implied_prior", key=(value["metric"], s["claim_id"], value["claim_id"], growth["claim_id"]),
                title=f"{ledger.label(value['metric'])}, {s['period_label']}: stated against implied by "
                      "the next year's growth",
                metrics=(value["metric"], growth["metric"]),
                claim_ids=(s["claim_id"], value["claim_id"], growth["claim_id"]),
                arithmetic=arithmetic, verdict=verdict, literal_verdict=literal, explanation=explanation,
                hypothesis=hypothesis,
                values={"implied": prior, "stated": rs, "stated_claim": s["claim_id"]}))
            found.append(_growth_check(ledger, s, value, growth))
    return found


def _growth_check(ledger: Ledger, earlier: pd.Series, later: pd.Series, growth: pd.Series) -> Check:
    change = growth_between(earlier["value"], later["value"], earlier_q=earlier["qualifier"],
                            later_q=later["qualifier"])
    stated = read_claim(growth)

    def factor(i: Interval) -> Interval:
        return Interval(1 + i.low / 100, 1 + i.high / 100)
    verdict, literal = compare_same([derived(factor(change.interval)),
                                     Reading(factor(stated.literal), factor(stated.book))])
    diff = growth["value"] - change.value
    return Check(
        kind="implied_growth", key=(growth["metric"], earlier["claim_id"], later["claim_id"], growth["claim_id"]),
        title=f"{ledger.label(growth['metric'])}, {growth['period_label']}: stated against the two "
              "stated totals",
        metrics=(growth["metric"], later["metric"]),
        claim_ids=(earlier["claim_id"], later["claim_id"], growth["claim_id"]),
        arithmetic=(f"{change.formula}, range {span(change.interval, decimals=1)} % from rounding; stated "
                    f"{fmt.quantity(growth['value'], 'percent')} (range {span(stated.literal)} %)"),
        verdict=verdict, literal_verdict=literal,
        explanation=(f"The stated rate is {fmt.number(abs(diff), 1)} percentage points "
                     f"{'above' if diff > 0 else 'below'} the rate the two totals give"
                     + (", within rounding." if verdict == "consistent" else ", beyond rounding.")),
        hypothesis="" if verdict == "consistent" else "revised totals, or different sources.",
        values={"derived": change, "stated": stated})


def unconfirmed(ledger: Ledger) -> pd.DataFrame:
    """Figures implied by a value and its growth that no article states: nothing to check them against."""
    rows = []
    for value, growth in growth_pairs(ledger):
        earlier = shift_period(str(value["period"]), -1)
        if (ledger.metric(value["metric"])["period"] == earlier).any():
            continue
        prior = prior_from_growth(value["value"], growth["value"], value_q=value["qualifier"],
                                  growth_q=growth["qualifier"])
        rows.append({"metric": value["metric"], "label": ledger.label(value["metric"]),
                     "period": earlier, "unit": value["unit"], "value": prior.value,
                     "interval": prior.interval, "formula": prior.formula,
                     "claim_ids": (value["claim_id"], growth["claim_id"])})
    return pd.DataFrame(rows, columns=["metric", "label", "period", "unit", "value", "interval", "formula",
                                       "claim_ids"])
