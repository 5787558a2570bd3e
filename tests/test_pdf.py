"""The printed book: the PDF that the shared build (conftest.built_book) printed with
Chromium, read back as a reader's PDF viewer sees it (see printed_book.py for how).

Publishable means: a title page and a contents page whose page numbers are right;
running heads naming the chapter; tables whose words and numbers are never broken, whose
rows are never split, whose header row repeats on every page and which never break with
one row alone; no heading at the foot of a page; no page under a third full unless a
chapter ends there; every link inside the document or to an address a reader can open,
and nothing of the build machine in the file.

Each check (pdf_checks.py) returns the problems it finds; they run on the book and on a
specimen (pdf_specimen.py) that sets every trap; the specimen printed without the
layout's protections proves that each check finds what it looks for. Page images of the
contents, the discrepancy register and the schema table are saved under
``_build/reports/pdf-pages/`` for review.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pypdf
import pytest
from conftest import ROOT
from pdf_checks import (
    LAYOUT_CHECKS,
    Printed,
    body_text,
    broken_words,
    contents_page,
    contents_problems,
    fill_problems,
    header_problems,
    heading_problems,
    link_problems,
    links,
    machine_problems,
    margin_problems,
    page_number_problems,
    read_printed,
    running_head_problems,
    shown_problems,
    split_row_problems,
    table_rows,
    title_page_problems,
    two_row_problems,
)
from pdf_specimen import BAD_LAYOUT_CSS, BAD_PAGES_CSS, BASE_URL, CODE, PRINT_ONLY, SCREEN_ONLY, specimen
from printed_book import DIGIT, fold

from china_kazakhstan.build.execution import book_notebooks
from china_kazakhstan.build.pdf import print_book
from china_kazakhstan.build.pdf_finish import pdf_date
from china_kazakhstan.build.print_config import base_url, edition_facts

pytestmark = pytest.mark.build

SCREEN_WORDS = re.compile(r"\bclick|\bbutton\b|\bhover|\bsidebar\b|\b(top|bottom) of (the|this) page\b", re.I)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def printed(built_book: Path) -> Printed:
    return read_printed(built_book, built_book / "_build" / "pdf" / "china-kazakhstan.pdf",
                        built_book / "_build" / "singlehtml" / "chapters" / "introduction.html",
                        built_book / "_build" / "reports" / "pdf-render")


@pytest.fixture(scope="module")
def specimens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """The specimen printed as the book is, and twice with the layout's protections undone."""
    root = tmp_path_factory.mktemp("specimen")
    html = specimen(root)
    found = {}
    for name, css in (("good", ""), ("bad-layout", BAD_LAYOUT_CSS), ("bad-pages", BAD_PAGES_CSS)):
        pdf = print_book(html, root / "_build" / "pdf" / f"{name}.pdf", root, extra_css=css)
        found[name] = read_printed(root, pdf, html, root / "_build" / f"render-{name}")
    return found


def notebook_titles(root: Path) -> list[str]:
    """Each chapter's first heading in its notebook (Sphinx prints its number in front)."""
    titles = []
    for notebook in book_notebooks(root):
        nb = nbformat.read(notebook, as_version=4)
        heading = next(re.search(r"^# (.+)$", c.source, re.M) for c in nb.cells
                       if c.cell_type == "markdown" and re.search(r"^# ", c.source, re.M))
        titles.append(heading.group(1).strip())
    return titles


# --- the book -----------------------------------------------------------------------------------

def test_page_count_is_reported(printed: Printed) -> None:
    count = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(printed.pdf))).group(1))
    print(f"PDF: {count} pages, {printed.pdf.stat().st_size // 1000} kB")
    assert len(printed.pages) == count, f"pdftotext found {len(printed.pages)} pages, pdfinfo {count}"


def test_title_page(printed: Printed) -> None:
    assert not (problems := title_page_problems(printed)), "\n".join(problems)


def test_contents_gives_every_chapter_its_page(printed: Printed) -> None:
    problems = contents_problems(printed, notebook_titles(printed.root))
    assert not problems, "contents page is wrong:\n" + "\n".join(problems)


def test_running_heads_name_the_chapter(printed: Printed) -> None:
    problems = running_head_problems(printed)
    assert not problems, "running heads that do not name their chapter:\n" + "\n".join(problems[:30])


def test_every_page_is_numbered(printed: Printed) -> None:
    assert not (problems := page_number_problems(printed)), "page numbers wrong:\n" + "\n".join(problems)


def test_no_table_cell_holds_a_broken_word(printed: Printed) -> None:
    """A word of a table cell is printed on one line (a compound may break after its
    hyphen or slash); an id or a number is never broken."""
    assert sum(t.table is not None for t in printed.book.tokens) > 1000, "expected tables in the book"
    found = broken_words(printed, tables=True)
    assert not found, f"{len(found)} words of table cells broken across lines:\n" + "\n".join(found[:40])


def test_no_number_is_broken_in_the_text(printed: Printed) -> None:
    found = broken_words(printed, tables=False, digits_only=True)
    assert not found, "numbers broken across lines in the text:\n" + "\n".join(found[:40])


def test_no_table_row_is_split_across_pages(printed: Printed) -> None:
    assert not (problems := split_row_problems(printed)), "table rows split:\n" + "\n".join(problems)


def test_tables_break_between_two_rows_at_least(printed: Printed) -> None:
    assert not (problems := two_row_problems(printed)), "\n".join(problems)


def test_header_rows_repeat_on_every_page_of_a_table(printed: Printed) -> None:
    assert not (problems := header_problems(printed)), "\n".join(problems)


def test_nothing_runs_past_the_page_margin(printed: Printed) -> None:
    problems = margin_problems(printed)
    assert not problems, "text cut at the page edge:\n" + "\n".join(problems[:30])


def test_no_heading_is_the_last_line_of_a_page(printed: Printed) -> None:
    assert len(printed.book.headings) > 50, f"only {len(printed.book.headings)} headings found"
    problems = heading_problems(printed)
    assert not problems, "headings at the foot of a page:\n" + "\n".join(problems)


def test_no_page_is_under_a_third_full_unless_a_chapter_ends(printed: Printed) -> None:
    assert not (problems := fill_problems(printed)), "pages under a third full:\n" + "\n".join(problems)


def test_every_link_is_in_the_document_or_a_web_address(printed: Printed) -> None:
    problems = link_problems(printed)
    assert not problems, "links a reader cannot follow:\n" + "\n".join(problems[:30])
    html = (printed.root / "_build" / "singlehtml" / "chapters" / "introduction.html").read_text("utf-8")
    base, _ = base_url(printed.root)
    if "_downloads/" in html:
        assert any(u.startswith(base + "_downloads/") for u in links(printed)), \
            f"no download link points at the published book ({base}_downloads/...)"


def test_nothing_of_the_build_machine_is_in_the_pdf(printed: Printed) -> None:
    assert not (problems := machine_problems(printed)), "\n".join(problems)


def test_metadata_is_the_edition(printed: Printed) -> None:
    facts = edition_facts(printed.root)
    meta = pypdf.PdfReader(printed.pdf).metadata
    assert meta.get("/Title") == facts.title and meta.get("/Author") == facts.author, meta
    if pdf_date(facts.date):  # the edition's date, not the hour of printing
        assert meta.get("/CreationDate") == meta.get("/ModDate") == pdf_date(facts.date), meta


def test_screen_only_text_and_code_are_not_printed(printed: Printed) -> None:
    assert not (problems := shown_problems(printed)), "\n".join(problems)


def test_no_screen_words_are_printed(printed: Printed) -> None:
    """Words that only make sense on screen (the button at the top, click, hover) are not
    printed: mark them `.screen-only` in the notebooks. The articles (quoted text) are exempt."""
    chapter_of = printed.chapter_of
    found = [f"page {page.number}: …{m.group(0)}…" for page in printed.pages if page.number in chapter_of
             and printed.book.docs[chapter_of[page.number]] != "chapters/articles"
             for m in SCREEN_WORDS.finditer(body_text(page))]
    assert not found, "screen-only words printed:\n" + "\n".join(found)


def test_every_chart_is_printed(printed: Printed) -> None:
    """As many images in the PDF as PNG outputs in the book's notebooks."""
    listing = _run("pdfimages", "-list", str(printed.pdf)).splitlines()[2:]
    images = sum(1 for line in listing if line.split()[2] == "image")  # not smask/stencil
    charts = sum("image/png" in output.get("data", {})
                 for notebook in book_notebooks(printed.root)
                 for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"
                 for output in cell.outputs)
    assert charts, "expected charts in the notebooks"
    assert images == charts, f"{images} images in the PDF, {charts} charts in the notebooks"


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
                if DIGIT.search(value):
                    values.append((name, value))
    return values


def squash(text: str) -> str:
    """For number search: no whitespace at all and no thousands separators."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", "", fold(text)))


def test_headline_numbers_are_searchable(printed: Printed) -> None:
    """Every number a chapter glues into its prose is found in that chapter's printed pages."""
    problems, checked, chapter_of = [], 0, printed.chapter_of
    for notebook in book_notebooks(printed.root):
        chapter = printed.book.docs.index(notebook.relative_to(printed.root).with_suffix("").as_posix())
        text = squash(" ".join(body_text(page) for page in printed.pages
                               if chapter_of.get(page.number) == chapter))
        for name, value in glued_numbers(notebook):
            checked += 1
            if squash(value) not in text:
                problems.append(f"{notebook.stem}: {name} = {value!r}")
    assert checked > 50, f"only {checked} glued numbers in the book"
    assert not problems, "glued numbers not found in their chapter's pages:\n" + "\n".join(problems)


def test_review_pages_are_rendered(printed: Printed) -> None:
    """The contents, the page where the discrepancy register starts, and the first page of the
    schema table, as images for review."""
    rows = table_rows(printed)
    docs = {doc: i for i, doc in enumerate(printed.book.docs)}
    tables = printed.book.tables

    def first_page(table: int) -> int:
        return min(printed.aligned.pieces[j].word.page
                   for (t, _), pieces in rows.items() if t == table for j in pieces)

    # The register is a list of entries under its heading (the chapter's heading naming it).
    register = [[printed.aligned.pieces[printed.aligned.printed[i]].word.page for i in span
                 if i in printed.aligned.printed]
                for chapter, text, span in printed.book.headings
                if chapter == docs.get("chapters/discrepancies") and "register" in text.lower()]
    schema = max((t for t in tables if t.chapter == docs.get("chapters/data")),
                 key=lambda t: t.rows, default=None)
    wanted = {"contents": contents_page(printed).number}
    if register and register[0]:
        wanted["register"] = register[0][0]
    if schema:
        wanted["schema-table"] = first_page(schema.index)
    folder = printed.root / "_build" / "reports" / "pdf-pages"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, number in wanted.items():
        _run("pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(number), "-l", str(number),
             str(printed.pdf), str(folder / f"{name}-p{number:02d}"))
    rendered = sorted(folder.glob("*.png"))
    assert len(rendered) == len(wanted) == 3, f"rendered only {[p.name for p in rendered]}"
    if (ROOT / "_build").is_dir() and printed.root != ROOT:
        review = ROOT / "_build" / "reports" / "pdf-pages"
        shutil.rmtree(review, ignore_errors=True)
        shutil.copytree(folder, review)


# --- the specimen: every check holds on it, and each finds its trap without the protections ------

def test_specimen_prints_as_the_book_should(specimens: dict[str, Printed]) -> None:
    good = specimens["good"]
    problems = [f"{check.__name__}: {problem}" for check in LAYOUT_CHECKS for problem in check(good)]
    problems += contents_problems(good, [re.sub(r"^\d+\.\s", "", t) for t in good.book.titles])
    problems += broken_words(good, tables=True) + broken_words(good, tables=False, digits_only=True)
    assert not problems, "the specimen is not printed as it should be:\n" + "\n".join(problems)
    assert any(page.width > page.height for page in good.pages), "the widest table has no landscape page"
    uris, text = links(good), good.text()
    download = f"{BASE_URL}_downloads/0123abcd/data.csv"
    assert download in uris, f"the download does not point at the published book: {uris}"
    assert "https://www.example.com/news" in uris, "an external link was changed"
    assert fold(SCREEN_ONLY) not in text and fold(PRINT_ONLY) in text and CODE not in text
    assert "Site header" not in text and "Site footer" not in text, "the page around the article was printed"


@pytest.mark.parametrize(("print_", "checks"), [
    ("bad-layout", ("broken table words", "broken numbers", split_row_problems, two_row_problems,
                    heading_problems)),
    ("bad-pages", (fill_problems, header_problems)),
])
def test_each_check_finds_its_trap_without_the_protections(specimens: dict[str, Printed], print_: str,
                                                           checks: tuple) -> None:
    bad = specimens[print_]
    named = {"broken table words": lambda p: broken_words(p, tables=True),
             "broken numbers": lambda p: broken_words(p, tables=True, digits_only=True)}
    silent = [c if isinstance(c, str) else c.__name__ for c in checks if not (named.get(c) or c)(bad)]
    assert not silent, f"printed without its protections ({print_}), the specimen passes {silent}"
