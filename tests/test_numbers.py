"""Unit tests for `china_kazakhstan.data.numbers`: each form of number the seeds use.

The extractor is the ground truth of the ledger checks (a claim's value must be
stated in its quote; every number in a seed must be accounted for), so each
form it must recognise -- and each look-alike it must not -- is pinned here.
"""

import pytest

from china_kazakhstan.data.numbers import (
    UNIT_KINDS,
    UNIT_SCALE,
    Mention,
    find_mentions,
    matches_unit,
    stated_values,
)


def _triples(text: str) -> list[tuple[str, float, str]]:
    return [(m.text, m.value, m.kind) for m in find_mentions(text)]


def _only(text: str) -> Mention:
    found = find_mentions(text)
    assert len(found) == 1, f"expected exactly one mention in {text!r} but got {_triples(text)}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "mention_text", "value", "kind"),
    [
        # digits
        ("some 12,000 students", "12,000", 12000.0, "plain"),
        ("stood at 31.17 billion U.S. dollars", "31.17 billion", 31.17e9, "plain"),
        ("reached 17.62 billion US dollars", "17.62 billion", 17.62e9, "plain"),
        ("a list of 52 projects", "52", 52.0, "plain"),
        # currency and scale words
        ("reached $41 billion, with", "$41 billion", 41e9, "plain"),
        ("reaching US$41 billion, up", "US$41 billion", 41e9, "plain"),
        ("reached 126 thousand people", "126 thousand", 126e3, "plain"),
        ("reached 930 million U.S. dollars", "930 million", 930e6, "plain"),
        ("amounted to 23 million tons", "23 million", 23e6, "plain"),
        ("had exceeded 1,000 megawatts", "1,000", 1000.0, "plain"),
        ("This is a 205MW wind power project", "205", 205.0, "plain"),
        # percentages
        ("a surge of 61.3 percent.", "61.3 percent", 61.3, "percent"),
        ("up 9.8% and", "9.8%", 9.8, "percent"),
        # number words
        ("there are four Confucius Institutes", "four", 4.0, "plain"),
        ("Five Confucius Institutes", "Five", 5.0, "plain"),
        ("twenty-five pairs", "twenty-five", 25.0, "plain"),
        # ordinals and superlatives
        ("the second most popular destination", "second", 2.0, "ordinal"),
        ("the 17th meeting", "17th", 17.0, "ordinal"),
        ("the 24th meeting", "24th", 24.0, "ordinal"),
        ("China's second largest trading partner", "second largest", 2.0, "ordinal"),
        ("the ninth largest country", "ninth largest", 9.0, "ordinal"),
        ("Kazakhstan's largest trading partner", "largest", 1.0, "ordinal"),
        ("the biggest online trading platform", "biggest", 1.0, "ordinal"),
        ("one of the five largest investors", "five largest", 5.0, "ordinal"),
        ("Thirdly, the development", "Thirdly", 3.0, "ordinal"),
        # multiples
        ("competition twice and won", "twice", 2.0, "multiple"),
        ("has increased 12 times.", "12 times", 12.0, "multiple"),
        ("has more than tripled compared", "tripled", 3.0, "multiple"),
        ("exports doubled", "doubled", 2.0, "multiple"),
        ("imports quadrupled", "quadrupled", 4.0, "multiple"),
    ],
)
def test_each_form_is_one_mention_with_its_value_and_kind(text, mention_text, value, kind):
    mentions = [m for m in find_mentions(text) if m.text == mention_text]
    assert mentions, f"expected a mention {mention_text!r} in {text!r} but got {_triples(text)}"
    m = mentions[0]
    assert m.value == pytest.approx(value, rel=1e-12), (
        f"expected value {value} for {mention_text!r} but got {m.value}"
    )
    assert m.kind == kind, f"expected kind {kind!r} for {mention_text!r} but got {m.kind!r}"
    assert text[m.start : m.end] == m.text, (
        f"expected the span to hold {m.text!r} but got {text[m.start : m.end]!r}"
    )


def test_second_largest_is_a_single_mention_not_two():
    got = _triples("China has been Kazakhstan's second largest trading partner")
    assert got == [("second largest", 2.0, "ordinal")], (
        f"expected one ordinal 'second largest' but got {got}"
    )


def test_largest_alone_is_rank_one_but_ordinal_wins_when_it_precedes():
    got = _triples("second largest trading partner, largest export destination")
    expected = [("second largest", 2.0, "ordinal"), ("largest", 1.0, "ordinal")]
    assert got == expected, f"expected {expected} but got {got}"


def test_more_than_tripled_mentions_only_the_verb():
    m = _only("the number has more than tripled compared to the previous year")
    assert (m.text, m.value, m.kind) == ("tripled", 3.0, "multiple"), (
        f"expected ('tripled', 3.0, 'multiple') but got {(m.text, m.value, m.kind)}"
    )


def test_words_inside_other_words_are_not_numbers():
    got = _triples("someone often attends; dozens of cities; thousands of years; firsts")
    assert got == [], f"expected no mention but got {got}"


def test_hualong_one_is_a_mention_of_one():
    # A name, but still a number to the guard: the exclusions file explains it.
    m = _only("The nuclear power technology of Hualong One reactor")
    assert (m.text, m.value, m.kind) == ("One", 1.0, "plain"), (
        f"expected ('One', 1.0, 'plain') but got {(m.text, m.value, m.kind)}"
    )


def test_dates_and_times_split_into_their_numbers():
    got = _triples("Updated: Nov 3,2016 4:17 PM")
    expected = [
        ("3", 3.0, "plain"),
        ("2016", 2016.0, "plain"),
        ("4", 4.0, "plain"),
        ("17", 17.0, "plain"),
    ]
    assert got == expected, f"expected {expected} but got {got}"
    got = [m.text for m in find_mentions("2023-05-19 12:57:15")]
    expected_texts = ["2023", "05", "19", "12", "57", "15"]
    assert got == expected_texts, f"expected {expected_texts} but got {got}"


def test_mentions_are_ordered_and_non_overlapping():
    text = "7,762 and 6,635 respectively, up 9.8% and 6.8% year-on-year, US$41 billion"
    found = find_mentions(text)
    starts = [m.start for m in found]
    assert starts == sorted(starts), f"expected ordered mentions but got starts {starts}"
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start, f"expected no overlap but got {a} and {b}"
    assert [m.text for m in found] == ["7,762", "6,635", "9.8%", "6.8%", "US$41 billion"], (
        f"expected the five figures but got {[m.text for m in found]}"
    )


def test_stated_values_are_the_quote_mentions():
    quote = "reached 17.62 billion US dollars and increased by 18%"
    assert stated_values(quote) == find_mentions(quote), (
        f"expected stated_values == find_mentions but got {stated_values(quote)}"
    )


@pytest.mark.parametrize(
    ("text", "value", "unit", "expected"),
    [
        ("31.17 billion U.S. dollars", 31.17, "USD_billion", True),
        ("US$41 billion", 41, "USD_billion", True),
        ("$41 billion", 41e9, "USD_billion", False),  # the row value is in the unit
        ("930 million U.S. dollars", 930, "USD_million", True),
        ("23 million tons", 23, "million_tonnes", True),
        ("126 thousand people", 126000, "persons", True),
        ("exceeded 1,000 megawatts", 1000, "MW", True),
        ("a 205MW wind power project", 205, "MW", True),
        ("up 20 percent", 20, "percent", True),
        ("up 20 percent", 20, "count", False),  # a percentage is not a count
        ("second largest trading partner", 2, "rank", True),
        ("second largest trading partner", 2, "count", True),  # "the Nth" = N so far
        ("second largest trading partner", 2, "million_tonnes", False),
        ("the two countries", 2, "rank", False),  # a cardinal is not a rank
        ("increased 12 times", 12, "multiple", True),
        ("visited Kazakhstan four times", 4, "count", True),  # a frequency
        ("increased 12 times", 12, "percent", False),
        ("more than tripled", 3, "multiple", True),
        ("some 12,000 students", 12000.5, "persons", False),  # no approximations
    ],
)
def test_matches_unit(text, value, unit, expected):
    got = any(matches_unit(m, value, unit) for m in find_mentions(text))
    assert got is expected, f"expected {expected} for {value} {unit} in {text!r} but got {got}"


def test_unit_tables_cover_the_same_units():
    assert set(UNIT_KINDS) == set(UNIT_SCALE), (
        f"expected the same units in UNIT_KINDS and UNIT_SCALE but got "
        f"{sorted(set(UNIT_KINDS) ^ set(UNIT_SCALE))}"
    )


def test_unknown_unit_fails_loudly():
    m = _only("41")
    with pytest.raises(KeyError):
        matches_unit(m, 41, "USD_trillion")
