"""The house rules for numbers and words, on the built pages a reader sees (issue 15).

No glued value in bold, no sentence opening with a numeral, no year with a thousands
separator, no raw code of the data in a table, none of the project's inner words in prose.
Code (the collapsed analysis cells, inline code, file names) is not prose and is left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.build
INNER_WORDS = re.compile(r"\b(ledger|package|seeds)\b(?!/)", re.I)
NUMERAL_START = re.compile(r"^(?:US\$|\$|−|\+)?\d")
#: A year printed as a number ("1,991"); not an amount with decimals ("US$1,967.3 m").
YEAR_WITH_SEPARATOR = re.compile(r"\b(?:1,9\d\d|2,0[0-3]\d)\b(?<!2,000)(?![.,]\d)")


def _codes() -> set[str]:
    """Every code of the data a reader must never see raw: enumerations with underscores, metric names."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    codes = set()
    for resource in package["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            codes |= {v for v in field.get("constraints", {}).get("enum", []) if "_" in v}
    metrics = (ROOT / "data" / "metrics.csv").read_text(encoding="utf-8").splitlines()[1:]
    return codes | {line.split(",", 1)[0] for line in metrics}


def _pages(built_book: Path) -> dict[str, BeautifulSoup]:
    html = built_book / "_build" / "html" / "chapters"
    pages = {}
    for path in sorted(html.glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article") or soup
        # Code is not prose, and the articles printed verbatim on their page are not the book's.
        # A figure's number ("Fig. 1.1 ") is a label, not the start of a sentence.
        for code in article.select("div.cell_input, pre, code, script, style, .headerlink, .seed-article, "
                                   "span.caption-number"):
            code.decompose()
        pages[path.stem] = article
    return pages


@pytest.fixture(scope="module")
def pages(built_book: Path) -> dict[str, BeautifulSoup]:
    return _pages(built_book)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[^\s])", " ".join(text.split())) if s.strip()]


def test_glued_values_are_not_bold(pages, built_book: Path) -> None:
    css = (ROOT / "_static" / "book.css").read_text(encoding="utf-8")
    assert re.search(r"span\.pasted-text\s*\{\s*font-weight:\s*inherit", css), "book.css must unbold glue"
    for name, page in pages.items():
        bold = [s.get_text() for s in page.select("strong span.pasted-text, b span.pasted-text")]
        assert not bold, f"{name}: glued values in bold: {bold[:5]}"


def test_no_sentence_opens_with_a_numeral(pages) -> None:
    for name, page in pages.items():
        for block in page.select("p, li"):
            if block.find_parent("table"):
                continue
            for sentence in _sentences(block.get_text(" ")):
                assert not NUMERAL_START.match(sentence), f"{name}: a sentence opens with a numeral: {sentence!r}"


def test_no_year_with_a_thousands_separator(pages) -> None:
    for name, page in pages.items():
        found = YEAR_WITH_SEPARATOR.findall(page.get_text(" "))
        assert not found, f"{name}: years with a separator: {found}"


def test_no_raw_code_in_a_table(pages) -> None:
    codes = _codes()
    for name, page in pages.items():
        for cell in page.select("table td, table th"):
            words = set(re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", cell.get_text(" ")))
            raw = words & codes
            assert not raw, f"{name}: raw codes in a table: {sorted(raw)}"


def test_no_inner_words_in_prose(pages) -> None:
    for name, page in pages.items():
        text = page.get_text(" ")
        found = sorted({m.group(0) for m in INNER_WORDS.finditer(text)})
        assert not found, f"{name}: the project's inner words reach the reader: {found}"


def test_the_rules_can_fail() -> None:
    assert NUMERAL_START.match("41 billion dollars were traded.")
    assert NUMERAL_START.match("US$41 bn was the total.")
    assert not NUMERAL_START.match("Trade reached US$41 bn.")
    assert YEAR_WITH_SEPARATOR.findall("2016 − 25 = 1,991") == ["1,991"]
    assert YEAR_WITH_SEPARATOR.findall("more than 2,000 projects") == []
    assert YEAR_WITH_SEPARATOR.findall("US$1,967.3 m") == []
    assert INNER_WORDS.search("derived by the package") and not INNER_WORDS.search("seeds/000.txt")
    soup = BeautifulSoup("<p>Intro.</p><strong><span class='pasted-text'>x</span></strong>", "html.parser")
    assert soup.select("strong span.pasted-text")
