"""The prose guard's detector (tests/prose_guard.py) on synthetic markdown: what it refuses,
what it lets through, and why."""

from __future__ import annotations

import pytest
from prose_guard import ALLOWED_PHRASES, prose_digits, prose_number_words


@pytest.mark.parametrize(("text", "words"), [
    ("Freight reached twenty-five million tonnes.", ["twenty-five", "million"]),
    ("Five articles were read.", ["Five"]),
    ("A NINETY-NINE percent share", ["NINETY-NINE"]),
    ("the twenty-first regular meeting", ["twenty-first"]),
    ("the third and the ninetieth", ["third", "ninetieth"]),
    ("a dozen projects, dozens of firms", ["dozen", "dozens"]),
    ("half of the trade", ["half"]),
    ("hundreds of students and a thousand more", ["hundreds", "thousand"]),
    ("one billion dollars", ["one", "billion"]),
    ("a five-year plan", ["five"]),
    ("## Step two", ["two"]),
    ("[the five articles](articles.md)", ["five"]),
    ("seventy", ["seventy"]),
    ("eleven, twelve, nineteen", ["eleven", "twelve", "nineteen"]),
])
def test_number_words_are_refused(text: str, words: list[str]) -> None:
    assert prose_number_words(text) == words


@pytest.mark.parametrize("text", [
    "Trade reached {glue:text}`trade_2023` ({glue}`trade_growth`).",
    "The id `C012` and the file `five_articles.csv`.",
    "See {doc}`the five articles <articles>`.",
    "Someone alone often spoke of money, a tone, a phone, a stone.",  # not whole words
    "Tennis, twentysomething, fourthly, seconds-hand? no: secondary, halfway.",
    "<!-- five -->",
    "```python\nx = 'five'\n```",
])
def test_glued_code_and_partial_words_pass(text: str) -> None:
    assert prose_number_words(text) == []


@pytest.mark.parametrize("phrase", sorted(ALLOWED_PHRASES))
def test_allow_listed_phrases_pass_and_say_why(phrase: str) -> None:
    assert ALLOWED_PHRASES[phrase].strip(), f"{phrase!r} needs its reason"
    assert prose_number_words(f"Between the {phrase}, as ever.") == []
    assert prose_number_words(f"Between the {phrase.upper()}.") == [], "case-insensitive"


def test_the_allow_list_covers_only_its_phrase() -> None:
    assert prose_number_words("the two countries and two ports") == ["two"]
    assert prose_number_words("two countries' ten ports") == ["ten"]


def test_the_allow_list_stays_short() -> None:
    assert len(ALLOWED_PHRASES) <= 8, "an allow-list this long hides figures: glue them instead"


def test_digits_rule_unchanged() -> None:
    assert prose_digits("Trade reached 41 billion in 2023.") == ["41"]
    assert prose_digits("Trade reached {glue:text}`trade_2023` in 2023 (`C012`).") == []
