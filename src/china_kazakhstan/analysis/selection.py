"""Which claim a chapter features when several articles state the same figure.

Tables show every claim; a sentence or a chart that features one value must say which it
took and by which rule, never take whichever row comes first. The rule, in order:

1. the claim whose article names a source for it (``attributed_to``: a customs office, a
   ministry, an official), because a reader can follow it further;
2. the most precise: an exact figure before a hedged one, then the one printed with more
   decimals (31.17 before 31);
3. the most recent article (it may carry a revision);
4. the lowest claim id, so that the choice is deterministic.

:func:`prefer_article` puts one article's own claims first, for arithmetic that pairs a
figure with another from the same article (a total with the growth rate printed beside it).
"""

from __future__ import annotations

import pandas as pd

from .intervals import decimals_of

RULE = ("names its source, then the most precise (exact before hedged, more decimals), then "
        "the most recent article, then the lowest claim id")


def ranked(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims in the order of the rule above, the featured one first."""
    if claims.empty:
        return claims
    attributed = claims["attributed_to"].fillna("").astype(str).str.strip() != ""
    return claims.assign(
        _named=~attributed,
        _hedged=claims["qualifier"] != "exact",
        _decimals=[-decimals_of(v) for v in claims["value"]],
        _published=claims["published_date"],
    ).sort_values(["_named", "_hedged", "_decimals", "_published", "claim_id"],
                  ascending=[True, True, True, False, True]).drop(
        columns=["_named", "_hedged", "_decimals", "_published"])


def featured(claims: pd.DataFrame) -> pd.Series:
    """The one claim a chapter features among claims of the same figure (see the rule above)."""
    if claims.empty:
        raise ValueError("no claim to feature: the selection is empty")
    return ranked(claims).iloc[0]


def prefer_article(claims: pd.DataFrame, seed: str) -> pd.DataFrame:
    """The same claims, those of article ``seed`` first, then in the order of the rule."""
    order = ranked(claims)
    return pd.concat([order[order["seed"] == seed], order[order["seed"] != seed]])
