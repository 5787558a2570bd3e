"""How the IMF's yearly ranks are made, and what each choice changes: the caveats, computed.

The ranks of :func:`.imf_stats.partner_ranks` rest on three choices, each of which could have
been made otherwise; the appendix says what each changes, from these functions:

* separate economies stay separate (Hong Kong, Macao and Taiwan are never added to China's
  mainland): :func:`rank_if_merged` gives the rank an economy would have if they were;
* ties share the better rank: :func:`ties_within` finds the ties among the first ranks;
* a partner with one flow recorded is ranked on it: :func:`one_flow_within` finds such partners
  among the first ranks.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def rank_if_merged(ranks: pd.DataFrame, economy: str, names: Iterable[str]) -> pd.DataFrame:
    """``economy``'s rank each year and measure, as it is and with the partners ``names`` added to it.

    Columns: ``year``, ``measure``, ``rank`` (as ranked), ``merged_rank`` (its rank if the named
    partners' figures were added to its own, every other partner unchanged), ``changes``.
    """
    names = set(names)
    out = []
    for (year, measure), group in ranks.groupby(["year", "measure"], sort=True):
        own = group[group["partner_id"] == economy]
        if own.empty:
            continue
        added = group.loc[group["partner"].isin(names), "value_usd_million"].sum()
        merged = own["value_usd_million"].sum() + added
        others = group[(group["partner_id"] != economy).fillna(True) & ~group["partner"].isin(names)]
        rank = int(own["rank"].iloc[0])
        new = 1 + int((others["value_usd_million"] > merged).sum())
        out.append({"year": int(year), "measure": measure, "rank": rank, "merged_rank": new,
                    "changes": new != rank})
    return pd.DataFrame(out, columns=["year", "measure", "rank", "merged_rank", "changes"])


def ties_within(ranks: pd.DataFrame, top: int) -> pd.DataFrame:
    """Every tie (two or more partners sharing a rank) at one of the first ``top`` ranks."""
    shared = ranks.groupby(["year", "measure", "rank"])["partner"].transform("size") > 1
    return ranks[shared & (ranks["rank"] <= top)]


def one_flow_within(ranks: pd.DataFrame, top: int, measure: str = "total") -> pd.DataFrame:
    """Partners ranked on ``measure`` with only one flow recorded, at one of the first ``top`` ranks."""
    return ranks[(ranks["measure"] == measure) & ~ranks["complete"] & (ranks["rank"] <= top)]
