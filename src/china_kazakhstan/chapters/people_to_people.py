"""People-to-people ties: Confucius Institutes, students, sister cities, tourism, dated events.

Everything the chapter's prose, tables and charts show is computed here from the ledger.
Derived figures (intervals a hedged figure allows, a monthly average, the base a growth
multiple would imply) come with their arithmetic, beside the stated figures they use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D

from ..analysis.intervals import (
    Derived,
    Interval,
    growth_between,
    prior_from_growth,
    pro_rata,
    stated_interval,
)
from ..data.ledger import Ledger
from ..report import charts as style
from ..report.tables import format_value, html_table, number, quote_link

TOPIC = "people_to_people"
#: The education counts the chapter follows over time, in the order of the chart's panels.
EDUCATION_METRICS = ("confucius_institutes", "chinese_universities_kazakh_major",
                     "chinese_universities_kz_research_centres")
#: The average length of a calendar month, in days (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12

#: Okabe–Ito colours for the event types, in a fixed order so a type keeps its colour.
EVENT_TYPE_ORDER = ("visit", "summit", "agreement", "establishment", "opening",
                    "declared_year", "proposal", "other")
_EVENT_PALETTE = [style.OKABE_ITO[k] for k in
                  ("blue", "vermillion", "green", "orange", "purple", "sky", "yellow", "black")]

#: Brief chart labels for the dated events; any other event is labelled by its description.
EVENT_LABELS = {
    "E001": "Li Keqiang arrives for the premiers' regular meeting",
    "E002": "Kazakhstan begins group visas for Chinese tourists",
    "E003": "Tourism Year of China in Kazakhstan (announced)",
    "E004": "Tokayev visits China",
    "E005": "Permanent comprehensive strategic partnership agreed",
    "E006": "China–Central Asia Summit, Xi'an",
    "E007": "Xi's state visit to Kazakhstan (planned)",
    "E008": "Urumqi–Almaty, the first sister-city pair",
    "E009": "Beijing–Astana friendly relations established",
    "E010": "Xinjiang Party Secretary Ma Xingrui visits Kazakhstan",
    "E011": "Year of Tourism of Kazakhstan in China declared",
    "E012": "Visa-free agreement comes into force",
    "E013": "Kazakhstan's Year of Tourism in China begins",
    "E014": "China initiates the Tourism Alliance of Silk Road Cities",
    "E015": "Xi proposes the Silk Road Economic Belt",
    "E016": "Xi visits Kazakhstan",
    "E017": "Xi begins a state visit to Kazakhstan",
    "E018": "SCO heads of state meet in Astana",
    "E019": "Astana Expo 2017 opens",
    "E020": "Diplomatic relations established (date derived)",
    "E021": "China Tourism Year launched in Kazakhstan",
    "E022": "SCO expands: India and Pakistan join",
    "E023": "Shanghai Cooperation Organization founded",
    "E024": "SCO heads of state meet in Astana",
    "E025": "Xi's state visits to Kazakhstan and Tajikistan",
    "E026": "Tokayev at the Belt and Road Forum, meets Xi",
    "E027": "Trans-Caspian China–Europe route in regular operation",
    "E028": "Chinese-brand car production planned in Almaty",
    "E029": "Kazakh student Ruslan starts donating 'panda blood'",
    "E030": "Xi visits Kazakhstan",
    "E031": "China's 'Kazakhstan Tourism Year'",
    "E032": "Northwestern Polytechnical University branch opens",
    "E033": "Visa exemption agreement comes into effect",
    "E034": "Agreement on cultural centres signed",
    "E035": "Luban Workshop settles in Kazakhstan",
    "E036": "Kazakh student Taya comes to study in China",
}


# --------------------------------------------------------------------------- ledger access



def _all(ledger: Ledger, metric: str, expected: int | None = None) -> pd.DataFrame:
    """Every claim of a metric, the oldest period first."""
    rows = ledger.metric(metric).sort_values(["period_end", "claim_id"])
    if rows.empty or (expected is not None and len(rows) != expected):
        raise ValueError(f"expected {expected or 'some'} claims of {metric!r}, found {len(rows)}")
    return rows


def _links(claim_ids: str) -> str:
    return ", ".join(quote_link(c.strip()) for c in claim_ids.split(",") if c.strip())


def _stated(row: pd.Series) -> str:
    return format_value(row["value"], row["unit"], row["qualifier"])


def _interval_text(interval: Interval, decimals: int = 0) -> str:
    if math.isinf(interval.high):
        return f"{number(interval.low, decimals)} or more (no upper bound)"
    return f"{number(interval.low, decimals)} to {number(interval.high, decimals)}"


# --------------------------------------------------------------------------- education


def education_counts(ledger: Ledger) -> pd.DataFrame:
    """Confucius Institutes, Kazakh majors and research centres: one row per stated count."""
    rows = []
    for metric in EDUCATION_METRICS:
        for _, claim in _all(ledger, metric).iterrows():
            rows.append({"metric": metric, "label": ledger.label(metric),
                         "date": claim["period_end"], "period": claim["period_label"],
                         "value": claim["value"], "article": claim["short_name"],
                         "claim_id": claim["claim_id"]})
    return pd.DataFrame(rows)


def education_chart(ledger: Ledger):
    """Small multiples: each education count at the dates the articles give it."""
    data = education_counts(ledger)
    articles = list(ledger.sources.sort_values("published_date")["short_name"])
    colours = dict(zip(articles, style.ARTICLE_COLOURS, strict=False))
    fig, axes = style.new_figure(8, 4.4, ncols=len(EDUCATION_METRICS), sharey=True)
    top = data["value"].max() * 1.35
    for ax, metric in zip(axes, EDUCATION_METRICS, strict=True):
        rows = data[data["metric"] == metric].sort_values("date")
        ax.plot(rows["date"], rows["value"], color=style.CONTEXT, linewidth=1, zorder=1)
        for _, row in rows.iterrows():
            ax.scatter(row["date"], row["value"], s=60, color=colours[row["article"]], zorder=2,
                       edgecolor="white", linewidth=0.8)
            ax.annotate(number(row["value"]), (row["date"], row["value"]), xytext=(0, 7),
                        textcoords="offset points", ha="center", fontsize=10, fontweight="bold")
        ax.set_title(_wrap(ledger.label(metric), 26), fontsize=10, fontweight="normal", loc="left")
        ax.set_xlim(pd.Timestamp(data["date"].min().year, 1, 1),
                    pd.Timestamp(data["date"].max().year + 1, 1, 1))
        ax.xaxis.set_major_locator(mdates.YearLocator(4))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_ylim(0, top)
    axes[len(axes) // 2].set_xlabel("date of the article's count (year)")
    axes[0].set_ylabel("count (institutes or universities)")
    used = [a for a in articles if a in set(data["article"])]
    handles = [Line2D([], [], marker="o", linestyle="", color=colours[a], label=a) for a in used]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.97, 0.9), ncols=len(used),
               fontsize=8.5, handletextpad=0.2, columnspacing=1)
    ci = data[data["metric"] == "confucius_institutes"].sort_values("date")
    major = data[data["metric"] == "chinese_universities_kazakh_major"].sort_values("date")
    fig = style.finish(
        fig,
        title=(f"Confucius Institutes went from {number(ci['value'].iloc[0])} to "
               f"{number(ci['value'].iloc[-1])}, Kazakh majors from {number(major['value'].iloc[0])} "
               f"to {number(major['value'].iloc[-1])}"),
        subtitle="Education counts as each article states them (institutes or universities, at a date)",
        source=style.source_line(data["article"], data["claim_id"]),
        note="counts are as of each article's date; the line joins the counts, "
             "it does not say when a change came.")
    fig.subplots_adjust(top=0.7, wspace=0.2)
    return fig


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


# --------------------------------------------------------------------------- students


def students(ledger: Ledger) -> pd.DataFrame:
    """Kazakh students in China: each stated figure and the interval its hedge allows."""
    rows = []
    for _, claim in _all(ledger, "kz_students_in_china").iterrows():
        interval = stated_interval(claim["value"], claim["qualifier"])
        rows.append({"period": claim["period_label"], "year": claim["year"], "stated": _stated(claim),
                     "value": claim["value"], "qualifier": claim["qualifier"], "low": interval.low,
                     "high": interval.high, "interval": interval, "article": claim["short_name"],
                     "claim_id": claim["claim_id"]})
    return pd.DataFrame(rows)


def students_can_be_ordered(ledger: Ledger) -> bool:
    """True only if the earliest and latest student figures' intervals do not overlap."""
    data = students(ledger)
    return not data["interval"].iloc[0].overlaps(data["interval"].iloc[-1])


def students_overlap(ledger: Ledger) -> Interval | None:
    """The values both the earliest and the latest student figure allow, if any."""
    data = students(ledger)
    first, last = data["interval"].iloc[0], data["interval"].iloc[-1]
    if not first.overlaps(last):
        return None
    return Interval(max(first.low, last.low), min(first.high, last.high))


def students_chart(ledger: Ledger):
    """The two student figures as the ranges their wording allows, and where they overlap."""
    ordered_rows = students(ledger)
    data = ordered_rows.iloc[::-1].reset_index(drop=True)  # oldest at the top
    fig, ax = style.new_figure(8, 4.0)
    finite = [v for v in (*data["high"], *data["value"]) if math.isfinite(v)]
    right = max(finite) * 1.3
    left = data["low"].min() * 0.8
    overlap = students_overlap(ledger)
    if overlap is not None:
        ax.axvspan(overlap.low, overlap.high, color=style.CONTEXT, alpha=0.18, zorder=0)
        ax.text((overlap.low + overlap.high) / 2, len(data) - 0.45, "values both figures allow",
                ha="center", va="bottom", fontsize=8.5, color=style.MUTED)
    for i, row in data.iterrows():
        high = row["high"] if math.isfinite(row["high"]) else right
        ax.barh(i, high - row["low"], left=row["low"], height=0.4, color=style.STATED, alpha=0.25,
                edgecolor=style.STATED)
        if not math.isfinite(row["high"]):
            ax.annotate("", xy=(right, i), xytext=(right - (right - left) * 0.06, i),
                        arrowprops={"arrowstyle": "->", "color": style.STATED, "lw": 1.5})
        ax.plot([row["value"]], [i], marker="|", markersize=20, markeredgewidth=2.5, color=style.STATED)
        ax.annotate(f"{row['stated']}: {_interval_text(row['interval'])}", (row["low"], i + 0.24),
                    fontsize=8.5, va="bottom")
    ax.set_yticks(range(len(data)), [f"{p}\n({a})" for p, a in
                                     zip(data["period"], data["article"], strict=True)])
    ax.set_ylim(-0.6, len(data) - 0.05)
    ax.set_xlim(left, right)
    ax.xaxis.set_major_formatter(lambda v, _pos: number(v, 0))
    ax.grid(axis="x", linestyle=":", color="#B0B0B0")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Kazakh students in China (persons)")
    first, last = ordered_rows.iloc[0], ordered_rows.iloc[-1]
    verdict = "can be ordered" if students_can_be_ordered(ledger) else "cannot be ordered"
    fig = style.finish(
        fig,
        title=f"The {first['year']} and {last['year']} counts of Kazakh students in China {verdict}",
        subtitle="Stated figure (tick) and the values its wording allows (band), persons",
        source=style.source_line(ordered_rows["article"], ordered_rows["claim_id"]),
        note="'about' read as ±10 %; 'more than' has no upper bound, so the later figure may be "
             "higher or lower than the earlier one.")
    fig.subplots_adjust(left=0.2, bottom=0.27)
    return fig


# --------------------------------------------------------------------------- sister cities


def sister_cities(ledger: Ledger) -> dict[str, object]:
    """The 26 pairs (two articles), Xinjiang's pairs, the first pair, and what they imply."""
    pairs = _all(ledger, "sister_region_city_pairs")
    xinjiang = ledger.only("xinjiang_sister_city_pairs")
    first = ledger.only("urumqi_almaty_sister_city_order")
    latest = pairs.iloc[-1]
    earliest_count = pairs.sort_values("period_end").iloc[0]
    share = Derived(xinjiang["value"] / latest["value"] * 100,
                    Interval(xinjiang["value"] / latest["value"] * 100,
                             xinjiang["value"] / latest["value"] * 100),
                    f"{number(xinjiang['value'])} ÷ {number(latest['value'])} = "
                    f"{number(xinjiang['value'] / latest['value'] * 100, 1)} %")
    start = first["period_start"].date()
    end = earliest_count["period_end"].date()
    years = (end - start).days / 365.25
    pace = earliest_count["value"] / years
    return {"pairs": pairs, "xinjiang": xinjiang, "first": first, "share": share,
            "years": years, "pace": pace, "pace_from": start, "pace_to": end,
            "pace_claim": earliest_count}


# --------------------------------------------------------------------------- tourism


@dataclass(frozen=True)
class TourismArithmetic:
    tourists: pd.Series
    multiple: pd.Series
    bookings: pd.Series
    days: int
    days_short: int
    monthly: Derived
    monthly_short: Derived
    base: Derived
    base_more: Derived


def tourism(ledger: Ledger) -> TourismArithmetic:
    """The 126 thousand tourists as a monthly average, and the base the 12-fold would imply."""
    tourists = ledger.only("chinese_tourists_to_kz")
    multiple = ledger.only("chinese_tourists_to_kz_multiple")
    bookings = ledger.only("flight_bookings_china_to_kz_multiple")
    start = tourists["period_start"].date()
    end = tourists["period_end"].date()
    days = (end - start).days + 1
    # The shortest reading of "to March": until March began, i.e. through the end of February.
    days_short = (date(end.year, end.month, 1) - start).days
    monthly = pro_rata(tourists["value"], DAYS_PER_MONTH, days)
    monthly_short = pro_rata(tourists["value"], DAYS_PER_MONTH, days_short)
    # Hypothesis only: if the 12-fold multiple described these same tourists against a base period.
    base = prior_from_growth(tourists["value"], (multiple["value"] - 1) * 100)
    base_more = prior_from_growth(tourists["value"], multiple["value"] * 100)
    return TourismArithmetic(tourists, multiple, bookings, days, days_short, monthly, monthly_short,
                             base, base_more)


def _monthly_formula(value: float, days: int, result: float) -> str:
    return (f"{number(value, 0)} ÷ {days} days × {number(DAYS_PER_MONTH, 2)} days a month "
            f"= {number(result, 0)}")


def tourism_arithmetic(ledger: Ledger):
    """The tourism derivations, as a reader checks them."""
    t = tourism(ledger)
    tid, mid = t.tourists["claim_id"], t.multiple["claim_id"]
    start = t.tourists["period_start"]
    end = t.tourists["period_end"]
    rows = [
        {"Derived figure": "Days in the period",
         "Reading": f"{start.day} {start:%b %Y} to the end of {end:%B %Y}, both included",
         "Value": str(t.days),
         "Arithmetic": f"{start:%-d %b %Y} … {end:%-d %b %Y}", "Ledger rows": tid},
        {"Derived figure": "Chinese tourists per month (average)",
         "Reading": f"'to March' = to the end of {end:%B}",
         "Value": number(t.monthly.value, 0),
         "Arithmetic": _monthly_formula(t.tourists["value"], t.days, t.monthly.value),
         "Ledger rows": tid},
        {"Derived figure": "Chinese tourists per month (average)",
         "Reading": f"'to March' = until {end:%B} began ({t.days_short} days)",
         "Value": number(t.monthly_short.value, 0),
         "Arithmetic": _monthly_formula(t.tourists["value"], t.days_short, t.monthly_short.value),
         "Ledger rows": tid},
        {"Derived figure": "Base period (hypothesis)",
         "Reading": f"'increased {number(t.multiple['value'])} times' = "
                    f"{number(t.multiple['value'])} times as many, applied to these tourists",
         "Value": number(t.base.value, 0),
         "Arithmetic": f"{number(t.tourists['value'], 0)} ÷ {number(t.multiple['value'])} "
                       f"= {number(t.base.value, 0)}",
         "Ledger rows": f"{tid}, {mid}"},
        {"Derived figure": "Base period (hypothesis)",
         "Reading": f"'increased {number(t.multiple['value'])} times' = "
                    f"{number(t.multiple['value'])} times more, applied to these tourists",
         "Value": number(t.base_more.value, 0),
         "Arithmetic": f"{number(t.tourists['value'], 0)} ÷ (1 + {number(t.multiple['value'])}) "
                       f"= {number(t.base_more.value, 0)}",
         "Ledger rows": f"{tid}, {mid}"},
    ]
    return _arithmetic_html(rows)


def _arithmetic_html(rows: list[dict[str, str]]):
    from IPython.display import HTML

    frame = pd.DataFrame(rows)
    frame["Ledger rows"] = [_links(ids) for ids in frame["Ledger rows"]]
    return HTML(html_table(frame, raw_html_columns=("Ledger rows",), numeric_columns=("Value",)))


# --------------------------------------------------------------------------- comparisons

#: What a change between two articles' counts can mean, by metric.
CHANGE_VERDICTS = {
    "confucius_institutes": "a rise, at a date no article gives",
    "chinese_universities_kazakh_major": "a rise, or a wider wording "
                                         "('can major in' vs 'have opened majors')",
    "sister_region_city_pairs": "a rise, or a wider wording ('provinces and sister cities' vs "
                                "'provinces, cities and states')",
}


def comparisons(ledger: Ledger) -> pd.DataFrame:
    """Figures two articles give for the same thing, and whether they can be compared."""
    rows = []
    st = students(ledger)
    a, b = st.iloc[0], st.iloc[-1]
    rows.append({
        "Figure": ledger.label("kz_students_in_china"),
        "Earlier": f"{a['stated']} ({a['period']}, {a['article']})",
        "Later": f"{b['stated']} ({b['period']}, {b['article']})",
        "Arithmetic": f"{_interval_text(a['interval'])} vs {_interval_text(b['interval'])}: "
                      f"{'the ranges overlap' if a['interval'].overlaps(b['interval']) else 'no overlap'}",
        "Verdict": "cannot be ordered" if not students_can_be_ordered(ledger) else "ordered",
        "Ledger rows": f"{a['claim_id']}, {b['claim_id']}"})
    for metric in ("confucius_institutes", "chinese_universities_kazakh_major",
                   "sister_region_city_pairs"):
        claims = _all(ledger, metric)
        if len(claims) < 2:
            continue
        for (_, x), (_, y) in zip(claims.iloc[:-1].iterrows(), claims.iloc[1:].iterrows(), strict=True):
            change = growth_between(x["value"], y["value"])
            same = x["value"] == y["value"]
            rows.append({
                "Figure": ledger.label(metric),
                "Earlier": f"{_stated(x)} ({x['period_label']}, {x['short_name']})",
                "Later": f"{_stated(y)} ({y['period_label']}, {y['short_name']})",
                "Arithmetic": "same count" if same else change.formula,
                "Verdict": "agree" if same else CHANGE_VERDICTS[metric],
                "Ledger rows": f"{x['claim_id']}, {y['claim_id']}"})
    t = tourism(ledger)
    rows.append({
        "Figure": "Chinese tourists after the visa exemption",
        "Earlier": f"{_stated(t.multiple)} ({t.multiple['period_label']}, "
                   f"{t.multiple['attributed_to']})",
        "Later": f"{_stated(t.tourists)} ({t.tourists['period_label']}, {t.tourists['attributed_to']})",
        "Arithmetic": "different periods and sources; the multiple's base is not stated",
        "Verdict": "cannot be combined, except as a hypothesis",
        "Ledger rows": f"{t.multiple['claim_id']}, {t.tourists['claim_id']}"})
    return pd.DataFrame(rows)


def comparisons_table(ledger: Ledger):
    from IPython.display import HTML

    frame = comparisons(ledger)
    frame["Ledger rows"] = [_links(ids) for ids in frame["Ledger rows"]]
    return HTML(html_table(frame, raw_html_columns=("Ledger rows",)))


def sister_arithmetic(ledger: Ledger):
    """Xinjiang's share of the pairs and the average pace since the first pair."""
    s = sister_cities(ledger)
    latest = s["pairs"].iloc[-1]
    pc = s["pace_claim"]
    rows = [
        {"Derived figure": "Xinjiang's share of all pairs (hypothesis)",
         "Reading": "if Xinjiang's approved pairs are among the country-wide pairs",
         "Value": format_value(round(s["share"].value, 1), "percent"),
         "Arithmetic": s["share"].formula,
         "Ledger rows": f"{s['xinjiang']['claim_id']}, {latest['claim_id']}"},
        {"Derived figure": "Years from the first pair to the count",
         "Reading": f"{s['pace_from']:%-d %b %Y} to {s['pace_to']:%-d %b %Y}",
         "Value": number(s["years"], 1),
         "Arithmetic": f"days between ÷ 365.25 = {number(s['years'], 1)}",
         "Ledger rows": f"{s['first']['claim_id']}, {pc['claim_id']}"},
        {"Derived figure": "New pairs a year, on average",
         "Reading": "the first pair included; no article dates the others",
         "Value": number(s["pace"], 2),
         "Arithmetic": f"{number(pc['value'])} ÷ {number(s['years'], 1)} = {number(s['pace'], 2)}",
         "Ledger rows": f"{s['first']['claim_id']}, {pc['claim_id']}"},
    ]
    return _arithmetic_html(rows)


# --------------------------------------------------------------------------- timeline


def event_position(when: pd.Timestamp, precision: str) -> pd.Timestamp:
    """Where a partial date goes on a time axis: the day itself, mid-month, or mid-year."""
    when = pd.Timestamp(when)
    if precision == "day":
        return when
    if precision == "month":
        return when + pd.Timedelta(days=(when.days_in_month - 1) / 2)
    if precision == "year":
        days = 366 if when.is_leap_year else 365
        return pd.Timestamp(when.year, 1, 1) + pd.Timedelta(days=(days - 1) / 2)
    raise ValueError(f"unknown date precision {precision!r}")


def event_colours(types) -> dict[str, str]:
    """An Okabe–Ito colour for each event type: known types in a fixed order, then any others."""
    ordered = [t for t in EVENT_TYPE_ORDER if t in set(types)]
    ordered += sorted(set(types) - set(ordered))
    if len(ordered) > len(_EVENT_PALETTE):
        raise ValueError(f"{len(ordered)} event types but only {len(_EVENT_PALETTE)} colours")
    return dict(zip(ordered, _EVENT_PALETTE, strict=False))


def timeline(ledger: Ledger) -> pd.DataFrame:
    """The dated events, placed on a time axis, oldest first, each with a brief label."""
    ev = ledger.events.copy()
    ev["position"] = [event_position(d, p) for d, p in
                      zip(ev["date_start"], ev["date_precision"], strict=True)]
    ev["brief"] = [EVENT_LABELS.get(e, _shorten(d, 55)) for e, d in
                   zip(ev["event_id"], ev["description"], strict=True)]
    return ev.sort_values(["position", "event_id"]).reset_index(drop=True)


def _shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "…"


def label_side(position: float, low: float, high: float) -> str:
    """Put a label on the side of its marker with more room: "left" or "right"."""
    return "left" if position - low > high - position else "right"


def timeline_chart(ledger: Ledger):
    """Every dated event on its own row: x is the date, colour the type, label beside the marker."""
    ev = timeline(ledger)
    colours = event_colours(ev["event_type"])
    n = len(ev)
    height = 0.23 * n + 2.9
    fig, ax = style.new_figure(8, height)
    low = mdates.date2num(pd.Timestamp(ev["position"].min().year - 1, 1, 1))
    high = mdates.date2num(pd.Timestamp(ev["position"].max().year + 2, 1, 1))
    for i, row in ev.iterrows():
        colour = colours[row["event_type"]]
        x = mdates.date2num(row["position"])
        precision = row["date_precision"]
        if precision != "day":  # the span the date allows: the whole month or the whole year
            first = mdates.date2num(row["date_start"])
            last = mdates.date2num(row["date_start"] + (pd.offsets.MonthEnd(0) if precision == "month"
                                                        else pd.offsets.YearEnd(0)))
            ax.plot([first, last + 1], [i, i], color=colour, alpha=0.35, linewidth=5,
                    solid_capstyle="butt", zorder=2)
        hollow = precision == "year"
        if hollow:  # a thin dark ring keeps light colours (yellow) visible on white
            ax.scatter([x], [i], s=70, marker="o", zorder=3, facecolor="none", edgecolor="#333333",
                       linewidth=0.5)
        ax.scatter([x], [i], s=40, marker="D" if precision == "month" else "o", zorder=4,
                   facecolor="white" if hollow else colour,
                   edgecolor=colour if hollow else "#333333", linewidth=2 if hollow else 0.5)
        side = label_side(x, low, high)
        text = f"{row['date_label']} · {row['brief']} ({row['event_id']})"
        offset = 13 if hollow else 7  # clear of the year's band
        ax.annotate(text, (x, i), xytext=(-offset if side == "left" else offset, 0),
                    textcoords="offset points",
                    ha="right" if side == "left" else "left", va="center", fontsize=8.2,
                    color=style.INK)
    ax.set_xlim(low, high)
    ax.set_ylim(n - 0.4, -0.6)  # oldest at the top
    ax.xaxis.set_major_locator(mdates.YearLocator(5))
    ax.xaxis.set_minor_locator(mdates.YearLocator(1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", labeltop=True, top=True, which="both")
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", which="major", linestyle=":", color="#B0B0B0")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("date of the event (year)")
    type_handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor="#333333",
                           markersize=7, label=t.replace("_", " ")) for t, c in colours.items()]
    precision_handles = [
        Line2D([], [], marker="o", linestyle="", color="#666666", label="exact day"),
        Line2D([], [], marker="D", linestyle="", color="#666666", label="month only: mid-month"),
        Line2D([], [], marker="o", linestyle="-", linewidth=5, color="#D0D0D0",
               markerfacecolor="white", markeredgecolor="#666666", markeredgewidth=1.8,
               label="year only: mid-year, band = the year"),
    ]
    fig.legend(handles=type_handles + precision_handles, loc="upper left", ncols=4, fontsize=8.5,
               bbox_to_anchor=(0.01, 1 - 0.8 / height), columnspacing=1, handletextpad=0.3)
    busiest = busiest_years(ev)
    subtitle = "Every event the five articles date, one row each, oldest at the top, by type"
    title = (f"{busiest['count']} of the {n} events the articles date fall in "
             f"{busiest['first']}–{busiest['last']}")
    fig = style.finish(
        fig, title=title,
        subtitle=subtitle,
        source=_event_source(ev),
        note="a month-only date is placed mid-month and a year-only date mid-year; "
             "the band shows the span the date allows.")
    for text in fig.texts:  # on a tall figure, keep the subtitle just under the title
        if text.get_text() == subtitle:
            text.set_y(1 - 0.5 / height)
    fig.subplots_adjust(top=1 - 1.85 / height, bottom=1.1 / height, left=0.02, right=0.98)
    return fig


def busiest_years(events: pd.DataFrame, span: int = 2) -> dict[str, int]:
    """The run of ``span`` consecutive years holding the most events (the latest if tied)."""
    years = pd.Series([p.year for p in events["position"]])
    best = max(range(years.min(), years.max() + 1),
               key=lambda y: (years.between(y, y + span - 1).sum(), y))
    return {"first": best, "last": best + span - 1, "count": int(years.between(best, best + span - 1).sum())}


def _event_source(ev: pd.DataFrame) -> str:
    names = list(dict.fromkeys(ev.sort_values("published")["short_name"]))
    return f"{'; '.join(names)} (ledger events {ev['event_id'].min()}–{ev['event_id'].max()})"


def events_table(ledger: Ledger):
    """Every dated event with its type, the article that dates it and a link to the quote."""
    from IPython.display import HTML

    ev = timeline(ledger)
    frame = pd.DataFrame({
        "Date": ev["date_label"],
        "Event": ev["description"],
        "Type": [t.replace("_", " ") for t in ev["event_type"]],
        "Article": ev["short_name"],
        "Quote": [quote_link(e) for e in ev["event_id"]],
    })
    return HTML(html_table(frame, raw_html_columns=("Quote",)))


# --------------------------------------------------------------------------- prose


def facts(ledger: Ledger) -> dict[str, str]:
    """Numbers for the chapter's prose, formatted as a reader writes them."""
    ci = _all(ledger, "confucius_institutes")
    major = _all(ledger, "chinese_universities_kazakh_major")
    centres = ledger.only("chinese_universities_kz_research_centres")
    rank = ledger.only("china_rank_as_kz_study_destination")
    st = students(ledger)
    s = sister_cities(ledger)
    pairs = s["pairs"]
    t = tourism(ledger)
    ev = timeline(ledger)
    busiest = busiest_years(ev)
    alliance = ledger.only("kz_cities_in_silk_road_tourism_alliance")
    tourism_year = ledger.only("kz_china_tourism_year_host_order_central_asia")
    major_change = growth_between(major["value"].iloc[0], major["value"].iloc[-1])
    return {
        "ci_first": number(ci["value"].iloc[0]),
        "ci_first_date": ci["period_label"].iloc[0].removeprefix("as of "),
        "ci_latest": number(ci["value"].iloc[-1]),
        "ci_mid_date": ci["period_label"].iloc[1].removeprefix("as of "),
        "ci_latest_date": ci["period_label"].iloc[-1].removeprefix("as of "),
        "ci_n_articles": str(ci["seed"].nunique()),
        "major_first": number(major["value"].iloc[0]),
        "major_first_date": major["period_label"].iloc[0].removeprefix("as of "),
        "major_latest": number(major["value"].iloc[-1]),
        "major_latest_date": major["period_label"].iloc[-1].removeprefix("as of "),
        "major_growth": format_value(round(major_change.value), "percent"),
        "research_centres": number(centres["value"]),
        "study_rank": format_value(rank["value"], "rank"),
        "students_first": st["stated"].iloc[0],
        "students_first_year": str(st["year"].iloc[0]),
        "students_first_interval": _interval_text(st["interval"].iloc[0]),
        "students_latest": st["stated"].iloc[-1],
        "students_latest_year": str(st["year"].iloc[-1]),
        "students_latest_interval": _interval_text(st["interval"].iloc[-1]),
        "pairs": number(pairs["value"].iloc[-1]),
        "pairs_n_articles": str(pairs["seed"].nunique()),
        "pairs_first_date": pairs["period_label"].iloc[0].removeprefix("as of "),
        "pairs_latest_date": pairs["period_label"].iloc[-1].removeprefix("as of "),
        "xinjiang_pairs": number(s["xinjiang"]["value"]),
        "xinjiang_share": format_value(round(s["share"].value, 1), "percent"),
        "first_pair_date": s["first"]["period_label"],
        "pairs_years": number(s["years"], 1),
        "pairs_pace": number(s["pace"], 2),
        "tourists": format_value(t.tourists["value"], "persons"),
        "tourists_thousand": f"{number(t.tourists['value'] / 1000)} thousand",
        "tourists_period": t.tourists["period_label"],
        "tourists_days": str(t.days),
        "tourists_days_short": str(t.days_short),
        "tourists_monthly": number(t.monthly.value, 0),
        "tourists_monthly_short": number(t.monthly_short.value, 0),
        "tourist_multiple": format_value(t.multiple["value"], "multiple"),
        "tourist_multiple_n": number(t.multiple["value"]),
        "tourist_multiple_plus_one": number(t.multiple["value"] + 1),
        "tourist_multiple_period": t.multiple["period_label"],
        "tourist_base": number(t.base.value, 0),
        "tourist_base_more": number(t.base_more.value, 0),
        "bookings_multiple": format_value(t.bookings["value"], "multiple", t.bookings["qualifier"]),
        "bookings_period": t.bookings["period_label"],
        "alliance_cities": number(alliance["value"]),
        "tourism_year_order": format_value(tourism_year["value"], "rank"),
        "about_spread": format_value(round((1 - st["interval"].iloc[0].low / st["value"].iloc[0]) * 100),
                                     "percent"),
        "visa_date": visa_exemption_date(ledger),
        "n_events": str(len(ev)),
        "busiest_count": str(busiest["count"]),
        "busiest_first": str(busiest["first"]),
        "busiest_last": str(busiest["last"]),
    }


def visa_exemption_date(ledger: Ledger) -> str:
    """The visa exemption's date at the finest precision an article gives it."""
    ev = ledger.events[ledger.events["description"].str.contains("visa", case=False)
                       & (ledger.events["event_type"] == "agreement")]
    if ev.empty:
        raise ValueError("no dated visa agreement in the events")
    rank = {"day": 0, "month": 1, "year": 2}
    best = ev.assign(r=[rank[p] for p in ev["date_precision"]]).sort_values(["r", "event_id"]).iloc[0]
    return str(best["date_label"])


def key_figures(ledger: Ledger) -> list[dict[str, str]]:
    """Two or three figures for the introduction page."""
    pairs = _all(ledger, "sister_region_city_pairs")
    ci = _all(ledger, "confucius_institutes")
    t = tourism(ledger)
    return [
        {"label": f"Chinese tourists to Kazakhstan, {t.tourists['period_label']}",
         "value": format_value(t.tourists["value"], "persons"), "claim_ids": t.tourists["claim_id"]},
        {"label": "Sister provinces and cities, China–Kazakhstan",
         "value": number(pairs["value"].iloc[-1]) + " pairs",
         "claim_ids": ", ".join(pairs["claim_id"])},
        {"label": f"Confucius Institutes in Kazakhstan, {ci['period_label'].iloc[-1]}",
         "value": number(ci["value"].iloc[-1]), "claim_ids": ci["claim_id"].iloc[-1]},
    ]
