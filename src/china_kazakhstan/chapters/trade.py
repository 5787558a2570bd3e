"""Trade: the goods-trade totals, the years their growth rates imply, and China's rank.

Every stated total is paired with the growth rate the same article gives for the same
period; dividing one by one plus the other gives the period a year earlier, which no
article states. Those derived figures come with their rounding interval
(:mod:`..derive`), so that a derived 2022 can be set against the stated 2022 honestly.
"""

from __future__ import annotations

import re

import pandas as pd

from ..analysis.intervals import Interval, growth_between, prior_from_growth, pro_rata, stated_interval
from ..data.ledger import Ledger
from ..data.periods import parse_period
from ..report import charts as style
from ..report.tables import format_value, html_table, number, quote_link

TOTAL = "bilateral_goods_trade"
GROWTH = "bilateral_goods_trade_growth"
AGRI = "agri_products_trade"
AGRI_GROWTH = "agri_products_trade_growth"
RANKS = ("china_rank_as_kz_trading_partner", "china_rank_as_kz_export_destination",
         "china_rank_as_kz_import_source", "china_rank_as_investor_in_kz")
ECOMMERCE = ("aliexpress_rank_online_platform_kz", "kz_alibaba_national_pavilion_order",
             "alibaba_kz_enterprises")
#: Short panel names for the rank chart, in the order of RANKS.
RANK_SHORT = {
    "china_rank_as_kz_trading_partner": "Trading partner",
    "china_rank_as_kz_export_destination": "Destination of Kazakh exports",
    "china_rank_as_kz_import_source": "Source of Kazakh imports",
    "china_rank_as_investor_in_kz": "Investor in Kazakhstan",
}


# ---------------------------------------------------------------- helpers


def shift_period(period: str, years: int) -> str:
    """A ledger period moved by whole years: '2024-01..2024-05', -1 -> '2023-01..2023-05'."""
    return re.sub(r"[0-9]{4}", lambda m: str(int(m.group()) + years), period)


def period_days(period: str) -> int:
    """Days covered by a ledger period: '2024-01..2024-05' -> 152 (2024 is a leap year)."""
    parsed = parse_period(period)
    return (parsed.end_date - parsed.start_date).days + 1


def _bn(value: float, decimals: int = 2) -> str:
    return f"US${number(value, decimals)} bn"


def _pct(value: float, decimals: int = 1) -> str:
    return f"{number(value, decimals)} %"


def _signed_pct(value: float, decimals: int = 1) -> str:
    sign = "+" if value >= 0 else "−"
    return f"{sign}{number(abs(value), decimals)} %"


def _interval_bn(interval: Interval, decimals: int = 2) -> str:
    return f"US${number(interval.low, decimals)}–{number(interval.high, decimals)} bn"


def largest(rank: float, qualifier: str = "exact") -> str:
    """A rank as prose: 1 -> 'largest', 2 -> '2nd-largest', up to 5 -> 'among the 5 largest'."""
    if qualifier == "up_to":
        return f"among the {int(rank)} largest"
    return "largest" if int(rank) == 1 else f"{format_value(rank, 'rank')}-largest"


def _links(ids: str) -> str:
    return ", ".join(quote_link(c.strip()) for c in ids.split(","))


def _ids(ids: pd.Series) -> list[str]:
    return [c.strip() for chunk in ids for c in chunk.split(",")]


# ---------------------------------------------------------------- goods trade

def stated_totals(ledger: Ledger) -> pd.DataFrame:
    """Every stated goods-trade total, with the growth rate its article gives for it (if any)."""
    totals = ledger.metric(TOTAL)
    growth = ledger.metric(GROWTH)
    rows = []
    for claim in totals.itertuples():
        match = growth[(growth["seed"] == claim.seed) & (growth["period"] == claim.period)]
        if len(match) > 1:
            raise ValueError(f"{claim.claim_id}: several growth rates for one total")
        g = match.iloc[0] if len(match) else None
        rows.append({
            "claim_id": claim.claim_id, "period": claim.period, "period_label": claim.period_label,
            "year": claim.year, "full_year": parse_period(claim.period).kind == "flow",
            "value": claim.value, "qualifier": claim.qualifier, "article": claim.short_name,
            "seed": claim.seed, "attributed_to": claim.attributed_to,
            "growth": None if g is None else g["value"],
            "growth_id": None if g is None else g["claim_id"],
        })
    return pd.DataFrame(rows)


def trade_series(ledger: Ledger) -> pd.DataFrame:
    """Stated totals and the earlier periods their growth rates imply, one row each."""
    rows = []
    for t in stated_totals(ledger).itertuples():
        rows.append({"period": t.period, "period_label": t.period_label, "year": t.year,
                     "full_year": t.full_year, "value": t.value, "kind": "stated",
                     "article": t.article, "basis": "stated",
                     "low": stated_interval(t.value, t.qualifier).low,
                     "high": stated_interval(t.value, t.qualifier).high,
                     "claim_ids": t.claim_id})
        if pd.isna(t.growth_id):
            continue
        prior = prior_from_growth(t.value, t.growth, value_q=t.qualifier)
        earlier = shift_period(t.period, -1)
        rows.append({"period": earlier, "period_label": parse_period(earlier).label(),
                     "year": t.year - 1, "full_year": t.full_year, "value": prior.value,
                     "kind": "derived", "article": t.article, "basis": prior.formula,
                     "low": prior.interval.low, "high": prior.interval.high,
                     "claim_ids": f"{t.claim_id}, {t.growth_id}"})
    return pd.DataFrame(rows)


def _stated(ledger: Ledger, period: str, with_growth: bool = True) -> pd.Series:
    """The one stated total of a period that comes with a growth rate (or any, if not asked)."""
    totals = stated_totals(ledger)
    rows = totals[totals["period"] == period]
    if with_growth:
        rows = rows[rows["growth_id"].notna()]
    if rows.empty:
        raise ValueError(f"no stated goods-trade total for {period!r}")
    return rows.iloc[0]


def latest_full_year(ledger: Ledger) -> int:
    totals = stated_totals(ledger)
    return int(totals[totals["full_year"]]["year"].max())


def reconciliation(ledger: Ledger) -> dict[str, object]:
    """The year before the latest full year: stated by one article, implied by another."""
    latest = latest_full_year(ledger)
    later = _stated(ledger, str(latest))
    earlier = _stated(ledger, str(latest - 1))
    implied = prior_from_growth(later["value"], later["growth"])
    stated = stated_interval(earlier["value"], earlier["qualifier"])
    gap = earlier["value"] - implied.value
    growth = growth_between(earlier["value"], later["value"])
    return {
        "later": later, "earlier": earlier, "implied": implied,
        "stated_interval": stated,
        "later_interval": stated_interval(later["value"], later["qualifier"]),
        "growth_interval": stated_interval(later["growth"]),
        "gap": gap, "gap_pct": gap / implied.value * 100,
        "closes": implied.interval.overlaps(stated),
        "levels_growth": growth,
        "growth_closes": growth.interval.overlaps(stated_interval(later["growth"])),
    }


def partial_year(ledger: Ledger) -> dict[str, object]:
    """Jan–May of the latest year: the prior Jan–May implied, and the full-year pace compared."""
    totals = stated_totals(ledger)
    part = totals[~totals["full_year"] & totals["growth_id"].notna()].iloc[0]
    year = int(part["year"])
    whole = totals[totals["full_year"] & (totals["year"] == year - 1)]
    # The article that gives the part also gives the previous full year, if any: prefer it.
    whole = whole.sort_values("seed", key=lambda s: s != part["seed"]).iloc[0]
    earlier = prior_from_growth(part["value"], part["growth"])
    days_now = period_days(part["period"])
    earlier_period = shift_period(part["period"], -1)
    days_then = period_days(earlier_period)
    days_whole = period_days(str(year - 1))
    # In US$ million so that derive's whole-number formula keeps its precision.
    pace_now = pro_rata(whole["value"] * 1000, days_now, days_whole)
    pace_then = pro_rata(whole["value"] * 1000, days_then, days_whole)
    return {
        "part": part, "whole": whole, "earlier": earlier,
        "earlier_label": parse_period(earlier_period).label(),
        "days_now": days_now, "days_then": days_then, "days_whole": days_whole,
        "pace_now": pace_now.value / 1000, "pace_now_formula": pace_now.formula + " (US$ m)",
        "pace_then": pace_then.value / 1000, "pace_then_formula": pace_then.formula + " (US$ m)",
        "vs_pace_pct": (part["value"] / (pace_now.value / 1000) - 1) * 100,
        "earlier_share_pct": earlier.value / whole["value"] * 100,
        "days_share_pct": days_then / days_whole * 100,
    }


def agriculture(ledger: Ledger) -> dict[str, object]:
    """Agricultural trade: the stated year, the year before it implies, its share of all goods."""
    value = ledger.only(AGRI)
    growth = ledger.only(AGRI_GROWTH)
    prior = prior_from_growth(value["value"], growth["value"])
    total = _stated(ledger, value["period"])
    return {"value": value, "growth": growth, "prior": prior, "total": total,
            "share_pct": value["value"] / 1000 / total["value"] * 100}


def derived_rows(ledger: Ledger) -> pd.DataFrame:
    """Every figure this chapter derives, with its arithmetic and its rounding interval."""
    series = trade_series(ledger)
    rows = []
    for d in series[series["kind"] == "derived"].itertuples():
        rows.append({"figure": f"Goods trade, {d.period_label}", "value": _bn(d.value),
                     "arithmetic": d.basis + " (US$ bn)",
                     "interval": _interval_bn(Interval(d.low, d.high)), "claim_ids": d.claim_ids})
    rec = reconciliation(ledger)
    g = rec["levels_growth"]
    rows.append({"figure": f"Growth {int(rec['earlier']['year'])}→{int(rec['later']['year'])} "
                           "from the two stated totals",
                 "value": _pct(g.value), "arithmetic": g.formula,
                 "interval": f"{number(g.interval.low, 1)}–{number(g.interval.high, 1)} %",
                 "claim_ids": f"{rec['earlier']['claim_id']}, {rec['later']['claim_id']}"})
    part = partial_year(ledger)
    for label, value, formula in (
            (f"{part['whole']['period_label']} total at an even pace, over the "
             f"{part['days_now']} days of {part['part']['period_label']}",
             part["pace_now"], part["pace_now_formula"]),
            (f"{part['whole']['period_label']} total at an even pace, over the "
             f"{part['days_then']} days of {part['earlier_label']}",
             part["pace_then"], part["pace_then_formula"])):
        rows.append({"figure": label, "value": _bn(value), "arithmetic": formula,
                     "interval": "none: assumes an even pace", "claim_ids": part["whole"]["claim_id"]})
    agri = agriculture(ledger)
    rows.append({"figure": f"Agricultural trade, {int(agri['value']['year']) - 1}",
                 "value": f"US${number(agri['prior'].value, 1)} m",
                 "arithmetic": agri["prior"].formula + " (US$ m)",
                 "interval": f"US${number(agri['prior'].interval.low, 1)}–"
                             f"{number(agri['prior'].interval.high, 1)} m",
                 "claim_ids": f"{agri['value']['claim_id']}, {agri['growth']['claim_id']}"})
    return pd.DataFrame(rows)


def derived_table(ledger: Ledger):
    """The derived figures as a reader checks them."""
    from IPython.display import HTML

    data = derived_rows(ledger)
    shown = pd.DataFrame({
        "Derived figure": data["figure"],
        "Value": data["value"],
        "Arithmetic": data["arithmetic"],
        "Range rounding allows": data["interval"],
        "Ledger rows": [_links(ids) for ids in data["claim_ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Ledger rows",), numeric_columns=("Value",)))


def reconciliation_rows(ledger: Ledger) -> pd.DataFrame:
    rec = reconciliation(ledger)
    later, earlier = rec["later"], rec["earlier"]
    year = int(earlier["year"])
    return pd.DataFrame([
        {"what": f"{year} as stated", "article": earlier["article"],
         "value": _bn(earlier["value"]),
         "read_as": _interval_bn(rec["stated_interval"], 3),
         "claim_ids": earlier["claim_id"]},
        {"what": f"{year + 1} as stated, and its growth", "article": later["article"],
         "value": f"{_bn(later['value'], 0)}, +{_pct(later['growth'], 0)}",
         "read_as": f"{_interval_bn(rec['later_interval'])}, "
                    f"+{number(rec['growth_interval'].low, 1)}–{number(rec['growth_interval'].high, 1)} %",
         "claim_ids": f"{later['claim_id']}, {later['growth_id']}"},
        {"what": f"{year} implied: {rec['implied'].formula}", "article": f"derived from {later['article']}",
         "value": _bn(rec["implied"].value),
         "read_as": _interval_bn(rec["implied"].interval),
         "claim_ids": f"{later['claim_id']}, {later['growth_id']}"},
    ])


def reconciliation_table(ledger: Ledger):
    """Stated and implied values of the same year, each with the range its rounding allows."""
    from IPython.display import HTML

    data = reconciliation_rows(ledger)
    shown = pd.DataFrame({
        "Figure": data["what"], "Article": data["article"], "Value": data["value"],
        "Values the rounding allows": data["read_as"],
        "Ledger rows": [_links(ids) for ids in data["claim_ids"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Ledger rows",), numeric_columns=("Value",)))


# ---------------------------------------------------------------- trade chart

def _article_colour(ledger: Ledger, short_name: str) -> str:
    names = list(ledger.sources["short_name"])
    return style.ARTICLE_COLOURS[names.index(short_name) % len(style.ARTICLE_COLOURS)]


def _bars(ax, frame: pd.DataFrame, ledger: Ledger, seen: set[str]) -> None:
    """Bars grouped by period label, stated ones in article colours, derived hatched."""
    groups = list(dict.fromkeys(frame["period_label"]))
    width = 0.8 / max(frame.groupby("period_label").size())
    for gi, label in enumerate(groups):
        members = frame[frame["period_label"] == label]
        n = len(members)
        for bi, row in enumerate(members.itertuples()):
            x = gi + (bi - (n - 1) / 2) * width
            if row.kind == "derived":
                kwargs = {"color": "white", "edgecolor": style.DERIVED, "hatch": style.DERIVED_HATCH}
                legend = "derived from a stated growth rate"
            else:
                colour = _article_colour(ledger, row.article)
                kwargs = {"color": colour, "edgecolor": colour}
                legend = f"{row.article}, stated"
            bar = ax.bar(x, row.value, width * 0.92, linewidth=1.2,
                         label=None if legend in seen else legend, **kwargs)
            seen.add(legend)
            decimals = 0 if row.kind == "stated" and float(row.value).is_integer() else 2
            ax.bar_label(bar, labels=[number(row.value, decimals)], padding=2, fontsize=9, zorder=4,
                         bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    years = [str(int(frame[frame["period_label"] == g]["year"].iloc[0])) for g in groups]
    ax.set_xticks(range(len(groups)), years)
    ax.set_xlim(-0.6, len(groups) - 0.4)


def trade_chart(ledger: Ledger):
    """Goods trade by year (left) and January–May (right); derived bars hatched."""
    series = trade_series(ledger)
    full = series[series["full_year"]].sort_values(["year", "kind", "article"],
                                                  key=lambda s: s.map({"stated": 0, "derived": 1})
                                                  if s.name == "kind" else s)
    part = series[~series["full_year"]].sort_values("year")
    fig, (left, right) = style.new_figure(8.4, 5.0, ncols=2, sharey=True,
                                          gridspec_kw={"width_ratios": [3, 1.25], "wspace": 0.08})
    seen: set[str] = set()
    _bars(left, full, ledger, seen)
    _bars(right, part, ledger, seen)
    info = partial_year(ledger)
    right.axhline(info["pace_now"], color=style.DERIVED, linestyle="--", linewidth=1.2, zorder=1,
                  label=f"{info['whole']['period_label']} total at an even pace, "
                        f"{info['days_now']} days (derived)")
    left.set_ylabel("Goods trade (US$ billion)")
    left.set_title("Full years", fontsize=10.5, fontweight="normal", color=style.MUTED)
    months = info["part"]["period_label"].rsplit(" ", 1)[0]
    right.set_title(f"{months} only", fontsize=10.5, fontweight="normal", color=style.MUTED)
    left.set_ylim(0, series["value"].max() * 1.7)
    entries = {}
    for ax in (left, right):
        entries.update(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
    # Stated entries in the order of the articles, then the derived ones.
    names = list(ledger.sources["short_name"])
    order = sorted(entries, key=lambda lab: (not lab.endswith(", stated"),
                                             names.index(lab[:-len(", stated")])
                                             if lab.endswith(", stated") else 0))
    left.legend([entries[lab] for lab in order], order, loc="upper left", fontsize=8.5)
    ids = _ids(series["claim_ids"])
    rec = reconciliation(ledger)
    later = rec["later"]
    source = style.source_line(ledger.claims.set_index("claim_id").loc[ids, "short_name"], ids)
    return style.finish(
        fig,
        title=f"China–Kazakhstan trade reached {_bn(later['value'], 0)} in {int(later['year'])}, "
              f"up {_pct(later['growth'], 0)} on the year before",
        subtitle="Goods trade between China and Kazakhstan, stated by the articles and derived (US$ billion)",
        source=source,
        note="hatched bars are the earlier period implied by a stated growth rate: value ÷ (1 + growth); "
             "partial-year totals are not comparable with full years.")


# ---------------------------------------------------------------- ranks

def rank_claims(ledger: Ledger) -> pd.DataFrame:
    rows = ledger.claims[ledger.claims["metric"].isin(RANKS)].copy()
    rows["order"] = rows["metric"].map({m: i for i, m in enumerate(RANKS)})
    return rows.sort_values(["order", "published_date", "claim_id"])


def rank_table(ledger: Ledger):
    """China's ranks, metric by metric, in the order the articles were published."""
    from IPython.display import HTML

    rows = rank_claims(ledger)
    shown = pd.DataFrame({
        "China's rank as": [RANK_SHORT[m] for m in rows["metric"]],
        "Rank": [format_value(v, u, q) for v, u, q in
                 zip(rows["value"], rows["unit"], rows["qualifier"], strict=True)],
        "Said of": list(rows["period_label"]),
        "Article": list(rows["short_name"]),
        "Speaker": [a if isinstance(a, str) and a else "the article" for a in rows["attributed_to"]],
        "Quote": [quote_link(c) for c in rows["claim_id"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Quote",), numeric_columns=("Rank",)))


def partner_rank_change(ledger: Ledger) -> tuple[pd.Series, pd.Series]:
    """The earliest and the latest statement of China's rank as trading partner."""
    rows = rank_claims(ledger)
    partner = rows[rows["metric"] == RANKS[0]].sort_values(["published_date", "period_end"])
    return partner.iloc[0], partner.iloc[-1]


def rank_chart(ledger: Ledger):
    """Small multiples: China's rank by article date, rank 1 at the top."""
    rows = rank_claims(ledger)
    dates = sorted(rows["published_date"].unique())
    articles = (rows.drop_duplicates("published_date").set_index("published_date")
                .loc[dates, "short_name"])
    fig, axes = style.new_figure(8.0, 5.6, nrows=2, ncols=2, sharex=True, sharey=True)
    fig.subplots_adjust(hspace=0.45, wspace=0.12)
    worst = int(rows["value"].max())
    for ax, metric in zip(axes.flat, RANKS, strict=True):
        data = rows[rows["metric"] == metric].drop_duplicates(["published_date", "value", "qualifier"])
        xs = [dates.index(d) for d in data["published_date"]]
        ax.plot(xs, data["value"], color=style.CONTEXT, linewidth=1, zorder=1)
        for x, row in zip(xs, data.itertuples(), strict=True):
            colour = _article_colour(ledger, row.short_name)
            if row.qualifier == "up_to":
                ax.plot([x, x], [1, row.value], color=colour, linewidth=6, alpha=0.45,
                        solid_capstyle="round", zorder=2)
                ax.annotate(f"top {int(row.value)}", (x, (1 + row.value) / 2), xytext=(8, 0),
                            textcoords="offset points", va="center", fontsize=9, color=style.INK)
            else:
                ax.scatter([x], [row.value], s=70, color=colour, zorder=3)
                ax.annotate(format_value(row.value, "rank"), (x, row.value), xytext=(8, 0),
                            textcoords="offset points", va="center", fontsize=9, color=style.INK)
        ax.set_title(RANK_SHORT[metric], fontsize=10.5, fontweight="normal", loc="left")
        ax.set_ylim(worst + 0.6, 0.4)
        ax.set_yticks(range(1, worst + 1), [format_value(r, "rank") for r in range(1, worst + 1)])
        ax.set_xlim(-0.4, len(dates) - 0.4)
        ax.set_xticks(range(len(dates)), [a.replace(", ", "\n") for a in articles])
    for ax in axes[:, 0]:
        ax.set_ylabel("China's rank")
    first, last = partner_rank_change(ledger)
    if first["value"] != last["value"]:
        title = (f"China went from Kazakhstan's {largest(first['value'])} to its "
                 f"{largest(last['value'])} trading partner")
    else:
        title = f"China stayed Kazakhstan's {largest(last['value'])} trading partner"
    ids = list(rows["claim_id"])
    return style.finish(
        fig, title=title,
        subtitle="China's rank among Kazakhstan's partners, as each article states it (1 = largest)",
        source=style.source_line(rows["short_name"], ids),
        note="articles placed by publication date; the Kazinform interview is undated (inferred June 2024).")


# ---------------------------------------------------------------- e-commerce

def ecommerce_table(ledger: Ledger):
    from IPython.display import HTML

    rows = ledger.claims[ledger.claims["metric"].isin(ECOMMERCE)].sort_values("published_date")
    shown = pd.DataFrame({
        "Figure": [ledger.label(m) for m in rows["metric"]],
        "Value": [format_value(v, u, q) for v, u, q in
                  zip(rows["value"], rows["unit"], rows["qualifier"], strict=True)],
        "Period": list(rows["period_label"]),
        "Article": list(rows["short_name"]),
        "According to": [a if isinstance(a, str) and a else "the article" for a in rows["attributed_to"]],
        "Quote": [quote_link(c) for c in rows["claim_id"]],
    })
    return HTML(html_table(shown, raw_html_columns=("Quote",), numeric_columns=("Value",)))


# ---------------------------------------------------------------- prose and front page

def facts(ledger: Ledger) -> dict[str, str]:
    """Numbers for the chapter's prose, formatted as a reader writes them."""
    rec = reconciliation(ledger)
    later, earlier, implied = rec["later"], rec["earlier"], rec["implied"]
    first_prior = prior_from_growth(earlier["value"], earlier["growth"])
    part = partial_year(ledger)
    agri = agriculture(ledger)
    first_rank, last_rank = partner_rank_change(ledger)
    ranks = rank_claims(ledger)
    by_metric = {m: ranks[ranks["metric"] == m] for m in RANKS}
    claims = ledger.claims_for("trade")
    other_later = stated_totals(ledger)
    lg = rec["levels_growth"]

    def rank_text(metric: str, index: int = 0) -> str:
        row = by_metric[metric].iloc[index]
        return largest(row["value"], row["qualifier"])

    pavilion = ledger.only("kz_alibaba_national_pavilion_order")
    enterprises = ledger.only("alibaba_kz_enterprises")
    return {
        "n_trade_claims": str(len(claims)),
        "n_trade_articles": str(claims["seed"].nunique()),
        "trade_2022": _bn(earlier["value"]),
        "growth_2022": _pct(earlier["growth"]),
        "implied_2021": _bn(first_prior.value),
        "trade_2023": _bn(later["value"], 0),
        "n_total_articles": str(other_later["seed"].nunique()),
        "growth_2023": _pct(later["growth"], 0),
        "increase_2023": _bn(later["value"] - earlier["value"]),
        "implied_2022": _bn(implied.value),
        "gap_2022": _bn(abs(rec["gap"])),
        "gap_2022_pct": _pct(abs(rec["gap_pct"]), 2),
        "gap_direction": "above" if rec["gap"] > 0 else "below",
        "implied_2022_range": _interval_bn(implied.interval),
        "value_2023_range": _interval_bn(rec["later_interval"], 1),
        "growth_2023_range": f"{number(rec['growth_interval'].low, 1)}–"
                             f"{number(rec['growth_interval'].high, 1)} %",
        "gap_verdict": "lies inside" if rec["closes"] else "lies outside",
        "gap_conclusion": ("rounding alone can explain the difference" if rec["closes"]
                           else "rounding alone cannot explain the difference"),
        "levels_growth": _pct(lg.value),
        "levels_growth_range": f"{number(lg.interval.low, 1)}–{number(lg.interval.high, 1)} %",
        "jm_2024": _bn(part["part"]["value"]),
        "jm_growth": _pct(part["part"]["growth"], 0),
        "jm_2023_implied": _bn(part["earlier"].value),
        "jm_days": str(part["days_now"]),
        "jm_days_then": str(part["days_then"]),
        "jm_pace": _bn(part["pace_now"]),
        "jm_vs_pace": _signed_pct(part["vs_pace_pct"]),
        "jm_2023_share": _pct(part["earlier_share_pct"]),
        "jm_days_share": _pct(part["days_share_pct"]),
        "jm_2023_pace": _bn(part["pace_then"]),
        "agri_value": format_value(agri["value"]["value"], agri["value"]["unit"]),
        "agri_growth": _pct(agri["growth"]["value"]),
        "agri_2021": f"US${number(agri['prior'].value, 1)} m",
        "agri_share": _pct(agri["share_pct"]),
        "partner_rank_first": largest(first_rank["value"]),
        "partner_rank_last": largest(last_rank["value"]),
        "export_rank": rank_text(RANKS[1]),
        "import_rank": rank_text(RANKS[2]),
        "investor_rank": rank_text(RANKS[3]),
        "aliexpress_rank": largest(ledger.only("aliexpress_rank_online_platform_kz")["value"]),
        "pavilion_order": format_value(pavilion["value"], pavilion["unit"]),
        "alibaba_enterprises": format_value(enterprises["value"], enterprises["unit"],
                                            enterprises["qualifier"]),
    }


def key_figures(ledger: Ledger) -> list[dict]:
    """Two or three figures for the introduction page."""
    rec = reconciliation(ledger)
    later, earlier = rec["later"], rec["earlier"]
    totals = stated_totals(ledger)
    same = totals[(totals["year"] == later["year"]) & totals["full_year"]]
    _, last_rank = partner_rank_change(ledger)
    partner = rank_claims(ledger)
    partner = partner[(partner["metric"] == RANKS[0]) & (partner["value"] == last_rank["value"])]
    return [
        {"label": f"Goods trade, {int(later['year'])}",
         "value": f"{_bn(later['value'], 0)} (+{_pct(later['growth'], 0)})",
         "claim_ids": ", ".join(sorted({*same["claim_id"], later["growth_id"]}))},
        {"label": f"Goods trade, {int(earlier['year'])} (China's customs)",
         "value": f"{_bn(earlier['value'])} (+{_pct(earlier['growth'])})",
         "claim_ids": f"{earlier['claim_id']}, {earlier['growth_id']}"},
        {"label": "China's rank as Kazakhstan's trading partner",
         "value": format_value(last_rank["value"], "rank"),
         "claim_ids": ", ".join(sorted(partner["claim_id"]))},
    ]
