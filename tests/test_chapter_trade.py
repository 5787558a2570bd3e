"""The trade chapter: every derived figure recomputed from the ledger's own values.

Expectations are read from the claims (value and growth of the same period and article)
and recomputed here by hand, never copied from the module's output or typed as numbers.
"""

from __future__ import annotations

import re
from datetime import date

import matplotlib.pyplot as plt
import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis.intervals import stated_interval
from china_kazakhstan.chapters import trade
from china_kazakhstan.report.tables import format_value


@pytest.fixture(scope="module")
def ledger():
    return book.load()


def _claim(ledger, metric, period, seed=None):
    rows = ledger.metric(metric)
    rows = rows[rows["period"] == period]
    if seed is not None:
        rows = rows[rows["seed"] == seed]
    assert len(rows) == 1, (metric, period, seed)
    return rows.iloc[0]


def _paired(ledger):
    """(value, growth) claims of the same article and period, as the ledger holds them."""
    growth = ledger.metric(trade.GROWTH)
    return [(_claim(ledger, trade.TOTAL, g["period"], g["seed"]), g) for _, g in growth.iterrows()]


def test_every_growth_rate_gives_a_derived_prior_period(ledger):
    series = trade.trade_series(ledger)
    derived = series[series["kind"] == "derived"]
    pairs = _paired(ledger)
    assert len(derived) == len(pairs)
    for value, growth in pairs:
        expected = value["value"] / (1 + growth["value"] / 100)
        row = derived[derived["claim_ids"] == f"{value['claim_id']}, {growth['claim_id']}"]
        assert len(row) == 1
        assert row["value"].iloc[0] == pytest.approx(expected)
        assert row["year"].iloc[0] == value["year"] - 1
        assert row["low"].iloc[0] <= expected <= row["high"].iloc[0]


def test_stated_totals_are_drawn_once_each(ledger):
    series = trade.trade_series(ledger)
    stated = series[series["kind"] == "stated"]
    assert sorted(stated["claim_ids"]) == sorted(ledger.metric(trade.TOTAL)["claim_id"])


def test_reconciliation_of_the_year_before_the_latest(ledger):
    rec = trade.reconciliation(ledger)
    later, earlier = rec["later"], rec["earlier"]
    assert later["year"] == earlier["year"] + 1
    g_later = _claim(ledger, trade.GROWTH, later["period"], later["seed"])["value"]
    implied = later["value"] / (1 + g_later / 100)
    assert rec["implied"].value == pytest.approx(implied)
    assert rec["gap"] == pytest.approx(earlier["value"] - implied)
    # The rounding interval: the lowest value over the highest growth, and the other way round.
    v = stated_interval(later["value"])
    g = stated_interval(g_later)
    low, high = v.low / (1 + g.high / 100), v.high / (1 + g.low / 100)
    assert rec["implied"].interval.low == pytest.approx(low)
    assert rec["implied"].interval.high == pytest.approx(high)
    assert rec["closes"] == (low <= earlier["value"] <= high)
    assert rec["levels_growth"].value == pytest.approx((later["value"] / earlier["value"] - 1) * 100)


def test_partial_year_and_pace(ledger):
    part = trade.partial_year(ledger)
    stated = part["part"]
    g = _claim(ledger, trade.GROWTH, stated["period"], stated["seed"])["value"]
    assert part["earlier"].value == pytest.approx(stated["value"] / (1 + g / 100))
    claim = ledger.claim(stated["claim_id"])
    start, end = claim["period_start"].date(), claim["period_end"].date()
    days_now = (end - start).days + 1
    days_then = (end.replace(year=end.year - 1) - start.replace(year=start.year - 1)).days + 1
    days_year = (date(start.year - 1, 12, 31) - date(start.year - 1, 1, 1)).days + 1
    assert (part["days_now"], part["days_then"], part["days_whole"]) == (days_now, days_then, days_year)
    whole = part["whole"]["value"]
    assert whole == _claim(ledger, trade.TOTAL, str(start.year - 1), stated["seed"])["value"]
    assert part["pace_now"] == pytest.approx(whole * days_now / days_year)
    assert part["vs_pace_pct"] == pytest.approx((stated["value"] / (whole * days_now / days_year) - 1) * 100)
    assert part["earlier_share_pct"] == pytest.approx(part["earlier"].value / whole * 100)


def test_agricultural_prior_year_and_share(ledger):
    agri = trade.agriculture(ledger)
    value, growth = ledger.metric(trade.AGRI).iloc[0], ledger.metric(trade.AGRI_GROWTH).iloc[0]
    assert agri["prior"].value == pytest.approx(value["value"] / (1 + growth["value"] / 100))
    total = _claim(ledger, trade.TOTAL, value["period"])["value"]
    assert agri["share_pct"] == pytest.approx(value["value"] / 1000 / total * 100)


def test_shift_period_and_days():
    assert trade.shift_period("2024-01..2024-05", -1) == "2023-01..2023-05"
    assert trade.period_days("2024-01..2024-05") == (date(2024, 5, 31) - date(2024, 1, 1)).days + 1
    assert trade.period_days("2023") == 365


def test_largest_phrases():
    assert trade.largest(1) == "largest"
    assert trade.largest(2) == f"{format_value(2, 'rank')}-largest"
    assert trade.largest(5, "up_to").startswith("among the")


def test_facts_are_strings_and_match_the_ledger(ledger):
    facts = trade.facts(ledger)
    assert facts and all(isinstance(v, str) and v for v in facts.values())
    assert facts["n_trade_claims"] == str(len(ledger.claims_for("trade")))
    rec = trade.reconciliation(ledger)
    assert facts["gap_verdict"] == ("lies inside" if rec["closes"] else "lies outside")
    # Every number a fact shows is the rounded value of something computed from the ledger.
    assert re.fullmatch(r"US\$[0-9.]+ bn", facts["implied_2022"])
    assert float(facts["implied_2022"][3:-3]) == pytest.approx(rec["implied"].value, abs=0.005)


def test_rank_table_holds_every_rank_claim(ledger):
    html = trade.rank_table(ledger).data
    for claim_id in ledger.claims[ledger.claims["metric"].isin(trade.RANKS)]["claim_id"]:
        assert f"#{claim_id}" in html


@pytest.mark.parametrize("chart", ["trade_chart", "rank_chart"])
def test_charts_have_title_axis_labels_and_source(ledger, chart):
    fig = getattr(trade, chart)(ledger)
    try:
        assert fig._suptitle is not None and fig._suptitle.get_text()
        texts = [t.get_text() for t in fig.texts]
        assert any(t.startswith("Source: ") and "ledger rows" in t for t in texts)
        assert any(ax.get_ylabel() for ax in fig.axes)
        fig.canvas.draw()
        assert any(t.get_text() for ax in fig.axes for t in ax.get_xticklabels() if t.get_visible())
    finally:
        plt.close(fig)


def test_trade_chart_marks_derived_bars(ledger):
    fig = trade.trade_chart(ledger)
    try:
        labels = [lab for ax in fig.axes for lab in ax.get_legend_handles_labels()[1]]
        assert any("derived" in lab for lab in labels)
        hatched = [p for ax in fig.axes for p in ax.patches if p.get_hatch()]
        series = trade.trade_series(ledger)
        assert len(hatched) == (series["kind"] == "derived").sum()
    finally:
        plt.close(fig)


def test_key_figures_cite_existing_claims(ledger):
    items = trade.key_figures(ledger)
    assert 2 <= len(items) <= 3
    known = set(ledger.claims["claim_id"])
    for item in items:
        assert set(item) == {"label", "value", "claim_ids"}
        ids = [c.strip() for c in item["claim_ids"].split(",")]
        assert ids and set(ids) <= known
