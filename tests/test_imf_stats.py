"""The IMF statistics (analysis/imf_stats.py) on small frames whose results are worked out by
hand, and a few facts of the real files that follow from their cells."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from china_kazakhstan.analysis import imf_stats as stats
from china_kazakhstan.analysis.imf_stats import RankStatement, check_rank_statement
from china_kazakhstan.data.imf_table import load_imf

NAMES = {"china": "China, P.R.: Mainland", "kazakhstan": "Kazakhstan, Rep. of",
         "russia": "Russian Federation"}
SHEET = {"exports_fob": "Exports, FOB", "imports_cif": "Imports, CIF"}


def tidy(rows: list[tuple]) -> pd.DataFrame:
    """Rows (reporter id, partner name or id, kind, flow, year, value[, estimate]), typed as
    the loader types them."""
    records = []
    for i, (reporter, partner, kind, flow, year, value, *estimate) in enumerate(rows):
        name = NAMES.get(partner, partner)
        records.append({"reporter": NAMES[reporter], "partner": name, "partner_kind": kind, "flow": flow,
                        "year": year, "value_usd_million": float(value),
                        "estimate": bool(estimate and estimate[0]),
                        "file": f"DOTS_{reporter}.xlsx", "sheet": SHEET[flow], "cell": f"C{8 + i}",
                        "reporter_id": reporter, "partner_id": partner if partner in NAMES else pd.NA})
    frame = pd.DataFrame(records)
    frame["partner_id"] = frame["partner_id"].astype("string")
    return frame


# China's exports to Kazakhstan 100, imports from it 50; Kazakhstan's exports to China 40,
# imports from it 70 (one of them an estimate). By hand: totals 150 and 110, ratio 150/110,
# gap on China->Kazakhstan goods 100 - 70 = 30, on Kazakhstan->China 50 - 40 = 10, total 40.
PAIR = [
    ("china", "kazakhstan", "country", "exports_fob", 2019, 100),
    ("china", "kazakhstan", "country", "imports_cif", 2019, 50),
    ("kazakhstan", "china", "country", "exports_fob", 2019, 40),
    ("kazakhstan", "china", "country", "imports_cif", 2019, 70, True),
    ("china", "World", "aggregate", "exports_fob", 2019, 5000),
]


def test_bilateral_gives_both_records_with_totals_and_flags() -> None:
    flows = stats.bilateral(tidy(PAIR))
    total = flows[flows.flow == "total"].set_index("reporter")
    assert total.loc["china", "value_usd_million"] == 150
    assert total.loc["kazakhstan", "value_usd_million"] == 110
    assert not total.loc["china", "estimate"] and total.loc["kazakhstan", "estimate"]
    assert total.loc["kazakhstan", "source"] == ("DOTS_kazakhstan.xlsx, 'Exports, FOB'!C10; "
                                                 "DOTS_kazakhstan.xlsx, 'Imports, CIF'!C11")
    assert len(flows) == 6  # two flows and a total for each side; the World row is not the pair


def test_mirror_table_ratio_and_gaps_by_hand() -> None:
    row = stats.mirror_table(tidy(PAIR)).iloc[0]
    assert row.ratio == pytest.approx(150 / 110)
    assert (row.gap_china_to_kazakhstan, row.gap_kazakhstan_to_china, row.gap_total) == (30, 10, 40)
    assert row.share_china_to_kazakhstan == pytest.approx(0.75)
    assert row.share_kazakhstan_to_china == pytest.approx(0.25)
    assert row.estimate_kazakhstan and not row.estimate_china


def test_mirror_table_leaves_out_a_year_with_a_flow_missing() -> None:
    rows = PAIR + [("china", "kazakhstan", "country", "exports_fob", 2020, 10)]
    assert list(stats.mirror_table(tidy(rows)).year) == [2019]


def test_gap_over_a_period_and_where_it_sits() -> None:
    rows = PAIR + [  # 2020: gaps 20 - 10 = 10 and 5 - 25 = -20, total -10
        ("china", "kazakhstan", "country", "exports_fob", 2020, 20),
        ("china", "kazakhstan", "country", "imports_cif", 2020, 5),
        ("kazakhstan", "china", "country", "exports_fob", 2020, 25),
        ("kazakhstan", "china", "country", "imports_cif", 2020, 10),
    ]
    summary = stats.gap_over(stats.mirror_table(tidy(rows)), [2019, 2020])
    assert summary["gap_china_to_kazakhstan"] == 40 and summary["gap_kazakhstan_to_china"] == -10
    assert summary["gap_total"] == 30 and summary["share_china_to_kazakhstan"] == pytest.approx(40 / 30)
    assert summary["years_larger_china_to_kazakhstan"] == 1
    assert summary["years_larger_kazakhstan_to_china"] == 1


# Kazakhstan's partners in 2020: A exports 10 imports 5 (total 15), russia 8 + 8 (16),
# china 10 + 1 (11), D imports 20 only (total 20, incomplete), the World aggregate 999.
# By hand: total D 1, russia 2, A 3, china 4; exports A and china tie at 1, russia 3;
# imports D 1, russia 2, A 3, china 4.
PARTNERS = [
    ("kazakhstan", "A", "country", "exports_fob", 2020, 10),
    ("kazakhstan", "A", "country", "imports_cif", 2020, 5),
    ("kazakhstan", "russia", "country", "exports_fob", 2020, 8),
    ("kazakhstan", "russia", "country", "imports_cif", 2020, 8),
    ("kazakhstan", "china", "country", "exports_fob", 2020, 10),
    ("kazakhstan", "china", "country", "imports_cif", 2020, 1),
    ("kazakhstan", "D", "country", "imports_cif", 2020, 20),
    ("kazakhstan", "World", "aggregate", "exports_fob", 2020, 999),
    ("kazakhstan", "World", "aggregate", "imports_cif", 2020, 999),
]


def _rank(ranks: pd.DataFrame, measure: str, partner: str) -> int:
    rows = ranks[(ranks.measure == measure) & (ranks.partner == NAMES.get(partner, partner))]
    return int(rows["rank"].iloc[0])


def test_ranks_by_hand_with_a_tie_and_aggregates_left_out() -> None:
    ranks = stats.partner_ranks(tidy(PARTNERS))
    assert "World" not in set(ranks.partner)
    assert [_rank(ranks, "total", p) for p in ("D", "russia", "A", "china")] == [1, 2, 3, 4]
    assert [_rank(ranks, "exports", p) for p in ("A", "china", "russia")] == [1, 1, 3]
    assert [_rank(ranks, "imports", p) for p in ("D", "russia", "A", "china")] == [1, 2, 3, 4]
    d_total = ranks[(ranks.measure == "total") & (ranks.partner == "D")].iloc[0]
    assert not d_total.complete and d_total.partners == 4


def test_rank_table_names_tied_leaders_and_each_economy() -> None:
    table = stats.rank_table(stats.partner_ranks(tidy(PARTNERS))).set_index("measure")
    assert table.loc["exports", "first"] == "A and China, P.R.: Mainland"
    assert table.loc["total", "first"] == "D" and table.loc["total", "first_value"] == 20
    assert table.loc["total", "china_rank"] == 4 and table.loc["total", "russia_rank"] == 2
    assert stats.years_at_rank(table.reset_index(), "china", "exports", 1) == [2020]


def test_an_economy_without_a_figure_has_no_rank() -> None:
    rows = [r for r in PARTNERS if r[1] != "russia"]
    table = stats.rank_table(stats.partner_ranks(tidy(rows)))
    assert table["russia_rank"].isna().all()


# A rank statement over 2019-2021, data for 2019 and 2020: china second in 2019 behind X,
# first in 2020 (by hand).
TWO_YEARS = [
    ("kazakhstan", "X", "country", "exports_fob", 2019, 50),
    ("kazakhstan", "china", "country", "exports_fob", 2019, 40),
    ("kazakhstan", "Y", "country", "exports_fob", 2019, 10),
    ("kazakhstan", "X", "country", "exports_fob", 2020, 30),
    ("kazakhstan", "china", "country", "exports_fob", 2020, 60),
]


def test_rank_statement_checked_year_by_year_with_the_unreachable_years() -> None:
    ranks = stats.partner_ranks(tidy(TWO_YEARS))
    check = check_rank_statement(ranks, RankStatement("exports", 1, (2019, 2020, 2021), label="C021"))
    assert check.verdict == "holds_in_some_years"
    assert check.unreachable == (2021,)
    assert check.matching_years == [2020] and check.failing_years == [2019]
    y2019 = check.years.set_index("year").loc[2019]
    assert (y2019.actual, y2019.first, y2019.ahead, y2019.at_stated_rank) == (2, "X", "X", "X")
    assert check.years.set_index("year").loc[2020, "value_usd_million"] == 60


def test_rank_statement_that_is_too_modest_names_who_held_the_stated_rank() -> None:
    ranks = stats.partner_ranks(tidy(TWO_YEARS))
    check = check_rank_statement(ranks, RankStatement("exports", 2, (2020,)))
    assert check.verdict == "fails"
    row = check.years.iloc[0]
    assert (row.actual, row.first, row.ahead, row.at_stated_rank) == (1, "China, P.R.: Mainland", "", "X")


def test_rank_statement_verdicts_holds_and_beyond_the_data() -> None:
    ranks = stats.partner_ranks(tidy(TWO_YEARS))
    assert check_rank_statement(ranks, RankStatement("exports", 2, (2019,))).verdict == "holds"
    beyond = check_rank_statement(ranks, RankStatement("exports", 1, (2023, 2024)))
    assert beyond.verdict == "beyond_the_data" and beyond.unreachable == (2023, 2024) and beyond.years.empty


def test_rank_statement_refuses_an_unknown_measure() -> None:
    with pytest.raises(ValueError, match="measure 'turnover'"):
        RankStatement("turnover", 1, (2020,))


def _mirror(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["full_year"] = frame["period"].str.fullmatch(r"[0-9]{4}")
    return frame


def test_news_pages_against_the_imf_by_hand() -> None:
    rows = PAIR + [(r, p, k, f, 2018, v / 2) for r, p, k, f, _, v, *_ in PAIR[:4]]  # 2018 totals 75 and 55
    mirror = _mirror([
        {"id": "X01", "reporter": "china_customs", "side": "china", "partner": "china", "flow": "total",
         "value": 0.2, "unit": "USD_billion", "period": "2019"},
        {"id": "X02", "reporter": "kazakhstan_statistics", "side": "kazakhstan", "partner": "china",
         "flow": "kz_exports", "value": 0.05, "unit": "USD_billion", "period": "2019"},
        {"id": "X03", "reporter": "china_customs", "side": "china", "partner": "china", "flow": "kz_exports",
         "value": 0.05, "unit": "USD_billion", "period": "2019"},
        {"id": "X04", "reporter": "china_official", "side": "china", "partner": "china",
         "flow": "total_growth",
         "value": 90.0, "unit": "percent", "period": "2019"},
        {"id": "X05", "reporter": "china_customs", "side": "china", "partner": "china", "flow": "total",
         "value": 9.0, "unit": "USD_billion", "period": "2023"},
        {"id": "X06", "reporter": "kazakhstan_statistics", "side": "kazakhstan", "partner": "china",
         "flow": "total", "value": 9.0, "unit": "USD_billion", "period": "2019-01..2019-09"},
    ])
    table = stats.news_vs_imf(mirror, tidy(rows)).set_index("id")
    assert list(table.index) == ["X01", "X02", "X03", "X04"]  # 2023 and the nine months left out
    assert table.loc["X01", "imf_value"] == pytest.approx(0.15)          # China's total, 150 million
    assert table.loc["X01", "difference"] == pytest.approx(0.05)
    assert table.loc["X01", "difference_percent"] == pytest.approx(100 / 3)
    assert table.loc["X02", "imf_value"] == pytest.approx(0.04)          # Kazakhstan's exports to China
    assert table.loc["X03", "imf_value"] == pytest.approx(0.05)          # China's imports from Kazakhstan
    assert table.loc["X04", "imf_value"] == pytest.approx(100.0)         # 75 -> 150: +100 %
    assert table.loc["X04", "difference"] == pytest.approx(-10.0)
    assert math.isnan(table.loc["X04", "difference_percent"])


def test_lines_continue_with_the_news_pages_after_the_files_end() -> None:
    mirror = _mirror([
        {"id": "X09", "reporter": "china_customs", "side": "china", "partner": "china", "flow": "total",
         "value": 25.25, "unit": "USD_billion", "period": "2021"},
        {"id": "X02", "reporter": "kazakhstan_statistics", "side": "kazakhstan", "partner": "china",
         "flow": "total", "value": 0.2, "unit": "USD_billion", "period": "2019"},
    ])
    lines = stats.lines_with_news(tidy(PAIR), mirror)
    assert list(zip(lines.year, lines.side, lines.kind, strict=True)) == [
        (2019, "china", "imf"), (2021, "china", "news_page"), (2019, "kazakhstan", "imf")]
    assert lines[lines.kind == "news_page"].value_usd_billion.tolist() == [25.25]


# --- facts of the real files, from their cells --------------------------------------------------------

@pytest.fixture(scope="module")
def imf() -> pd.DataFrame:
    return load_imf(Path(__file__).resolve().parents[1])


def test_real_ratio_2020_from_the_four_cells(imf: pd.DataFrame) -> None:
    # DOTS_40 'Exports, FOB'!AT122 11706.98856 and 'Imports, CIF'!AT122 9726.32159 (China's
    # record); DOTS_103 'Exports, FOB'!AE59 9004.006953 and 'Imports, CIF'!AE59 6346.496276.
    row = stats.mirror_table(imf).set_index("year").loc[2020]
    assert row.ratio == pytest.approx((11706.98856 + 9726.32159) / (9004.006953 + 6346.496276), rel=1e-12)
    assert row.gap_china_to_kazakhstan == pytest.approx(11706.98856 - 6346.496276, rel=1e-12)


def test_real_1992_to_2020_both_sides_every_year(imf: pd.DataFrame) -> None:
    table = stats.mirror_table(imf, years=range(1992, 2021))
    assert list(table.year) == list(range(1992, 2021))
    # Kazakhstan's 1992 and 1993 cells with China are text ending in ' e' (C59, D59)
    assert table.set_index("year").loc[[1992, 1993], "estimate_kazakhstan"].all()
    assert not table.set_index("year").loc[2000:, "estimate_kazakhstan"].any()


def test_real_2019_exports_italy_ahead_of_china(imf: pd.DataFrame) -> None:
    # DOTS_103 'Exports, FOB' 2019 (column AD): Italy AD22 8373.712847 > China AD59 7823.406348
    ranks = stats.partner_ranks(imf, "kazakhstan", years=[2019])
    check = check_rank_statement(ranks, RankStatement("exports", 1, (2019,)))
    assert check.verdict == "fails" and check.years.iloc[0]["first"] == "Italy"


def test_real_2020_imports_russia_ahead_of_china(imf: pd.DataFrame) -> None:
    # DOTS_103 'Imports, CIF' 2020: Russia AE102 13300.216572 > China AE59 6346.496276
    table = stats.rank_table(stats.partner_ranks(imf, "kazakhstan", years=[2020])).set_index("measure")
    assert table.loc["imports", "first"] == "Russian Federation"
    assert table.loc["imports", "china_rank"] >= 2


def test_real_russia_has_no_figure_in_kazakhstans_1992_record(imf: pd.DataFrame) -> None:
    # DOTS_103 'Exports, FOB'!C92 and 'Imports, CIF'!C102 (Russian Federation, 1992) are empty
    table = stats.rank_table(stats.partner_ranks(imf, "kazakhstan", years=[1992]))
    assert table["russia_rank"].isna().all()


def test_real_ranks_never_count_an_aggregate(imf: pd.DataFrame) -> None:
    ranks = stats.partner_ranks(imf, "kazakhstan")
    assert not set(ranks.partner) & {"World", "Advanced Economies", "European Union", "Euro Area",
                                     "Emerging and Developing Europe"}
