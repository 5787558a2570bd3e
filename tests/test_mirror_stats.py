"""The news pages' trade statistics (analysis/mirror_stats.py), both records of each flow
(analysis/imf_records.py) and the caveats of the ranks (analysis/rank_caveats.py).

What the old appendix's tests protected, carried over to the functions the appendix now calls:
ratios and gaps recomputed from the rows of data/external/trade_mirror.csv, the articles'
totals matched with rounding, the year China passes Russia moving when the data move, and the
pages that disagree all kept. Expectations come from the rows, never from copied numbers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis import growth, imf_records, mirror_stats, rank_caveats
from china_kazakhstan.analysis.imf_stats import partner_ranks
from china_kazakhstan.analysis.intervals import stated_interval
from china_kazakhstan.data import mirror as news
from china_kazakhstan.data.imf_table import load_imf
from china_kazakhstan.fmt import year_runs
from china_kazakhstan.fmt import years as years_text

TOTAL = "bilateral_goods_trade"


@pytest.fixture(scope="module")
def mirror() -> pd.DataFrame:
    return news.load_trade_mirror()


@pytest.fixture(scope="module")
def imf() -> pd.DataFrame:
    return load_imf()


def values(mirror, *, side, flow="total", period, partner="china") -> list[float]:
    rows = mirror[(mirror["partner"] == partner) & (mirror["side"] == side) & (mirror["flow"] == flow)
                  & (mirror["period"] == period)]
    return list(rows["value"])


# --------------------------------------------------------------------------- ratios

def test_ratio_spans_every_pair_of_pages(mirror) -> None:
    ratios = mirror_stats.ratio_by_period(mirror)
    assert len(ratios)
    for r in ratios.itertuples():
        pairs = [c / k for c in values(mirror, side="china", period=r.period)
                 for k in values(mirror, side="kazakhstan", period=r.period)]
        assert (r.ratio_low, r.ratio_high) == pytest.approx((min(pairs), max(pairs)))
        assert r.ratio == pytest.approx(r.china_value / r.kz_value)


def test_ratio_prefers_the_statistical_bodies(mirror) -> None:
    ratios = mirror_stats.ratio_by_period(mirror).set_index("period")
    for period, row in ratios.iterrows():
        for side, column in (("china", "china_id"), ("kazakhstan", "kz_id")):
            rows = mirror[(mirror["partner"] == "china") & (mirror["side"] == side)
                          & (mirror["flow"] == "total") & (mirror["period"] == period)]
            bodies = rows[rows["reporter"].isin(["china_customs", "kazakhstan_statistics"])]
            if len(bodies):
                assert row[column] in set(bodies["id"]), (period, side)


def test_every_period_with_both_totals_has_a_ratio(mirror) -> None:
    totals = mirror[(mirror["partner"] == "china") & (mirror["flow"] == "total")]
    both = {p for p, g in totals.groupby("period") if {"china", "kazakhstan"} <= set(g["side"])}
    assert set(mirror_stats.ratio_by_period(mirror)["period"]) == both


# --------------------------------------------------------------------------- where the gap sits

def test_gap_is_computed_from_the_pages(mirror) -> None:
    loc = mirror_stats.gap_location(mirror)
    period = str(loc["year"])
    for flow, row in (("kz_exports", loc["exports"]), ("kz_imports", loc["imports"])):
        china = values(mirror, side="china", flow=flow, period=period)
        kaz = values(mirror, side="kazakhstan", flow=flow, period=period)
        if not kaz:  # derived from one page: its total less its other flow
            other = "kz_imports" if flow == "kz_exports" else "kz_exports"
            page = mirror[(mirror["side"] == "kazakhstan") & (mirror["period"] == period)
                          & (mirror["flow"] == other)]
            total = mirror[(mirror["url"] == page["url"].iloc[0]) & (mirror["flow"] == "total")
                           & (mirror["partner"] == "china")]
            kaz = [total["value"].iloc[0] - page["value"].iloc[0]]
            assert row["kz_derived"]
        assert row["gap"] == pytest.approx(china[0] - kaz[0])
        assert row["ratio"] == pytest.approx(china[0] / kaz[0])
    share = loc["imports"]["gap"] / (loc["imports"]["gap"] + loc["exports"]["gap"]) * 100
    assert loc["imports_share_pct"] == pytest.approx(share)
    assert loc["imports"]["gap"] > loc["exports"]["gap"]


def test_reported_gaps_against_the_totals(mirror) -> None:
    reported = mirror_stats.reported_gaps(mirror)
    ratios = mirror_stats.ratio_by_period(mirror).set_index("period")
    for r in reported.itertuples():
        gap = ratios.loc[r.period, "china_value"] - ratios.loc[r.period, "kz_value"]
        if r.flow == "kz_imports_gap":
            assert r.share_pct == pytest.approx(r.value / gap * 100)
        else:
            assert r.off_by == pytest.approx(abs(gap - r.value))
            same = reported[(reported["period"] == r.period) & (reported["flow"] == "kz_imports_gap")
                            & (reported["value"] == r.value)]
            assert r.same_as == ", ".join(same["id"])


# --------------------------------------------------------------------------- China against Russia

def test_first_year_china_passes_russia(mirror) -> None:
    kaz = mirror[(mirror["side"] == "kazakhstan") & (mirror["flow"] == "total") & mirror["full_year"]]
    years = sorted(set(kaz[kaz["partner"] == "russia"]["year"]) & set(kaz[kaz["partner"] == "china"]["year"]))
    ahead = [y for y in years if min(kaz[(kaz["partner"] == "china") & (kaz["year"] == y)]["value"])
             > max(kaz[(kaz["partner"] == "russia") & (kaz["year"] == y)]["value"])]
    assert mirror_stats.first_year_china_ahead(mirror) == ahead[0]


def test_first_year_moves_when_the_data_move(mirror) -> None:
    first = mirror_stats.first_year_china_ahead(mirror)
    changed = mirror.copy()
    russia = (changed["partner"] == "russia") & (changed["year"] == first) & (changed["side"] == "kazakhstan")
    changed.loc[russia, "value"] = changed["value"].max() * 2
    with pytest.raises(ValueError, match="never ahead"):
        mirror_stats.first_year_china_ahead(changed)
    earlier = mirror.copy()
    kaz = earlier[(earlier["side"] == "kazakhstan") & (earlier["flow"] == "total") & earlier["full_year"]]
    before = max(y for y in set(kaz[kaz["partner"] == "russia"]["year"]) if y < first)
    china = ((earlier["partner"] == "china") & (earlier["year"] == before) & (earlier["side"] == "kazakhstan")
             & (earlier["flow"] == "total"))
    earlier.loc[china, "value"] = earlier["value"].max() * 2
    assert mirror_stats.first_year_china_ahead(earlier) == before


def test_customs_totals_mixed_with_kazakh_figures(mirror) -> None:
    versus = mirror_stats.china_vs_russia(mirror)
    for r in versus[versus["full_year"]].itertuples():
        customs = mirror[(mirror["reporter"] == "china_customs") & (mirror["flow"] == "total")
                         & (mirror["period"] == str(r.year))]
        if len(customs):
            best = customs.sort_values("id").iloc[0]["value"]
            assert (r.year in mirror_stats.customs_ahead_years(mirror)) == (best > r.russia_value)


# --------------------------------------------------------------------------- the articles' totals

@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    ledger = book.load()
    totals = growth.with_growth(ledger, TOTAL)
    readings = [stated_interval(v, q) for v, q in zip(totals["value"], totals["qualifier"], strict=True)]
    stated = totals.assign(kind="stated", low=[i.low for i in readings], high=[i.high for i in readings],
                           claim_ids=totals["claim_id"])
    return pd.concat([stated, growth.implied_prior(totals).assign(kind="derived")], ignore_index=True)


def test_article_values_matched_with_rounding(figures, mirror) -> None:
    columns = ["period", "value", "low", "high", "kind", "claim_ids"]
    matches = mirror_stats.match_values(figures[columns], mirror)
    for row in matches[matches["mirror_id"] != ""].itertuples():
        page = mirror.set_index("id").loc[row.mirror_id]
        assert page["period"] == row.period and page["flow"] == "total"
        theirs = stated_interval(page["value"])
        assert row.matches == (row.low <= theirs.high and theirs.low <= row.high)
        assert row.ratio == pytest.approx(row.value / page["value"])
    stated = matches[(matches["kind"] == "stated") & (matches["mirror_id"] != "")]
    assert not stated[stated["side"] == "kazakhstan"]["matches"].any()
    assert stated[stated["reporter"] == "china_customs"]["matches"].all()


def test_every_page_of_the_period_is_matched_and_a_period_without_pages_says_so(figures, mirror) -> None:
    matches = mirror_stats.match_values(figures, mirror)
    pages = mirror[(mirror["partner"] == "china") & (mirror["flow"] == "total")]
    for figure in figures.itertuples():
        rows = matches[(matches["period"] == figure.period) & (matches["value"] == figure.value)]
        expected = set(pages.loc[pages["period"] == figure.period, "id"])
        assert set(rows["mirror_id"]) == (expected or {""})


# --------------------------------------------------------------------------- pages that disagree

def test_disagreements_keep_both_pages(mirror) -> None:
    for r in mirror_stats.disagreements(mirror).itertuples():
        ids = r.ids.split(", ")
        assert len(ids) >= 2
        found = mirror.set_index("id").loc[ids, "value"]
        assert r.spread == pytest.approx(found.max() - found.min())
        assert r.spread_pct == pytest.approx((found.max() - found.min()) / found.min() * 100)


# --------------------------------------------------------------------------- both records of each flow

def test_records_continue_with_the_news_pages_only_after_the_files(imf, mirror) -> None:
    records = imf_records.records(imf, mirror)
    last = records.loc[records["kind"] == "imf", "year"].max()
    pages = records[records["kind"] == "news_page"]
    assert len(pages) and (pages["year"] > last).all()
    assert set(records["direction"]) == {"a_to_b", "b_to_a", "total"}
    china_exports = imf[(imf["reporter_id"] == "china") & (imf["partner_id"] == "kazakhstan")
                        & (imf["flow"] == "exports_fob") & (imf["year"] == last)]["value_usd_million"].iloc[0]
    row = records[(records["direction"] == "a_to_b") & (records["side"] == "china")
                  & (records["year"] == last)]
    assert row["value_usd_billion"].iloc[0] == pytest.approx(china_exports / 1000)
    assert records[records["derived"]]["kind"].eq("news_page").all()


def test_gaps_of_the_flows_add_up_to_the_gap_of_the_totals(imf, mirror) -> None:
    records = imf_records.records(imf, mirror)
    gaps = imf_records.gaps(records).pivot(index="year", columns="direction", values="gap")
    imf_years = gaps.loc[records.loc[records["kind"] == "imf", "year"].unique()].dropna()
    flows = (imf_years["a_to_b"] + imf_years["b_to_a"]).to_numpy()
    assert flows == pytest.approx(imf_years["total"].to_numpy())


# --------------------------------------------------------------------------- the caveats, by hand

def _ranks(years: dict[int, dict[str, tuple[float, float | None]]]) -> pd.DataFrame:
    """Kazakhstan's ranks from {year: {partner: (exports, imports or None)}}."""
    rows = []
    for year, partners in years.items():
        for partner, flows in partners.items():
            for flow, value in zip(("exports_fob", "imports_cif"), flows, strict=True):
                if value is not None:
                    economy = "china" if partner == "Mainland" else pd.NA
                    rows.append({"reporter_id": "kazakhstan", "partner_kind": "country", "year": year,
                                 "partner": partner, "partner_id": economy,
                                 "flow": flow, "value_usd_million": float(value), "estimate": False,
                                 "file": "f.xlsx", "sheet": "s", "cell": f"C{len(rows)}"})
    frame = pd.DataFrame(rows)
    frame["partner_id"] = frame["partner_id"].astype("string")
    return partner_ranks(frame, "kazakhstan")


def test_a_separate_territory_added_to_china(imf) -> None:
    # Totals: X 100, Mainland 80, Territory 30, Y 90. Mainland is 3rd; with Territory, 110: 1st.
    ranks = _ranks({2020: {"X": (100, 0), "Mainland": (40, 40), "Territory": (30, 0), "Y": (90, 0)}})
    merged = rank_caveats.rank_if_merged(ranks, "china", ["Territory"]).set_index("measure")
    assert (merged.loc["total", "rank"], merged.loc["total", "merged_rank"]) == (3, 1)
    assert merged.loc["total", "changes"]


def test_ties_and_single_flows_among_the_first_ranks() -> None:
    # Totals: A 50 and B 50 tie for 1st; C has exports only (40) and ranks 3rd by total trade.
    ranks = _ranks({2020: {"A": (25, 25), "B": (50, 0), "C": (40, None), "Mainland": (10, 10)}})
    ties = rank_caveats.ties_within(ranks, 3)
    assert set(ties[ties["measure"] == "total"]["partner"]) == {"A", "B"}
    single = rank_caveats.one_flow_within(ranks, 3)
    assert list(single["partner"]) == ["C"] and list(single["rank"]) == [3]
    assert rank_caveats.one_flow_within(ranks, 2).empty


def test_years_as_prose_writes_them() -> None:
    assert year_runs([1993, 1992, 1996, 1997, 1998]) == [(1992, 1993), (1996, 1998)]
    assert years_text([1992, 1993, 1996, 1997, 1998, 2020]) == "1992, 1993, 1996–1998 and 2020"
    assert years_text([]) == "no year" and years_text([], none="none") == "none"
