"""The checks of the articles' rank statements against the IMF's yearly ranks (kind outside_rank).

Rule tests use small rank tables whose verdicts are worked out by hand (in the comments); data
tests rank Kazakhstan's partners again straight from the tidy IMF table, with pandas and no
function of the book, and read every expectation from there.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pandas as pd
import pytest

from china_kazakhstan import book
from china_kazakhstan.analysis.imf_stats import partner_ranks
from china_kazakhstan.checks import outside, where
from china_kazakhstan.checks.model import NO_VERDICT_LABEL, check_id
from china_kazakhstan.data.imf_table import load_imf
from china_kazakhstan.data.rank_measures import check_rank_measures, load_rank_measures
from china_kazakhstan.errors import DataError

NAMES = {"china": "China, P.R.: Mainland", "kazakhstan": "Kazakhstan, Rep. of",
         "russia": "Russian Federation"}
LEDGER = types.SimpleNamespace(label=lambda metric: "China's rank as Kazakhstan's trading partner")
MEASURE = types.SimpleNamespace(metric="rank_metric", measure="total", reporter="kazakhstan", partner="china")


def ranks_of(years: dict[int, dict[str, float]]) -> pd.DataFrame:
    """Kazakhstan's yearly ranks from {year: {partner: exports}} (imports nil, so total = exports)."""
    rows = []
    for year, values in years.items():
        for partner, value in values.items():
            rows.append({"reporter": NAMES["kazakhstan"], "partner": NAMES.get(partner, partner),
                         "partner_kind": "country", "flow": "exports_fob", "year": year,
                         "value_usd_million": float(value), "estimate": False, "file": "DOTS_103.xlsx",
                         "sheet": "Exports, FOB", "cell": f"C{len(rows) + 8}", "reporter_id": "kazakhstan",
                         "partner_id": partner if partner in NAMES else pd.NA})
    frame = pd.DataFrame(rows)
    frame["partner_id"] = frame["partner_id"].astype("string")
    return partner_ranks(frame, "kazakhstan")


def claim(value: int, period: str, quote: str = "China is the partner.", claim_id: str = "C900") -> pd.Series:
    """A rank claim as the ledger types it (only the fields the check reads)."""
    from china_kazakhstan.data.periods import parse_period

    p = parse_period(period)
    return pd.Series({"claim_id": claim_id, "value": float(value), "period": period, "period_kind": p.kind,
                      "period_start": pd.Timestamp(p.start_date), "period_end": pd.Timestamp(p.end_date),
                      "period_label": p.label(), "quote": quote, "short_name": "Test, May 2023"})


def run(ranks: pd.DataFrame, statement: pd.Series, estimated: pd.Series | None = None):
    return outside.rank_check(LEDGER, statement, MEASURE, ranks,
                              estimated if estimated is not None else pd.Series(dtype=float))


FOR_YEARS = "China has been Kazakhstan's second largest trading partner for years"
#: 2015: China 1st; 2016-2017: 3rd (X, Y ahead); 2018: 3rd (X 1st, Y 2nd); 2019-2020: 2nd behind X.
SIX_YEARS = {2015: {"china": 90, "X": 50, "Y": 40}, 2016: {"china": 30, "X": 50, "Y": 40},
             2017: {"china": 30, "X": 50, "Y": 40}, 2018: {"X": 50, "Y": 40, "china": 30},
             2019: {"X": 50, "china": 45, "Y": 40}, 2020: {"X": 50, "china": 45, "Y": 40}}


# --------------------------------------------------------------------------- the years a statement covers

def test_a_statement_for_years_is_read_two_ways() -> None:
    years = outside.statement_years(claim(2, "@2023-05-19", FOR_YEARS), first_year=2015)
    # As the book reads it: the five full years before May 2023; literally, every year back to 2015.
    assert years["book"][1] == (2018, 2019, 2020, 2021, 2022)
    assert years["literal"][1] == tuple(range(2015, 2023))


def test_now_and_a_named_year_are_one_year_under_both_readings() -> None:
    now = outside.statement_years(claim(1, "@2024-06", "Now China is the largest partner."), first_year=1992)
    named = outside.statement_years(claim(1, "2023"), first_year=1992)
    assert now["book"][1] == now["literal"][1] == (2023,)  # the last full year before June 2024
    assert named["book"][1] == named["literal"][1] == (2023,)


# --------------------------------------------------------------------------- verdicts by hand

def test_holds_in_every_year_reached_but_not_literally() -> None:
    # China 2nd in 2018 too. The book's years 2018-2022 reach 2018-2020, all 2nd: consistent. Read
    # literally, 2015-2022 reach 2015-2020: 1st in 2015, 3rd in 2016 and 2017, so some years: tension.
    data = {**SIX_YEARS, 2018: {"X": 50, "china": 45, "Y": 40}}
    check = run(ranks_of(data), claim(2, "@2023-05-19", FOR_YEARS))
    assert check.verdict == "consistent" and check.literal_verdict == "tension"
    assert check.depends_on_reading and check.passes
    assert "2021 and 2022" in check.explanation  # what the files cannot reach


def test_holds_in_some_years_is_tension_naming_the_years_and_who_led() -> None:
    check = run(ranks_of(SIX_YEARS), claim(2, "@2023-05-19", FOR_YEARS))
    # 2018: 3rd behind X and Y; 2019, 2020: 2nd -> some years; literally 2015-2020 also some: same verdict.
    assert check.verdict == "tension" and check.literal_verdict == ""
    assert "in 2018 China was third, with Y second and X first" in check.explanation
    assert "2018: 3rd (X 1st, Y 2nd)" in check.arithmetic
    book_read = check.values["book"]
    assert book_read.result.failing_years == [2018] and book_read.result.matching_years == [2019, 2020]


def test_fails_in_every_year_is_conflict() -> None:
    # Stated 1st for 2019 and 2020 ("now" would be one year; a named span here): China 2nd both years.
    check = run(ranks_of(SIX_YEARS), claim(1, "2019..2020"))
    assert check.verdict == "conflict"
    assert "holds in none of the years the files reach" in check.explanation


def test_years_beyond_the_files_have_no_verdict_and_never_count_as_consistent() -> None:
    check = run(ranks_of(SIX_YEARS), claim(1, "2023"))
    assert check.verdict == "" and check.literal_verdict == "" and not check.passes
    assert check.verdict_label == NO_VERDICT_LABEL
    assert "2023" in check.explanation and "files end in 2020" in check.explanation
    assert "not counted as consistent" in check.explanation


def test_estimated_years_are_named() -> None:
    estimated = pd.Series({2015: 1.0, 2016: 0.2})
    check = run(ranks_of(SIX_YEARS), claim(2, "@2023-05-19", FOR_YEARS), estimated)
    assert "In 2015 all of Kazakhstan's figures are IMF estimates." in check.explanation


def test_the_id_is_made_from_the_claim_and_its_reading_not_from_the_verdict() -> None:
    a = run(ranks_of(SIX_YEARS), claim(2, "@2023-05-19", FOR_YEARS))
    b = run(ranks_of({**SIX_YEARS, 2018: {"X": 50, "china": 45}}), claim(2, "@2023-05-19", FOR_YEARS))
    assert a.verdict != b.verdict and a.check_id == b.check_id
    assert a.check_id == check_id("outside_rank", ("C900", "total", "kazakhstan", "china"))
    assert a.check_id.startswith("OR-")


# --------------------------------------------------------------------------- which ranks, from data

def test_a_bad_row_of_the_rank_table_is_refused_with_its_line(project: Path) -> None:
    path = project / "data" / "rank_measures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('agri_products_trade,total,kazakhstan,china,"Not a rank."')
    lines.append('china_rank_as_investor_in_kz,total,atlantis,china,"No such economy."')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_rank_measures(project, book.load().metrics)
    message = str(caught.value)
    assert f"data/rank_measures.csv, line {len(lines) - 1} (agri_products_trade), field 'metric'" in message
    assert "not a rank" in message
    assert f"line {len(lines)} (china_rank_as_investor_in_kz), field 'reporter': 'atlantis'" in message
    assert [str(p) for p in check_rank_measures(project)] == [str(p) for p in caught.value.problems]


def test_no_table_or_no_imf_files_means_no_outside_checks(project: Path) -> None:
    descriptor = project / "data" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "imf_dots"]
    descriptor.write_text(json.dumps(package), encoding="utf-8")
    assert outside.checks(book.load()) == []


# --------------------------------------------------------------------------- on the data

@pytest.fixture(scope="module")
def ledger():
    return book.load()


@pytest.fixture(scope="module")
def imf() -> pd.DataFrame:
    return load_imf()


def direct_rank(imf: pd.DataFrame, year: int, measure: str) -> tuple[int, str]:
    """China's rank among Kazakhstan's country partners and the partner ranked first, by pandas alone."""
    rows = imf[(imf["reporter_id"] == "kazakhstan") & (imf["partner_kind"] == "country")
               & (imf["year"] == year)]
    if measure != "total":
        rows = rows[rows["flow"] == {"exports": "exports_fob", "imports": "imports_cif"}[measure]]
    values = rows.groupby("partner")["value_usd_million"].sum().sort_values(ascending=False)
    china = values[NAMES["china"]]
    return int((values > china).sum()) + 1, values.index[0]


def test_every_claim_of_every_listed_metric_is_checked(ledger) -> None:
    measures = load_rank_measures(ledger.root, ledger.metrics)
    checked = {c.claim_ids[0] for c in where(book.checks(ledger), "outside_rank")}
    expected = set(ledger.claims[ledger.claims["metric"].isin(measures["metric"])]["claim_id"])
    assert checked == expected and expected


def test_each_year_reached_matches_the_tidy_table(ledger, imf) -> None:
    measures = load_rank_measures(ledger.root, ledger.metrics).set_index("metric")["measure"]
    last = int(imf[imf["reporter_id"] == "kazakhstan"]["year"].max())
    for check in where(book.checks(ledger), "outside_rank"):
        measure, stated = measures[check.metrics[0]], int(ledger.claim(check.claim_ids[0])["value"])
        for reading in ("book", "literal"):
            read = check.values[reading]
            years = [y for y in read.years if y <= last]
            assert list(read.result.years["year"]) == years
            held = []
            for row in read.result.years.itertuples():
                rank, first = direct_rank(imf, row.year, measure)
                assert (row.actual, row.first) == (rank, first), (check.check_id, row.year)
                held.append(rank == stated)
            expected = ("" if not held else "consistent" if all(held) else "conflict" if not any(held)
                        else "tension")
            got = check.verdict if reading == "book" else (check.literal_verdict or check.verdict)
            assert got == expected, (check.check_id, reading)


def test_what_the_files_cannot_reach_is_said(ledger, imf) -> None:
    last = int(imf["year"].max())
    for check in where(book.checks(ledger), "outside_rank"):
        beyond = [y for y in check.values["book"].years if y > last]
        if beyond:
            assert str(beyond[0]) in check.explanation, check.check_id
            assert str(last) in check.explanation or not check.verdict, check.check_id
        if not check.verdict:
            assert "not counted as consistent" in check.explanation and not check.passes


def test_a_for_years_statement_shows_both_readings_and_their_years(ledger) -> None:
    spanned = [c for c in where(book.checks(ledger), "outside_rank")
               if "for years" in ledger.claim(c.claim_ids[0])["quote"]]
    assert spanned
    for check in spanned:
        book_years, literal = check.values["book"].years, check.values["literal"].years
        published = ledger.claim(check.claim_ids[0])["period_end"].year
        assert book_years == tuple(range(published - outside.BOOK_SPAN_YEARS, published))
        assert literal[0] == check.values["first_year"] and literal[-1] == published - 1
        assert "Read literally" in check.arithmetic and "for years" in check.hypothesis
