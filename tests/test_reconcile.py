"""The reconciliation engine: every verdict rule on its arithmetic and tolerance, then on the ledger.

Rule tests use small figures chosen to sit on each side of a tolerance. Ledger tests read
their expectations from the claims themselves (value and growth of the same article and
period, dates of the articles) and recompute them by hand, never copying the module's output.
"""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import date

import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis.intervals import (
    Interval,
    decimal_year,
    prior_from_growth,
    start_year,
    stated_interval,
)
from china_kazakhstan.checks import engine as reconcile
from china_kazakhstan.checks.engine import (
    Reading,
    compare_over_time,
    compare_same,
    count_verdict,
    derived_reading,
    pace_verdict,
    part_whole_verdict,
    rank_bound,
    rank_value_verdict,
    reading,
    start_verdict,
)


@pytest.fixture(scope="module")
def ledger():
    return book.load()


@pytest.fixture(scope="module")
def checks(ledger):
    return reconcile.run_checks(ledger)


def _claim(ledger, claim_id):
    return ledger.claim(claim_id)


def _one(ledger, metric, period=None, seed=None):
    rows = ledger.metric(metric)
    if period is not None:
        rows = rows[rows["period"] == period]
    if seed is not None:
        rows = rows[rows["seed"] == seed]
    assert len(rows) == 1, (metric, period, seed, list(rows["claim_id"]))
    return rows.iloc[0]


def _only(checks, kind, metric, claim_id=None):
    found = [c for c in checks if c.kind == kind and c.metric == metric
             and (claim_id is None or claim_id in c.claim_ids)]
    assert len(found) == 1, (kind, metric, claim_id, [c.check_id for c in found])
    return found[0]


# --------------------------------------------------------------------------- reading figures

def test_reading_of_exact_counts_and_ranks_is_exact():
    assert reading(52, "count") == Reading(Interval(52, 52), Interval(52, 52))
    assert reading(2, "rank").strict == Interval(2, 2)
    assert reading(5, "rank", "up_to").strict == Interval(1, 5)


def test_reading_of_money_allows_half_the_last_digit():
    r = reading(31.17, "USD_billion")
    assert r.strict.low == pytest.approx(31.165) and r.strict.high == pytest.approx(31.175)
    assert r.plain == r.strict


def test_reading_of_hedged_figures():
    about = reading(12000, "persons", "about")
    assert (about.strict.low, about.strict.high) == (pytest.approx(10800), pytest.approx(13200))
    more = reading(21.2, "USD_billion", "more_than")
    assert more.strict.low == 21.2 and math.isinf(more.strict.high)
    assert more.plain.high == pytest.approx(21.2 * (1 + reconcile.PLAIN_MARGIN))


# --------------------------------------------------------------------------- same period

def test_rounding_makes_two_figures_consistent():
    """41 ÷ 1.32 = 31.06 is not 31.17, but the rounding of '41' and '32 %' allows 31.17."""
    implied = prior_from_growth(41, 32)
    assert implied.value == pytest.approx(41 / 1.32)
    assert abs(implied.value - 31.17) > 0.1  # the central figures differ…
    assert compare_same(derived_reading(implied.interval), reading(31.17, "USD_billion")) == "consistent"


def test_rounding_does_not_make_two_figures_consistent():
    """41 ÷ 1.32 allows 30.57 to 31.56: a stated 30.4 (30.35 to 30.45) falls outside it."""
    implied = prior_from_growth(41, 32)
    near = reading(30.4, "USD_billion")
    assert not implied.interval.overlaps(near.strict)
    gap = (implied.interval.low - near.strict.high) / near.strict.high
    assert 0 < gap <= reconcile.REVISION_TOLERANCE  # outside rounding, inside a revision
    assert compare_same(derived_reading(implied.interval), near) == "tension"
    far = reading(29.5, "USD_billion")
    assert (implied.interval.low - far.strict.high) / far.strict.high > reconcile.REVISION_TOLERANCE
    assert compare_same(derived_reading(implied.interval), far) == "conflict"


def test_more_than_is_tension_when_only_its_strict_reading_fits():
    assert compare_same(reading(21.2, "USD_billion", "more_than"), reading(26, "USD_billion")) == "tension"
    assert compare_same(reading(21.2, "USD_billion", "more_than"), reading(22, "USD_billion")) == "consistent"


# --------------------------------------------------------------------------- over time

def test_a_cumulative_count_that_falls_is_a_conflict_unless_the_scope_differs():
    before, after = reading(52, "count"), reading(45, "count")
    assert compare_over_time(before, after, cumulative=True) == "conflict"
    assert compare_over_time(before, after, cumulative=True, scope_differs=True) == "tension"
    assert compare_over_time(before, after, cumulative=False) == "timing_or_scope"


def test_a_rise_or_an_overlap_over_time():
    assert compare_over_time(reading(51, "count"), reading(52, "count"), cumulative=True) == "timing_or_scope"
    assert compare_over_time(reading(5, "count"), reading(5, "count"), cumulative=True) == "consistent"
    assert compare_over_time(reading(12000, "persons", "about"), reading(10000, "persons", "more_than"),
                             cumulative=False) == "consistent"


def test_a_plain_fall_that_the_strict_reading_allows_is_tension():
    before, after = reading(26, "USD_billion"), reading(21.2, "USD_billion", "more_than")
    assert after.strict.overlaps(before.strict) and not after.plain.overlaps(before.plain)
    assert compare_over_time(before, after, cumulative=True) == "tension"


# --------------------------------------------------------------------------- other rules

def test_pace_tolerance():
    t = reconcile.PACE_TOLERANCE
    assert pace_verdict(Interval(1 + t * 0.9, 1 + t * 0.95)) == "consistent"
    assert pace_verdict(Interval(1 - t * 1.3, 1 - t * 1.1)) == "timing_or_scope"
    assert pace_verdict(Interval(1.05, math.inf)) == "consistent"


def test_start_year_rounding_makes_thirty_years_fit_1992_only_as_about():
    event = Interval(1992.0, 1993.0)
    as_of = decimal_year(date(2024, 7, 1))
    exact = start_year(as_of, 30, "exact").interval
    about = start_year(as_of, 30, "about").interval
    assert start_verdict([exact, event]) == "conflict"
    assert start_verdict([about, event]) == "consistent"


def test_start_verdict_distinguishes_pairwise_overlap_from_a_common_point():
    a, b, c = Interval(0, 2), Interval(1, 3), Interval(2.5, 4)
    assert start_verdict([a, b]) == "consistent"
    assert start_verdict([a, b, Interval(1.5, 2.6)]) == "consistent"
    assert start_verdict([Interval(0, 2), Interval(1.5, 3), Interval(0, 0.5), Interval(0, 3)]) == "conflict"
    triangle = [Interval(0, 2), Interval(1, 3), Interval(0, 3)]
    assert start_verdict(triangle) == "consistent"
    assert start_verdict([a, c]) == "conflict"


def test_count_verdict():
    assert count_verdict(Interval(4, 4), 2, 3) == "consistent"
    assert count_verdict(Interval(4, 4), 2, 5) == "tension"
    assert count_verdict(Interval(1, 1), 2) == "conflict"


def test_part_whole_verdict():
    assert part_whole_verdict(Interval(9, 9), Interval(26, 26), same_date=True) == "consistent"
    assert part_whole_verdict(Interval(27, 27), Interval(26, 26), same_date=True) == "conflict"
    assert part_whole_verdict(Interval(27, 27), Interval(26, 26), same_date=False) == "timing_or_scope"
    assert part_whole_verdict(Interval(205, 205), Interval(1000, math.inf), same_date=False) == "consistent"


def test_rank_bound_and_rank_against_value():
    assert rank_bound([Interval(1, 1), Interval(2, 2)]) == Interval(1, 2)
    assert rank_bound([Interval(3, 3), Interval(2, 2)]) == Interval(1, 4)
    assert rank_value_verdict(2, 1, Interval(29.9, 33.2)) == "consistent"
    assert rank_value_verdict(2, 1, Interval(-10, -5)) == "tension"
    assert rank_value_verdict(1, 2, Interval(5, 10)) == "tension"


# --------------------------------------------------------------------------- the ledger

def test_checks_are_numbered_by_verdict_and_deterministic(ledger, checks):
    ids = [c.check_id for c in checks]
    assert len(ids) == len(set(ids))
    for c in checks:
        assert re.fullmatch(r"[DK][0-9]{2}", c.check_id)
        assert c.check_id.startswith("K") == (c.verdict == "consistent")
        assert c.verdict in reconcile.VERDICTS and c.kind in reconcile.KINDS
        assert c.arithmetic and c.explanation and c.title
    assert [c.check_id for c in reconcile.run_checks(ledger)] == ids


def test_every_claim_and_event_id_exists(ledger, checks):
    known = set(ledger.claims["claim_id"]) | set(ledger.projects["project_id"])
    events = set(ledger.events["event_id"])
    for c in checks:
        assert set(c.claim_ids) <= known, c
        assert set(c.event_ids) <= events, c


def test_disagreements_explain_themselves_as_hypotheses(ledger):
    reg = reconcile.disagreements(ledger)
    assert len(reg) > 0
    for _, row in reg.iterrows():
        assert row["verdict"] != "consistent"
        if row["hypothesis"]:
            assert "Hypothesis:" in row["explanation"], row["check_id"]


def test_register_and_passes_partition_the_checks(ledger, checks):
    reg = reconcile.register(ledger)
    assert len(reg) == len(checks)
    assert len(reconcile.disagreements(ledger)) + len(reconcile.passes(ledger)) == len(checks)
    assert list(reg["check_id"][: len(reconcile.disagreements(ledger))].str[0].unique()) == ["D"]


def test_search_is_systematic(ledger, checks):
    """Every metric two claims report, every value with its growth, every span is checked."""
    covered = {m for c in checks for m in c.metrics}
    for metric, rows in ledger.claims.groupby("metric"):
        if len(rows) >= 2:
            assert metric in covered, f"{metric} has {len(rows)} claims but no check"
        if metric.startswith("years_since_"):
            assert any(c.kind == "start_year" and c.metric == metric for c in checks)
    implied = {c.claim_ids[1:] for c in checks if c.kind == "implied_prior"}
    unconfirmed = set(reconcile.unconfirmed_implied(ledger)["claim_ids"])
    for value, growth in reconcile.growth_pairs(ledger):
        pair = (value["claim_id"], growth["claim_id"])
        assert (pair in implied) != (pair in unconfirmed), pair


def test_implied_prior_of_trade(ledger, checks):
    growth = ledger.metric("bilateral_goods_trade_growth")
    full = growth[growth["period"].str.fullmatch(r"[0-9]{4}")].sort_values("period").iloc[-1]
    value = _one(ledger, "bilateral_goods_trade", full["period"], full["seed"])
    earlier = _one(ledger, "bilateral_goods_trade", str(int(full["period"]) - 1))
    check = _only(checks, "implied_prior", "bilateral_goods_trade")
    assert check.claim_ids == (earlier["claim_id"], value["claim_id"], full["claim_id"])
    implied = check.values["implied"]
    assert implied.value == pytest.approx(value["value"] / (1 + full["value"] / 100))
    v, g = stated_interval(value["value"]), stated_interval(full["value"])
    assert implied.interval.low == pytest.approx(v.low / (1 + g.high / 100))
    assert implied.interval.high == pytest.approx(v.high / (1 + g.low / 100))
    fits = implied.interval.overlaps(stated_interval(earlier["value"]))
    assert check.verdict == ("consistent" if fits else compare_same(
        derived_reading(implied.interval), reading(earlier["value"], earlier["unit"])))


def test_implied_growth_of_trade(ledger, checks):
    check = _only(checks, "implied_growth", "bilateral_goods_trade_growth")
    earlier, later, growth = (_claim(ledger, i) for i in check.claim_ids)
    assert check.values["derived"].value == pytest.approx((later["value"] / earlier["value"] - 1) * 100)
    low = (stated_interval(later["value"]).low / stated_interval(earlier["value"]).high - 1) * 100
    assert check.values["derived"].interval.low == pytest.approx(low)
    assert check.verdict == "consistent"
    assert abs(check.values["derived"].value - growth["value"]) > 0  # not equal, but within rounding


def test_pro_rata_of_the_partial_year(ledger, checks):
    part = ledger.metric("bilateral_goods_trade")
    part = part[part["period_kind"] == "range"].iloc[0]
    growth = _one(ledger, "bilateral_goods_trade_growth", part["period"], part["seed"])
    year = int(part["year"])
    whole = _one(ledger, "bilateral_goods_trade", str(year - 1), part["seed"])
    days_part = (part["period_end"] - part["period_start"]).days + 1
    days_whole = 366 if (year - 1) % 4 == 0 else 365
    pace = whole["value"] * days_part / days_whole
    stated = next(c for c in checks if c.kind == "pro_rata" and c.claim_ids == (part["claim_id"],
                                                                                whole["claim_id"]))
    assert stated.values["pace"] == pytest.approx(pace)
    assert stated.values["central_ratio"] == pytest.approx(part["value"] / pace)
    implied = next(c for c in checks if c.kind == "pro_rata" and growth["claim_id"] in c.claim_ids)
    days_then = days_part - 1 if year % 4 == 0 else days_part  # February 29th
    earlier = part["value"] / (1 + growth["value"] / 100)
    assert implied.values["pace"] == pytest.approx(whole["value"] * days_then / days_whole)
    ratio = earlier / (whole["value"] * days_then / days_whole)
    assert implied.values["central_ratio"] == pytest.approx(ratio, rel=1e-3)
    off = abs(ratio - 1) > reconcile.PACE_TOLERANCE
    assert implied.verdict == ("timing_or_scope" if off else "consistent")
    # Steady growth at the full year's own rate moves the expected share below the share of days.
    rate = ledger.metric("bilateral_goods_trade_growth")
    rate = rate[rate["period"] == str(year - 1)].iloc[0]
    assert rate["claim_id"] in implied.claim_ids
    fraction = days_then / days_whole
    share = ((1 + rate["value"] / 100) ** fraction - 1) / (rate["value"] / 100)
    assert implied.values["steady_share"] == pytest.approx(share)
    assert implied.values["residual"] == pytest.approx(ratio / (share / fraction) - 1, rel=1e-3)


def test_pro_rata_of_the_trains_from_the_first_of_january(ledger, checks):
    stock = _one(ledger, "freight_trains_via_horgos_alashankou")
    year = int(stock["year"])
    flows = [_one(ledger, m, str(year - 1)) for m in reconcile.SUM_OF[stock["metric"]]]
    days = stock["period_end"].day_of_year
    pace = sum(f["value"] for f in flows) * days / 365
    check = _only(checks, "pro_rata", stock["metric"])
    assert check.values["pace"] == pytest.approx(pace)
    assert check.values["ratio"].low == pytest.approx(stock["value"] / pace, rel=1e-3)
    assert math.isinf(check.values["ratio"].high)  # "more than"
    assert check.verdict == "consistent" and check.hypothesis


def test_capacity_count_falls_under_a_new_wording(ledger, checks):
    counts = ledger.metric("capacity_projects_count").sort_values("period_end")
    falls = [(a, b) for (_, a), (_, b) in zip(counts.iloc[:-1].iterrows(), counts.iloc[1:].iterrows(),
                                              strict=True) if b["value"] < a["value"]]
    assert falls, "the ledger's counts no longer fall: revisit the chapter's prose"
    for a, b in falls:
        check = next(c for c in checks if c.kind == "same_metric" and c.claim_ids == (a["claim_id"],
                                                                                      b["claim_id"]))
        scope = check.values["scope"]
        assert scope[0] != scope[1]
        assert check.verdict == "tension" and check.hypothesis
        # Without the change of wording the same arithmetic is a conflict.
        assert compare_over_time(reading(a["value"], "count"), reading(b["value"], "count"),
                                 cumulative=True) == "conflict"


def test_rank_change_is_timing_and_fits_trade(ledger, checks):
    ranks = ledger.metric("china_rank_as_kz_trading_partner")
    change = next(c for c in checks if c.kind == "same_metric" and c.metric == ranks["metric"].iloc[0]
                  and not c.passes)
    assert change.verdict == "timing_or_scope"
    first = _claim(ledger, change.claim_ids[0])
    assert first["period_kind"] == "as_of"
    assert reconcile.basis_year(first) == first["period_end"].year - 1
    value = next(c for c in checks if c.kind == "rank_vs_value" and "growth" in c.values)
    a, b = (_claim(ledger, i) for i in value.claim_ids[2:])
    assert value.values["growth"].value == pytest.approx((b["value"] / a["value"] - 1) * 100)
    assert value.verdict == "consistent"


def test_rank_bound_from_the_components(ledger, checks):
    check = next(c for c in checks if c.kind == "rank_vs_value" and "bound" in c.values)
    overall, exports, imports = (_claim(ledger, i) for i in check.claim_ids)
    worst = exports["value"] + imports["value"] - 1
    assert check.values["bound"] == Interval(1, worst)
    assert check.verdict == ("consistent" if overall["value"] <= worst else "conflict")


def test_start_years_from_the_articles_dates(ledger, checks):
    for metric in reconcile.SPAN_EVENTS:
        check = _only(checks, "start_year", metric)
        for row in check.values["claims"]:
            claim = _claim(ledger, row["claim_id"])
            as_of = round(decimal_year(claim["period_end"].date()), 2)
            assert row["central"] == pytest.approx(as_of - claim["value"])
            if claim["qualifier"] == "exact":
                assert row["interval"].low == pytest.approx(as_of - claim["value"] - 0.5)
                assert row["interval"].high == pytest.approx(as_of - claim["value"] + 0.5)
        # A date the ledger derives from one of these very figures is never evidence.
        for event in check.values["events"]:
            note = ledger.events.set_index("event_id").loc[event["event_id"], "note"]
            assert event["derived"] == str(note).lower().startswith("derived")
            assert (event["event_id"] in check.event_ids) != event["derived"]
        assert check.verdict == "consistent"


def test_ordinals_of_annual_meetings_point_to_the_founding(ledger, checks):
    check = _only(checks, "start_year", "sco_heads_of_state_meeting_number")
    founding = ledger.events.set_index("event_id").loc[check.event_ids[0]]
    for cid in check.claim_ids:
        claim = _claim(ledger, cid)
        assert claim["period_start"].year - int(claim["value"]) + 1 == founding["date_start"].year
    assert check.verdict == "consistent"


def test_xi_visits_chain(ledger, checks):
    check = _only(checks, "count_vs_events", "xi_visits_to_kz")
    early, late = (_claim(ledger, i) for i in check.claim_ids)
    between = ledger.events[(ledger.events["event_type"] == "visit")
                            & ledger.events["description"].str.contains("Xi Jinping")
                            & (ledger.events["date_start"] >= early["period_end"])
                            & (ledger.events["date_start"] < late["period_end"])]
    chained = int(early["value"]) + len(between)
    assert check.values["rows"][-1]["chained"] == chained
    assert check.verdict == ("consistent" if late["value"] >= chained else "tension")


def test_part_whole_shares(ledger, checks):
    for part_metric, whole_metric in reconcile.PART_WHOLE:
        for _, part in ledger.metric(part_metric).iterrows():
            check = _only(checks, "part_whole", part_metric, part["claim_id"])
            whole = _claim(ledger, check.claim_ids[1])
            assert whole["metric"] == whole_metric
            scale = 0.001 if (part["unit"], whole["unit"]) == ("USD_million", "USD_billion") else 1
            assert check.values["share"] == pytest.approx(part["value"] * scale / whole["value"] * 100)
            assert check.verdict == "consistent"


def test_the_undated_article_fits_its_inferred_month(ledger, checks):
    inferred = ledger.sources[ledger.sources["date_basis"] == "inferred"]
    dated = [c for c in checks if c.kind == "article_date"]
    assert len(dated) == len(inferred)
    for c in dated:
        assert c.values["latest"] < c.values["published"].first_day


def test_checks_react_to_a_changed_figure(ledger):
    """Tests can fail: move the stated 2022 total and the rounding no longer reconciles it."""
    prior = next(c for c in reconcile.run_checks(ledger) if c.kind == "implied_prior")
    stated_id = prior.values["stated_claim"]
    claims = ledger.claims.copy()
    implied = prior.values["implied"].interval
    claims.loc[claims["claim_id"] == stated_id, "value"] = round(implied.low * 0.9, 2)
    broken = dataclasses.replace(ledger, claims=claims)
    moved = next(c for c in reconcile.run_checks(broken) if c.kind == "implied_prior")
    assert moved.verdict == "conflict" and moved.check_id.startswith("D")


def test_links_and_anchors(ledger, checks):
    ids = reconcile.links_for_metric(ledger, "capacity_projects_count")
    assert ids and all(any(c.check_id == i and "capacity_projects_count" in c.metrics for c in checks)
                       for i in ids)
    assert reconcile.links_for_metric(ledger, "no_such_metric") == []
    assert reconcile.anchor_for("D03") == "discrepancies.html#D03"
