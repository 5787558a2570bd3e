"""Part of a year against the previous full year at an even pace.

A figure for January–May can only be set beside a full year by spreading the year
evenly over its days. Trade and traffic are not even over a year, so a part within
:data:`..rules.PACE_TOLERANCE` of that pace is on pace, and a larger gap is put down to
timing, not error. Where the articles give the full year's growth rate, steady growth at
that rate says how much of the gap the growth itself explains.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from .. import fmt
from ..analysis.growth import shift_period
from ..analysis.intervals import Interval, prior_from_growth, stated_interval, steady_growth_share
from ..analysis.selection import prefer_article
from ..data.ledger import Ledger
from ..data.periods import parse_period, period_days
from .describe import span
from .implied import growth_pairs
from .model import Check
from .rules import PACE_TOLERANCE, pace_verdict, read_claim


def _full_year(ledger: Ledger, metric: str, year: int) -> pd.DataFrame:
    rows = ledger.metric(metric)
    return rows[rows["period"] == str(year)]


def _pace(*, key: tuple[str, ...], title: str, metric: str, part: Interval, part_text: str,
          days_part: int, whole_value: float, whole_exact: bool, whole_text: str, days_whole: int,
          claim_ids: tuple[str, ...], metrics: tuple[str, ...], same_year: bool, unit: str,
          hypothesis: str = "", steady: pd.Series | None = None, implied: bool = False) -> Check:
    pace = whole_value * days_part / days_whole
    whole = stated_interval(whole_value, "exact") if whole_exact else Interval(whole_value, whole_value)
    pace_iv = Interval(whole.low * days_part / days_whole, whole.high * days_part / days_whole)
    ratio = Interval(part.low / pace_iv.high, part.high / pace_iv.low if math.isfinite(part.high) else math.inf)
    verdict = pace_verdict(ratio)
    if same_year and part.low > whole.high:
        verdict = "conflict"
    central = part.low if math.isinf(part.high) else (part.low + part.high) / 2
    ratio_text = ("at least " if math.isinf(part.high) else "") + fmt.percent((central / pace - 1) * 100, sign=True)
    arithmetic = (f"{whole_text} × {days_part}/{days_whole} days = "
                  f"{fmt.quantity(pace, unit, derived=True)} at an even pace; {part_text}: {ratio_text} "
                  f"against that pace (tolerance ±{fmt.percent(PACE_TOLERANCE * 100, 0)})")
    if verdict == "consistent":
        explanation = "On pace, within the tolerance for an uneven year."
    elif verdict == "conflict":
        explanation = "The part is larger than the whole it belongs to."
    else:
        explanation = "Off the even pace by more than the tolerance: the year was uneven."
        if steady is None and not hypothesis:
            hypothesis = "growth during the year and the season; the articles give no monthly figures."
    values: dict[str, object] = {}
    if steady is not None:
        fraction = days_part / days_whole
        share = steady_growth_share(steady["value"], fraction)
        expected = share / fraction
        residual = (central / pace) / expected - 1
        values = {"steady_share": share, "steady_ratio": expected, "residual": residual}
        arithmetic += (f"; at a steady {fmt.quantity(steady['value'], 'percent')} a year "
                       f"({steady['claim_id']}) the first {days_part} days hold "
                       f"{fmt.percent(share * 100)} of the year, not {fmt.percent(fraction * 100)}: "
                       f"{fmt.percent((expected - 1) * 100, sign=True)} against the even pace")
        if verdict != "consistent":
            explains = abs(residual) <= PACE_TOLERANCE
            hypothesis = ("the flow grew through the year. Steady growth at the year's own rate puts the "
                          f"part {fmt.percent((expected - 1) * 100, sign=True)} from the even pace, "
                          + ("most of the gap; the season would explain the rest" if explains else
                             "too little to explain the gap; a seasonal or one-off swing is needed")
                          + ". The articles give no monthly figures.")
    return Check(kind="pace", key=key, title=title, metrics=metrics, claim_ids=claim_ids,
                 arithmetic=arithmetic, verdict=verdict, explanation=explanation, hypothesis=hypothesis,
                 values={"implied": implied, "ratio": ratio, "pace": pace, "central_ratio": central / pace, "part": part,
                         "days_part": days_part, "days_whole": days_whole, **values})


def checks(ledger: Ledger) -> list[Check]:
    found = []
    claims = ledger.claims
    growth_of = {v["claim_id"]: g for v, g in growth_pairs(ledger)}
    growth_metrics = set(ledger.relation("growth_of")["metric"])
    partial = claims[(claims["period_kind"] == "range")
                     & (claims["period_start"].dt.year == claims["period_end"].dt.year)
                     & ~claims["metric"].isin(growth_metrics) & ~claims["unit"].isin(["count", "multiple"])]
    for _, part in partial.sort_values("claim_id").iterrows():
        if part["period_start"].month == 1 and part["period_end"].month == 12:
            continue  # a whole year written as a range
        year = int(part["year"])
        wholes = _full_year(ledger, part["metric"], year - 1)
        if wholes.empty:
            continue
        whole = prefer_article(wholes, part["seed"]).iloc[0]
        label = ledger.label(part["metric"])
        days_whole = period_days(str(year - 1))
        whole_text = fmt.quantity(whole["value"], whole["unit"])
        found.append(_pace(
            key=(part["metric"], part["claim_id"], whole["claim_id"]),
            title=f"{label}, {part['period_label']}: against {year - 1} at an even pace",
            metric=part["metric"], part=read_claim(part).literal,
            part_text=f"stated {fmt.quantity(part['value'], part['unit'])}",
            days_part=period_days(str(part["period"])), whole_value=whole["value"], whole_exact=True,
            whole_text=whole_text, days_whole=days_whole, claim_ids=(part["claim_id"], whole["claim_id"]),
            metrics=(part["metric"],), same_year=False, unit=part["unit"]))
        g = growth_of.get(part["claim_id"])
        if g is None:
            continue
        prior = prior_from_growth(part["value"], g["value"], value_q=part["qualifier"], growth_q=g["qualifier"])
        earlier = shift_period(str(part["period"]), -1)
        steady = growth_of.get(whole["claim_id"])
        if steady is None:  # another article's growth rate for the same full year
            rates = ledger.metric(g["metric"])
            rates = rates[rates["period"] == str(year - 1)]
            steady = prefer_article(rates, whole["seed"]).iloc[0] if len(rates) else None
        extra = (steady["claim_id"],) if steady is not None else ()
        found.append(_pace(
            key=(part["metric"], part["claim_id"], g["claim_id"], whole["claim_id"]),
            title=f"{label}, {parse_period(earlier).label()} (implied): against {year - 1} at an even pace",
            metric=part["metric"], part=prior.interval,
            part_text=f"implied {prior.formula} (range {span(prior.interval)})",
            days_part=period_days(earlier), whole_value=whole["value"], whole_exact=True, whole_text=whole_text,
            days_whole=days_whole, claim_ids=(part["claim_id"], g["claim_id"], whole["claim_id"], *extra),
            metrics=(part["metric"], g["metric"]), same_year=True, unit=part["unit"], steady=steady,
            implied=True))
    found += _stock_checks(ledger)
    return found


def _stock_checks(ledger: Ledger) -> list[Check]:
    """A count since the start of a year against the full-year flows that add up to it."""
    found = []
    adds = ledger.relation("adds_up_to")
    for stock_metric, parts in adds.groupby("object", sort=True):
        flow_metrics = list(parts["metric"])
        hypothesis = next((h for h in parts["hypothesis"] if isinstance(h, str) and h), "")
        for _, stock in ledger.metric(stock_metric).iterrows():
            year = int(stock["year"])
            flows = [_full_year(ledger, m, year - 1) for m in flow_metrics]
            if any(f.empty for f in flows):
                continue
            flows = [prefer_article(f, stock["seed"]).iloc[0] for f in flows]
            total = sum(f["value"] for f in flows)
            days_part = (stock["period_end"].date() - date(year, 1, 1)).days + 1
            found.append(_pace(
                key=(stock_metric, stock["claim_id"], *(f["claim_id"] for f in flows)),
                title=f"{ledger.label(stock_metric)}, to {stock['period_label'].removeprefix('as of ')}: "
                      f"against {year - 1} at an even pace",
                metric=stock_metric, part=read_claim(stock).literal,
                part_text=f"stated {fmt.quantity(stock['value'], stock['unit'], stock['qualifier'])}",
                days_part=days_part, whole_value=total, whole_exact=False,
                whole_text="(" + " + ".join(fmt.number(f["value"]) for f in flows) + ")",
                days_whole=period_days(str(year - 1)),
                claim_ids=(stock["claim_id"], *(f["claim_id"] for f in flows)),
                metrics=(stock_metric, *flow_metrics), same_year=False, unit=stock["unit"],
                hypothesis=hypothesis))
    return found
