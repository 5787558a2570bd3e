"""The printed book: the PDF that the shared build (conftest.built_book) printed with
Chromium, read back with poppler-utils as a reader's PDF viewer or search would.

Title page, contents, page numbers, every chapter, every chart, nothing cut at the page
edge, and the chapters' headline numbers findable by text search. A few pages are
rendered to PNG under ``_build/pdf-pages/`` (of the built copy and, for review, of this
project when it has a ``_build/`` folder).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT

from china_kazakhstan.build.execution import book_notebooks
from china_kazakhstan.build.pdf import PRINT_CSS

pytestmark = pytest.mark.build

PT_PER_MM = 72 / 25.4
#: Pages rendered to PNG for review: title, contents, the first chapter's opening.
REVIEW_PAGES = (1, 2, 3, 4)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def fold(text: str) -> str:
    """Text as search sees it: Sphinx's smart quotes plain, whitespace single."""
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


def squash(text: str) -> str:
    """For number search: no whitespace at all and no thousands separators."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", "", fold(text)))


@pytest.fixture(scope="module")
def pdf(built_book: Path) -> Path:
    path = built_book / "_build" / "pdf" / "china-kazakhstan.pdf"
    assert path.is_file(), f"the build printed no PDF at {path}"
    return path


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext -layout; pages end with a form feed)."""
    text = _run("pdftotext", "-layout", str(pdf), "-").split("\f")
    return text[:-1] if text and not text[-1].strip() else text


@pytest.fixture(scope="module")
def config(built_book: Path) -> dict:
    return yaml.safe_load((built_book / "_config.yml").read_text(encoding="utf-8"))


def chapter_titles(root: Path) -> list[str]:
    """Each chapter's first heading (printed with its number in front when numbered)."""
    titles = []
    for notebook in book_notebooks(root):
        nb = nbformat.read(notebook, as_version=4)
        heading = next(re.search(r"^# (.+)$", c.source, re.M) for c in nb.cells
                       if c.cell_type == "markdown" and re.search(r"^# ", c.source, re.M))
        titles.append(heading.group(1).strip())
    return titles


def test_page_count_is_reported(pdf: Path, pages: list[str]) -> None:
    info = _run("pdfinfo", str(pdf))
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    print(f"PDF: {count} pages, {pdf.stat().st_size // 1000} kB")
    assert len(pages) == count, f"pdftotext found {len(pages)} pages, pdfinfo {count}"


def test_title_page(pages: list[str], config: dict) -> None:
    """Page 1 is a title page: title, author, year, the page number, and nothing else."""
    first = fold(pages[0])
    assert fold(config["title"]) in first, f"page 1 does not give the title: {first[:200]!r}"
    assert fold(config["author"]) in first, f"page 1 does not give the author: {first[:200]!r}"
    rest = first
    for part in (config["title"], config["author"], str(config.get("copyright", "")), f"1 / {len(pages)}"):
        rest = rest.replace(fold(part), " ", 1)
    assert len(rest.split()) <= 3, f"page 1 holds more than a title page: {rest[:200]!r}"


def test_contents_lists_every_chapter(pages: list[str], built_book: Path) -> None:
    contents = fold(pages[1])
    assert contents.startswith("Contents"), f"page 2 is not the contents: {contents[:120]!r}"
    missing = [t for t in chapter_titles(built_book) if fold(t) not in contents]
    assert not missing, f"chapters missing from the contents on page 2: {missing}"


def test_every_page_is_numbered(pages: list[str]) -> None:
    total = len(pages)
    unnumbered = [n for n, text in enumerate(pages, 1)
                  if not re.search(rf"(?m)^\s*{n} / {total}\s*$", text)]
    assert not unnumbered, f"pages without an 'n / {total}' footer: {unnumbered}"


def chapter_pages(pages: list[str], titles: list[str]) -> dict[str, range]:
    """Where each chapter is printed: from the page it starts with its title (after the
    contents, in order) to the next chapter's. Chapters not found are left out."""
    starts, after = {}, 1  # page indices; 0 and 1 are the title page and the contents
    for title in titles:
        heading = re.compile(r"(?:\d+\.\s)?" + re.escape(fold(title)))  # numbered or not
        found = next((n for n in range(after + 1, len(pages)) if heading.match(fold(pages[n]))), None)
        if found is None:
            break
        starts[title] = after = found
    ends = [*list(starts.values())[1:], len(pages)]
    return {title: range(start, end) for (title, start), end in zip(starts.items(), ends, strict=False)}


def test_every_chapter_starts_a_page_after_the_contents(pages: list[str], built_book: Path) -> None:
    titles = chapter_titles(built_book)
    found = chapter_pages(pages, titles)
    missing = [t for t in titles if t not in found]
    assert not missing, f"chapters not found at the top of a page, in order: {missing}"


def test_every_chart_is_printed(pdf: Path, built_book: Path) -> None:
    """As many images in the PDF as PNG outputs in the book's notebooks."""
    listing = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    printed = sum(1 for line in listing if line.split()[2] == "image")  # not smask/stencil
    charts = sum("image/png" in output.get("data", {})
                 for notebook in book_notebooks(built_book)
                 for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"
                 for output in cell.outputs)
    assert charts, "expected charts in the notebooks"
    assert printed == charts, f"{printed} images in the PDF, {charts} charts in the notebooks"


def words_past_the_margin(pdf: Path, tolerance: float = 1.0) -> list[str]:
    """Words that run into the right (or left) page margin: a table or line cut at the edge."""
    margins = re.search(r"@page\s*{[^}]*margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm",
                        PRINT_CSS)
    right, left = float(margins.group(2)) * PT_PER_MM, float(margins.group(4)) * PT_PER_MM
    layout = _run("pdftotext", "-bbox-layout", str(pdf), "-")
    found = []
    for number, page in enumerate(layout.split("<page ")[1:], 1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x_min, x_max, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page):
            if float(x_max) > width - right + tolerance or float(x_min) < left - tolerance:
                found.append(f"page {number}: {word!r} spans x {float(x_min):.0f}–{float(x_max):.0f} "
                             f"(text area {left:.0f}–{width - right:.0f})")
    return found


def test_nothing_runs_past_the_page_margin(pdf: Path) -> None:
    found = words_past_the_margin(pdf)
    assert not found, "text cut at the page edge:\n" + "\n".join(found[:30])


def glued_numbers(notebook: Path) -> list[tuple[str, str]]:
    """(name, text) of the values a chapter glues into its prose that hold a digit."""
    nb = nbformat.read(notebook, as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    used = set(re.findall(r"\{glue(?::text)?\}`([^`]+)`", prose))
    values = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name in used and text is not None:
                value = str(ast.literal_eval(text))
                if re.search(r"\d", value):
                    values.append((name, value))
    return values


def test_headline_numbers_are_searchable(pages: list[str], built_book: Path) -> None:
    """Every number a chapter glues into its prose is found in that chapter's printed pages."""
    notebooks = book_notebooks(built_book)
    where = chapter_pages(pages, chapter_titles(built_book))
    assert len(where) == len(notebooks), "not every chapter was found (see the test above)"
    problems, checked = [], 0
    for notebook, page_range in zip(notebooks, where.values(), strict=True):
        text = squash(" ".join(pages[n] for n in page_range))
        for name, value in glued_numbers(notebook):
            checked += 1
            if squash(value) not in text:
                problems.append(f"{notebook.stem} (pages {page_range.start + 1}–{page_range.stop}): "
                                f"{name} = {value!r}")
    assert checked > 50, f"only {checked} glued numbers in the book"
    assert not problems, "glued numbers not found in their chapter's pages:\n" + "\n".join(problems)


def test_review_pages_are_rendered(pdf: Path, built_book: Path, pages: list[str]) -> None:
    folder = built_book / "_build" / "pdf-pages"
    folder.mkdir(parents=True, exist_ok=True)
    for number in (n for n in REVIEW_PAGES if n <= len(pages)):
        _run("pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number), "-l", str(number),
             str(pdf), str(folder / f"page-{number:02d}"))
    rendered = sorted(folder.glob("page-*.png"))
    assert len(rendered) == min(len(pages), len(REVIEW_PAGES)), f"rendered only {rendered}"
    if (ROOT / "_build").is_dir():
        review = ROOT / "_build" / "pdf-pages"
        review.mkdir(exist_ok=True)
        for png in rendered:
            shutil.copy2(png, review / png.name)
