"""What the news pages' trade figures say (data/external/trade_mirror.csv): the two records, the gap.

Small functions on the frame of :func:`china_kazakhstan.data.mirror.load_trade_mirror`, each one
computation the appendix on outside statistics shows: the ratio of China's record to
Kazakhstan's by period (:func:`ratio_by_period`), the gap flow by flow (:func:`gap_by_flow`,
:func:`gap_location`), the gaps the pages report themselves (:func:`reported_gaps`), China
against Russia in Kazakhstan's figures (:func:`china_vs_russia`), the pages that disagree
(:func:`disagreements`), and the articles' totals against the pages' (:func:`match_values`).

A period or a series often has several pages. Where one value must stand for a side, the rule
is :func:`preferred`: the statistical body's own figure before an official quoting it, a source
the page names before one inferred, then the lower id; every ratio and gap also gives its range
over every pair of pages, so that two pages that disagree both count. Money is in US$ billion,
as the pages give it. Sides and partners are the table's codes (``china``, ``kazakhstan``,
``russia``).
"""

from __future__ import annotations

import pandas as pd

from .intervals import Interval, stated_interval

#: Which row stands for a side when a period has several (lower first).
REPORTER_ORDER = {"china_customs": 0, "china_official": 1, "kazakhstan_statistics": 0,
                  "kazakhstan_official": 1, "analysis": 2}
BASIS_ORDER = {"named by the page": 0, "inferred from context": 1}
SPLIT_FLOWS = ("kz_exports", "kz_imports")


def preferred(rows: pd.DataFrame) -> pd.Series:
    """The row that stands for a side in a period (see the module docstring)."""
    order = rows.assign(_r=rows["reporter"].map(REPORTER_ORDER), _b=rows["reporter_basis"].map(BASIS_ORDER))
    return order.sort_values(["_r", "_b", "id"]).iloc[0]


def totals(mirror: pd.DataFrame, partner: str = "china", side: str | None = None,
           full_year: bool | None = True) -> pd.DataFrame:
    """The pages' totals of trade with ``partner`` in one side's record (or both), oldest first."""
    rows = mirror[(mirror["partner"] == partner) & (mirror["flow"] == "total")]
    if side is not None:
        rows = rows[rows["side"] == side]
    if full_year is not None:
        rows = rows[rows["full_year"] == full_year]
    return rows.sort_values(["period_end", "period_start", "id"])


def ratio_by_period(mirror: pd.DataFrame) -> pd.DataFrame:
    """Every period for which both sides give a total: China's record ÷ Kazakhstan's.

    Columns: ``period``, ``period_label``, ``year``, ``full_year``, ``china_value``/``china_id``
    and ``kz_value``/``kz_id`` (the preferred rows), ``ratio`` of those, ``ratio_low`` and
    ``ratio_high`` over every pair of pages, ``gap`` (China's less Kazakhstan's) and ``ids``
    (every row used). Full years first, then parts of a year, each oldest first.
    """
    both = totals(mirror, full_year=None)
    out = []
    for period, group in both.groupby("period", sort=False):
        china, kaz = group[group["side"] == "china"], group[group["side"] == "kazakhstan"]
        if china.empty or kaz.empty:
            continue
        c, k = preferred(china), preferred(kaz)
        pairs = [a / b for a in china["value"] for b in kaz["value"]]
        out.append({"period": period, "period_label": c["period_label"], "year": int(c["year"]),
                    "full_year": bool(c["full_year"]), "period_end": c["period_end"],
                    "china_value": float(c["value"]), "china_id": c["id"],
                    "kz_value": float(k["value"]), "kz_id": k["id"],
                    "ratio": float(c["value"] / k["value"]), "ratio_low": min(pairs),
                    "ratio_high": max(pairs),
                    "gap": float(c["value"] - k["value"]), "ids": ", ".join([*china["id"], *kaz["id"]])})
    frame = pd.DataFrame(out)
    return frame.sort_values(["full_year", "period_end"], ascending=[False, True]).reset_index(drop=True)


def flow_values(mirror: pd.DataFrame, side: str, flow: str, period: str) -> list[dict]:
    """One side's figures for one flow of trade with China in one period.

    An export or import figure a page does not give is derived from the same page's total less
    its other flow (``derived`` True, ``total`` and ``other`` the two figures used).
    """
    china = mirror[(mirror["partner"] == "china") & (mirror["side"] == side) & (mirror["period"] == period)]
    rows = china[china["flow"] == flow]
    if not rows.empty:
        best = preferred(rows)["id"]
        return [{"value": float(r.value), "ids": r.id, "derived": False, "total": None, "other": None,
                 "preferred": r.id == best} for r in rows.itertuples()]
    if flow not in SPLIT_FLOWS:
        return []
    other = SPLIT_FLOWS[1 - SPLIT_FLOWS.index(flow)]
    found = []
    for _url, page in china.groupby("url", sort=False):
        total, rest = page[page["flow"] == "total"], page[page["flow"] == other]
        if len(total) == 1 and len(rest) == 1:
            t, r = float(total["value"].iloc[0]), float(rest["value"].iloc[0])
            found.append({"value": t - r, "ids": f"{total['id'].iloc[0]}, {rest['id'].iloc[0]}",
                          "derived": True, "total": t, "other": r, "preferred": not found})
    return found


def gap_by_flow(mirror: pd.DataFrame) -> pd.DataFrame:
    """For each full year and flow both sides give: China's record, Kazakhstan's, the gap and ratio.

    Columns: ``year``, ``flow`` (kz_exports, kz_imports, total), ``china_value``, ``china_ids``,
    ``kz_value``, ``kz_ids``, ``kz_derived`` (with ``kz_total``/``kz_other``, the figures it is
    derived from), ``gap``, ``gap_low``/``gap_high`` over every pair of pages, ``ratio``, ``ids``.
    """
    out = []
    for period in sorted(set(mirror.loc[mirror["full_year"], "period"])):
        for flow in (*SPLIT_FLOWS, "total"):
            china = flow_values(mirror, "china", flow, period)
            kaz = flow_values(mirror, "kazakhstan", flow, period)
            if not china or not kaz:
                continue
            c = next(v for v in china if v["preferred"])
            k = next(v for v in kaz if v["preferred"])
            gaps = [a["value"] - b["value"] for a in china for b in kaz]
            ids = dict.fromkeys(i.strip() for v in (*china, *kaz) for i in v["ids"].split(","))
            out.append({"year": int(period), "flow": flow, "china_value": c["value"], "china_ids": c["ids"],
                        "kz_value": k["value"], "kz_ids": k["ids"], "kz_derived": k["derived"],
                        "kz_total": k["total"], "kz_other": k["other"], "gap": c["value"] - k["value"],
                        "gap_low": min(gaps), "gap_high": max(gaps), "ratio": c["value"] / k["value"],
                        "ids": ", ".join(ids)})
    return pd.DataFrame(out)


def gap_location(mirror: pd.DataFrame) -> dict:
    """The latest year both sides split the trade into exports and imports: where the gap sits.

    Returns ``year``, the ``exports`` and ``imports`` rows of :func:`gap_by_flow`, their summed
    gap and the imports' share of it (percent), and ``later_imports``: the last row of a later
    year with imports only (or None).
    """
    gaps = gap_by_flow(mirror)
    split = [y for y, g in gaps.groupby("year") if set(SPLIT_FLOWS) <= set(g["flow"])]
    if not split:
        raise ValueError("no year in which both sides give exports and imports")
    year = max(split)
    rows = gaps[gaps["year"] == year].set_index("flow")
    exports, imports = rows.loc["kz_exports"], rows.loc["kz_imports"]
    later = gaps[(gaps["flow"] == "kz_imports") & (gaps["year"] > year)]
    both = float(exports["gap"] + imports["gap"])
    return {"year": int(year), "exports": exports, "imports": imports, "sum_gap": both,
            "imports_share_pct": float(imports["gap"]) / both * 100,
            "later_imports": later.iloc[-1] if len(later) else None}


def reported_gaps(mirror: pd.DataFrame) -> pd.DataFrame:
    """The gaps the pages report themselves, against the gap in total trade the totals give.

    Columns: ``id``, ``period``, ``period_label``, ``flow`` (kz_imports_gap or total_gap), ``value``,
    ``total_gap`` (China's total less Kazakhstan's, from :func:`ratio_by_period`, or NaN),
    ``china_value``/``kz_value`` (the totals), ``share_pct`` (an import gap as a share of the total
    gap), ``off_by`` (a total gap: how far it is from the totals' gap) and ``same_as`` (the ids
    of import gaps of the same period and value another page reports).
    """
    ratios = ratio_by_period(mirror).set_index("period")
    rows = mirror[mirror["flow"].isin(["kz_imports_gap", "total_gap"])].sort_values(["period", "id"])
    out = []
    for r in rows.itertuples():
        known = r.period in ratios.index
        total_gap = float(ratios.loc[r.period, "gap"]) if known else float("nan")
        same = rows[(rows["period"] == r.period) & (rows["flow"] == "kz_imports_gap")
                    & (rows["value"] == r.value) & (rows["id"] != r.id)]
        imports, whole = r.flow == "kz_imports_gap", r.flow == "total_gap"
        out.append({"id": r.id, "period": r.period, "period_label": r.period_label, "flow": r.flow,
                    "value": float(r.value), "total_gap": total_gap,
                    "china_value": float(ratios.loc[r.period, "china_value"]) if known else float("nan"),
                    "kz_value": float(ratios.loc[r.period, "kz_value"]) if known else float("nan"),
                    "share_pct": r.value / total_gap * 100 if known and imports else float("nan"),
                    "off_by": abs(total_gap - r.value) if known and whole else float("nan"),
                    "same_as": ", ".join(same["id"])})
    return pd.DataFrame(out)


def china_vs_russia(mirror: pd.DataFrame) -> pd.DataFrame:
    """Periods in which Kazakhstan's figures give both China and Russia: who is ahead, by how much.

    ``lead_low``/``lead_high``: China's total less Russia's over every pair of pages; ``ahead``:
    China, Russia, or undecided when the pages leave it open. Full years first, oldest first.
    """
    kaz = mirror[(mirror["side"] == "kazakhstan") & (mirror["flow"] == "total")]
    out = []
    for period, group in kaz.groupby("period", sort=False):
        china, russia = group[group["partner"] == "china"], group[group["partner"] == "russia"]
        if china.empty or russia.empty:
            continue
        leads = [a - b for a in china["value"] for b in russia["value"]]
        ahead = "China" if min(leads) > 0 else "Russia" if max(leads) < 0 else "undecided"
        c, r = preferred(china), preferred(russia)
        out.append({"period": period, "period_label": c["period_label"], "year": int(c["year"]),
                    "full_year": bool(c["full_year"]), "period_end": c["period_end"],
                    "china_value": float(c["value"]), "russia_value": float(r["value"]),
                    "lead_low": min(leads), "lead_high": max(leads), "ahead": ahead,
                    "ids": ", ".join([*china["id"], *russia["id"]])})
    frame = pd.DataFrame(out)
    return frame.sort_values(["full_year", "period_end"], ascending=[False, True]).reset_index(drop=True)


def first_year_china_ahead(mirror: pd.DataFrame) -> int:
    """The first full year in which China's trade passes Russia's in Kazakhstan's figures."""
    full = china_vs_russia(mirror)
    ahead = full[full["full_year"] & (full["ahead"] == "China")].sort_values("year")
    if ahead.empty:
        raise ValueError("China is never ahead of Russia in the Kazakh figures")
    return int(ahead["year"].iloc[0])


def customs_ahead_years(mirror: pd.DataFrame) -> list[int]:
    """Years in which China's customs total exceeds Russia's trade in Kazakh figures: the ranking
    one would get by mixing the two countries' records (which the articles do not do)."""
    customs = totals(mirror, side="china")
    years = []
    for r in china_vs_russia(mirror).itertuples():
        rows = customs[customs["year"] == r.year]
        if r.full_year and len(rows) and preferred(rows)["value"] > r.russia_value:
            years.append(int(r.year))
    return years


def disagreements(mirror: pd.DataFrame) -> pd.DataFrame:
    """Same series, period and side, different values on different pages: both kept.

    Columns: ``partner``, ``flow``, ``side``, ``period``, ``period_label``, ``low``, ``high``,
    ``spread`` (high − low), ``spread_pct`` (of the lower) and ``ids``.
    """
    out = []
    keys = ["partner", "flow", "side", "period"]
    for (partner, flow, side, period), group in mirror.groupby(keys, sort=False):
        if group["value"].nunique() < 2:
            continue
        low, high = float(group["value"].min()), float(group["value"].max())
        out.append({"partner": partner, "flow": flow, "side": side, "period": period,
                    "period_label": group["period_label"].iloc[0], "low": low, "high": high,
                    "spread": high - low, "spread_pct": (high - low) / low * 100,
                    "ids": ", ".join(sorted(group["id"]))})
    return pd.DataFrame(out).sort_values(["period", "partner", "side"]).reset_index(drop=True)


def match_values(figures: pd.DataFrame, mirror: pd.DataFrame) -> pd.DataFrame:
    """Each of the articles' totals against every page's total of the same period, from either side.

    ``figures`` has ``period``, ``value``, ``low`` and ``high`` (the range its rounding or its
    arithmetic allows) and whatever else the caller keeps (``kind``, ``claim_ids``); one row
    comes out per figure and page, or one with no page (``mirror_id`` empty). ``matches``: the
    article's range overlaps the page's figure read with the rounding of its last printed digit.
    """
    pages = totals(mirror, full_year=None)
    out = []
    for figure in figures.to_dict("records"):
        same = pages[pages["period"] == figure["period"]]
        if same.empty:
            out.append({**figure, "mirror_id": "", "side": "", "reporter": "", "mirror_value": float("nan"),
                        "ratio": float("nan"), "difference": float("nan"), "matches": False})
            continue
        same = same.assign(_s=same["side"].map({"china": 0, "kazakhstan": 1})).sort_values(["_s", "id"])
        for page in same.itertuples():
            read = stated_interval(float(page.value))
            out.append({**figure, "mirror_id": page.id, "side": page.side, "reporter": page.reporter,
                        "mirror_value": float(page.value), "ratio": figure["value"] / page.value,
                        "difference": figure["value"] - page.value,
                        "matches": Interval(figure["low"], figure["high"]).overlaps(read)})
    return pd.DataFrame(out)
