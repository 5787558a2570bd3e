"""Figures and their growth rates, and the earlier period a pair of them implies.

An article that prints a total and its growth rate for the same period also says,
implicitly, what the period a year earlier was: total ÷ (1 + growth). No article states
that earlier figure, so the book computes it, with the range the rounding of both printed
figures allows (:func:`.intervals.prior_from_growth`), and shows it apart from the stated
figures. Which metric is the growth rate of which is read from data/relations.csv.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import fmt
from ..data.periods import parse_period
from .intervals import prior_from_growth

#: The columns of a frame of figures with their growth rates (see :func:`with_growth`).
COLUMNS = ["claim_id", "seed", "short_name", "published_date", "metric", "period", "period_label",
           "period_kind", "year", "full_year", "value", "unit", "qualifier", "attributed_to", "growth",
           "growth_qualifier", "growth_id"]


def shift_period(period: str, years: int) -> str:
    """A period moved by whole years: '2024-01..2024-05', -1 -> '2023-01..2023-05'."""
    return re.sub(r"[0-9]{4}", lambda m: str(int(m.group()) + years), period)


def with_growth(ledger, metric: str) -> pd.DataFrame:
    """Every claim of ``metric``, with the growth rate its own article prints for the same period.

    ``growth`` is empty where the article gives none; ``full_year`` says whether the period
    is a whole calendar year.
    """
    claims = ledger.metric(metric)
    rate_metric = ledger.growth_of(metric)
    rates = ledger.metric(rate_metric) if rate_metric else claims.iloc[0:0]
    rates = rates[["seed", "period", "value", "qualifier", "claim_id"]].rename(
        columns={"value": "growth", "qualifier": "growth_qualifier", "claim_id": "growth_id"})
    frame = claims.merge(rates, on=["seed", "period"], how="left")
    frame["full_year"] = [parse_period(p).kind == "flow" and parse_period(p).start.precision == "year"
                          for p in frame["period"]]
    return frame[COLUMNS].reset_index(drop=True)


def implied_prior(frame: pd.DataFrame) -> pd.DataFrame:
    """For every row with a growth rate: the period a year earlier, its value and rounding range.

    Returns one row per implied figure: ``period``, ``period_label``, ``year``, ``value``,
    ``low``, ``high``, ``formula`` and ``claim_ids`` (the total and its growth rate).
    """
    rows = []
    for r in frame.dropna(subset=["growth"]).itertuples():
        prior = prior_from_growth(r.value, r.growth, value_q=r.qualifier, growth_q=r.growth_qualifier,
                                  decimals=fmt.decimals_for(r.unit))
        period = shift_period(r.period, -1)
        rows.append({"metric": r.metric, "period": period, "period_label": parse_period(period).label(),
                     "year": r.year - 1, "full_year": r.full_year, "value": prior.value,
                     "low": prior.interval.low, "high": prior.interval.high, "formula": prior.formula,
                     "unit": r.unit, "short_name": r.short_name, "claim_ids": f"{r.claim_id}, {r.growth_id}"})
    return pd.DataFrame(rows, columns=["metric", "period", "period_label", "year", "full_year", "value", "low",
                                       "high", "formula", "unit", "short_name", "claim_ids"])
