"""Discrepancies: the reconciliation register as a chapter.

The checks themselves live in :mod:`..reconcile`; this module turns them into the
chapter's prose facts, tables (with an HTML anchor per register entry, so that the topic
chapters can link to ``discrepancies.html#D03``) and charts. It imports no other chapter
module, so that any chapter may import it to link to its entries.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..analysis.intervals import Interval
from ..checks import engine as reconcile
from ..checks.engine import Check
from ..data.ledger import Ledger
from ..report import charts as style
from ..report import tables
from ..report.tables import claims_table, format_value, html_table, number, quote_link

PAGE = "discrepancies.html"
COUNT = "capacity_projects_count"
VALUE = "capacity_projects_value"
PARTNER = "china_rank_as_kz_trading_partner"
TRADE = "bilateral_goods_trade"
TRADE_GROWTH = "bilateral_goods_trade_growth"

KIND_LABELS = {
    "same_metric": "Same figure in several articles",
    "implied_prior": "Year before, implied by a growth rate",
    "implied_growth": "Growth rate, implied by two totals",
    "pro_rata": "Part of a year against an even pace",
    "start_year": "Start year implied by 'N years' or an ordinal",
    "count_vs_events": "Count of visits against dated visits",
    "part_whole": "Part against its whole",
    "rank_vs_value": "Rank against its components or its value",
    "project_status": "Project stage across articles",
    "article_date": "Inferred date of an undated article",
}


# --------------------------------------------------------------------------- access

_CACHE: list[tuple[Ledger, list[Check]]] = []


def checks(ledger: Ledger) -> list[Check]:
    """The register's checks, computed once per loaded ledger (the object, not its contents)."""
    for known, result in _CACHE:
        if known is ledger:
            return result
    result = reconcile.run_checks(ledger)
    _CACHE[:] = [*_CACHE[-3:], (ledger, result)]
    return result


def _pick(ledger: Ledger, kind: str, metric: str, predicate=None) -> Check:
    found = [c for c in checks(ledger) if c.kind == kind and c.metric == metric
             and (predicate is None or predicate(c))]
    if len(found) != 1:
        raise LookupError(f"expected one {kind} check on {metric!r}, found {len(found)}")
    return found[0]


def capacity_checks(ledger: Ledger) -> dict[str, Check]:
    """The programme's three comparisons: the count's rise, the count's fall, the value."""
    over_time = [c for c in checks(ledger) if c.kind == "same_metric" and c.metric == COUNT]
    fall = [c for c in over_time if c.values["after"].strict.high < c.values["before"].strict.low]
    rise = [c for c in over_time if c not in fall]
    if len(fall) != 1 or len(rise) != 1:
        raise LookupError("expected one rise and one fall of the capacity project count")
    return {"rise": rise[0], "fall": fall[0], "value": _pick(ledger, "same_metric", VALUE)}


def rank_checks(ledger: Ledger) -> dict[str, Check]:
    return {
        "change": _pick(ledger, "same_metric", PARTNER, lambda c: not c.passes),
        "same_year": _pick(ledger, "same_metric", PARTNER, lambda c: c.passes),
        "value": _pick(ledger, "rank_vs_value", PARTNER, lambda c: "growth" in c.values),
        "bound": _pick(ledger, "rank_vs_value", PARTNER, lambda c: "bound" in c.values),
    }


def pace_checks(ledger: Ledger) -> list[Check]:
    return [c for c in checks(ledger) if c.kind == "pro_rata"]


def start_checks(ledger: Ledger) -> list[Check]:
    return [c for c in checks(ledger) if c.kind == "start_year"]


def anchor(check_id: str) -> str:
    cid = html.escape(check_id)
    return f'<span class="register-anchor" id="{cid}">{cid}</span>'


def check_link(check_id: str, page: str = PAGE) -> str:
    """A link from any chapter to a register entry."""
    cid = html.escape(check_id)
    return f'<a class="check-link" href="{reconcile.anchor_for(cid, page)}">{cid}</a>'


def see_checks(ledger: Ledger, metric: str):
    """For topic chapters: 'Cross-checks of this figure: D03, K17' with links to the register."""
    from IPython.display import HTML

    ids = reconcile.links_for_metric(ledger, metric)
    if not ids:
        return HTML("")
    return HTML(f'<p class="see-checks">Cross-checks of this figure: '
                f'{", ".join(check_link(i) for i in ids)}</p>')


def _links(ids: str | tuple[str, ...]) -> str:
    items = ids if isinstance(ids, tuple) else tuple(i.strip() for i in ids.split(",") if i.strip())
    return ", ".join(quote_link(i) for i in items)


def _article_colour(ledger: Ledger, short_name: str) -> str:
    names = list(ledger.sources["short_name"])
    return style.ARTICLE_COLOURS[names.index(short_name) % len(style.ARTICLE_COLOURS)]


def _claim(ledger: Ledger, claim_id: str) -> pd.Series:
    return ledger.claim(claim_id)


def _source(ledger: Ledger, claim_ids) -> str:
    ids = [i for i in claim_ids if i.startswith("C")]
    names = ledger.claims.set_index("claim_id").loc[ids, "short_name"]
    return style.source_line(names, ids)


def _pct(value: float, decimals: int = 1) -> str:
    return f"{'−' if value < 0 else ''}{number(abs(value), decimals)} %"


def _signed(value: float, decimals: int = 1) -> str:
    return f"{'+' if value > 0 else '−' if value < 0 else ''}{number(abs(value), decimals)} %"


def _rank_word(rank: float) -> str:
    return "largest" if int(rank) == 1 else format_value(rank, "rank")


def _largest(rank: float) -> str:
    """1 -> 'largest', 2 -> '2nd-largest'."""
    return "largest" if int(rank) == 1 else f"{format_value(rank, 'rank')}-largest"


def _verdict_text(check: Check) -> str:
    return reconcile.VERDICT_LABELS[check.verdict]


def _explanation(check: Check) -> str:
    text = check.explanation
    if check.hypothesis and "Hypothesis:" not in text:
        text = f"Hypothesis: {text}"
    return text


# --------------------------------------------------------------------------- tables

def verdict_counts(ledger: Ledger) -> pd.DataFrame:
    """Checks by kind and verdict."""
    reg = reconcile.register(ledger)
    table = pd.crosstab(reg["kind"], reg["verdict"]).reindex(columns=list(reconcile.VERDICTS),
                                                             fill_value=0)
    kinds = [k for k in reconcile.KINDS if k in table.index]
    return table.loc[kinds]


def summary_table(ledger: Ledger):
    """How many checks of each kind, and their verdicts."""
    from IPython.display import HTML

    counts = verdict_counts(ledger)
    rows = []
    for kind, row in counts.iterrows():
        rows.append({"What is checked": KIND_LABELS[kind],
                     **{reconcile.VERDICT_LABELS[v].capitalize(): number(row[v]) for v in counts.columns},
                     "Checks": number(row.sum())})
    totals = counts.sum()
    rows.append({"What is checked": "All checks",
                 **{reconcile.VERDICT_LABELS[v].capitalize(): number(totals[v]) for v in counts.columns},
                 "Checks": number(totals.sum())})
    frame = pd.DataFrame(rows)
    numeric = [c for c in frame.columns if c != "What is checked"]
    return HTML(html_table(frame, numeric_columns=numeric))


def rules_table(ledger: Ledger):
    """The tolerance rules, with the module's own constants."""
    from IPython.display import HTML

    margin = number(reconcile.PLAIN_MARGIN * 100)
    rows = [
        {"Rule": "How a figure is read",
         "Tolerance": f"exact figures ± half a unit of the last printed digit (counts and ranks: exact); "
                      f"'about' ± {margin} %; 'more than X' from X with no upper bound (strict reading) "
                      f"or up to {margin} % above X (plain reading)"},
        {"Rule": "Same thing, same period",
         "Tolerance": "consistent when the plain readings overlap; tension when only the strict ones "
                      f"do, or when they miss by at most {number(reconcile.REVISION_TOLERANCE * 100)} % "
                      "(the size of a revision); conflict otherwise"},
        {"Rule": "Same thing, different dates",
         "Tolerance": "consistent when the plain readings overlap; otherwise explained by timing or "
                      "scope, unless a count that can only grow falls: conflict, or tension when the "
                      "articles' wording shows they count different things"},
        {"Rule": "Part of a year",
         "Tolerance": f"consistent within ± {number(reconcile.PACE_TOLERANCE * 100)} % of the full "
                      "year spread evenly over the same days; otherwise explained by timing "
                      "(an uneven year)"},
        {"Rule": "Start years",
         "Tolerance": "'N years' allows half a year either way ('about' more); consistent when every "
                      "implied start and the dated event share a date; tension when they only overlap "
                      "two by two; conflict otherwise"},
        {"Rule": "Counts, parts and ranks",
         "Tolerance": "a count of visits cannot be below the visits dated in its window, a part cannot "
                      "exceed its whole, an overall rank cannot be worse than its component ranks allow"},
    ]
    return HTML(html_table(pd.DataFrame(rows)))


def register_frame(ledger: Ledger, verdicts: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for c in checks(ledger):
        if c.verdict not in verdicts:
            continue
        ids = c.claim_ids + c.event_ids
        rows.append({"Id": anchor(c.check_id), "Check": c.title, "Ledger rows": _links(ids),
                     "Arithmetic": c.arithmetic, "Verdict": _verdict_text(c),
                     "Most likely explanation": _explanation(c), "check_id": c.check_id})
    return pd.DataFrame(rows)


def register_table(ledger: Ledger):
    """Every disagreement, with an anchor per entry, its ledger rows, arithmetic and explanation."""
    from IPython.display import HTML

    frame = register_frame(ledger, ("timing_or_scope", "tension", "conflict")).drop(columns="check_id")
    return HTML(html_table(frame, raw_html_columns=("Id", "Ledger rows"), css_class="ledger-table register"))


def passes_table(ledger: Ledger):
    """Every check that holds, with its arithmetic."""
    from IPython.display import HTML

    frame = register_frame(ledger, ("consistent",)).drop(columns=["check_id", "Verdict"])
    frame = frame.rename(columns={"Most likely explanation": "What holds"})
    return HTML(html_table(frame, raw_html_columns=("Id", "Ledger rows"), css_class="ledger-table register"))


def checked_claim_ids(ledger: Ledger) -> list[str]:
    used = {i for c in checks(ledger) for i in c.claim_ids if i.startswith("C")}
    return sorted(used)


def claims_used_table(ledger: Ledger):
    """Every ledger figure the checks use, with links to the quotes."""
    rows = ledger.claims[ledger.claims["claim_id"].isin(checked_claim_ids(ledger))]
    return claims_table(rows.sort_values(["published_date", "claim_id"]), ledger.labels)


def unreached_table(ledger: Ledger):
    """The figures no check reaches: no other figure measures the same thing."""
    rows = ledger.claims[~ledger.claims["claim_id"].isin(checked_claim_ids(ledger))]
    return claims_table(rows.sort_values(["published_date", "claim_id"]), ledger.labels)


def unconfirmed_table(ledger: Ledger):
    """Figures the growth rates imply that no article states, so nothing can confirm them."""
    from IPython.display import HTML

    data = reconcile.unconfirmed_implied(ledger)
    decimals = {"USD_billion": 2, "USD_million": 1, "million_tonnes": 2, "count": 0}
    frame = pd.DataFrame({
        "Implied figure": [f"{lab}, {period}"
                           for lab, period in zip(data["label"], data["period"], strict=True)],
        "Value": [format_value(round(v, decimals.get(u, 1)), u) for v, u in
                  zip(data["value"], data["unit"], strict=True)],
        "Arithmetic": list(data["formula"]),
        "Range rounding allows": [reconcile.range_text(i, decimals.get(u, 1))
                                  for i, u in zip(data["interval"], data["unit"], strict=True)],
        "Ledger rows": [_links(ids) for ids in data["claim_ids"]],
    })
    return HTML(html_table(frame, raw_html_columns=("Ledger rows",), numeric_columns=("Value",)))


def sources_list(ledger: Ledger):
    """The articles whose figures the checks use, with how many each supplies."""
    used = ledger.claims[ledger.claims["claim_id"].isin(checked_claim_ids(ledger))]
    return tables.sources_list(ledger, used, verb="checked")


# --------------------------------------------------------------------------- chart helpers

def _range_bar(ax, y: float, central: float, interval: Interval, *, derived: bool, colour: str,
               label: str | None = None, right_limit: float | None = None) -> None:
    """A figure and the range it allows, on a horizontal axis; derived ones hollow and orange."""
    high = interval.high if math.isfinite(interval.high) else right_limit
    colour = style.DERIVED if derived else colour
    ax.plot([interval.low, high], [y, y], color=colour, linewidth=6, alpha=0.35,
            solid_capstyle="butt", zorder=2)
    if not math.isfinite(interval.high):
        ax.annotate("", xy=(right_limit, y), xytext=(interval.low, y),
                    arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.4})
    ax.plot([central], [y], marker="o", markersize=8, zorder=3, label=label,
            markerfacecolor="white" if derived else colour, markeredgecolor=colour, markeredgewidth=2,
            linestyle="none")


def _legend(ax, *, stated: bool = True, **kwargs) -> None:
    handles = []
    if stated:
        handles.append(Line2D([], [], marker="o", color=style.STATED, linestyle="none", label="stated"))
    handles.append(Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor=style.DERIVED,
                          color=style.DERIVED, linestyle="none", label="derived by the package"))
    ax.legend(handles=handles, fontsize=8.5, **kwargs)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


# --------------------------------------------------------------------------- chart: capacity

def capacity_series(ledger: Ledger, metric: str) -> pd.DataFrame:
    rows = ledger.metric(metric).sort_values(["period_end", "claim_id"])
    return pd.DataFrame({
        "claim_id": list(rows["claim_id"]), "value": list(rows["value"]),
        "qualifier": list(rows["qualifier"]), "unit": list(rows["unit"]),
        "as_of": list(rows["period_end"]), "article": list(rows["short_name"]),
    })


def capacity_chart(ledger: Ledger):
    """Count and value of the capacity programme by article date, with each comparison's verdict."""
    cap = capacity_checks(ledger)
    counts = capacity_series(ledger, COUNT)
    values = capacity_series(ledger, VALUE)
    dates = sorted(set(counts["as_of"]) | set(values["as_of"]))
    stage = {}
    for c in (cap["rise"], cap["fall"], cap["value"]):
        before, after = c.values["scope"]
        stage[c.claim_ids[0]] = before
        stage[c.claim_ids[-1]] = after
    wording = {d: stage[cid] for d, cid in zip(counts["as_of"], counts["claim_id"], strict=True)}
    ticks = [f"{d:%b %Y}\n{_wrap(wording.get(d, ''), 13)}" for d in dates]
    fig, (ax_n, ax_v) = style.new_figure(8.6, 5.4, ncols=2)

    xs = [dates.index(d) for d in counts["as_of"]]
    for x, row in zip(xs, counts.itertuples(), strict=True):
        colour = _article_colour(ledger, row.article)
        ax_n.bar(x, row.value, 0.55, color=colour)
        ax_n.text(x, row.value + 1, number(row.value), ha="center", va="bottom", fontsize=10,
                  fontweight="bold")
    for c in (cap["rise"], cap["fall"]):
        i0 = counts.index[counts["claim_id"] == c.claim_ids[0]][0]
        i1 = counts.index[counts["claim_id"] == c.claim_ids[-1]][0]
        x0, x1 = xs[i0], xs[i1]
        top = max(counts.loc[i0, "value"], counts.loc[i1, "value"]) + 9
        ax_n.annotate("", xy=(x1, top), xytext=(x0, top),
                      arrowprops={"arrowstyle": "->", "color": style.INK, "lw": 1})
        ax_n.text((x0 + x1) / 2, top + 1.5, f"{c.check_id}: {_verdict_text(c)}".replace(" by ", "\nby "),
                  ha="center", va="bottom", fontsize=8.5)
    ax_n.set_ylim(0, counts["value"].max() * 1.5)
    ax_n.set_ylabel("Projects (count)")
    ax_n.set_title("Projects counted", fontsize=11, fontweight="normal")

    vxs = [dates.index(d) for d in values["as_of"]]
    top_value = 0.0
    for x, row in zip(vxs, values.itertuples(), strict=True):
        colour = _article_colour(ledger, row.article)
        read = reconcile.reading(row.value, row.unit, row.qualifier)
        ax_v.bar(x, row.value, 0.55, color=colour)
        if math.isinf(read.strict.high):
            ax_v.bar(x, read.plain.high - row.value, 0.55, bottom=row.value, color="white",
                     edgecolor=colour, hatch="..", linewidth=1)
            ax_v.annotate("", xy=(x, read.plain.high + 4), xytext=(x, read.plain.high + 0.3),
                          arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2})
            text = f"more than {number(row.value)}"
            top_value = max(top_value, read.plain.high + 4)
            ax_v.text(x + 0.32, read.plain.high, text, ha="left", va="center", fontsize=9.5,
                      fontweight="bold")
        else:
            top_value = max(top_value, row.value)
            ax_v.text(x, row.value + 0.4, number(row.value), ha="center", va="bottom", fontsize=10,
                      fontweight="bold")
    for d in dates:
        if d not in set(values["as_of"]):
            ax_v.text(dates.index(d), 0.5, "not\nstated", ha="center", va="bottom", fontsize=9,
                      color=style.MUTED)
    c = cap["value"]
    top = top_value + 2
    ax_v.annotate("", xy=(vxs[-1], top), xytext=(vxs[0], top),
                  arrowprops={"arrowstyle": "->", "color": style.INK, "lw": 1})
    ax_v.text((vxs[0] + vxs[-1]) / 2, top + 0.6, f"{c.check_id}: {_verdict_text(c)}", ha="center",
              va="bottom", fontsize=8.5)
    ax_v.set_ylim(0, top * 1.25)
    ax_v.set_ylabel("Total value (US$ billion)")
    ax_v.set_title("Total value", fontsize=11, fontweight="normal")
    for ax in (ax_n, ax_v):
        ax.set_xticks(range(len(dates)), ticks, fontsize=9)
        ax.set_xlim(-0.6, len(dates) - 0.4)
        ax.set_xlabel("As of (article's date); what the article counts", fontsize=9.5)
    fall = cap["fall"]
    before = counts[counts["claim_id"] == fall.claim_ids[0]]["value"].iloc[0]
    after = counts[counts["claim_id"] == fall.claim_ids[-1]]["value"].iloc[0]
    ids = [*counts["claim_id"], *values["claim_id"]]
    fig = style.finish(
        fig,
        title=f"Counted capacity projects fell from {number(before)} to {number(after)} in a year",
        subtitle="China–Kazakhstan industrial capacity cooperation programme, by the date each article gives",
        source=_source(ledger, ids),
        note=f"dotted: 'more than' read plainly, up to {number(reconcile.PLAIN_MARGIN * 100)} % above "
             "the figure; strictly it has no upper bound (arrow). Bars coloured by article.")
    fig.subplots_adjust(wspace=0.32, bottom=0.27)
    return fig


# --------------------------------------------------------------------------- chart: rank

def rank_chart(ledger: Ledger):
    """China's rank as trading partner by article date, and the trade of the years it describes."""
    rk = rank_checks(ledger)
    claims = ledger.claims[ledger.claims["claim_id"].isin(rk["change"].claim_ids)]
    claims = claims.sort_values(["published_date", "claim_id"])
    articles = list(dict.fromkeys(claims["short_name"]))
    fig, (ax_r, ax_t) = style.new_figure(8.6, 5.0, ncols=2, gridspec_kw={"width_ratios": [1.5, 1]})
    by_article: dict[str, list] = {}
    for row in claims.itertuples():
        by_article.setdefault(row.short_name, []).append(row)
    for x, name in enumerate(articles):
        rows = by_article[name]
        colour = _article_colour(ledger, name)
        ax_r.scatter([x], [rows[0].value], s=110, color=colour, zorder=3)
        said = "; ".join(f"{r.claim_id}: {reconcile.basis_year(pd.Series(r._asdict()))} data"
                         for r in rows)
        ax_r.annotate(_wrap(said, 18), (x, rows[0].value), xytext=(0, -14 if rows[0].value == 1 else 12),
                      textcoords="offset points", ha="center", va="top" if rows[0].value == 1 else "bottom",
                      fontsize=8.5)
    worst = int(claims["value"].max())
    ax_r.set_ylim(worst + 0.7, 0.3)
    ax_r.set_yticks(range(1, worst + 1), [format_value(r, "rank") for r in range(1, worst + 1)])
    ax_r.set_xticks(range(len(articles)), [a.replace(", ", "\n") for a in articles])
    ax_r.set_xlim(-0.5, len(articles) - 0.5)
    ax_r.set_ylabel("China's rank (1 = largest partner)")
    ax_r.set_xlabel("Article")
    ax_r.set_title(f"{rk['change'].check_id}: {_verdict_text(rk['change'])}", fontsize=10,
                   fontweight="normal")

    value = rk["value"]
    r0, r1, v0, v1 = value.claim_ids
    years, heights, colours, ids = [], [], [], []
    for cid in (v0, v1):
        c = _claim(ledger, cid)
        years.append(str(c["year"]))
        heights.append(c["value"])
        colours.append(_article_colour(ledger, c["short_name"]))
        ids.append(cid)
    bars = ax_t.bar(years, heights, 0.55, color=colours)
    ax_t.bar_label(bars, labels=[f"US${number(h)} bn" for h in heights], padding=2, fontsize=9)
    growth = value.values["growth"]
    ax_t.set_ylim(0, max(heights) * 1.3)
    ax_t.set_ylabel("Goods trade (US$ billion)")
    ax_t.set_xlabel("Year of data")
    ax_t.set_title(f"{value.check_id}: trade {_signed(growth.value)}", fontsize=10, fontweight="normal")
    first = _claim(ledger, r0)
    last = _claim(ledger, r1)
    fig = style.finish(
        fig,
        title=f"China rose from {_rank_word(first['value'])} to {_rank_word(last['value'])} partner "
              f"between the {reconcile.basis_year(first)} and {reconcile.basis_year(last)} data",
        subtitle="China's rank among Kazakhstan's trading partners by article, and the trade of those years",
        source=_source(ledger, [*claims["claim_id"], *ids]),
        note="an undated 'now' or 'for years' is read as the last full year of data before the article.")
    fig.subplots_adjust(wspace=0.35, bottom=0.24)
    return fig


# --------------------------------------------------------------------------- chart: pace

def _pace_label(check: Check) -> str:
    return check.title.split(": against")[0]


def pace_chart(ledger: Ledger):
    """Every part-of-a-year figure as a share of the full year's even pace, with the tolerance band."""
    data = pace_checks(ledger)
    fig, ax = style.new_figure(8.4, 4.4)
    tol = reconcile.PACE_TOLERANCE * 100
    ax.axvspan(100 - tol, 100 + tol, color=style.CONTEXT, alpha=0.18, zorder=0)
    ax.axvline(100, color=style.MUTED, linewidth=1, linestyle=":")
    right = max(110 + tol, max(c.values["ratio"].low * 100 for c in data) + 15)
    left = min(100 - tol - 5, min(c.values["ratio"].low * 100 for c in data) - 5)
    labels = []
    for y, c in enumerate(data):
        derived = "implied" in c.title
        ratio = c.values["ratio"]
        _range_bar(ax, y, c.values["central_ratio"] * 100, Interval(ratio.low * 100, ratio.high * 100),
                   derived=derived, colour=style.STATED, right_limit=right)
        prefix = "at least " if math.isinf(ratio.high) else ""
        ax.annotate(f"{c.check_id}: {prefix}{_signed(c.values['central_ratio'] * 100 - 100)}",
                    (c.values["central_ratio"] * 100, y), xytext=(0, 9), textcoords="offset points",
                    ha="center", fontsize=8.5)
        labels.append(_wrap(_pace_label(c), 30))
    ax.text(100, len(data) - 0.35, f"on pace (± {number(tol)} %)", ha="center", fontsize=8.5,
            color=style.MUTED)
    ax.set_yticks(range(len(data)), labels, fontsize=8.5)
    ax.set_ylim(-0.6, len(data) - 0.1)
    ax.set_xlim(left, right)
    ax.grid(axis="x", linestyle=":", color="#B0B0B0")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Figure as a share of the full year at an even pace over the same days (%)")
    _legend(ax, loc="upper left")
    off = [c for c in data if not c.passes]
    title = (f"{len(off)} of {len(data)} partial-year figures {'is' if len(off) == 1 else 'are'} "
             "off the full year's even pace" if off else "Every partial-year figure is on pace")
    ids = [i for c in data for i in c.claim_ids]
    fig = style.finish(fig, title=title,
                       subtitle="Partial-year figures against the previous full year spread evenly over the "
                                "same days (%)",
                       source=_source(ledger, ids),
                       note="bars: the range rounding allows; an arrow: 'more than', no upper bound.")
    fig.subplots_adjust(left=0.3, bottom=0.22)
    return fig


# --------------------------------------------------------------------------- chart: start years

def start_chart(ledger: Ledger):
    """The start year each 'N years' or ordinal implies, with its rounding range, and the dated event."""
    data = start_checks(ledger)
    heights = [len(c.values["claims"]) + 0.8 for c in data]
    fig, axes = style.new_figure(8.4, 3.0 + 0.45 * sum(heights), nrows=len(data),
                                 gridspec_kw={"height_ratios": heights})
    ids = []
    for ax, c in zip(axes, data, strict=True):
        rows = c.values["claims"]
        spans = [r["interval"] for r in rows] + [e["interval"] for e in c.values["events"]]
        left = math.floor(min(s.low for s in spans)) - 1
        right = math.ceil(max(s.high for s in spans)) + 1
        for e in c.values["events"]:
            span = e["interval"]
            if e["derived"]:
                ax.axvspan(span.low, span.high, facecolor="none", edgecolor=style.MUTED, linestyle="--",
                           linewidth=1, zorder=0)
                note = f"{e['event_id']}, {e['date']} (derived from an article: not used)"
            else:
                ax.axvspan(span.low, span.high, color=style.OKABE_ITO["green"], alpha=0.2, zorder=0)
                note = f"{e['event_id']}, {e['date']} (dated event)"
            ax.text(span.high + 0.1, len(rows) - 0.35, note, fontsize=8, color=style.MUTED, va="center")
        for y, r in enumerate(rows):
            _range_bar(ax, y, r["central"], r["interval"], derived=True, colour=style.DERIVED)
            claim = _claim(ledger, r["claim_id"])
            ids.append(r["claim_id"])
            r["colour"] = _article_colour(ledger, claim["short_name"])
        ax.set_yticks(range(len(rows)), [f"{r['claim_id']}: {r['label'].replace(': ', chr(10))}"
                                         for r in rows], fontsize=8)
        ax.set_ylim(-0.6, len(rows) - 0.1)
        ax.set_xlim(left, right)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
        ax.grid(axis="x", linestyle=":", color="#B0B0B0")
        ax.grid(axis="y", visible=False)
        ax.set_title(f"{c.check_id}: {c.title.split(':')[0]}", fontsize=10, fontweight="normal", loc="left")
    axes[-1].set_xlabel("Implied start (year)")
    _legend(axes[-1], stated=False, loc="lower right")
    passed = all(c.passes for c in data)
    title = ("Every anniversary and ordinal fits its start date, once rounding is allowed" if passed
             else "Not every anniversary or ordinal fits its start date")
    fig = style.finish(fig, title=title,
                       subtitle="Start implied by 'N years' or by the Nth annual meeting, with its "
                                "rounding range (year)",
                       source=_source(ledger, ids),
                       note="hollow: derived by the package; shaded: the event's date as an article "
                            "gives it.")
    fig.subplots_adjust(left=0.25, hspace=0.8, top=0.83, bottom=0.19)
    return fig


# --------------------------------------------------------------------------- chart: rounding

def rounding_chart(ledger: Ledger):
    """The 2022 total stated and implied, and the 2023 growth stated and implied, with their ranges."""
    prior = _pick(ledger, "implied_prior", TRADE)
    growth = _pick(ledger, "implied_growth", TRADE_GROWTH)
    fig, (ax_l, ax_r) = style.new_figure(8.6, 4.2, ncols=2)
    stated_id = prior.values["stated_claim"]
    stated = _claim(ledger, stated_id)
    implied = prior.values["implied"]
    s_read = prior.values["stated"].strict
    colour = _article_colour(ledger, stated["short_name"])
    _range_bar(ax_l, 1, stated["value"], s_read, derived=False, colour=colour)
    _range_bar(ax_l, 0, implied.value, implied.interval, derived=True, colour=style.DERIVED)
    ax_l.set_yticks([0, 1], [f"implied\n({', '.join(prior.claim_ids[1:])})", f"stated\n({stated_id})"],
                    fontsize=8.5)
    ax_l.annotate(implied.formula, (implied.value, 0), xytext=(0, 10), textcoords="offset points",
                  ha="center", fontsize=8.5)
    ax_l.set_xlabel(f"Goods trade, {stated['year']} (US$ billion)")
    ax_l.set_title(f"{prior.check_id}: {_verdict_text(prior)}", fontsize=10, fontweight="normal")

    g_claim = _claim(ledger, growth.claim_ids[-1])
    g_read = growth.values["stated"].strict
    derived = growth.values["derived"]
    _range_bar(ax_r, 1, g_claim["value"], g_read, derived=False,
               colour=_article_colour(ledger, g_claim["short_name"]))
    _range_bar(ax_r, 0, derived.value, derived.interval, derived=True, colour=style.DERIVED)
    ax_r.set_yticks([0, 1], [f"implied\n({', '.join(growth.claim_ids[:2])})",
                             f"stated\n({g_claim['claim_id']})"], fontsize=8.5)
    ax_r.annotate(derived.formula, (derived.value, 0), xytext=(0, 10), textcoords="offset points",
                  ha="center", fontsize=8.5)
    ax_r.set_xlabel(f"Growth of goods trade, {g_claim['year']} (%)")
    ax_r.set_title(f"{growth.check_id}: {_verdict_text(growth)}", fontsize=10, fontweight="normal")
    _legend(ax_r, loc="upper left")
    for ax in (ax_l, ax_r):
        ax.set_ylim(-0.6, 1.6)
        ax.grid(axis="x", linestyle=":", color="#B0B0B0")
        ax.grid(axis="y", visible=False)
    verb = "reconciles" if prior.passes and growth.passes else "does not reconcile"
    fig = style.finish(
        fig,
        title=f"Rounding {verb} the stated {stated['year']} total with the {g_claim['year']} growth rate",
        subtitle="Stated figures and those implied by the other article, with the range rounding allows",
        source=_source(ledger, list(dict.fromkeys(prior.claim_ids + growth.claim_ids))),
        note="bars: values consistent with the printed digits; hollow markers: derived by the package.")
    fig.subplots_adjust(left=0.12, wspace=0.4, bottom=0.25)
    return fig


# --------------------------------------------------------------------------- prose

def facts(ledger: Ledger) -> dict[str, str]:
    """Numbers and ids for the chapter's prose, formatted as a reader writes them."""
    all_checks = checks(ledger)
    counts = {v: sum(c.verdict == v for c in all_checks) for v in reconcile.VERDICTS}
    disagreeing = [c for c in all_checks if not c.passes]
    cap = capacity_checks(ledger)
    rk = rank_checks(ledger)
    prior = _pick(ledger, "implied_prior", TRADE)
    growth = _pick(ledger, "implied_growth", TRADE_GROWTH)
    stated = _claim(ledger, prior.values["stated_claim"])
    implied = prior.values["implied"]
    counts_series = capacity_series(ledger, COUNT)
    values_series = capacity_series(ledger, VALUE)
    value_after = reconcile.reading(values_series["value"].iloc[-1], values_series["unit"].iloc[-1],
                                    values_series["qualifier"].iloc[-1])
    paces = pace_checks(ledger)
    off_pace = [c for c in paces if not c.passes]
    starts = start_checks(ledger)
    relations = _pick(ledger, "start_year", "years_since_diplomatic_relations")
    bri = _pick(ledger, "start_year", "years_since_bri_proposed")
    xi = _pick(ledger, "count_vs_events", "xi_visits_to_kz")
    xi_rows = xi.values["rows"]
    unrecorded = int(xi_rows[-1]["stated"] - xi_rows[-1]["chained"])
    first_rank, last_rank = _claim(ledger, rk["value"].claim_ids[0]), _claim(ledger, rk["value"].claim_ids[1])
    used = checked_claim_ids(ledger)
    gap = stated["value"] - implied.value
    hyp = sum(c.hypothesis for c in disagreeing)
    bound = rk["bound"]
    components = [_claim(ledger, i) for i in bound.claim_ids[1:]]
    return {
        "n_hypothesis_of": (f"all {len(disagreeing)}" if hyp == len(disagreeing)
                            else f"{hyp} of the {len(disagreeing)}"),
        "off_pace_summary": f"{len(off_pace)} {'is' if len(off_pace) == 1 else 'are'}",
        "rank_bound_components": " and ".join(
            f"{_largest(c['value'])} {c['metric'].removeprefix('china_rank_as_kz_').replace('_', ' ')}"
            for c in components),
        "n_articles": str(len(ledger.sources)),
        "n_outlets": str(ledger.sources["outlet"].str.split(" (", regex=False).str[0].nunique()),
        "first_year": str(ledger.sources["published_date"].min().year),
        "last_year": str(ledger.sources["published_date"].max().year),
        "n_checks": str(len(all_checks)),
        "n_pass": str(counts["consistent"]),
        "n_disagree": str(len(disagreeing)),
        "n_timing": str(counts["timing_or_scope"]),
        "n_tension": str(counts["tension"]),
        "n_conflict": str(counts["conflict"]),
        "n_hypothesis": str(sum(c.hypothesis for c in disagreeing)),
        "n_kinds": str(len({c.kind for c in all_checks})),
        "n_claims_checked": str(len(used)),
        "n_claims": str(len(ledger.claims)),
        "n_unreached": str(len(ledger.claims) - len(used)),
        "plain_margin": f"{number(reconcile.PLAIN_MARGIN * 100)} %",
        "revision_tolerance": f"{number(reconcile.REVISION_TOLERANCE * 100)} %",
        "pace_tolerance": f"{number(reconcile.PACE_TOLERANCE * 100)} %",
        "cap_rise_id": cap["rise"].check_id,
        "cap_fall_id": cap["fall"].check_id,
        "cap_value_id": cap["value"].check_id,
        "cap_count_first": number(counts_series["value"].iloc[0]),
        "cap_count_second": number(counts_series["value"].iloc[1]),
        "cap_count_last": number(counts_series["value"].iloc[-1]),
        "cap_year_first": str(counts_series["as_of"].iloc[0].year),
        "cap_year_second": str(counts_series["as_of"].iloc[1].year),
        "cap_year_last": str(counts_series["as_of"].iloc[-1].year),
        "cap_wording_first": cap["rise"].values["scope"][0],
        "cap_wording_second": cap["rise"].values["scope"][1],
        "cap_wording_last": cap["fall"].values["scope"][1],
        "cap_value_first": format_value(values_series["value"].iloc[0], "USD_billion"),
        "cap_value_second": format_value(values_series["value"].iloc[-1], "USD_billion",
                                         values_series["qualifier"].iloc[-1]),
        "cap_value_plain_max": format_value(round(value_after.plain.high, 2), "USD_billion"),
        "cap_value_plain_fall": _pct((1 - value_after.plain.high / values_series["value"].iloc[0]) * 100),
        "cap_value_central_fall": _pct((1 - values_series["value"].iloc[-1]
                                        / values_series["value"].iloc[0]) * 100),
        "cap_verdict_fall": _verdict_text(cap["fall"]),
        "cap_verdict_value": _verdict_text(cap["value"]),
        "rank_change_id": rk["change"].check_id,
        "rank_same_id": rk["same_year"].check_id,
        "rank_value_id": rk["value"].check_id,
        "rank_bound_id": rk["bound"].check_id,
        "rank_first": _largest(first_rank["value"]),
        "rank_last": _largest(last_rank["value"]),
        "rank_year_first": str(reconcile.basis_year(first_rank)),
        "rank_year_last": str(reconcile.basis_year(last_rank)),
        "rank_trade_growth": _pct(rk["value"].values["growth"].value),
        "rank_bound_worst": format_value(rk["bound"].values["bound"].high, "rank"),
        "trade_prior_id": prior.check_id,
        "trade_growth_id": growth.check_id,
        "trade_stated": format_value(stated["value"], "USD_billion"),
        "trade_stated_year": str(stated["year"]),
        "trade_implied": f"US${number(implied.value, 2)} bn",
        "trade_implied_range": f"US${reconcile.range_text(implied.interval, 2)} bn",
        "trade_gap": f"US${number(abs(gap), 2)} bn",
        "trade_gap_pct": _pct(abs(gap) / implied.value * 100, 2),
        "trade_growth_derived": _pct(growth.values["derived"].value),
        "trade_growth_range": f"{reconcile.range_text(growth.values['derived'].interval, 1)} %",
        "n_pace": str(len(paces)),
        "n_off_pace": str(len(off_pace)),
        "off_pace_id": off_pace[0].check_id if off_pace else "none",
        "off_pace_ratio": (_pct(off_pace[0].values["central_ratio"] * 100 - 100) if off_pace else "none"),
        "off_pace_steady": (_pct((off_pace[0].values["steady_ratio"] - 1) * 100)
                            if off_pace and "steady_ratio" in off_pace[0].values else "none"),
        "off_pace_steady_share": (_pct(off_pace[0].values["steady_share"] * 100)
                                  if off_pace and "steady_share" in off_pace[0].values else "none"),
        "off_pace_days_share": (_pct(off_pace[0].values["days_part"] / off_pace[0].values["days_whole"] * 100)
                                if off_pace else "none"),
        "n_start": str(len(starts)),
        "relations_id": relations.check_id,
        "relations_common": reconcile._year_range(relations.values["common"]),
        "bri_id": bri.check_id,
        "bri_common": reconcile._year_range(bri.values["common"]),
        "xi_id": xi.check_id,
        "xi_unrecorded": str(unrecorded),
    }


def key_figures(ledger: Ledger) -> list[dict[str, str]]:
    """Three figures for the introduction page: the largest tension, a change over time, a pass."""
    cap = capacity_checks(ledger)["fall"]
    change = rank_checks(ledger)["change"]
    prior = _pick(ledger, "implied_prior", TRADE)
    counts = capacity_series(ledger, COUNT).set_index("claim_id")["value"]
    stated = _claim(ledger, prior.values["stated_claim"])
    first, last = _claim(ledger, change.claim_ids[0]), _claim(ledger, change.claim_ids[-1])
    return [
        {"label": f"Capacity cooperation projects, {_claim(ledger, cap.claim_ids[0])['year']} to "
                  f"{_claim(ledger, cap.claim_ids[-1])['year']} ({cap.check_id}, {_verdict_text(cap)})",
         "value": f"{number(counts[cap.claim_ids[0]])} → {number(counts[cap.claim_ids[-1]])}",
         "claim_ids": ", ".join(cap.claim_ids)},
        {"label": f"China's rank as Kazakhstan's trading partner "
                  f"({change.check_id}, {_verdict_text(change)})",
         "value": f"{_largest(first['value'])} ({reconcile.basis_year(first)} data) → "
                  f"{_largest(last['value'])} ({reconcile.basis_year(last)} data)",
         "claim_ids": ", ".join(change.claim_ids)},
        {"label": f"Goods trade {stated['year']}, stated against implied "
                  f"({prior.check_id}, {_verdict_text(prior)})",
         "value": f"US${number(stated['value'])} bn against US${number(prior.values['implied'].value, 2)} bn",
         "claim_ids": ", ".join(prior.claim_ids)},
    ]


def topic_checks_table(ledger: Ledger, topic: str):
    """For a topic chapter: every cross-check that uses one of its figures, linked to the register."""
    from IPython.display import HTML

    metrics = set(ledger.claims_for(topic)["metric"])
    reg = reconcile.register(ledger)
    hit = reg[reg["metrics"].str.split(", ").apply(lambda ms: bool(metrics & set(ms)))]
    if hit.empty:
        return HTML("<p>No cross-check uses this chapter's figures.</p>")
    frame = pd.DataFrame({
        "Check": [check_link(i) for i in hit["check_id"]],
        "What is compared": list(hit["title"]),
        "Verdict": [v.replace("_", " ") for v in hit["verdict"]],
    })
    return HTML(html_table(frame, raw_html_columns=("Check",)))
