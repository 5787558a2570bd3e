"""Reconciliation: where the articles' figures agree, differ by time or scope, or cannot both be right.

Every check is computed from the ledger, never typed: :func:`run_checks` walks the ledger
systematically and returns one :class:`Check` per comparison it can make:

``same_metric``
    the same metric stated by two or more articles: the same period (or, for ranks, the
    same year of data) must agree; across dates, a cumulative count must not fall.
``implied_prior`` / ``implied_growth``
    a value and its growth rate imply the previous period; compared with another
    article's stated figure for that period, and the other way round.
``pro_rata``
    a part of a year against the full year spread evenly over the same days.
``start_year``
    "N years since" and "the Nth annual meeting" imply a start year; the articles'
    implied years must share a year with each other and with a dated event.
``count_vs_events``
    a count of visits cannot be lower than the visits the ledger dates in its window.
``part_whole`` / ``rank_vs_value``
    a part cannot exceed its whole; an overall rank is bounded by the ranks of its
    components, and a rise in rank should come with a rise in value.
``project_status``
    a project named by several articles cannot go back from built to planned.
``article_date``
    an undated article's inferred date must fall after the latest data it reports and
    before the events it announces.

Tolerances (all in this module, all unit-tested):

* every stated figure is read as an interval: half a unit of its last printed digit for
  an exact figure, ±10 % for "about", and open-ended for "more than" (the *strict*
  reading, :func:`..derive.stated_interval`); counts and ranks stated exactly are exact;
* a *plain* reading also bounds "more than X" at 10 % above X (:func:`..derive.plain_interval`);
* two figures for the same thing are **consistent** when their plain readings overlap;
  **tension** when only the strict readings overlap, or when the gap is within
  :data:`REVISION_TOLERANCE` (the size of a statistical revision); **conflict** otherwise;
* figures for different dates are explained by **timing or scope** unless the change is
  impossible: a cumulative count that falls is a conflict, or tension when the articles'
  wording shows they count different things;
* a part of a year is on pace when within :data:`PACE_TOLERANCE` of the even pace.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from ..analysis.intervals import (
    Interval,
    decimal_year,
    gap_between,
    growth_between,
    intersection,
    plain_interval,
    prior_from_growth,
    start_year,
    stated_interval,
    steady_growth_share,
)
from ..data.ledger import Ledger
from ..data.periods import PartialDate
from ..report.tables import format_value, number

KINDS = ("same_metric", "implied_prior", "implied_growth", "pro_rata", "start_year",
         "count_vs_events", "part_whole", "rank_vs_value", "project_status", "article_date")
VERDICTS = ("consistent", "timing_or_scope", "tension", "conflict")
VERDICT_LABELS = {"consistent": "consistent", "timing_or_scope": "explained by timing or scope",
                  "tension": "tension", "conflict": "conflict"}

#: A plain reading of "more than X": up to this fraction above X (the margin "about" allows).
PLAIN_MARGIN = 0.10
#: Two figures for the same thing whose ranges miss by less than this (relative) are in
#: tension, not conflict: the size of a revision or of a difference between statistical sources.
REVISION_TOLERANCE = 0.02
#: A part of a year within this fraction of the full year's even pace is on pace.
PACE_TOLERANCE = 0.10

#: Counts that only grow: a fall between two dates is impossible for the same scope.
CUMULATIVE = frozenset({
    "capacity_projects_count", "capacity_projects_value", "capacity_projects_completed",
    "confucius_institutes", "chinese_universities_kazakh_major",
    "chinese_universities_kz_research_centres", "sister_region_city_pairs",
    "xinjiang_sister_city_pairs", "cross_border_railway_lines",
})
#: Ordinals of a meeting held once a year, and the event that founded the series.
ANNUAL_ORDINALS = {"sco_heads_of_state_meeting_number": "Shanghai Cooperation Organization founded"}
#: "N years since X": the words that identify event X in data/events.csv.
SPAN_EVENTS = {"years_since_bri_proposed": "Belt and Road Initiative",
               "years_since_diplomatic_relations": "diplomatic relations"}
#: Counts of visits: who visits (as the events' descriptions name them), and whether the
#: count ends before the visit the article reports (True) or includes it (False).
VISIT_COUNTS = {"xi_visits_to_kz": ("Xi Jinping", True),
                "tokayev_visits_to_china": ("Tokayev", True),
                "li_keqiang_visits_to_kz_as_premier": ("Li Keqiang", False)}
#: Part -> whole: the part cannot exceed the whole.
PART_WHOLE = (("xinjiang_sister_city_pairs", "sister_region_city_pairs"),
              ("capacity_projects_completed", "capacity_projects_count"),
              ("agri_products_trade", "bilateral_goods_trade"),
              ("wind_project_capacity_akmola", "renewable_capacity_chinese_participation"))
#: A stock counted at a date whose start the article does not give, and the full-year
#: flows that make up the same traffic (for a pace check from the first of January).
SUM_OF = {"freight_trains_via_horgos_alashankou": ("china_europe_trains_via_horgos",
                                                   "china_europe_trains_via_alashankou")}
#: Overall rank -> (rank among export destinations, rank among import sources).
RANK_COMPONENTS = {"china_rank_as_kz_trading_partner": ("china_rank_as_kz_export_destination",
                                                        "china_rank_as_kz_import_source")}
#: Rank -> the value it ranks by.
RANK_VALUE = {"china_rank_as_kz_trading_partner": "bilateral_goods_trade"}
#: Metrics whose articles word what they count differently: read the wording from the quote
#: with the energy chapter's reader of programme stages.
SCOPE_WORDING = frozenset({"capacity_projects_count", "capacity_projects_value"})
#: What most likely explains a change between two dates, where the quotes suggest more than growth.
CHANGE_HYPOTHESES = {
    "chinese_universities_kazakh_major": "new majors, or a wider wording ('students … can major in' "
                                         "against 'have opened … majors'); the seeds do not date them.",
    "confucius_institutes": "an institute founded between the articles; the seeds do not date it.",
}
#: Stages of a project, in the order they come; "mentioned" says nothing of the stage.
STATUS_STAGE = {"planned": 0, "under_construction": 1, "operating": 2, "completed": 2}
#: Units that can be compared after scaling (to the first unit of the pair).
UNIT_SCALE = {("USD_million", "USD_billion"): 0.001}

_SPECIAL = set(ANNUAL_ORDINALS) | set(SPAN_EVENTS) | set(VISIT_COUNTS)


# --------------------------------------------------------------------------- the check

@dataclass(frozen=True)
class Check:
    """One cross-check: the figures it uses, the arithmetic, and the verdict."""

    title: str
    kind: str
    metric: str
    claim_ids: tuple[str, ...]
    arithmetic: str
    verdict: str
    explanation: str
    hypothesis: bool = False
    event_ids: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    values: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    check_id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown check kind {self.kind!r}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    @property
    def passes(self) -> bool:
        return self.verdict == "consistent"


@dataclass(frozen=True)
class Reading:
    """A stated figure read two ways: what its words allow, and what a reader takes it to mean."""

    strict: Interval
    plain: Interval


# --------------------------------------------------------------------------- verdict rules

def reading(value: float, unit: str, qualifier: str = "exact") -> Reading:
    """How a figure is read: counts and ranks stated exactly are exact; others allow rounding."""
    if unit in ("count", "rank") and qualifier == "exact":
        point = Interval(value, value)
        return Reading(point, point)
    if unit == "rank" and qualifier == "up_to":
        top = Interval(1.0, value)
        return Reading(top, top)
    return Reading(stated_interval(value, qualifier),
                   plain_interval(value, qualifier, margin=PLAIN_MARGIN))


def derived_reading(interval: Interval) -> Reading:
    return Reading(interval, interval)


def relative_gap(a: Interval, b: Interval) -> float:
    """The distance between two ranges as a fraction of the nearer edge (0 if they overlap)."""
    gap = gap_between(a, b)
    if gap == 0:
        return 0.0
    edge = a.high if a.high < b.low else b.high
    return gap / abs(edge) if edge else math.inf


def compare_same(a: Reading, b: Reading) -> str:
    """Two figures for the same thing at the same time."""
    if a.plain.overlaps(b.plain):
        return "consistent"
    if a.strict.overlaps(b.strict):
        return "tension"
    if relative_gap(a.strict, b.strict) <= REVISION_TOLERANCE:
        return "tension"
    return "conflict"


def compare_over_time(earlier: Reading, later: Reading, *, cumulative: bool,
                      scope_differs: bool = False) -> str:
    """Two figures for the same thing at two dates."""
    if earlier.plain.overlaps(later.plain):
        return "consistent"
    if cumulative and later.strict.high < earlier.strict.low:
        return "tension" if scope_differs else "conflict"
    if cumulative and later.plain.high < earlier.plain.low:
        return "tension"
    return "timing_or_scope"


def pace_verdict(ratio: Interval) -> str:
    """A part of a period against the whole at an even pace (ratio 1 = on pace)."""
    if ratio.overlaps(Interval(1 - PACE_TOLERANCE, 1 + PACE_TOLERANCE)):
        return "consistent"
    return "timing_or_scope"


def start_verdict(intervals: Sequence[Interval]) -> str:
    """Implied start dates: one date all allow; or every two overlap; or some pair cannot meet."""
    if intersection(intervals) is not None:
        return "consistent"
    if all(a.overlaps(b) for i, a in enumerate(intervals) for b in intervals[i + 1:]):
        return "tension"
    return "conflict"


def count_verdict(stated: Interval, hard_floor: int, chained_floor: int | None = None) -> str:
    """A count of events against the events the ledger dates inside its window."""
    if stated.high < hard_floor:
        return "conflict"
    if chained_floor is not None and stated.high < chained_floor:
        return "tension"
    return "consistent"


def part_whole_verdict(part: Interval, whole: Interval, *, same_date: bool) -> str:
    if part.low <= whole.high:
        return "consistent"
    return "conflict" if same_date else "timing_or_scope"


def rank_bound(component_ranks: Iterable[Interval]) -> Interval:
    """Best and worst overall rank allowed by the ranks in each component of a total.

    A partner ahead overall must be ahead in at least one component, so at most
    (r1 − 1) + (r2 − 1) partners can be ahead: the overall rank is at most r1 + r2 − 1.
    """
    ranks = list(component_ranks)
    return Interval(1.0, sum(r.high for r in ranks) - (len(ranks) - 1))


def rank_value_verdict(rank_before: float, rank_after: float, growth: Interval) -> str:
    """A change in rank against the change in the value it ranks by."""
    improved, worsened = rank_after < rank_before, rank_after > rank_before
    if (improved and growth.high < 0) or (worsened and growth.low > 0):
        return "tension"
    return "consistent"


# --------------------------------------------------------------------------- text helpers

def describe(claim: pd.Series) -> str:
    """'US$41 bn (2023, Xinhua, Jul 2024)'."""
    return f"{format_value(claim['value'], claim['unit'], claim['qualifier'])} " \
           f"({claim['period_label']}, {claim['short_name']})"


#: Labels that start with a name keep their capital.
_PROPER = ("China", "Kazakh", "Xinjiang", "Xi ", "Li ", "Tokayev", "Chinese", "AliExpress", "Alibaba",
           "Urumqi", "Almaty", "Confucius", "SCO")
RANK_PREFIX = "China's rank as "


def lower_first(label: str) -> str:
    """'Bilateral goods trade' -> 'bilateral goods trade'; 'China's rank …' stays."""
    return label if label.startswith(_PROPER) else label[:1].lower() + label[1:]


def _decimals(unit: str) -> int:
    return {"USD_billion": 2, "percent": 1, "years": 1}.get(unit, 0)


def range_text(interval: Interval, decimals: int = 2) -> str:
    if math.isinf(interval.high):
        return f"{number(interval.low, decimals)} or more"
    if interval.low == interval.high:
        return number(interval.low, decimals)
    return f"{number(interval.low, decimals)}–{number(interval.high, decimals)}"


def _year_text(value: float) -> str:
    return f"{value:.1f}"


def _year_range(interval: Interval) -> str:
    return f"{_year_text(interval.low)}–{_year_text(interval.high)}"


def _pct(value: float, decimals: int = 1) -> str:
    sign = "−" if value < 0 else ""
    return f"{sign}{number(abs(value), decimals)} %"


def _months(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _as_of_date(claim: pd.Series) -> date:
    return claim["period_end"].date()


# --------------------------------------------------------------------------- ledger helpers

def basis_year(claim: pd.Series) -> int:
    """The year of data a rank describes: its own year, or for "now" the last full year."""
    if claim["period_kind"] == "as_of":
        return int(claim["period_end"].year) - 1
    return int(claim["year"])


def _group_key(claim: pd.Series) -> str:
    return f"data year {basis_year(claim)}" if claim["unit"] == "rank" else str(claim["period"])


def _is_stock(rows: pd.DataFrame) -> bool:
    return bool(((rows["period_kind"] == "as_of") | (rows["unit"] == "rank")).all())


def _metric_order(ledger: Ledger) -> dict[str, int]:
    return {m: i for i, m in enumerate(ledger.metrics["metric"])}


def _scope(claim: pd.Series) -> str | None:
    if claim["metric"] not in SCOPE_WORDING:
        return None
    from ..chapters.energy_industry import stage_of  # imported late: chapters may import this module

    return stage_of(claim["quote"])


def shift_period(period: str, years: int) -> str:
    from ..chapters.trade import shift_period as shift

    return shift(period, years)


def period_days(period: str) -> int:
    from ..chapters.trade import period_days as days

    return days(period)


def _full_year_claims(ledger: Ledger, metric: str, year: int) -> pd.DataFrame:
    rows = ledger.metric(metric)
    return rows[(rows["period"] == str(year))]


def _prefer_seed(rows: pd.DataFrame, seed: str) -> pd.DataFrame:
    """The same rows, those from ``seed`` first, then oldest article first."""
    return rows.assign(_other=rows["seed"] != seed).sort_values(
        ["_other", "published_date", "claim_id"]).drop(columns="_other")


def event_interval(event: pd.Series) -> Interval:
    """An event's date as a span of fractional years, at the precision the article gives."""
    when = PartialDate.parse(str(event["date"]))
    return Interval(decimal_year(when.first_day), decimal_year(when.last_day))


def growth_pairs(ledger: Ledger) -> list[tuple[pd.Series, pd.Series]]:
    """(value, growth) claims of one article for one period: metric X with metric X_growth."""
    pairs = []
    claims = ledger.claims
    for _, g in claims[claims["metric"].str.endswith("_growth")].sort_values("claim_id").iterrows():
        base = g["metric"].removesuffix("_growth")
        match = claims[(claims["metric"] == base) & (claims["seed"] == g["seed"])
                       & (claims["period"] == g["period"])]
        if len(match) == 1:
            pairs.append((match.iloc[0], g))
    return pairs


# --------------------------------------------------------------------------- same metric

def _same_metric_checks(ledger: Ledger) -> list[Check]:
    checks = []
    for metric in ledger.metrics["metric"]:
        if metric in _SPECIAL:
            continue
        rows = ledger.metric(metric)
        if len(rows) < 2:
            continue
        label = ledger.label(metric)
        rows = rows.assign(_key=[_group_key(r) for _, r in rows.iterrows()])
        order = rows.groupby("_key")["period_end"].max().sort_values()
        groups = [rows[rows["_key"] == key].sort_values("claim_id") for key in order.index]
        for group in groups:
            if len(group) > 1:
                checks.append(_same_period_check(ledger, metric, label, group))
        if _is_stock(rows):
            for before, after in zip(groups[:-1], groups[1:], strict=True):
                checks.append(_over_time_check(ledger, metric, label, before, after))
    return checks


def _when(claim: pd.Series) -> str:
    if claim["unit"] == "rank":
        return f"{basis_year(claim)} data"
    return str(claim["period_label"]).removeprefix("as of ")


def describe_group(group: pd.DataFrame) -> str:
    """One claim described, or several claims of the same value and period with their ids."""
    first = group.iloc[0]
    if len(group) == 1:
        return describe(first)
    values = {format_value(v, u, q) for v, u, q in zip(group["value"], group["unit"], group["qualifier"],
                                                      strict=True)}
    if len(values) == 1:
        return f"{values.pop()} ({_when(first)}; {', '.join(group['claim_id'])})"
    return "; ".join(describe(c) for _, c in group.iterrows())


def _same_period_check(ledger: Ledger, metric: str, label: str, group: pd.DataFrame) -> Check:
    claims = [c for _, c in group.iterrows()]
    readings = [reading(c["value"], c["unit"], c["qualifier"]) for c in claims]
    verdicts = [compare_same(a, b) for i, a in enumerate(readings) for b in readings[i + 1:]]
    verdict = max(verdicts, key=VERDICTS.index)
    first = claims[0]
    period = _when(first)
    stated = "; ".join(describe(c) for c in claims)
    n_articles = group["seed"].nunique()
    who = (f"{len(claims)} claims in {n_articles} articles" if n_articles != len(claims)
           else f"{len(claims)} articles")
    decimals = _decimals(first["unit"])
    ranges = ", ".join(range_text(r.plain, decimals) for r in readings)
    if verdict == "consistent":
        same = len({c["value"] for c in claims}) == 1
        explanation = ((f"All {who}" if len(claims) > 2 else f"Both {who.split(' ', 1)[1]}")
                       + " give the same figure." if same
                       else "The figures differ only within their rounding.")
    else:
        explanation = "The figures for the same period differ beyond their rounding."
    return Check(
        title=f"{label}, {period}: {who}",
        kind="same_metric", metric=metric, claim_ids=tuple(c["claim_id"] for c in claims),
        arithmetic=f"{stated}. Values the wording allows: {ranges}.",
        verdict=verdict, explanation=explanation, metrics=(metric,),
        values={"readings": readings})


def _over_time_check(ledger: Ledger, metric: str, label: str, before: pd.DataFrame,
                     after: pd.DataFrame) -> Check:
    a, b = before.iloc[0], after.iloc[0]
    ra, rb = reading(a["value"], a["unit"], a["qualifier"]), reading(b["value"], b["unit"], b["qualifier"])
    scope_a, scope_b = _scope(a), _scope(b)
    scope_differs = scope_a is not None and scope_a != scope_b
    cumulative = metric in CUMULATIVE
    verdict = compare_over_time(ra, rb, cumulative=cumulative, scope_differs=scope_differs)
    decimals = _decimals(a["unit"])
    months = _months(a["period_end"], b["period_end"])
    when_a, when_b = _when(a), _when(b)
    ids = tuple(dict.fromkeys([*before["claim_id"], *after["claim_id"]]))
    arithmetic = (f"{describe_group(before)} → {describe_group(after)}; read as "
                  f"{range_text(ra.plain, decimals)} and "
                  f"{range_text(rb.plain, decimals)}")
    if ra.strict != ra.plain or rb.strict != rb.plain:
        arithmetic += (f" (strictly {range_text(ra.strict, decimals)} and "
                       f"{range_text(rb.strict, decimals)})")
    hypothesis = False
    if verdict == "consistent":
        explanation = ("Both dates allow the same value: no change is needed to reconcile them."
                       if a["value"] != b["value"] else "The same figure at both dates.")
    elif a["unit"] == "rank":
        explanation = (f"The ranks describe different years of data ({when_a} and {when_b}): "
                       "the rank changed between them.")
        hypothesis = a["period_kind"] == "as_of" or b["period_kind"] == "as_of"
        if hypothesis:
            explanation += (" Hypothesis: an undated 'now' or 'for years' refers to the last "
                            "full year of data before the article.")
    elif verdict == "timing_or_scope":
        change = b["value"] - a["value"]
        explanation = (f"A {'rise' if change > 0 else 'fall'} of {number(abs(change), decimals)} "
                       f"over {months} months: "
                       "the figures describe different dates.")
        if scope_differs:
            explanation += f" The wording also changes, from '{scope_a}' to '{scope_b}'."
        hypothesis = True
        explanation += " Hypothesis: " + (
            CHANGE_HYPOTHESES.get(metric, "new entries between the articles; the seeds do not date them.")
            if not scope_differs else "growth, a different stage counted, or both.")
    else:
        explanation, hypothesis = _fall_explanation(a, b, ra, rb, scope_a, scope_b, scope_differs)
    return Check(
        title=f"{label}: {when_a} against {when_b}",
        kind="same_metric", metric=metric, claim_ids=ids, arithmetic=arithmetic,
        verdict=verdict, explanation=explanation, hypothesis=hypothesis, metrics=(metric,),
        values={"before": ra, "after": rb, "scope": (scope_a, scope_b)})


def _fall_explanation(a, b, ra: Reading, rb: Reading, scope_a, scope_b, scope_differs) -> tuple[str, bool]:
    decimals = _decimals(a["unit"])
    if rb.strict.high < ra.strict.low:
        text = (f"A cumulative figure cannot fall, yet it goes from {number(a['value'], decimals)} "
                f"to {number(b['value'], decimals)}.")
    else:
        text = (f"'{format_value(b['value'], b['unit'], b['qualifier'])}' allows "
                f"{format_value(a['value'], a['unit'])}, but read plainly (up to "
                f"{number(PLAIN_MARGIN * 100)} % more) it is at most "
                f"{format_value(round(rb.plain.high, 2), b['unit'])}, still "
                f"{_pct((1 - rb.plain.high / a['value']) * 100)} below the earlier figure.")
    if scope_differs:
        text += (f" The articles count different things: '{scope_a}' and then '{scope_b}'. "
                 "Hypothesis: the later list is a revised or narrower set (projects merged, "
                 "dropped or not yet established); the seeds cannot settle it.")
    else:
        text += " Hypothesis: a revision of the series, or a different scope."
    return text, True


# --------------------------------------------------------------------------- implied figures

def _implied_checks(ledger: Ledger) -> list[Check]:
    checks = []
    for value, growth in growth_pairs(ledger):
        prior = prior_from_growth(value["value"], growth["value"], value_q=value["qualifier"],
                                  growth_q=growth["qualifier"])
        earlier_period = shift_period(str(value["period"]), -1)
        stated = ledger.metric(value["metric"])
        stated = stated[stated["period"] == earlier_period]
        label = ledger.label(value["metric"])
        decimals = _decimals(value["unit"]) or 1
        for _, s in stated.iterrows():
            rs = reading(s["value"], s["unit"], s["qualifier"])
            verdict = compare_same(derived_reading(prior.interval), rs)
            gap = s["value"] - prior.value
            arithmetic = (f"{prior.formula}, range {range_text(prior.interval, decimals)} from "
                          f"rounding; stated {describe(s)}, range {range_text(rs.strict, decimals + 1)}")
            if verdict == "consistent":
                explanation = (f"The stated figure is {number(abs(gap), decimals)} "
                               f"({_pct(abs(gap) / prior.value * 100, 2)}) "
                               f"{'above' if gap > 0 else 'below'} the implied one, "
                               "inside the range the rounding of the value and the growth rate allows.")
            else:
                explanation = (f"The stated figure lies {number(abs(gap), decimals)} "
                               f"{'above' if gap > 0 else 'below'} the implied one, outside the "
                               "range rounding allows. Hypothesis: a revision between the "
                               "articles, or different statistical sources.")
            checks.append(Check(
                title=f"{label}, {s['period_label']}: stated against implied by the next year's growth",
                kind="implied_prior", metric=value["metric"],
                claim_ids=(s["claim_id"], value["claim_id"], growth["claim_id"]),
                arithmetic=arithmetic, verdict=verdict, explanation=explanation,
                hypothesis=verdict != "consistent", metrics=(value["metric"], growth["metric"]),
                values={"implied": prior, "stated": rs, "stated_claim": s["claim_id"]}))
            checks.append(_implied_growth_check(ledger, s, value, growth))
    return checks


def _implied_growth_check(ledger: Ledger, earlier: pd.Series, later: pd.Series,
                          growth: pd.Series) -> Check:
    derived = growth_between(earlier["value"], later["value"], earlier_q=earlier["qualifier"],
                             later_q=later["qualifier"])
    stated = reading(growth["value"], growth["unit"], growth["qualifier"])
    factor = Interval(1 + derived.interval.low / 100, 1 + derived.interval.high / 100)
    stated_factor = Reading(*(Interval(1 + i.low / 100, 1 + i.high / 100)
                              for i in (stated.strict, stated.plain)))
    verdict = compare_same(derived_reading(factor), stated_factor)
    diff = growth["value"] - derived.value
    return Check(
        title=f"{ledger.label(growth['metric'])}, {growth['period_label']}: stated against "
              "the two stated totals",
        kind="implied_growth", metric=growth["metric"],
        claim_ids=(earlier["claim_id"], later["claim_id"], growth["claim_id"]),
        arithmetic=(f"{derived.formula}, range {range_text(derived.interval, 1)} % from rounding; "
                    f"stated {format_value(growth['value'], 'percent')} "
                    f"(range {range_text(stated.strict, 2)} %)"),
        verdict=verdict,
        explanation=(f"The stated rate is {number(abs(diff), 1)} percentage points "
                     f"{'above' if diff > 0 else 'below'} the rate the two totals give"
                     + (", within rounding." if verdict == "consistent" else
                        ", beyond rounding. Hypothesis: revised totals or different sources.")),
        hypothesis=verdict != "consistent",
        metrics=(growth["metric"], later["metric"]),
        values={"derived": derived, "stated": stated})


def unconfirmed_implied(ledger: Ledger) -> pd.DataFrame:
    """Figures implied by a value and its growth that no article states: nothing to check against."""
    rows = []
    for value, growth in growth_pairs(ledger):
        earlier_period = shift_period(str(value["period"]), -1)
        stated = ledger.metric(value["metric"])
        if (stated["period"] == earlier_period).any():
            continue
        prior = prior_from_growth(value["value"], growth["value"], value_q=value["qualifier"],
                                  growth_q=growth["qualifier"])
        rows.append({"metric": value["metric"], "label": ledger.label(value["metric"]),
                     "period": earlier_period, "unit": value["unit"], "value": prior.value,
                     "interval": prior.interval, "formula": prior.formula,
                     "claim_ids": (value["claim_id"], growth["claim_id"])})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- pro rata

def _pace_check(title: str, metric: str, part_value: Interval, part_text: str, days_part: int,
                whole: pd.Series | None, whole_value: float, whole_text: str, days_whole: int,
                claim_ids: tuple[str, ...], metrics: tuple[str, ...], same_year: bool, unit: str,
                caveat: str = "", hypothesis: bool = False,
                steady: pd.Series | None = None) -> Check:
    def pace_text(value: float) -> str:
        return format_value(round(value, _decimals(unit)), unit)

    pace = whole_value * days_part / days_whole
    whole_reading = stated_interval(whole_value, "exact") if whole is not None else Interval(
        whole_value, whole_value)
    pace_iv = Interval(whole_reading.low * days_part / days_whole,
                       whole_reading.high * days_part / days_whole)
    ratio = Interval(part_value.low / pace_iv.high,
                     part_value.high / pace_iv.low if math.isfinite(part_value.high) else math.inf)
    verdict = pace_verdict(ratio)
    if same_year and part_value.low > whole_reading.high:
        verdict = "conflict"
    central = part_value.low if math.isinf(part_value.high) else (part_value.low + part_value.high) / 2
    ratio_text = ("at least " if math.isinf(part_value.high) else "") + _pct((central / pace - 1) * 100)
    arithmetic = (f"{whole_text} × {days_part}/{days_whole} days = {pace_text(pace)} at "
                  f"an even pace; {part_text}: {ratio_text} against that pace "
                  f"(tolerance ±{number(PACE_TOLERANCE * 100)} %)")
    if verdict == "consistent":
        explanation = "On pace, within the tolerance for an uneven year."
    elif verdict == "conflict":
        explanation = "The part is larger than the whole it belongs to."
    else:
        explanation = "Off the even pace by more than the tolerance: the year was uneven."
        hypothesis = True
        if steady is None:
            explanation += (" Hypothesis: growth during the year and the season; the seeds give no "
                            "monthly figures.")
    values: dict[str, object] = {}
    if steady is not None:
        fraction = days_part / days_whole
        share = steady_growth_share(steady["value"], fraction)
        expected = share / fraction
        residual = (central / pace) / expected - 1
        values = {"steady_share": share, "steady_ratio": expected, "residual": residual}
        arithmetic += (f"; at a steady {format_value(steady['value'], 'percent')} a year "
                       f"({steady['claim_id']}) the first {days_part} days hold "
                       f"{_pct(share * 100)} of the year, not {_pct(fraction * 100)}: "
                       f"{_pct((expected - 1) * 100)} against the even pace")
        if verdict != "consistent":
            explains = abs(residual) <= PACE_TOLERANCE
            explanation += (f" Hypothesis: the flow grew through the year. Steady growth at the year's "
                            f"own rate puts the part {_pct((expected - 1) * 100)} from the even pace, "
                            + ("most of the gap; the season would explain the rest" if explains else
                               "too little to explain the gap; a seasonal or one-off swing is needed")
                            + ". The seeds give no monthly figures.")
    if caveat:
        explanation += " " + caveat
    return Check(title=title, kind="pro_rata", metric=metric, claim_ids=claim_ids,
                 arithmetic=arithmetic, verdict=verdict, explanation=explanation,
                 hypothesis=hypothesis, metrics=metrics,
                 values={"ratio": ratio, "pace": pace, "central_ratio": central / pace,
                         "part": part_value, "days_part": days_part, "days_whole": days_whole, **values})


def _pro_rata_checks(ledger: Ledger) -> list[Check]:
    checks = []
    claims = ledger.claims
    growth_of = {v["claim_id"]: g for v, g in growth_pairs(ledger)}
    partial = claims[(claims["period_kind"] == "range") & (claims["period_start"].dt.year
                                                          == claims["period_end"].dt.year)]
    partial = partial[~partial["metric"].str.endswith("_growth") & (partial["unit"] != "count")
                      & (partial["unit"] != "multiple")]
    for _, part in partial.sort_values("claim_id").iterrows():
        if part["period_start"].month == 1 and part["period_end"].month == 12:
            continue  # a whole year written as a range
        year = int(part["year"])
        label = ledger.label(part["metric"])
        wholes = _full_year_claims(ledger, part["metric"], year - 1)
        if wholes.empty:
            continue
        whole = _prefer_seed(wholes, part["seed"]).iloc[0]
        days_whole = period_days(str(year - 1))
        days_part = period_days(str(part["period"]))
        rp = reading(part["value"], part["unit"], part["qualifier"])
        checks.append(_pace_check(
            f"{label}, {part['period_label']}: against {year - 1} at an even pace",
            part["metric"], rp.strict, f"stated {format_value(part['value'], part['unit'])}",
            days_part, whole, whole["value"], format_value(whole["value"], whole["unit"]), days_whole,
            (part["claim_id"], whole["claim_id"]), (part["metric"],), same_year=False,
            unit=part["unit"]))
        g = growth_of.get(part["claim_id"])
        if g is None:
            continue
        prior = prior_from_growth(part["value"], g["value"], value_q=part["qualifier"],
                                  growth_q=g["qualifier"])
        earlier = shift_period(str(part["period"]), -1)
        steady = growth_of.get(whole["claim_id"])
        if steady is None:  # another article's growth rate for the same full year
            rates = ledger.metric(f"{part['metric']}_growth")
            rates = rates[rates["period"] == str(year - 1)]
            steady = rates.iloc[0] if len(rates) else None
        extra = (steady["claim_id"],) if steady is not None else ()
        checks.append(_pace_check(
            f"{label}, {part['period_label'].replace(str(year), str(year - 1))} (implied): "
            f"against {year - 1} at an even pace",
            part["metric"], prior.interval,
            f"implied {prior.formula} (range {range_text(prior.interval)})",
            period_days(earlier), whole, whole["value"], format_value(whole["value"], whole["unit"]),
            days_whole, (part["claim_id"], g["claim_id"], whole["claim_id"], *extra),
            (part["metric"], g["metric"]), same_year=True, unit=part["unit"], steady=steady))
    for stock_metric, parts in SUM_OF.items():
        for _, stock in ledger.metric(stock_metric).iterrows():
            year = int(stock["year"])
            flows = [_full_year_claims(ledger, m, year - 1) for m in parts]
            if any(f.empty for f in flows):
                continue
            flows = [f.iloc[0] for f in flows]
            total = sum(f["value"] for f in flows)
            start = date(year, 1, 1)
            days_part = (_as_of_date(stock) - start).days + 1
            rs = reading(stock["value"], stock["unit"], stock["qualifier"])
            checks.append(_pace_check(
                f"{ledger.label(stock_metric)}, to {stock['period_label'].removeprefix('as of ')}: "
                f"against {year - 1} at an even pace",
                stock_metric, rs.strict,
                f"stated {format_value(stock['value'], stock['unit'], stock['qualifier'])}",
                days_part, None, total, "(" + " + ".join(number(f["value"]) for f in flows) + ")",
                period_days(str(year - 1)), (stock["claim_id"], *(f["claim_id"] for f in flows)),
                (stock_metric, *parts), same_year=False, unit=stock["unit"], hypothesis=True,
                caveat=("Hypothesis: the count starts on 1 January and covers the same trains "
                        "as the China–Europe counts; the article says neither.")))
    return checks


# --------------------------------------------------------------------------- start years

def _span_interval(claim: pd.Series) -> tuple[float, Interval, str]:
    as_of = round(decimal_year(_as_of_date(claim)), 2)
    derived = start_year(as_of, claim["value"], claim["qualifier"])  # type: ignore[arg-type]
    formula = (f"{as_of:.2f} − {format_value(claim['value'], 'years', claim['qualifier'])} = "
               f"{_year_text(derived.value)} ({_year_range(derived.interval)})")
    return derived.value, derived.interval, formula


def _matching_events(ledger: Ledger, words: str, event_type: str | None = None) -> pd.DataFrame:
    ev = ledger.events
    rows = ev[ev["description"].str.contains(words, regex=False)]
    if event_type:
        rows = rows[rows["event_type"] == event_type]
    return rows.sort_values("event_id")


def _is_derived(event: pd.Series) -> bool:
    note = event["note"] if isinstance(event["note"], str) else ""
    return note.lower().startswith("derived")


def _start_year_checks(ledger: Ledger) -> list[Check]:
    checks = []
    for metric, words in SPAN_EVENTS.items():
        claims = ledger.metric(metric).sort_values(["period_end", "claim_id"])
        if claims.empty:
            continue
        parts, intervals, rows = [], [], []
        for _, c in claims.iterrows():
            central, interval, formula = _span_interval(c)
            intervals.append(interval)
            parts.append(f"{c['claim_id']}: {formula}")
            rows.append({"claim_id": c["claim_id"], "label": f"{c['short_name']}: "
                         f"{format_value(c['value'], 'years', c['qualifier'])}",
                         "central": central, "interval": interval})
        events = _matching_events(ledger, words)
        used, ignored = [], []
        for _, e in events.iterrows():
            (ignored if _is_derived(e) else used).append(e)
        event_rows = [{"event_id": e["event_id"], "date": e["date_label"], "interval": event_interval(e),
                       "derived": _is_derived(e)} for e in [*used, *ignored]]
        verdict = start_verdict(intervals + [r["interval"] for r in event_rows if not r["derived"]])
        common = intersection(intervals + [r["interval"] for r in event_rows if not r["derived"]])
        arithmetic = "; ".join(parts)
        if used:
            arithmetic += "; dated event " + ", ".join(f"{e['event_id']} ({e['date_label']})" for e in used)
        explanation = ("Every implied start year shares "
                       f"{_year_range(common)} with the others" if common else
                       "The implied start years do not share a common year")
        explanation += (" and with the dated event." if used and common else ".")
        for e in ignored:
            explanation += (f" Event {e['event_id']} ({e['date_label']}) is not used: the ledger "
                            "derives its date from one of these figures.")
        checks.append(Check(
            title=f"{ledger.label(metric)}: the start year each article implies",
            kind="start_year", metric=metric, claim_ids=tuple(claims["claim_id"]),
            event_ids=tuple(e["event_id"] for e in used), arithmetic=arithmetic, verdict=verdict,
            explanation=explanation, metrics=(metric,),
            values={"claims": rows, "events": event_rows, "common": common}))
    for metric, words in ANNUAL_ORDINALS.items():
        claims = ledger.metric(metric).sort_values(["period_end", "claim_id"])
        if claims.empty:
            continue
        intervals, parts, rows = [], [], []
        for _, c in claims.iterrows():
            first = int(c["period_start"].year) - int(c["value"]) + 1
            interval = Interval(float(first), float(first + 1))
            intervals.append(interval)
            parts.append(f"{c['claim_id']}: {c['period_start'].year} − {number(c['value'])} + 1 = {first}")
            rows.append({"claim_id": c["claim_id"], "label": f"{c['short_name']}: "
                         f"{format_value(c['value'], 'rank')} meeting",
                         "central": first + 0.5, "interval": interval})
        used = [e for _, e in _matching_events(ledger, words).iterrows() if not _is_derived(e)]
        event_rows = [{"event_id": e["event_id"], "date": e["date_label"], "interval": event_interval(e),
                       "derived": False} for e in used]
        verdict = start_verdict(intervals + [r["interval"] for r in event_rows])
        founded = ", ".join(f"{e['event_id']} ({e['date_label']})" for e in used)
        checks.append(Check(
            title=f"{ledger.label(metric)}: the first meeting each ordinal implies",
            kind="start_year", metric=metric, claim_ids=tuple(claims["claim_id"]),
            event_ids=tuple(e["event_id"] for e in used),
            arithmetic="; ".join(parts) + (f"; founding {founded}" if used else ""),
            verdict=verdict,
            explanation=("With one meeting a year, every ordinal points to the founding year."
                         if verdict == "consistent" else
                         "The ordinals do not fit one meeting a year since the founding. "
                         "Hypothesis: a year without a meeting, or a different count."),
            hypothesis=verdict != "consistent", metrics=(metric,),
            values={"claims": rows, "events": event_rows,
                    "common": intersection(intervals + [r["interval"] for r in event_rows])}))
    return checks


# --------------------------------------------------------------------------- visits

def _distinct_events(events: pd.DataFrame) -> list[pd.Series]:
    """Events of one kind, one per occurrence: a year-only date holding a precise one is the same."""
    items = sorted((e for _, e in events.iterrows()), key=lambda e: (
        {"day": 0, "month": 1, "year": 2}[e["date_precision"]], e["event_id"]))
    kept: list[pd.Series] = []
    for e in items:
        span = event_interval(e)
        if not any(_nested(event_interval(k), span) for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: e["date_start"])


def _nested(a: Interval, b: Interval) -> bool:
    return (a.low >= b.low and a.high <= b.high) or (b.low >= a.low and b.high <= a.high)


def _window(claim: pd.Series, exclusive_end: bool) -> tuple[pd.Timestamp | None, pd.Timestamp, bool]:
    start = claim["period_start"] if claim["period_kind"] == "range" else None
    return start, claim["period_end"], exclusive_end


def _in_window(event: pd.Series, start, end, exclusive_end: bool) -> bool:
    when = event["date_start"]
    after = start is None or when >= start
    before = when < end if exclusive_end else when <= end
    return after and before


def _visit_checks(ledger: Ledger) -> list[Check]:
    checks = []
    for metric, (who, exclusive) in VISIT_COUNTS.items():
        claims = ledger.metric(metric).sort_values(["period_end", "claim_id"])
        if claims.empty:
            continue
        visits = _distinct_events(_matching_events(ledger, who, "visit"))
        parts, verdicts, explanation, hypothesis = [], [], [], False
        used_events: set[str] = set()
        rows = []
        previous = None
        for _, c in claims.iterrows():
            start, end, excl = _window(c, exclusive)
            inside = [e for e in visits if _in_window(e, start, end, excl)]
            stated = reading(c["value"], c["unit"], c["qualifier"]).strict
            chained = None
            if previous is not None:
                p_claim, p_end = previous
                between = [e for e in visits if _in_window(e, p_end, end, excl)
                           and (e["date_start"] >= p_end)]
                chained = int(p_claim["value"]) + len(between)
                parts.append(f"{c['claim_id']}: {number(p_claim['value'])} "
                             f"({p_claim['claim_id']}) + "
                             f"{len(between)} dated in between "
                             f"({', '.join(e['event_id'] for e in between) or 'none'}) = {chained}, "
                             f"stated {number(c['value'])}")
                unrecorded = int(c["value"]) - chained
                if unrecorded > 0:
                    hypothesis = True
                    explanation.append(
                        f"{c['claim_id']} implies {unrecorded} visit{'s' if unrecorded != 1 else ''} "
                        f"between {p_end:%b %Y} and {end:%b %Y} that no article dates, if the "
                        f"{number(p_claim['value'])} visits of {p_claim['claim_id']} fall in its window. "
                        "Hypothesis: visits the articles do not mention.")
            ids = ", ".join(e["event_id"] for e in inside) or "none"
            parts.insert(len(parts) - (chained is not None),
                         f"{c['claim_id']}: {number(c['value'])} stated, {len(inside)} dated in the "
                         f"ledger ({ids})")
            used_events.update(e["event_id"] for e in inside)
            verdicts.append(count_verdict(stated, len(inside), chained))
            if previous is None and int(c["value"]) > len(inside):
                missing = int(c["value"]) - len(inside)
                explanation.append(f"{c['claim_id']} counts {missing} more visit"
                                   f"{'s' if missing != 1 else ''} than the ledger dates: "
                                   "the articles do not mention every visit.")
            rows.append({"claim_id": c["claim_id"], "stated": c["value"], "dated": len(inside),
                         "chained": chained})
            previous = (c, end)
        verdict = max(verdicts, key=VERDICTS.index)
        ev_ids = tuple(sorted(used_events))
        checks.append(Check(
            title=f"{ledger.label(metric)}: the count against the visits the articles date",
            kind="count_vs_events", metric=metric, claim_ids=tuple(claims["claim_id"]),
            event_ids=ev_ids, arithmetic="; ".join(parts), verdict=verdict,
            explanation=" ".join(["No count is below the visits dated in its window."
                                  if verdict == "consistent" else
                                  "A count is below the visits the ledger dates in its window.",
                                  *explanation]),
            hypothesis=hypothesis, metrics=(metric,), values={"rows": rows}))
    return checks


# --------------------------------------------------------------------------- parts and ranks

def _part_whole_checks(ledger: Ledger) -> list[Check]:
    checks = []
    for part_metric, whole_metric in PART_WHOLE:
        wholes = ledger.metric(whole_metric)
        for _, part in ledger.metric(part_metric).iterrows():
            if wholes.empty:
                continue
            same = wholes[wholes["period"] == part["period"]]
            if same.empty:
                gaps = (wholes["period_end"] - part["period_end"]).abs()
                whole = wholes.loc[gaps.sort_values(kind="stable").index[0]]
            else:
                whole = _prefer_seed(same, part["seed"]).iloc[0]
            scale = UNIT_SCALE.get((part["unit"], whole["unit"]), 1.0)
            if scale == 1.0 and part["unit"] != whole["unit"]:
                raise ValueError(f"cannot compare {part['unit']} with {whole['unit']}")
            rp = reading(part["value"] * scale, whole["unit"], part["qualifier"]).strict
            rw = reading(whole["value"], whole["unit"], whole["qualifier"]).strict
            same_date = part["period"] == whole["period"]
            verdict = part_whole_verdict(rp, rw, same_date=same_date)
            share = part["value"] * scale / whole["value"] * 100
            bound = "at most " if whole["qualifier"] in ("more_than", "at_least") else ""
            arithmetic = (f"{describe(part)} ÷ {describe(whole)} = {bound}{_pct(share)}")
            if verdict == "consistent":
                explanation = "The part is within its whole."
            else:
                explanation = "The part exceeds its whole."
            hypothesis = False
            if not same_date:
                explanation += (f" The figures are {abs(_months(whole['period_end'], part['period_end']))} "
                                "months apart. Hypothesis: the part was already counted in the whole; "
                                "if it came later, the whole has grown by at least the part.")
                hypothesis = True
            if part_metric == "xinjiang_sister_city_pairs":
                explanation += (" Hypothesis: Xinjiang's approved pairs are among the country-wide "
                                "pairs; the interview does not say so.")
                hypothesis = True
            values = {"part": rp, "whole": rw, "share": share}
            extra = _prior_shares(ledger, part, whole) if part_metric == "agri_products_trade" else None
            if extra:
                arithmetic += "; " + extra[0]
                values["prior_share"] = extra[1]
            checks.append(Check(
                title=f"{ledger.label(part_metric)} within {lower_first(ledger.label(whole_metric))}, "
                      f"{part['period_label']}",
                kind="part_whole", metric=part_metric,
                claim_ids=(part["claim_id"], whole["claim_id"]) + (extra[2] if extra else ()),
                arithmetic=arithmetic, verdict=verdict, explanation=explanation,
                hypothesis=hypothesis, metrics=(part_metric, whole_metric), values=values))
    return checks


def _prior_shares(ledger: Ledger, part: pd.Series, whole: pd.Series):
    """The share in the year before, when both the part and the whole come with growth rates."""
    growth_of = {v["claim_id"]: g for v, g in growth_pairs(ledger)}
    gp, gw = growth_of.get(part["claim_id"]), growth_of.get(whole["claim_id"])
    if gp is None or gw is None:
        return None
    scale = UNIT_SCALE.get((part["unit"], whole["unit"]), 1.0)
    p = prior_from_growth(part["value"], gp["value"])
    w = prior_from_growth(whole["value"], gw["value"])
    share = p.value * scale / w.value * 100
    text = (f"a year earlier (implied from the growth rates {gp['claim_id']}, {gw['claim_id']}): "
            f"{format_value(round(p.value, 1), part['unit'])} ÷ "
            f"{format_value(round(w.value, 2), whole['unit'])} = {_pct(share)}")
    return text, share, (gp["claim_id"], gw["claim_id"])


def _rank_checks(ledger: Ledger) -> list[Check]:
    checks = []
    for overall_metric, components in RANK_COMPONENTS.items():
        for _, overall in ledger.metric(overall_metric).iterrows():
            comps = []
            for m in components:
                rows = ledger.metric(m)
                rows = rows[(rows["seed"] == overall["seed"]) & (rows["period"] == overall["period"])]
                if rows.empty:
                    break
                comps.append(rows.iloc[0])
            if len(comps) != len(components):
                continue
            readings = [reading(c["value"], c["unit"], c["qualifier"]).strict for c in comps]
            bound = rank_bound(readings)
            stated = reading(overall["value"], overall["unit"], overall["qualifier"]).strict
            verdict = "consistent" if stated.overlaps(bound) else "conflict"
            ranks = " and ".join(f"{format_value(c['value'], 'rank')} as "
                                 f"{ledger.label(c['metric']).removeprefix(RANK_PREFIX)}" for c in comps)
            ahead = int(bound.high) - 1
            checks.append(Check(
                title=f"{ledger.label(overall_metric)} against its export and import ranks, "
                      f"{overall['short_name']}",
                kind="rank_vs_value", metric=overall_metric,
                claim_ids=(overall["claim_id"], *(c["claim_id"] for c in comps)),
                arithmetic=(f"{ranks}: at most "
                            f"{' + '.join(f'({number(r.high)} − 1)' for r in readings)} = {ahead} "
                            f"partner{'s' if ahead != 1 else ''} can be ahead overall, so the overall rank "
                            f"is {format_value(bound.low, 'rank')} to {format_value(bound.high, 'rank')}; "
                            f"stated {format_value(overall['value'], 'rank')}"),
                verdict=verdict,
                explanation=("The overall rank is within the bounds its components allow: a partner "
                             "ahead overall must be ahead in exports or in imports."
                             if verdict == "consistent" else
                             "The overall rank is outside the bounds its components allow."),
                metrics=(overall_metric, *components), values={"bound": bound}))
    for rank_metric, value_metric in RANK_VALUE.items():
        ranks = ledger.metric(rank_metric)
        by_year = {}
        for _, r in ranks.sort_values("claim_id").iterrows():
            by_year.setdefault(basis_year(r), []).append(r)
        years = sorted(by_year)
        for y0, y1 in zip(years[:-1], years[1:], strict=True):
            r0, r1 = by_year[y0][0], by_year[y1][0]
            if r0["value"] == r1["value"]:
                continue
            v0 = _full_year_claims(ledger, value_metric, y0)
            v1 = _full_year_claims(ledger, value_metric, y1)
            if v0.empty or v1.empty:
                continue
            v0, v1 = v0.iloc[0], v1.sort_values("claim_id").iloc[-1]
            growth = growth_between(v0["value"], v1["value"], earlier_q=v0["qualifier"],
                                    later_q=v1["qualifier"])
            verdict = rank_value_verdict(r0["value"], r1["value"], growth.interval)
            checks.append(Check(
                title=f"{ledger.label(rank_metric)}: the change in rank against the change in "
                      f"{lower_first(ledger.label(value_metric))}, {y0} to {y1}",
                kind="rank_vs_value", metric=rank_metric,
                claim_ids=(r0["claim_id"], r1["claim_id"], v0["claim_id"], v1["claim_id"]),
                arithmetic=(f"rank {format_value(r0['value'], 'rank')} ({y0}) → "
                            f"{format_value(r1['value'], 'rank')} ({y1}); {growth.formula} "
                            f"(range {range_text(growth.interval, 1)} %)"),
                verdict=verdict,
                explanation=("The rank rose as the value rose: China overtook a partner while its "
                             "own trade grew. Hypothesis: the partner it overtook is not named in "
                             "the seeds." if verdict == "consistent" else
                             "The rank moved against the value. Hypothesis: other partners moved more."),
                hypothesis=True, metrics=(rank_metric, value_metric),
                values={"growth": growth, "ranks": (r0["value"], r1["value"])}))
    return checks


# --------------------------------------------------------------------------- projects and dates

def _project_status_checks(ledger: Ledger) -> list[Check]:
    """Projects named by several articles: the stage reported must not go backwards in time."""
    projects = ledger.projects.merge(ledger.sources[["file", "published_date"]], left_on="seed",
                                     right_on="file", how="left")
    steps, ids, backwards = [], [], []
    for name, group in projects.groupby("name", sort=True):
        if group["seed"].nunique() < 2:
            continue
        group = group.sort_values(["published_date", "project_id"])
        staged = group[group["status"].isin(list(STATUS_STAGE))]
        stages = [STATUS_STAGE[s] for s in staged["status"]]
        ids.extend(group["project_id"])
        seq = " → ".join(f"{s.replace('_', ' ')} ({p})" for s, p in
                         zip(group["status"], group["project_id"], strict=True))
        steps.append(f"{name}: {seq}")
        if any(b < a for a, b in zip(stages[:-1], stages[1:], strict=True)):
            backwards.append(name)
    if not steps:
        return []
    verdict = "conflict" if backwards else "consistent"
    changed = sum(1 for s in steps if "planned" in s or "under construction" in s)
    return [Check(
        title=f"Status of the {len(steps)} projects that several articles name",
        kind="project_status", metric="", claim_ids=tuple(ids), arithmetic="; ".join(steps),
        verdict=verdict,
        explanation=(f"No project goes back from built to planned; {changed} move forward between "
                     "articles and the rest keep their stage." if not backwards else
                     f"Reported as further back in a later article: {', '.join(backwards)}."),
        values={"n_projects": len(steps), "changed": changed})]


def _article_date_checks(ledger: Ledger) -> list[Check]:
    """An inferred publication date against the data the article reports and the events it announces."""
    checks = []
    for _, source in ledger.sources[ledger.sources["date_basis"] == "inferred"].iterrows():
        claims = ledger.claims[ledger.claims["seed"] == source["file"]]
        published = PartialDate.parse(str(source["published"]))
        # Figures dated by the article's own "now" end in its month: they cannot date it.
        before = claims[claims["period_end"].dt.date < published.first_day]
        if before.empty:
            continue
        latest = before.sort_values(["period_end", "claim_id"], ascending=[False, True]).iloc[0]
        last_end = claims.sort_values(["period_end", "claim_id"]).iloc[-1]
        events = ledger.events[(ledger.events["seed"] == source["file"])
                               & ledger.events["note"].fillna("").str.contains("planned")]
        window_low = latest["period_end"].date()
        ok = last_end["period_end"].date() <= published.last_day
        text = (f"published {published.label()} (inferred); latest complete data: {latest['claim_id']} "
                f"({latest['period_label']}); no figure ends after {published.label()}")
        upcoming = None
        if not events.empty:
            upcoming = events.sort_values("date_start").iloc[0]
            ok = ok and published.first_day <= upcoming["date_start"].date()
            text += f"; announced as upcoming: {upcoming['event_id']} ({upcoming['date_label']})"
        checks.append(Check(
            title=f"Date of the undated {source['short_name']} article",
            kind="article_date", metric="",
            claim_ids=(latest["claim_id"],),
            event_ids=(upcoming["event_id"],) if upcoming is not None else (),
            arithmetic=text,
            verdict="consistent" if ok else "conflict",
            explanation=("The inferred month falls after the latest data the article reports and "
                         "before the visit it announces; its 'now', 'last year' and 'this year' are "
                         "read from that month." if ok else
                         "The inferred date does not fit the data or the events the article reports."),
            values={"published": published, "latest": window_low}))
    return checks


# --------------------------------------------------------------------------- the register

def run_checks(ledger: Ledger) -> list[Check]:
    """Every check the ledger allows, in a fixed order, numbered D01… (disagreements) and K01… (pass)."""
    checks = [*_same_metric_checks(ledger), *_implied_checks(ledger), *_pro_rata_checks(ledger),
              *_start_year_checks(ledger), *_visit_checks(ledger), *_part_whole_checks(ledger),
              *_rank_checks(ledger), *_project_status_checks(ledger), *_article_date_checks(ledger)]
    order = _metric_order(ledger)
    checks.sort(key=lambda c: (KINDS.index(c.kind), order.get(c.metric, len(order)), c.claim_ids))
    numbered, counters = [], {"D": 0, "K": 0}
    for check in checks:
        prefix = "K" if check.passes else "D"
        counters[prefix] += 1
        numbered.append(replace(check, check_id=f"{prefix}{counters[prefix]:02d}"))
    return numbered


def register(ledger: Ledger) -> pd.DataFrame:
    """The discrepancy register: one row per check, disagreements first."""
    checks = run_checks(ledger)
    frame = pd.DataFrame([{
        "check_id": c.check_id, "title": c.title, "kind": c.kind, "metric": c.metric,
        "claim_ids": ", ".join(c.claim_ids), "event_ids": ", ".join(c.event_ids),
        "arithmetic": c.arithmetic, "verdict": c.verdict, "explanation": c.explanation,
        "hypothesis": c.hypothesis, "metrics": ", ".join(c.metrics)} for c in checks])
    frame["_d"] = ~frame["check_id"].str.startswith("D")
    return frame.sort_values(["_d", "check_id"]).drop(columns="_d").reset_index(drop=True)


def disagreements(ledger: Ledger) -> pd.DataFrame:
    reg = register(ledger)
    return reg[reg["verdict"] != "consistent"].reset_index(drop=True)


def passes(ledger: Ledger) -> pd.DataFrame:
    reg = register(ledger)
    return reg[reg["verdict"] == "consistent"].reset_index(drop=True)


def anchor_for(check_id: str, page: str = "discrepancies.html") -> str:
    """The link target of a register entry, for the topic chapters: 'discrepancies.html#D03'."""
    return f"{page}#{check_id}"


def links_for_metric(ledger: Ledger, metric: str) -> list[str]:
    """The ids of the checks that use a metric, disagreements first."""
    reg = register(ledger)
    hit = reg[reg["metrics"].str.split(", ").apply(lambda ms: metric in ms)]
    return list(hit["check_id"])


def check(ledger: Ledger, check_id: str) -> Check:
    for c in run_checks(ledger):
        if c.check_id == check_id:
            return c
    raise KeyError(f"no check {check_id!r}")


def find(ledger: Ledger, kind: str, metric: str, claim_id: str | None = None) -> Check:
    """The one check of a kind on a metric (and involving a claim, if given)."""
    found = [c for c in run_checks(ledger) if c.kind == kind and c.metric == metric
             and (claim_id is None or claim_id in c.claim_ids)]
    if len(found) != 1:
        raise KeyError(f"{len(found)} checks of kind {kind!r} on {metric!r} ({claim_id})")
    return found[0]
