"""The people-to-people chapter: its derived figures, prose facts, charts and key figures."""

from __future__ import annotations

import math
from datetime import date

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from china_kazakhstan import book
from china_kazakhstan.chapters import people_to_people as p2p


@pytest.fixture(scope="module")
def ledger():
    return book.load()


def _claim(ledger, metric):
    rows = ledger.metric(metric)
    assert len(rows) == 1
    return rows.iloc[0]


# --------------------------------------------------------------------------- tourism


def test_days_in_the_tourist_period_count_both_ends(ledger):
    claim = _claim(ledger, "chinese_tourists_to_kz")
    expected = (claim["period_end"] - claim["period_start"]).days + 1
    t = p2p.tourism(ledger)
    assert t.days == expected
    # 10 Nov 2023 .. 31 Mar 2024: the rest of November, December, January, a leap February, March.
    start = claim["period_start"].date()
    assert t.days == (date(2024, 4, 1) - start).days
    assert t.days_short == (date(2024, 3, 1) - start).days


def test_monthly_average_is_the_count_over_the_days_times_a_month(ledger):
    claim = _claim(ledger, "chinese_tourists_to_kz")
    t = p2p.tourism(ledger)
    assert t.monthly.value == pytest.approx(claim["value"] / t.days * 365.25 / 12)
    assert t.monthly_short.value == pytest.approx(claim["value"] / t.days_short * 365.25 / 12)
    assert t.monthly_short.value > t.monthly.value


def test_base_implied_by_the_multiple_under_both_readings(ledger):
    tourists = _claim(ledger, "chinese_tourists_to_kz")["value"]
    multiple = _claim(ledger, "chinese_tourists_to_kz_multiple")["value"]
    t = p2p.tourism(ledger)
    assert t.base.value == pytest.approx(tourists / multiple)
    assert t.base_more.value == pytest.approx(tourists / (multiple + 1))


def test_tourism_table_shows_the_arithmetic(ledger):
    html = p2p.tourism_arithmetic(ledger).data
    t = p2p.tourism(ledger)
    assert f"÷ {t.days} days" in html
    assert "hypothesis" in html
    assert 'href="articles.html#C042"' in html


# --------------------------------------------------------------------------- students


def test_student_intervals_follow_the_hedges(ledger):
    rows = ledger.metric("kz_students_in_china").sort_values("period_end")
    data = p2p.students(ledger)
    first, last = rows.iloc[0], rows.iloc[-1]
    assert first["qualifier"] == "about" and last["qualifier"] == "more_than"
    assert data["low"].iloc[0] == pytest.approx(first["value"] * 0.9)
    assert data["high"].iloc[0] == pytest.approx(first["value"] * 1.1)
    assert data["low"].iloc[-1] == last["value"]
    assert math.isinf(data["high"].iloc[-1])


def test_students_cannot_be_ordered_and_overlap_is_where_both_allow(ledger):
    assert not p2p.students_can_be_ordered(ledger)
    rows = ledger.metric("kz_students_in_china").sort_values("period_end")
    overlap = p2p.students_overlap(ledger)
    assert overlap.low == pytest.approx(max(rows["value"].iloc[0] * 0.9, rows["value"].iloc[-1]))
    assert overlap.high == pytest.approx(rows["value"].iloc[0] * 1.1)


# --------------------------------------------------------------------------- sister cities


def test_xinjiang_share_and_pace(ledger):
    s = p2p.sister_cities(ledger)
    xinjiang = _claim(ledger, "xinjiang_sister_city_pairs")["value"]
    pairs = ledger.metric("sister_region_city_pairs").sort_values("period_end")
    assert s["share"].value == pytest.approx(xinjiang / pairs["value"].iloc[-1] * 100)
    first = _claim(ledger, "urumqi_almaty_sister_city_order")["period_start"]
    years = (pairs["period_end"].iloc[0] - first).days / 365.25
    assert s["years"] == pytest.approx(years)
    assert s["pace"] == pytest.approx(pairs["value"].iloc[0] / years)


def test_comparisons_cover_the_repeated_metrics(ledger):
    frame = p2p.comparisons(ledger)
    verdicts = dict(zip(frame["Figure"], frame["Verdict"], strict=False))
    assert verdicts[ledger.label("kz_students_in_china")] == "cannot be ordered"
    assert verdicts[ledger.label("sister_region_city_pairs")] == "agree"
    assert "5 ÷ 2 − 1 = 150.0 %" in set(frame["Arithmetic"])


# --------------------------------------------------------------------------- timeline


def test_event_positions_by_precision():
    assert p2p.event_position(pd.Timestamp(2023, 11, 10), "day") == pd.Timestamp(2023, 11, 10)
    assert p2p.event_position(pd.Timestamp(2023, 11, 1), "month") == pd.Timestamp(2023, 11, 15, 12)
    assert p2p.event_position(pd.Timestamp(2017, 1, 1), "year") == pd.Timestamp(2017, 7, 2)
    with pytest.raises(ValueError):
        p2p.event_position(pd.Timestamp(2017, 1, 1), "decade")


def test_timeline_has_every_event_once_in_order(ledger):
    tl = p2p.timeline(ledger)
    assert sorted(tl["event_id"]) == sorted(ledger.events["event_id"])
    assert tl["position"].is_monotonic_increasing
    year_only = tl[tl["date_precision"] == "year"]
    assert all(p.month == 7 for p in year_only["position"])


def test_event_colours_are_okabe_ito_and_distinct(ledger):
    colours = p2p.event_colours(ledger.events["event_type"])
    assert set(colours) == set(ledger.events["event_type"])
    assert len(set(colours.values())) == len(colours)
    assert set(colours.values()) <= set(p2p.style.OKABE_ITO.values())


def test_label_side_and_busiest_years(ledger):
    assert p2p.label_side(9, 0, 10) == "left"
    assert p2p.label_side(1, 0, 10) == "right"
    tl = p2p.timeline(ledger)
    busiest = p2p.busiest_years(tl)
    years = pd.Series([p.year for p in tl["position"]])
    for start in range(years.min(), years.max() + 1):
        assert years.between(start, start + 1).sum() <= busiest["count"]


def test_visa_date_is_the_day_precise_one(ledger):
    day = ledger.events[(ledger.events["event_type"] == "agreement")
                        & ledger.events["description"].str.contains("visa", case=False)
                        & (ledger.events["date_precision"] == "day")]
    assert p2p.visa_exemption_date(ledger) == day["date_label"].iloc[0]


# --------------------------------------------------------------------------- prose and charts


def test_facts_are_strings_and_match_the_ledger(ledger):
    facts = p2p.facts(ledger)
    assert all(isinstance(v, str) for v in facts.values())
    ci = ledger.metric("confucius_institutes").sort_values("period_end")
    assert facts["ci_first"] == f"{ci['value'].iloc[0]:.0f}"
    assert facts["tourists_days"] == str(p2p.tourism(ledger).days)
    assert facts["n_events"] == str(len(ledger.events))
    assert facts["about_spread"] == "10 %"


@pytest.mark.parametrize("chart", ["education_chart", "students_chart", "timeline_chart"])
def test_charts_have_title_axis_label_and_source(ledger, chart):
    fig = getattr(p2p, chart)(ledger)
    try:
        assert fig._suptitle is not None and fig._suptitle.get_text()
        texts = [t.get_text() for t in fig.texts]
        assert any(t.startswith("Source: ") and "ledger" in t for t in texts)
        labels = [ax.get_xlabel() for ax in fig.axes] + [ax.get_ylabel() for ax in fig.axes]
        assert any(labels)
    finally:
        plt.close(fig)


def test_timeline_title_counts_the_events(ledger):
    fig = p2p.timeline_chart(ledger)
    try:
        assert f"of the {len(ledger.events)} events" in fig._suptitle.get_text()
    finally:
        plt.close(fig)


def test_key_figures_cite_existing_claims(ledger):
    figures = p2p.key_figures(ledger)
    assert 2 <= len(figures) <= 3
    known = set(ledger.claims["claim_id"])
    for item in figures:
        assert set(item) == {"label", "value", "claim_ids"}
        ids = {c.strip() for c in item["claim_ids"].split(",")}
        assert ids and ids <= known
