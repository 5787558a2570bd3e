"""The check engine: every verdict rule on its arithmetic and tolerance, then on the data.

Rule tests use small figures chosen to sit on each side of a tolerance. Data tests read their
expectations from the claims and relations themselves and recompute them by hand, never copying
the engine's output.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis.intervals import Interval, decimal_year, stated_interval
from china_kazakhstan.checks import find, run_checks, where
from china_kazakhstan.checks.implied import growth_pairs
from china_kazakhstan.checks.model import KINDS, check_id
from china_kazakhstan.checks.rules import (
    PACE_TOLERANCE,
    Reading,
    compare_over_time,
    compare_same,
    count_verdict,
    pace_verdict,
    part_whole_verdict,
    rank_bound,
    read,
    start_verdict,
)


@pytest.fixture(scope="module")
def ledger():
    return book.load()


@pytest.fixture(scope="module")
def checks(ledger):
    return run_checks(ledger)


# --------------------------------------------------------------------------- rules

def test_exact_counts_and_ranks_are_read_exactly() -> None:
    assert read(52, "count") == Reading(Interval(52, 52), Interval(52, 52))
    assert read(2, "rank").book == Interval(2, 2)
    assert read(5, "rank", "up_to").book == Interval(1, 5)


def test_money_allows_half_its_last_digit_and_more_than_is_read_two_ways() -> None:
    literal = read(31.17, "USD_billion").literal
    assert (literal.low, literal.high) == (pytest.approx(31.165), pytest.approx(31.175))
    hedged = read(21.2, "USD_billion", "more_than")
    assert hedged.literal.low == 21.2 and math.isinf(hedged.literal.high)
    assert (hedged.book.low, hedged.book.high) == (21.2, pytest.approx(23.32))


def test_round_years_are_read_literally_and_as_round_figures() -> None:
    thirty = read(30, "years")
    assert thirty.literal == Interval(29.5, 30.5) and thirty.book == Interval(25, 35)
    assert not read(25, "years").differs, "25 is not a round figure of its last digit"


def test_same_figure_verdicts_on_each_side_of_the_revision_tolerance() -> None:
    assert compare_same([read(41, "USD_billion"), read(41.4, "USD_billion")]) == ("consistent", "")
    near = compare_same([read(100, "USD_billion"), read(101.9, "USD_billion")])
    assert near == ("tension", ""), "a miss of under 2 % is the size of a revision"
    assert compare_same([read(100, "USD_billion"), read(110, "USD_billion")])[0] == "conflict"
    # "more than 21.2" meets 26 only when read literally.
    assert compare_same([read(26, "USD_billion"), read(21.2, "USD_billion", "more_than")]) == \
        ("conflict", "consistent")


def test_over_time_rules_for_cumulative_and_other_figures() -> None:
    fall = (read(52, "count"), read(45, "count"))
    assert compare_over_time(*fall, cumulative=True)[0] == "conflict"
    assert compare_over_time(*fall, cumulative=True, scope_differs=True)[0] == "tension"
    assert compare_over_time(*fall, cumulative=False)[0] == "timing_or_scope"
    assert compare_over_time(read(4, "count"), read(4, "count"), cumulative=True)[0] == "consistent"


def test_pace_start_count_part_and_rank_rules() -> None:
    assert pace_verdict(Interval(1 + PACE_TOLERANCE * 0.9, 1.2)) == "consistent"
    assert pace_verdict(Interval(1.2, 1.3)) == "timing_or_scope"
    assert start_verdict([Interval(1991, 1992), Interval(1991.5, 1993)]) == "consistent"
    assert start_verdict([Interval(1, 2), Interval(1.9, 3), Interval(2.5, 4)]) == "conflict"
    assert start_verdict([Interval(1, 2), Interval(1.5, 3), Interval(0, 1.6)]) == "consistent"
    assert count_verdict(Interval(4, 4), hard_floor=5) == "conflict"
    assert count_verdict(Interval(4, 4), hard_floor=2, chained_floor=5) == "tension"
    assert part_whole_verdict(Interval(30, 30), Interval(26, 26), same_date=True) == "conflict"
    assert part_whole_verdict(Interval(30, 30), Interval(26, 26), same_date=False) == "timing_or_scope"
    assert rank_bound([Interval(1, 1), Interval(2, 2)]) == Interval(1, 2)


def test_a_check_id_depends_on_what_it_compares_only() -> None:
    a = check_id("same_period", ("bilateral_goods_trade", "2023"))
    assert a == check_id("same_period", ("bilateral_goods_trade", "2023"))
    assert a != check_id("same_period", ("bilateral_goods_trade", "2022"))
    assert a.startswith(KINDS["same_period"][0] + "-") and len(a) == 7


# --------------------------------------------------------------------------- on the data

def test_ids_are_unique_and_every_cited_row_exists(ledger, checks) -> None:
    ids = [c.check_id for c in checks]
    assert len(ids) == len(set(ids))
    known = set(ledger.claims["claim_id"]) | set(ledger.projects["project_id"])
    mentions = set(ledger.mentions["mention_id"])
    for c in checks:
        assert set(c.claim_ids) <= known, c.check_id
        for group in c.event_ids:
            assert {i.strip() for i in group.split(",")} <= mentions, c.check_id


def test_every_disagreement_says_why(checks) -> None:
    for c in checks:
        if not c.passes:
            assert c.explanation and c.hypothesis, f"{c.check_id} disagrees without a hypothesis"


def test_growth_pairs_come_from_the_relations_table(ledger) -> None:
    relations = ledger.relation("growth_of")
    for value, growth in growth_pairs(ledger):
        assert ((relations["metric"] == growth["metric"]) & (relations["object"] == value["metric"])).any()
        assert value["seed"] == growth["seed"] and value["period"] == growth["period"]


def test_implied_prior_of_a_total(ledger, checks) -> None:
    for c in where(checks, "implied_prior"):
        stated, value, growth = (ledger.claim(i) for i in c.claim_ids)
        implied = c.values["implied"]
        assert implied.value == pytest.approx(value["value"] / (1 + growth["value"] / 100))
        v, g = stated_interval(value["value"]), stated_interval(growth["value"])
        assert implied.interval.low == pytest.approx(v.low / (1 + g.high / 100))
        assert implied.interval.high == pytest.approx(v.high / (1 + g.low / 100))
        fits = implied.interval.overlaps(stated_interval(stated["value"]))
        assert (c.verdict == "consistent") == fits


def test_pace_of_a_part_year_against_the_previous_year(ledger, checks) -> None:
    for c in where(checks, "pace"):
        if c.values["implied"] or len(c.claim_ids) != 2:
            continue
        part, whole = (ledger.claim(i) for i in c.claim_ids)
        days_part = (part["period_end"] - part["period_start"]).days + 1
        days_whole = 366 if int(whole["year"]) % 4 == 0 else 365
        assert c.values["pace"] == pytest.approx(whole["value"] * days_part / days_whole)
        ratio = part["value"] / c.values["pace"]
        assert c.values["central_ratio"] == pytest.approx(ratio)
        assert (c.verdict == "consistent") == (abs(ratio - 1) <= PACE_TOLERANCE)


def test_adds_up_to_relations_drive_the_stock_pace(ledger, checks) -> None:
    adds = ledger.relation("adds_up_to")
    for stock_metric, parts in adds.groupby("object"):
        for _, stock in ledger.metric(stock_metric).iterrows():
            c = find(checks, "pace", stock_metric, claim=stock["claim_id"])
            flows = [ledger.claim(i) for i in c.claim_ids[1:]]
            assert {f["metric"] for f in flows} == set(parts["metric"])
            days = stock["period_end"].day_of_year
            assert c.values["pace"] == pytest.approx(sum(f["value"] for f in flows) * days / 365)
            assert c.hypothesis, "the relation's hypothesis is shown with the verdict"


def test_capacity_counts_are_not_cumulative_and_change_between_articles(ledger, checks) -> None:
    metric = "capacity_projects_count"
    assert not ledger.metric_row(metric)["cumulative"]
    counts = ledger.metric(metric).sort_values("period_end")
    changes = where(checks, "over_time", metric)
    assert len(changes) == len(counts) - 1
    for c in changes:
        assert c.verdict == "timing_or_scope"
        assert c.values["scope"][0] != c.values["scope"][1], "the articles' words for what they count"


def test_a_cumulative_count_that_falls_is_a_conflict(ledger) -> None:
    """Tests can fail: mark a metric as cumulative in the data and its fall becomes a conflict."""
    metrics = ledger.metrics.copy()
    metrics.loc[metrics["metric"] == "capacity_projects_value", "cumulative"] = True
    changed = dataclasses.replace(ledger, metrics=metrics)
    c = find(run_checks(changed), "over_time", "capacity_projects_value")
    assert c.verdict == "conflict" or c.literal_verdict == "consistent"
    assert c.verdict != "timing_or_scope"


def test_start_years_read_from_the_relations_and_the_articles_dates(ledger, checks) -> None:
    for rel in ledger.relation("years_since").itertuples():
        c = find(checks, "start_year", rel.metric)
        event = ledger.event(rel.object)
        for row in c.values["claims"]:
            claim = ledger.claim(row["claim_id"])
            as_of = round(decimal_year(claim["period_end"].date()), 2)
            assert row["central"] == pytest.approx(as_of - claim["value"])
        assert all(e["event"] == rel.object for e in c.values["events"])
        assert bool(c.event_ids) != bool(event["derived"]), "a derived date is never evidence"


def test_a_round_figure_is_shown_under_both_readings(ledger, checks) -> None:
    c = find(checks, "start_year", "years_since_diplomatic_relations")
    round_claims = [ledger.claim(r["claim_id"]) for r in c.values["claims"] if r["literal"] != r["interval"]]
    assert round_claims and all(cl["value"] % 10 == 0 for cl in round_claims)
    assert c.verdict == "consistent" and c.literal_verdict == "conflict"


def test_visits_are_matched_on_visitor_and_host(ledger, checks) -> None:
    for metric in set(ledger.relation("counts_visits_by")["metric"]):
        c = find(checks, "visits", metric)
        visitor = ledger.related(metric, "counts_visits_by")[0]
        host = ledger.related(metric, "counts_visits_to")[0]
        visits = ledger.events[(ledger.events["visitor"] == visitor) & (ledger.events["host"] == host)]
        assert set(c.values["visits"]) == set(visits["event"])
        for row in c.values["rows"]:
            claim = ledger.claim(row["claim_id"])
            start = claim["period_start"] if claim["period_kind"] == "range" else pd.Timestamp.min
            inside = visits[(visits["date_start"] >= start) & (visits["date_start"] <= claim["period_end"])]
            assert row["dated"] == len(inside)


def test_the_visit_convention_of_each_count_is_stated(checks) -> None:
    rows = [r for c in where(checks, "visits") for r in c.values["rows"]]
    conventions = {r["convention"].split(" ")[0] for r in rows}
    assert {"includes", "excludes"} <= conventions


def test_part_whole_from_the_relations(ledger, checks) -> None:
    for rel in ledger.relation("part_of").itertuples():
        for _, part in ledger.metric(rel.metric).iterrows():
            c = find(checks, "part_whole", rel.metric, claim=part["claim_id"])
            whole = ledger.claim(c.claim_ids[1])
            assert whole["metric"] == rel.object
            scale = 0.001 if (part["unit"], whole["unit"]) == ("USD_million", "USD_billion") else 1
            assert c.values["share"] == pytest.approx(part["value"] * scale / whole["value"] * 100)


def test_checks_react_to_a_changed_figure(ledger) -> None:
    """Tests can fail: move a stated total out of the implied range and the verdict changes, the id stays."""
    before = where(run_checks(ledger), "implied_prior")[0]
    claims = ledger.claims.copy()
    claims.loc[claims["claim_id"] == before.values["stated_claim"], "value"] = \
        round(before.values["implied"].interval.low * 0.9, 2)
    after = where(run_checks(dataclasses.replace(ledger, claims=claims)), "implied_prior")[0]
    assert after.verdict == "conflict" and after.check_id == before.check_id


def test_adding_a_claim_never_renumbers_an_existing_check(ledger, checks) -> None:
    extra = ledger.claims[ledger.claims["claim_id"] == "C033"].copy()
    extra["claim_id"] = "C999"
    more = dataclasses.replace(ledger, claims=pd.concat([ledger.claims, extra], ignore_index=True))
    after = {c.check_id for c in run_checks(more)}
    assert {c.check_id for c in checks} <= after


def test_a_check_lists_each_event_mention_once_even_when_given_joined() -> None:
    from china_kazakhstan.checks.model import Check

    check = Check(kind="visits", key=("m",), title="t", metrics=("m",), claim_ids=("C001",), arithmetic="",
                  verdict="consistent", explanation="", event_ids=("E016, E030", "E017", "E030"))
    assert check.event_ids == ("E016", "E030", "E017")
