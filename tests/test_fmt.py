"""The house style for numbers (issue 15): one formatter, each rule on both sides of its edge."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from china_kazakhstan import fmt
from china_kazakhstan.analysis.selection import featured, prefer_article
from china_kazakhstan.data.readings import claim_reading, hedge_of

NB = fmt.NBSP


def test_numbers_have_separators_and_true_minus_signs() -> None:
    assert fmt.number(12000) == "12,000"
    assert fmt.number(31.17) == "31.17"
    assert fmt.number(-7) == "−7"
    assert fmt.number(-0.004, 2) == "0.00", "a rounded zero has no sign"
    assert fmt.number(7069.22, 0) == "7,069"


def test_years_never_take_a_separator() -> None:
    assert fmt.year(2016) == "2016"
    assert fmt.plain(1991.4, 1) == "1991.4"
    assert fmt.interval(1991.34, 1992.34, decimals=1, years=True) == "1991.3–1992.3"


def test_units_are_never_wrapped_away_from_their_number() -> None:
    assert fmt.quantity(31.17, "USD_billion") == f"US$31.17{NB}bn"
    assert fmt.quantity(61.3, "percent") == f"61.3{NB}%"
    assert fmt.quantity(205, "MW") == f"205{NB}MW"
    assert fmt.percent(23.6, sign=True) == f"+23.6{NB}%"


def test_one_hedge_per_figure() -> None:
    assert fmt.quantity(1000, "MW", "more_than") == f"more than 1,000{NB}MW"
    assert fmt.quantity(12000, "persons", "about").count("about") == 1
    assert fmt.quantity(5, "rank", "up_to") == "among the top five"


def test_ordinals_are_ordinals() -> None:
    assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd"]
    assert fmt.quantity(2, "rank") == "2nd"
    assert fmt.largest(1) == "largest" and fmt.largest(2) == "second-largest"
    assert fmt.ordinal_word(3) == "third" and fmt.ordinal_word(12) == "12th"


def test_small_counts_are_words_and_no_sentence_opens_with_a_numeral() -> None:
    assert fmt.spelled(5) == "five" and fmt.spelled(26) == "26"
    assert fmt.count(1, "article") == "one article"
    assert fmt.count(5, "article", capital=True) == "Five articles"
    assert fmt.count(26, "pair") == f"26{NB}pairs"
    with pytest.raises(ValueError, match="cannot open a sentence"):
        fmt.spelled(26, capital=True)
    assert fmt.times(2) == "twice" and fmt.times(4) == "four times"


def test_precision_follows_the_unit_for_derived_figures() -> None:
    assert fmt.quantity(7069.22, "count", derived=True) == "7,069"
    assert fmt.quantity(26819.4, "persons", derived=True) == f"26,819{NB}people"
    assert fmt.quantity(25.2184, "USD_billion", derived=True) == f"US$25.22{NB}bn"
    assert fmt.quantity(576.63, "USD_million", derived=True) == f"US$576.6{NB}m"


def test_lists_dates_and_ranges_read_as_prose() -> None:
    assert fmt.join(["a", "b", "c"]) == "a, b and c"
    assert fmt.join(["x, 1", "y, 2"], sep="; ") == "x, 1; and y, 2"
    assert fmt.day_span(date(2024, 7, 2), date(2024, 7, 6)) == "2–6 July 2024"
    assert fmt.interval(1000, float("inf")) == "1,000 or more"


# --- what a claim reads, and which claim a chapter features -----------------------------------

def test_a_mention_states_its_value_and_its_hedge() -> None:
    quote = "there are more than 10,000 Kazakh students"
    assert claim_reading(quote, "more than 10,000", 10000, "persons", "more_than").problem is None
    assert "not 9000" in claim_reading(quote, "more than 10,000", 9000, "persons", "more_than").problem
    assert "needs the hedge" in claim_reading(quote, "10,000", 10000, "persons", "more_than").problem
    assert "prints 'more than'" in claim_reading(quote, "10,000", 10000, "persons", "exact").problem
    assert hedge_of("over 21.2 billion") == "more_than" and hedge_of("21.2 billion") is None
    twice = "five institutes, and five universities"
    assert "occurs 2 times" in claim_reading(twice, "five", 5, "count", "exact").problem
    assert claim_reading(twice, "five universities", 5, "count", "exact").offset == twice.index("five u")


def _claims(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["claim_id", "seed", "value", "qualifier", "attributed_to", "published_date"])
    frame["published_date"] = pd.to_datetime(frame["published_date"])
    return frame


def test_the_featured_claim_names_its_source_then_is_the_most_precise() -> None:
    rows = _claims(("C001", "a", 31.0, "exact", "", "2024-01-01"),
                   ("C002", "b", 31.17, "exact", "China's customs", "2023-05-19"),
                   ("C003", "c", 31.2, "about", "a ministry", "2024-06-01"))
    assert featured(rows)["claim_id"] == "C002", "named source, exact, then decimals"
    unnamed = rows.assign(attributed_to="")
    assert featured(unnamed)["claim_id"] == "C002", "exact before hedged, more decimals first"
    tie = _claims(("C010", "a", 41.0, "exact", "", "2024-06-01"), ("C011", "b", 41.0, "exact", "", "2024-07-01"))
    assert featured(tie)["claim_id"] == "C011", "the most recent article"
    assert list(prefer_article(rows, "a")["claim_id"])[0] == "C001"


def test_schema_text_sets_backticked_names_as_code_and_escapes_the_rest() -> None:
    from china_kazakhstan.report.tables import with_code

    assert with_code("Foreign key to `sources.file` & more") == "Foreign key to <code>sources.file</code> &amp; more"
    assert with_code("no names <here>") == "no names &lt;here&gt;"
