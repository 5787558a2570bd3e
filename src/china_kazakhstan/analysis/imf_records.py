"""Each flow of goods between two economies in both records, year by year: the IMF's, then the news pages'.

Goods going from China to Kazakhstan are recorded twice, as China's exports (free on board)
and as Kazakhstan's imports (with cost, insurance and freight); goods going the other way as
Kazakhstan's exports and China's imports. :func:`records` puts both records of each direction,
and of the total, side by side for every year of the IMF's files, and continues them with the
news pages' full-year figures (data/external/trade_mirror.csv) for the years after the files
end, marked as the other kind of source: a page quoting the statistics, not the statistics.
"""

from __future__ import annotations

import pandas as pd

from .imf_stats import bilateral
from .mirror_stats import flow_values

#: Direction of the goods -> (the flow in ``a``'s record, the flow in ``b``'s record), in the
#: IMF's codes, for the pair (a, b); "total" is both flows.
DIRECTIONS = {"a_to_b": ("exports_fob", "imports_cif"), "b_to_a": ("imports_cif", "exports_fob"),
              "total": ("total", "total")}
#: The news pages' flows of trade with China, from Kazakhstan's side, per direction (a = China).
NEWS_FLOWS = {"a_to_b": "kz_imports", "b_to_a": "kz_exports", "total": "total"}
COLUMNS = ["year", "direction", "side", "value_usd_billion", "kind", "derived", "estimate", "ref"]


def records(imf: pd.DataFrame, mirror: pd.DataFrame, a: str = "china", b: str = "kazakhstan") -> pd.DataFrame:
    """Both records of each direction of the trade between ``a`` and ``b`` (and of the total), by year.

    Columns: ``year``, ``direction`` (``a_to_b``, ``b_to_a``, ``total``), ``side`` (``a`` or
    ``b``: whose record), ``value_usd_billion``, ``kind`` (``imf`` or ``news_page``), ``derived``
    (a news page's figure worked out from its total less its other flow), ``estimate`` (an IMF
    estimate), ``ref`` (the IMF cells, or the news-page ids). A total is given only when the
    side records both flows. The news pages (whose partner and sides are named ``china`` and
    ``kazakhstan``) come in only for years after the IMF's last year of the pair.
    """
    flows = bilateral(imf, a, b)
    flows = flows[(flows["flow"] != "total") | flows["complete"]]
    rows = []
    for direction, (flow_a, flow_b) in DIRECTIONS.items():
        for side, flow in ((a, flow_a), (b, flow_b)):
            mine = flows[(flows["reporter"] == side) & (flows["flow"] == flow)]
            rows += [{"year": int(r.year), "direction": direction, "side": side,
                      "value_usd_billion": r.value_usd_million / 1000, "kind": "imf", "derived": False,
                      "estimate": bool(r.estimate), "ref": r.source} for r in mine.itertuples()]
    last = int(flows["year"].max()) if len(flows) else 0
    years = sorted({int(p) for p in mirror.loc[mirror["full_year"], "period"] if int(p) > last})
    for year in years:
        for direction, flow in NEWS_FLOWS.items():
            for side in (a, b):
                found = [v for v in flow_values(mirror, side, flow, str(year)) if v["preferred"]]
                rows += [{"year": year, "direction": direction, "side": side, "value_usd_billion": v["value"],
                          "kind": "news_page", "derived": v["derived"], "estimate": False, "ref": v["ids"]}
                         for v in found]
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["direction", "side", "year"]).reset_index(drop=True)


def gaps(frame: pd.DataFrame, a: str = "china", b: str = "kazakhstan") -> pd.DataFrame:
    """The gap between the two records of each direction, by year: ``a``'s record less ``b``'s.

    ``frame`` is :func:`records`; years in which one side has no figure are left out. Columns:
    ``year``, ``direction``, ``gap`` (US$ billion), ``kind``, ``derived`` (either figure
    derived), ``ref`` (both sides' references).
    """
    out = []
    for (year, direction), group in frame.groupby(["year", "direction"], sort=True):
        sides = group.set_index("side")
        if not {a, b} <= set(sides.index):
            continue
        out.append({"year": int(year), "direction": direction,
                    "gap": float(sides.loc[a, "value_usd_billion"] - sides.loc[b, "value_usd_billion"]),
                    "kind": sides.loc[a, "kind"], "derived": bool(group["derived"].any()),
                    "ref": f"{sides.loc[a, 'ref']}; {sides.loc[b, 'ref']}"})
    return pd.DataFrame(out, columns=["year", "direction", "gap", "kind", "derived", "ref"])
