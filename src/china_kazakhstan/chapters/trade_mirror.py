"""Appendix: the same trade in two countries' statistics (figures from outside the articles).

China's customs and Kazakhstan's statistics record the same goods trade very differently
("mirror statistics"). The articles quote China's customs for the trade values and, for
China's rank among Kazakhstan's partners, follow Kazakhstan's own figures. This module
sets the outside figures of :func:`china_kazakhstan.data.mirror.load_trade_mirror` beside
the articles' own, computes the ratio between the two records, finds where the gap sits
(Kazakhstan's imports rather than its exports), and matches the articles' values and
rank statements to the outside series with the arithmetic and a verdict.

Outside rows are never mixed with ledger rows without saying which is which: every
table here keeps the articles' figures (with links to their quotes) and the outside ones
(with outlet, page date and a link to the page) in separate, labelled columns.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd

from ..analysis.intervals import Interval, decimals_of, stated_interval
from ..data.ledger import Ledger
from ..data.mirror import REPORTER_LABEL, SOURCE_COLUMN, source_html, sources_html
from ..data.periods import parse_period
from ..report import charts as style
from ..report.tables import format_value, html_table, number
from .trade import RANKS, TOTAL, _bn, _ids, _links, largest, stated_totals, trade_series

PARTNER_RANK = RANKS[0]
#: Which row stands for a side when a year has several: the statistical body before an
#: official quoting it, a source the page names before one inferred, then the lower id.
_REPORTER_ORDER = {"china_customs": 0, "china_official": 1,
                   "kazakhstan_statistics": 0, "kazakhstan_official": 1, "analysis": 2}
_BASIS_ORDER = {"named by the page": 0, "inferred from context": 1}
SIDE_LABEL = {"china": "China's records", "kazakhstan": "Kazakhstan's records"}
FLOW_LABEL = {"kz_exports": "Kazakhstan's exports to China", "kz_imports": "Kazakhstan's imports from China",
              "total": "Total trade"}
#: Greys for outside series (style.CONTEXT family), so that the articles' colours stay theirs.
CHINA_GREY = "#3A3A3A"
KAZ_GREY = style.CONTEXT
RUSSIA_GREY = "#B0B0B0"


# ---------------------------------------------------------------- small helpers

def _ratio(value: float) -> str:
    return number(value, 2)


def _bn1(value: float) -> str:
    return _bn(value, 1)


def _n(value: float) -> str:
    """A figure as the page or article printed it: 25.25, 25.2, 41."""
    return number(value)


def _pct(value: float, decimals: int = 0) -> str:
    return f"{number(value, decimals)} %"


def _signed(value: float, decimals: int = 2) -> str:
    """+0.02, −0.03, 0: a difference with a true minus sign."""
    text = number(abs(value), decimals)
    if float(text.replace(",", "")) == 0:
        return "0"
    return ("−" if value < 0 else "+") + text


def _lead_text(low: float, high: float) -> str:
    """Who is ahead in the Kazakh figures, and by how much (a range over the pages)."""
    who = "China" if low > 0 else "Russia" if high < 0 else "neither for certain"
    a, b = sorted((abs(low), abs(high)))
    return f"{who} ahead by {_range_text(a, b, lambda v: number(v, 1))}"


def _preferred(rows: pd.DataFrame) -> pd.Series:
    """The row that stands for a side in a year: see ``_REPORTER_ORDER``."""
    order = rows.assign(_r=rows["reporter"].map(_REPORTER_ORDER),
                        _b=rows["reporter_basis"].map(_BASIS_ORDER))
    return order.sort_values(["_r", "_b", "id"]).iloc[0]


def _values_text(rows: pd.DataFrame) -> str:
    """'25.25 (X09) or 25.2 (X10)'."""
    return " or ".join(f"{_n(r.value)} ({r.id})" for r in rows.itertuples())


def _range_text(low: float, high: float, fmt=_ratio) -> str:
    return fmt(low) if fmt(low) == fmt(high) else f"{fmt(low)}–{fmt(high)}"


def totals(mirror: pd.DataFrame, partner: str = "china", side: str | None = None,
           full_year: bool | None = True) -> pd.DataFrame:
    """Outside totals of trade with one partner, by one side's record (or both)."""
    rows = mirror[(mirror["partner"] == partner) & (mirror["flow"] == "total")]
    if side is not None:
        rows = rows[rows["side"] == side]
    if full_year is not None:
        rows = rows[rows["full_year"] == full_year]
    return rows.sort_values(["period_end", "period_start", "id"])


def outside_rows_display(rows: pd.DataFrame) -> pd.DataFrame:
    """Outside figures as a reader checks them, with outlet, page date and link."""
    return pd.DataFrame({
        "Figure": [f"{FLOW_LABEL.get(f, f.replace('_', ' '))} with {p.title()}"
                   if f in FLOW_LABEL else f"{f.replace('_', ' ').capitalize()}, {p.title()}"
                   for f, p in zip(rows["flow"], rows["partner"], strict=True)],
        "Value": [format_value(v, u) for v, u in zip(rows["value"], rows["unit"], strict=True)],
        "Period": list(rows["period_label"]),
        "Whose record": list(rows["reporter_label"]),
        "Source the page names": [f"{s} ({b})" for s, b in
                                  zip(rows["stat_source"], rows["reporter_basis"], strict=True)],
        SOURCE_COLUMN: [source_html(r) for _, r in rows.iterrows()],
    })


def outside_table(mirror: pd.DataFrame):
    """Every outside figure, oldest period first, each with its page."""
    from IPython.display import HTML

    rows = mirror.sort_values(["period_end", "partner", "flow", "side", "id"])
    return HTML(html_table(outside_rows_display(rows), raw_html_columns=(SOURCE_COLUMN,),
                           numeric_columns=("Value",)))


# ---------------------------------------------------------------- the two records, by year

def ratio_by_period(mirror: pd.DataFrame) -> pd.DataFrame:
    """Periods for which both sides give a total: China's record ÷ Kazakhstan's.

    ``ratio`` is that of the preferred rows (:func:`_preferred`); ``ratio_low`` and
    ``ratio_high`` span every pair of rows, so two pages that disagree both count.
    """
    both = totals(mirror, full_year=None)
    out = []
    for period, group in both.groupby("period", sort=False):
        china, kaz = group[group["side"] == "china"], group[group["side"] == "kazakhstan"]
        if china.empty or kaz.empty:
            continue
        c, k = _preferred(china), _preferred(kaz)
        pairs = [a / b for a in china["value"] for b in kaz["value"]]
        out.append({
            "period": period, "period_label": c["period_label"], "year": int(c["year"]),
            "full_year": bool(c["full_year"]), "period_end": c["period_end"],
            "china_value": c["value"], "china_id": c["id"],
            "kz_value": k["value"], "kz_id": k["id"],
            "china_values": _values_text(china), "kz_values": _values_text(kaz),
            "ratio": c["value"] / k["value"], "ratio_low": min(pairs), "ratio_high": max(pairs),
            "gap": c["value"] - k["value"],
            "arithmetic": f"{_n(c['value'])} ÷ {_n(k['value'])} = {_ratio(c['value'] / k['value'])}",
            "ids": ", ".join([*china["id"], *kaz["id"]]),
        })
    frame = pd.DataFrame(out)
    return frame.sort_values(["full_year", "period_end"], ascending=[False, True]).reset_index(drop=True)


def ratio_table(mirror: pd.DataFrame):
    from IPython.display import HTML

    data = ratio_by_period(mirror)
    rows = mirror.set_index("id")
    shown = pd.DataFrame({
        "Period": [p if f else f"{p} (part of the year)" for p, f in
                   zip(data["period_label"], data["full_year"], strict=True)],
        "China's records (US$ bn)": data["china_values"],
        "Kazakhstan's records (US$ bn)": data["kz_values"],
        "Ratio": [_ratio(r) for r in data["ratio"]],
        "Arithmetic": data["arithmetic"],
        "Ratio over every pair of pages": [_range_text(lo, hi) for lo, hi in
                                           zip(data["ratio_low"], data["ratio_high"], strict=True)],
        SOURCE_COLUMN: [sources_html(rows.loc[[i.strip() for i in ids.split(",")]].reset_index())
                        for ids in data["ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=(SOURCE_COLUMN,),
                           numeric_columns=("Ratio",)))


def _flow_values(mirror: pd.DataFrame, side: str, flow: str, period: str) -> list[dict]:
    """One side's figures for one flow and period; an export or import figure a page does
    not give is derived from the same page's total less its other flow."""
    rows = mirror[(mirror["partner"] == "china") & (mirror["side"] == side)
                  & (mirror["flow"] == flow) & (mirror["period"] == period)]
    if not rows.empty:
        best = _preferred(rows)
        return [{"value": r.value, "ids": r.id, "derived": False, "formula": "stated by the page",
                 "preferred": r.id == best["id"]} for r in rows.itertuples()]
    if flow not in ("kz_exports", "kz_imports"):
        return []
    other = "kz_imports" if flow == "kz_exports" else "kz_exports"
    found = []
    same = mirror[(mirror["partner"] == "china") & (mirror["side"] == side) & (mirror["period"] == period)]
    for _url, page in same.groupby("url", sort=False):
        total, rest = page[page["flow"] == "total"], page[page["flow"] == other]
        if len(total) == 1 and len(rest) == 1:
            t, r = total.iloc[0], rest.iloc[0]
            value = t["value"] - r["value"]
            found.append({"value": value, "ids": f"{t['id']}, {r['id']}", "derived": True,
                          "formula": f"{_n(t['value'])} − {_n(r['value'])} = {number(value, 1)} "
                                     f"(total less {'imports' if other == 'kz_imports' else 'exports'}, "
                                     "same page)",
                          "preferred": not found})
    return found


def gap_by_flow(mirror: pd.DataFrame) -> pd.DataFrame:
    """For each year both sides give a flow: China's record, Kazakhstan's, gap and ratio."""
    out = []
    periods = sorted(set(mirror.loc[mirror["full_year"], "period"]))
    for period in periods:
        for flow in ("kz_exports", "kz_imports", "total"):
            china = _flow_values(mirror, "china", flow, period)
            kaz = _flow_values(mirror, "kazakhstan", flow, period)
            if not china or not kaz:
                continue
            c = next(v for v in china if v["preferred"])
            k = next(v for v in kaz if v["preferred"])
            gaps = [a["value"] - b["value"] for a in china for b in kaz]
            out.append({
                "period": period, "year": int(period), "flow": flow,
                "china_value": c["value"], "china_ids": c["ids"], "china_derived": c["derived"],
                "kz_value": k["value"], "kz_ids": k["ids"], "kz_derived": k["derived"],
                "kz_formula": k["formula"], "china_formula": c["formula"],
                "gap": c["value"] - k["value"], "gap_low": min(gaps), "gap_high": max(gaps),
                "ratio": c["value"] / k["value"],
                "arithmetic": f"{_n(c['value'])} − {number(k['value'], 1 if k['derived'] else None)} = "
                              f"{number(c['value'] - k['value'], 2)}; ratio "
                              f"{_ratio(c['value'] / k['value'])}",
                "all_ids": ", ".join(dict.fromkeys(i.strip() for v in (*china, *kaz)
                                                   for i in v["ids"].split(","))),
            })
    return pd.DataFrame(out)


def gap_location(mirror: pd.DataFrame) -> dict[str, object]:
    """The latest year both sides split trade into exports and imports: where the gap sits."""
    gaps = gap_by_flow(mirror)
    split_years = [y for y, g in gaps.groupby("year")
                   if {"kz_exports", "kz_imports"} <= set(g["flow"])]
    if not split_years:
        raise ValueError("no year in which both sides give exports and imports")
    year = max(split_years)
    g = gaps[gaps["year"] == year].set_index("flow")
    exports, imports = g.loc["kz_exports"], g.loc["kz_imports"]
    both = exports["gap"] + imports["gap"]
    later = gaps[(gaps["flow"] == "kz_imports") & (gaps["year"] > year)]
    return {"year": year, "exports": exports, "imports": imports, "sum_gap": both,
            "imports_share_pct": imports["gap"] / both * 100,
            "later_imports": later.iloc[-1] if len(later) else None}


def reported_gaps(mirror: pd.DataFrame) -> pd.DataFrame:
    """Gaps the pages report themselves, read against the gap in total trade the totals give."""
    ratios = ratio_by_period(mirror).set_index("period")
    rows = mirror[mirror["flow"].isin(["kz_imports_gap", "total_gap"])].sort_values(["period", "id"])
    out = []
    for r in rows.itertuples():
        computed = ratios.loc[r.period] if r.period in ratios.index else None
        total_gap = None if computed is None else computed["gap"]
        share = None
        if computed is None:
            reading = "no totals from both sides for this period"
        elif r.flow == "kz_imports_gap":
            share = r.value / total_gap * 100
            reading = f"{_pct(share)} of the gap in total trade sits on Kazakh imports"
        else:
            same = rows[(rows["period"] == r.period) & (rows["flow"] == "kz_imports_gap")
                        & (rows["value"] == r.value)]
            reading = (f"disagrees with the totals by {_bn(abs(total_gap - r.value))}")
            if len(same):
                reading += (f"; equals the gap on imports another page reports ({', '.join(same['id'])}), "
                            "so it may be that gap")
        out.append({
            "id": r.id, "period": r.period, "period_label": r.period_label, "flow": r.flow,
            "value": r.value, "reporter_label": r.reporter_label, "total_gap": total_gap,
            "total_gap_arithmetic": None if computed is None else
            f"{_n(computed['china_value'])} − {_n(computed['kz_value'])} = {number(total_gap, 2)}",
            "share_pct": share, "reading": reading,
        })
    return pd.DataFrame(out)


def gap_table(mirror: pd.DataFrame):
    """Exports, imports and total trade in each side's record, with the gap and its arithmetic."""
    from IPython.display import HTML

    data = gap_by_flow(mirror)
    rows = mirror.set_index("id")
    shown = pd.DataFrame({
        "Year": [str(y) for y in data["year"]],
        "Flow": [FLOW_LABEL[f] for f in data["flow"]],
        "China's record": [_bn1(v) for v in data["china_value"]],
        "Kazakhstan's record": [_bn1(v) + (" (derived)" if d else "") for v, d in
                                zip(data["kz_value"], data["kz_derived"], strict=True)],
        "Gap (China's less Kazakhstan's)": [_bn1(v) for v in data["gap"]],
        "Arithmetic": [a if not d else f"{a}; Kazakh figure: {f}" for a, d, f in
                       zip(data["arithmetic"], data["kz_derived"], data["kz_formula"], strict=True)],
        SOURCE_COLUMN: [sources_html(rows.loc[[i.strip() for i in ids.split(",")]].reset_index())
                        for ids in data["all_ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=(SOURCE_COLUMN,),
                           numeric_columns=("China's record", "Kazakhstan's record",
                                            "Gap (China's less Kazakhstan's)")))


def reported_gaps_table(mirror: pd.DataFrame):
    from IPython.display import HTML

    data = reported_gaps(mirror)
    rows = mirror.set_index("id")
    shown = pd.DataFrame({
        "Year": list(data["period_label"]),
        "Gap the page reports": [f"{_bn1(v)} ({'on imports' if f == 'kz_imports_gap' else 'on total trade'}, "
                                 f"{w})" for v, f, w in
                                 zip(data["value"], data["flow"], data["reporter_label"], strict=True)],
        "Gap in total trade from the totals above": [
            "" if pd.isna(g) else f"{_bn(g)} ({a})" for g, a in
            zip(data["total_gap"], data["total_gap_arithmetic"], strict=True)],
        "Reading": list(data["reading"]),
        SOURCE_COLUMN: [source_html(rows.loc[i:i].reset_index().iloc[0]) for i in data["id"]],
    })
    return HTML(html_table(shown, raw_html_columns=(SOURCE_COLUMN,)))


# ---------------------------------------------------------------- China against Russia

def china_vs_russia(mirror: pd.DataFrame) -> pd.DataFrame:
    """Periods where Kazakh figures give both China and Russia: who is ahead, by how much."""
    kaz = mirror[(mirror["side"] == "kazakhstan") & (mirror["flow"] == "total")]
    out = []
    for period, group in kaz.groupby("period", sort=False):
        china, russia = group[group["partner"] == "china"], group[group["partner"] == "russia"]
        if china.empty or russia.empty:
            continue
        leads = [c - r for c in china["value"] for r in russia["value"]]
        if min(leads) > 0:
            ahead = "China"
        elif max(leads) < 0:
            ahead = "Russia"
        else:
            ahead = "undecided"
        c, r = _preferred(china), _preferred(russia)
        out.append({
            "period": period, "period_label": c["period_label"], "year": int(c["year"]),
            "full_year": bool(c["full_year"]), "period_end": c["period_end"],
            "china_values": _values_text(china), "russia_values": _values_text(russia),
            "china_value": c["value"], "russia_value": r["value"],
            "lead_low": min(leads), "lead_high": max(leads), "ahead": ahead,
            "arithmetic": f"{_n(c['value'])} − {_n(r['value'])} = {_signed(c['value'] - r['value'], 1)}",
            "ids": ", ".join([*china["id"], *russia["id"]]),
        })
    frame = pd.DataFrame(out)
    return frame.sort_values(["full_year", "period_end"], ascending=[False, True]).reset_index(drop=True)


def first_year_china_ahead(mirror: pd.DataFrame) -> int:
    """The first full year in which China's trade passes Russia's in Kazakhstan's figures."""
    full = china_vs_russia(mirror)
    full = full[full["full_year"]].sort_values("year")
    ahead = full[full["ahead"] == "China"]
    if ahead.empty:
        raise ValueError("China is never ahead of Russia in the Kazakh figures")
    return int(ahead["year"].iloc[0])


def customs_ahead_years(mirror: pd.DataFrame) -> list[int]:
    """Years in which China's customs total exceeds Russia's trade in Kazakh figures: the
    ranking one would get by (wrongly) mixing the two countries' records."""
    versus = china_vs_russia(mirror)
    customs = totals(mirror, side="china")
    years = []
    for r in versus[versus["full_year"]].itertuples():
        c = customs[customs["year"] == r.year]
        if len(c) and _preferred(c)["value"] > r.russia_value:
            years.append(int(r.year))
    return years


def disagreements(mirror: pd.DataFrame) -> pd.DataFrame:
    """Same series, same period, same side, different values on different pages: both kept."""
    out = []
    keys = ["partner", "flow", "side", "period"]
    for (partner, flow, side, period), group in mirror.groupby(keys, sort=False):
        if group["value"].nunique() < 2:
            continue
        group = group.sort_values("id")
        low, high = group["value"].min(), group["value"].max()
        out.append({"partner": partner, "flow": flow, "side": side, "period": period,
                    "period_label": group["period_label"].iloc[0], "values": _values_text(group),
                    "spread": high - low, "spread_pct": (high - low) / low * 100,
                    "ids": ", ".join(group["id"])})
    return pd.DataFrame(out).sort_values(["period", "partner", "side"]).reset_index(drop=True)


def disagreement_table(mirror: pd.DataFrame):
    from IPython.display import HTML

    data = disagreements(mirror)
    rows = mirror.set_index("id")
    shown = pd.DataFrame({
        "Period": list(data["period_label"]),
        "Series": [f"{FLOW_LABEL.get(f, f)} with {p.title()}, {SIDE_LABEL.get(s, s)}" for f, p, s in
                   zip(data["flow"], data["partner"], data["side"], strict=True)],
        "Values the pages give (US$ bn)": list(data["values"]),
        "Spread": [f"{_bn(s)} ({number(p, 1)} %)" for s, p in
                   zip(data["spread"], data["spread_pct"], strict=True)],
        SOURCE_COLUMN: [sources_html(rows.loc[[i.strip() for i in ids.split(",")]].reset_index())
                        for ids in data["ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=(SOURCE_COLUMN,), numeric_columns=("Spread",)))


def outside_pages(mirror: pd.DataFrame):
    """Every outside page once: outlet, date, address, and the rows read from it."""
    from IPython.display import HTML

    items = []
    pages = mirror.sort_values("id").groupby("url", sort=False)
    for url, group in pages:
        first = group.iloc[0]
        items.append(f"<li>{html.escape(first['outlet'])}, {html.escape(first['page_date_label'])}: "
                     f'<a class="external-source" href="{html.escape(url, quote=True)}" rel="noopener">'
                     f"{html.escape(url)}</a> (rows {', '.join(group['id'])})</li>")
    return HTML(f'<ul class="outside-sources">{"".join(items)}</ul>')


# ---------------------------------------------------------------- the articles against the outside series

def _article_groups(ledger: Ledger) -> pd.DataFrame:
    """The articles' goods-trade values, stated and derived; equal figures of the same
    period and kind (two articles giving the same total) are one row with both ids."""
    series = trade_series(ledger)
    out = []
    for (period, kind, value), group in series.groupby(["period", "kind", "value"], sort=False):
        first = group.iloc[0]
        out.append({"period": period, "period_label": first["period_label"], "year": int(first["year"]),
                    "full_year": bool(first["full_year"]), "kind": kind, "value": value,
                    "low": group["low"].max(), "high": group["high"].min(),
                    "basis": first["basis"], "articles": "; ".join(dict.fromkeys(group["article"])),
                    "claim_ids": ", ".join(dict.fromkeys(_ids(group["claim_ids"])))})
    return pd.DataFrame(out).sort_values(["year", "full_year", "kind"]).reset_index(drop=True)


def _verdict(article: Interval, value: float, outside: float) -> tuple[str, str]:
    """(verdict, arithmetic) for one article figure against one outside figure."""
    out = stated_interval(outside)
    diff = value - outside
    pct = diff / outside * 100
    shown = _n(value) if decimals_of(value) <= 2 else number(value, 2)
    text = (f"{shown} − {_n(outside)} = {_signed(diff)} ({_signed(pct, 1)} %); {_n(outside)} as printed "
            f"stands for {number(out.low, 3)}–{number(out.high, 3)}")
    if article.overlaps(out):
        return "matches, within rounding", text
    if abs(pct) < 1:
        return "close: within 1 %, but beyond rounding", text
    return (f"does not match: the articles' figure is {_ratio(value / outside)} times this one",
            f"{shown} ÷ {_n(outside)} = {_ratio(value / outside)}")


def match_article_values(ledger: Ledger, mirror: pd.DataFrame) -> pd.DataFrame:
    """Each goods-trade value of the articles (stated, or derived from a growth rate) against
    every outside total of the same period, from either side, with verdict and arithmetic.

    A stated value is allowed the rounding of its last printed digit, a derived one its
    derived interval (:mod:`..derive`); the outside figure the rounding of its own.
    """
    outside = totals(mirror, full_year=None)
    out = []
    for a in _article_groups(ledger).itertuples():
        interval = Interval(a.low, a.high)
        base = {"period": a.period, "period_label": a.period_label, "year": a.year, "kind": a.kind,
                "article_value": a.value, "article_low": a.low, "article_high": a.high,
                "basis": a.basis, "articles": a.articles, "claim_ids": a.claim_ids}
        same = outside[outside["period"] == a.period]
        if same.empty:
            out.append({**base, "mirror_id": None, "side": None, "reporter": None, "mirror_value": math.nan,
                        "difference": math.nan, "difference_pct": math.nan, "ratio": math.nan,
                        "verdict": "no outside figure for this period", "arithmetic": ""})
            continue
        same = same.assign(_s=same["side"].map({"china": 0, "kazakhstan": 1}))
        for m in same.sort_values(["_s", "id"]).itertuples():
            verdict, arithmetic = _verdict(interval, a.value, m.value)
            if a.kind == "derived" and not verdict.startswith("does not"):
                arithmetic += f"; the derived figure's range is {number(a.low, 3)}–{number(a.high, 3)}"
            out.append({**base, "mirror_id": m.id, "side": m.side, "reporter": m.reporter,
                        "mirror_value": m.value, "difference": a.value - m.value,
                        "difference_pct": (a.value - m.value) / m.value * 100,
                        "ratio": a.value / m.value, "verdict": verdict, "arithmetic": arithmetic})
    return pd.DataFrame(out)


def match_table(ledger: Ledger, mirror: pd.DataFrame):
    """The matching, with the articles' side and the outside side in separate columns."""
    from IPython.display import HTML

    data = match_article_values(ledger, mirror)
    rows = mirror.set_index("id")
    shown = pd.DataFrame({
        "Period": list(data["period_label"]),
        "The articles' figure": [
            f"{_bn(v, 2)} ({'stated' if k == 'stated' else 'derived: ' + b})"
            for v, k, b in zip(data["article_value"], data["kind"], data["basis"], strict=True)],
        "Ledger rows": [_links(ids) for ids in data["claim_ids"]],
        "Outside figure": ["" if pd.isna(v) else f"{_bn(v, 2)}, {REPORTER_LABEL[r]}"
                           for v, r in zip(data["mirror_value"], data["reporter"], strict=True)],
        "Verdict": list(data["verdict"]),
        "Arithmetic": list(data["arithmetic"]),
        SOURCE_COLUMN: ["" if not isinstance(i, str) else source_html(rows.loc[i:i].reset_index().iloc[0])
                        for i in data["mirror_id"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Ledger rows", SOURCE_COLUMN)))


def _rank_years(claim: pd.Series, full: pd.DataFrame) -> tuple[list[int], str]:
    """The full years a rank statement covers, among those with China and Russia in Kazakh figures.

    A statement for a year covers that year. One "as of" a date covers the last full year
    before it; one that holds "for years" covers every full year before it with figures.
    """
    period = parse_period(claim["period"])
    years = sorted(full["year"])
    if period.kind == "flow" and period.start.precision == "year":
        return ([period.year] if period.year in years else []), f"said of {period.year}"
    before = [y for y in years if y < period.end_date.year]
    if "for years" in claim["quote"]:
        return before, f"said to hold “for years” up to {period.end.label()}: every full year before it"
    return before[-1:], f"said of {period.end.label()}: the last full year before it"


def rank_check(ledger: Ledger, mirror: pd.DataFrame) -> pd.DataFrame:
    """Each statement of China's rank as Kazakhstan's trading partner against China and
    Russia in Kazakhstan's figures, for the years it covers; and what China's customs
    figure would say instead (a mixing of sources the articles do not make)."""
    claims = ledger.metric(PARTNER_RANK)
    full = china_vs_russia(mirror)
    full = full[full["full_year"]]
    china_customs = totals(mirror, side="china")
    out = []
    for (period, value), group in claims.groupby(["period", "value"], sort=False):
        first = group.iloc[0]
        rank = int(value)
        years, coverage = _rank_years(first, full)
        base = {"period": period, "period_label": first["period_label"], "rank": rank,
                "rank_text": largest(value), "articles": "; ".join(dict.fromkeys(group["short_name"])),
                "claim_ids": ", ".join(group["claim_id"]), "coverage": coverage}
        if not years:
            out.append({**base, "year": None, "ahead": None,
                        "verdict": "no outside figures for the years covered",
                        "arithmetic": "", "ids": "", "customs_vs_russia": ""})
            continue
        for year in years:
            row = full[full["year"] == year].iloc[0]
            if row["ahead"] == "undecided":
                verdict = "undecided: the pages disagree on who is ahead"
            elif (rank == 1) == (row["ahead"] == "China"):
                verdict = "consistent with Kazakhstan's figures"
            else:
                verdict = "not consistent with Kazakhstan's figures"
            if rank > 1 and row["ahead"] == "Russia":
                verdict += " (Russia ahead; the outside table has no third partner to place)"
            customs = china_customs[china_customs["year"] == year]
            if customs.empty:
                mixed = "no figure from China's customs for this year"
            else:
                c = _preferred(customs)
                ahead = "ahead of" if c["value"] > row["russia_value"] else "behind"
                mixed = (f"China's customs {_n(c['value'])} ({c['id']}) would put China {ahead} Russia's "
                         f"{_n(row['russia_value'])}")
            out.append({**base, "year": year, "ahead": row["ahead"], "verdict": verdict,
                        "arithmetic": f"China {row['china_values']} vs Russia {row['russia_values']}: "
                                      f"{_lead_text(row['lead_low'], row['lead_high'])}",
                        "ids": row["ids"], "customs_vs_russia": mixed})
    return pd.DataFrame(out)


def rank_check_table(ledger: Ledger, mirror: pd.DataFrame):
    from IPython.display import HTML

    data = rank_check(ledger, mirror)
    rows = mirror.set_index("id")
    shown = pd.DataFrame({
        "The articles say": [f"{t} trading partner ({c})" for t, c in
                             zip(data["rank_text"], data["coverage"], strict=True)],
        "Ledger rows": [_links(ids) for ids in data["claim_ids"]],
        "Year checked": ["" if pd.isna(y) else str(int(y)) for y in data["year"]],
        "Kazakhstan's figures (US$ bn)": list(data["arithmetic"]),
        "Verdict": list(data["verdict"]),
        "If China's customs were used instead": list(data["customs_vs_russia"]),
        SOURCE_COLUMN: ["" if not ids else sources_html(rows.loc[[i.strip() for i in ids.split(",")]]
                                                        .reset_index()) for ids in data["ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Ledger rows", SOURCE_COLUMN)))


def articles_checked(ledger: Ledger):
    """The ledger rows this appendix sets against outside figures (goods trade, growth, rank)."""
    from ..report.tables import claims_table

    metrics = (TOTAL, "bilateral_goods_trade_growth", PARTNER_RANK)
    rows = ledger.claims[ledger.claims["metric"].isin(metrics)].sort_values(["published_date", "claim_id"])
    return claims_table(rows, ledger.labels)


# ---------------------------------------------------------------- charts

def _runs(years: list[int]) -> list[list[int]]:
    """Consecutive years as runs: a line is drawn only where no year is missing."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _series(ax, rows: pd.DataFrame, *, colour: str, marker: str, linestyle: str, label: str,
            hollow: bool = False) -> None:
    best = {y: _preferred(g)["value"] for y, g in rows.groupby("year")}
    for run in _runs(list(best)):
        if len(run) > 1:
            ax.plot(run, [best[y] for y in run], color=colour, linestyle=linestyle, linewidth=1.6,
                    zorder=2)
    ax.scatter(rows["year"], rows["value"], s=34, marker=marker, zorder=3, linewidths=1.4,
               facecolors="white" if hollow else colour, edgecolors=colour, label=label)


def _mirror_ids(rows: pd.DataFrame) -> str:
    ids = sorted(set(rows["id"]))
    return ", ".join(ids)


def _external_source(rows: pd.DataFrame) -> str:
    return (f"outside pages, not the articles (rows {_mirror_ids(rows)}; outlets, dates and addresses "
            "in the tables below)")


def _plain(text: str) -> str:
    """Text for matplotlib: a dollar sign is a dollar, not the start of mathematics."""
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = 118) -> str:
    """Footer text broken into lines, so that style.finish leaves room for every line."""
    return "\n".join(textwrap.wrap(text, width))


def _finish(fig, *, title: str, subtitle: str, source: str, note: str):
    return style.finish(fig, title=_plain(title), subtitle=_plain(subtitle),
                        source=_plain(_wrap(source)), note=_plain(_wrap(note, 124)))


def mirror_chart(ledger: Ledger, mirror: pd.DataFrame):
    """Both records by year, Russia in Kazakh figures, and the articles' own values on top."""
    china = totals(mirror, side="china")
    kaz = totals(mirror, side="kazakhstan")
    russia = totals(mirror, partner="russia", side="kazakhstan")
    fig, ax = style.new_figure(8.4, 5.4)
    _series(ax, china, colour=CHINA_GREY, marker="s", linestyle="-",
            label="China's records: customs (or a Chinese official)")
    _series(ax, kaz, colour=KAZ_GREY, marker="o", linestyle="--",
            label="Kazakhstan's records: statistics (or a Kazakh official)")
    _series(ax, russia, colour=RUSSIA_GREY, marker="^", linestyle=":", hollow=True,
            label="Kazakhstan–Russia trade, Kazakhstan's records")
    articles = _article_groups(ledger)
    articles = articles[articles["full_year"]]
    stated, derived = articles[articles["kind"] == "stated"], articles[articles["kind"] == "derived"]
    ax.scatter(stated["year"], stated["value"], s=150, marker="*", color=style.STATED, zorder=5,
               edgecolors="white", linewidths=0.6, label="the articles' figure, stated")
    ax.scatter(derived["year"] + 0.18, derived["value"], s=60, marker="D", facecolors="white",
               edgecolors=style.DERIVED, linewidths=1.6, hatch=style.DERIVED_HATCH, zorder=5,
               label="the articles' figure, derived from a stated growth rate")
    for a in stated.itertuples():
        ax.annotate(f"articles: {number(a.value)}", (a.year, a.value), xytext=(-8, 8),
                    textcoords="offset points", ha="right", fontsize=8.5, color=style.STATED)
    ratios = ratio_by_period(mirror)
    full = ratios[ratios["full_year"]]
    for r in full.itertuples():
        ax.annotate("", xy=(r.year - 0.22, r.china_value), xytext=(r.year - 0.22, r.kz_value),
                    arrowprops={"arrowstyle": "<->", "color": style.MUTED, "linewidth": 0.9})
        ax.text(r.year, 2.5, f"×{_ratio(r.ratio)}", ha="center", va="center", fontsize=9,
                color=style.INK, fontweight="bold")
    years = sorted(set(mirror.loc[mirror["full_year"], "year"]))
    ax.set_xticks(range(years[0], years[-1] + 1))
    ax.tick_params(axis="x", labelsize=9)
    ax.set_xlim(years[0] - 0.8, years[-1] + 0.6)
    ax.set_ylim(0, max(mirror.loc[mirror["unit"] == "USD_billion", "value"]) * 1.15)
    ax.set_xlabel("Year")
    ax.set_ylabel("Goods trade (US$ billion)")
    ax.legend(loc="upper left", fontsize=8.5)
    low, high = full["ratio"].min(), full["ratio"].max()
    ids = _ids(articles["claim_ids"])
    names = ledger.claims.set_index("claim_id").loc[ids, "short_name"]
    shown = pd.concat([china, kaz, russia])
    return _finish(
        fig,
        title=f"China records {_ratio(low)}–{_ratio(high)} times the trade Kazakhstan records",
        subtitle="China–Kazakhstan goods trade in each country's records, with Russia and the "
                 "articles (US$ billion)",
        source=f"{_external_source(shown)}; the articles: {style.source_line(names, ids)}",
        note="where two pages give a year, both points are drawn and the line follows the statistical "
             "body's figure; no line across missing years; arrows and ×: China's record ÷ Kazakhstan's, "
             "by year.")


def gap_chart(mirror: pd.DataFrame):
    """Exports and imports in each side's record: the gap sits on Kazakhstan's imports."""
    gaps = gap_by_flow(mirror)
    gaps = gaps[gaps["flow"] != "total"].reset_index(drop=True)
    fig, ax = style.new_figure(8.4, 4.8)
    width = 0.38
    labels = []
    for i, g in enumerate(gaps.itertuples()):
        labels.append(f"{FLOW_LABEL[g.flow].replace(' from China', '').replace(' to China', '')}\n{g.year}")
        ax.bar(i - width / 2, g.china_value, width * 0.95, color=CHINA_GREY,
               label="China's records" if i == 0 else None)
        kw = ({"color": "white", "edgecolor": style.DERIVED, "hatch": style.DERIVED_HATCH}
              if g.kz_derived else {"color": KAZ_GREY, "edgecolor": KAZ_GREY})
        ax.bar(i + width / 2, g.kz_value, width * 0.95, linewidth=1.2,
               label=("Kazakhstan's records, derived (total less exports, same page)" if g.kz_derived
                      else "Kazakhstan's records") if not (g.kz_derived and i > 2) else None, **kw)
        for x, v, d in ((i - width / 2, g.china_value, 1), (i + width / 2, g.kz_value, 1)):
            ax.annotate(number(v, d), (x, v), xytext=(0, 2), textcoords="offset points", ha="center",
                        va="bottom", fontsize=8.5)
        ax.annotate(f"gap {number(g.gap, 1)}\n(×{_ratio(g.ratio)})",
                    (i, max(g.china_value, g.kz_value)), xytext=(0, 16), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8.5, color=style.INK, fontweight="bold")
    ax.set_xticks(range(len(gaps)), labels)
    ax.set_ylim(0, gaps[["china_value", "kz_value"]].max().max() * 1.65)
    ax.set_ylabel("US$ billion")
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="upper left", fontsize=8.5)
    loc = gap_location(mirror)
    ids = [i.strip() for chunk in gaps["all_ids"] for i in chunk.split(",")]
    return _finish(
        fig,
        title=f"The gap is on imports: {_bn1(loc['imports']['gap'])} in {loc['year']}, "
              f"against {_bn1(loc['exports']['gap'])} on exports",
        subtitle="Kazakhstan's exports to and imports from China in each country's records (US$ billion)",
        source=_external_source(mirror[mirror["id"].isin(ids)]),
        note="gap = China's record less Kazakhstan's; ×: ratio of the two; hatched: derived from the same "
             "page's total less its exports.")


def mirror_source_line(mirror: pd.DataFrame) -> str:
    """The chart footers' list of outside rows (tests check it names every row drawn)."""
    return _external_source(mirror)


# ---------------------------------------------------------------- prose and front page

def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def facts(ledger: Ledger, mirror: pd.DataFrame) -> dict[str, str]:
    """Numbers for the appendix's prose, formatted as a reader writes them."""
    ratios = ratio_by_period(mirror)
    full = ratios[ratios["full_year"]]
    part = ratios[~ratios["full_year"]]
    versus = china_vs_russia(mirror)
    versus_full = versus[versus["full_year"]].sort_values("year")
    first = first_year_china_ahead(mirror)
    passed = versus_full[versus_full["year"] == first].iloc[0]
    before = versus_full[versus_full["year"] < first]
    loc = gap_location(mirror)
    later = loc["later_imports"]
    reported = reported_gaps(mirror)
    matches = match_article_values(ledger, mirror)
    china_m = matches[matches["side"] == "china"]
    kaz_m = matches[matches["side"] == "kazakhstan"]
    stated_china = china_m[china_m["kind"] == "stated"]
    checks = rank_check(ledger, mirror)
    checked = checks[checks["year"].notna()]
    totals_ = stated_totals(ledger)
    imports_gaps = reported[reported["flow"] == "kz_imports_gap"]
    total_gaps = reported[reported["flow"] == "total_gap"]
    facts_ = {
        "n_outside": str(len(mirror)),
        "n_pages": str(mirror["url"].nunique()),
        "n_outlets": str(mirror["outlet"].nunique()),
        "first_year": str(int(mirror["year"].min())),
        "last_year": str(int(mirror["year"].max())),
        "ratio_low": _ratio(full["ratio"].min()),
        "ratio_high": _ratio(full["ratio"].max()),
        "ratio_years": _join([f"{_ratio(r.ratio)} in {r.year}" for r in full.itertuples()]),
        "n_ratio_years": str(len(full)),
        "ratio_part": _join([f"{_ratio(r.ratio)} for {r.period_label}" for r in part.itertuples()])
        if len(part) else "none",
        "latest_ratio_year": str(int(full["year"].max())),
        "latest_china": f"US${_n(full.iloc[-1]['china_value'])} bn",
        "latest_kz": _bn1(full.iloc[-1]["kz_value"]),
        "latest_ratio": _ratio(full.iloc[-1]["ratio"]),
        "first_china_ahead": str(first),
        "china_ahead_china": _bn1(passed["china_value"]),
        "china_ahead_russia": _bn1(passed["russia_value"]),
        "russia_ahead_years": _join([str(y) for y in before["year"]]) if len(before) else "no earlier year",
        "russia_lead_before": _join([
            f"US${_range_text(-r.lead_high, -r.lead_low, lambda v: number(v, 1))} bn in {r.year}"
            for r in before.itertuples()]) if len(before) else "",
        "gap_year": str(loc["year"]),
        "imports_gap": _bn1(loc["imports"]["gap"]),
        "imports_ratio": _ratio(loc["imports"]["ratio"]),
        "imports_china": _bn1(loc["imports"]["china_value"]),
        "imports_kz": _bn1(loc["imports"]["kz_value"]),
        "imports_kz_formula": loc["imports"]["kz_formula"],
        "exports_gap": _bn1(loc["exports"]["gap"]),
        "exports_ratio": _ratio(loc["exports"]["ratio"]),
        "imports_share": _pct(loc["imports_share_pct"]),
        "later_imports_year": "" if later is None else str(later["year"]),
        "later_imports_gap": "" if later is None else _bn1(later["gap"]),
        "later_imports_ratio": "" if later is None else _ratio(later["ratio"]),
        "reported_import_gaps": _join([f"{_bn1(r.value)} in {r.period_label} ({_pct(r.share_pct)} of "
                                       f"the {_bn(r.total_gap)} gap in total trade)"
                                       for r in imports_gaps.itertuples()]),
        "stated_gap": "" if total_gaps.empty else _bn1(total_gaps.iloc[0]["value"]),
        "stated_gap_id": "" if total_gaps.empty else total_gaps.iloc[0]["id"],
        "stated_gap_who": "" if total_gaps.empty else
        mirror.set_index("id").loc[total_gaps.iloc[0]["id"], "stat_source"] + ", as "
        + mirror.set_index("id").loc[total_gaps.iloc[0]["id"], "outlet"] + " reports it",
        "stated_gap_year": "" if total_gaps.empty else total_gaps.iloc[0]["period_label"],
        "stated_gap_totals": "" if total_gaps.empty else _bn(total_gaps.iloc[0]["total_gap"]),
        "stated_gap_reading": "" if total_gaps.empty else total_gaps.iloc[0]["reading"],
        "n_article_values": str(len(stated_china.drop_duplicates("claim_ids"))),
        "n_article_matched": str(stated_china[stated_china["verdict"].str.startswith("matches")]
                                 ["claim_ids"].nunique()),
        "article_2022": _bn(totals_[totals_["period"] == "2022"].iloc[0]["value"]),
        "kz_ratio_low": _ratio(kaz_m[kaz_m["kind"] == "stated"]["ratio"].min()),
        "kz_ratio_high": _ratio(kaz_m[kaz_m["kind"] == "stated"]["ratio"].max()),
        "n_rank_statements": str(len(set(_ids(checks["claim_ids"])))),
        "n_rank_consistent": str(len(set(_ids(checked[checked["verdict"].str.startswith("consistent")]
                                              ["claim_ids"])))),
        "n_rank_inconsistent": str(len(set(_ids(checked[checked["verdict"].str.startswith("not")]
                                                ["claim_ids"])))),
        "n_rank_checked": str(len(set(_ids(checked["claim_ids"])))),
    }
    if len(checked) and (checked["verdict"].str.startswith("consistent")).all():
        facts_["rank_conclusion"] = ("Every rank statement checked agrees with Kazakhstan's figures for the "
                                     "years it covers")
    else:
        facts_["rank_conclusion"] = (f"Only {facts_['n_rank_consistent']} of the {facts_['n_rank_checked']} "
                                     "rank statements checked agree with Kazakhstan's figures")
    customs_years = customs_ahead_years(mirror)
    facts_["customs_ahead_years"] = _join([str(y) for y in customs_years]) if customs_years else "no year"
    gaps_ = disagreements(mirror)
    facts_["n_disagreements"] = str(len(gaps_))
    facts_["max_disagreement"] = f"{number(gaps_['spread_pct'].max(), 1)} %"
    widest = full.assign(w=full["ratio_high"] - full["ratio_low"]).sort_values("w").iloc[-1]
    facts_["widest_ratio_year"] = str(widest["year"])
    facts_["widest_ratio_range"] = _range_text(widest["ratio_low"], widest["ratio_high"])
    derived = matches[(matches["kind"] == "derived") & (matches["side"] == "china")]
    facts_["derived_matches"] = _join([
        f"{_bn(r.article_value)} for {r.period_label} "
        f"({r.verdict} against {_n(r.mirror_value)}, {r.mirror_id})"
        for r in derived.itertuples()]) if len(derived) else "none"
    return facts_


def key_figures(ledger: Ledger, mirror: pd.DataFrame | None = None) -> list[dict]:
    """Figures for the introduction page; the outside rows are named as such in the label.

    ``mirror`` defaults to :func:`china_kazakhstan.data.mirror.load_trade_mirror` of the
    ledger's project, so that the introduction can call this like every chapter's.
    """
    if mirror is None:
        from ..data.mirror import load_trade_mirror

        mirror = load_trade_mirror(ledger.root)
    ratios = ratio_by_period(mirror)
    full = ratios[ratios["full_year"]]
    first = first_year_china_ahead(mirror)
    loc = gap_location(mirror)
    claims = ledger.metric(PARTNER_RANK)
    first_rank = claims[claims["value"] == 1]
    return [
        {"label": "China's customs ÷ Kazakhstan's statistics, same trade (outside figures)",
         "value": f"{_ratio(full['ratio'].min())}–{_ratio(full['ratio'].max())}",
         "claim_ids": ", ".join(sorted(ledger.metric(TOTAL)["claim_id"]))},
        {"label": "Year China first passes Russia in Kazakhstan's figures (outside figures)",
         "value": str(first), "claim_ids": ", ".join(sorted(first_rank["claim_id"]))},
        {"label": f"Gap on Kazakh imports from China, {loc['year']} (outside figures)",
         "value": _bn1(loc["imports"]["gap"]),
         "claim_ids": ", ".join(sorted(ledger.metric(TOTAL)["claim_id"]))},
    ]

