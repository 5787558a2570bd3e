"""The checks of the printed book, for tests/test_pdf.py: each takes a printed book read
back (``Printed``: the PDF's pages and words, the HTML's words, where each was printed,
each page's ink) and returns what it finds wrong, naming the page and the word. The same
checks run on the book and on the specimen (pdf_specimen.py).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pypdf
from printed_book import (
    DIGIT,
    Alignment,
    Book,
    Page,
    align,
    allowed_break,
    fold,
    ink_bottoms,
    lines,
    read_html,
    read_pdf,
)

from china_kazakhstan.build.print_config import edition_facts, toc_parts

#: Body text is 10 pt on 1.45 leading: what follows a heading must reach this far below it.
TWO_LINES_PT = 2 * 10 * 1.45


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@dataclass
class Printed:
    """A printed book and the HTML it was printed from, read back once."""
    root: Path
    pdf: Path
    pages: list[Page]
    book: Book
    aligned: Alignment
    ink: dict[int, float | None]

    @cached_property
    def starts(self) -> list[int]:
        """The page each chapter starts on: where its first word was printed."""
        found = []
        for chapter, doc in enumerate(self.book.docs):
            first = next((self.aligned.printed[i] for i, t in enumerate(self.book.tokens)
                          if t.chapter == chapter and i in self.aligned.printed), None)
            assert first is not None, f"nothing of chapter {doc} was found in the PDF"
            found.append(self.aligned.pieces[first].word.page)
        order = list(zip(self.book.docs, found, strict=True))
        assert found == sorted(found), f"chapters out of order: {order}"
        return found

    @cached_property
    def chapter_of(self) -> dict[int, int]:
        """Page number -> chapter index, for every page from the first chapter on."""
        starts = self.starts
        ends = [*starts[1:], len(self.pages) + 1]
        return {n: c for c, (a, b) in enumerate(zip(starts, ends, strict=True)) for n in range(a, b)}

    def text(self) -> str:
        return fold(_run("pdftotext", str(self.pdf), "-"))


def read_printed(root: Path, pdf: Path, html: Path, renders: Path) -> Printed:
    assert pdf.is_file(), f"no PDF at {pdf}"
    pages, book = read_pdf(pdf), read_html(html, toc_parts(root)[0])
    return Printed(root, pdf, pages, book, align(book, pages), ink_bottoms(pdf, renders))


def body_text(page: Page) -> str:
    return fold(" ".join(" ".join(w.text for w in line) for line in lines(page.body())))


def title_page_problems(p: Printed) -> list[str]:
    """Page 1: title, author, edition and date (the book's address, its citation), its number."""
    facts = edition_facts(p.root)
    text = rest = fold(" ".join(w.text for w in p.pages[0].words))
    problems = []
    for part in (facts.title, facts.author, facts.edition, facts.date, facts.citation):
        if part and fold(part) not in text:
            problems.append(f"page 1 does not give {part!r}: {text[:300]!r}")
        rest = rest.replace(fold(part), " ", 1) if part else rest
    rest = re.sub(rf"https://\S+|\b1 / {len(p.pages)}\b", " ", rest)
    if rest.split():
        problems.append(f"page 1 holds more than a title page: {rest[:200]!r}")
    return problems


def contents_page(p: Printed) -> Page:
    found = [page for page in p.pages[:4] if body_text(page).startswith("Contents")]
    assert found, "no page among the first four starts with 'Contents'"
    return found[0]


def contents_problems(p: Printed, titles: list[str]) -> list[str]:
    """Every chapter is listed with a page number, and its heading opens that page."""
    contents = body_text(contents_page(p))
    problems = []
    for title, start in zip(titles, p.starts, strict=True):
        # A long title wraps, and its page number is read after the title's first line.
        words = [re.escape(w) for w in fold(title).split()]
        match = re.search(r"\s+(?:(\d+)\s+)?".join(words) + r"(?:\s+(\d+)\b)?", contents)
        numbers = [g for g in (match.groups() if match else ()) if g]
        if len(numbers) != 1:
            problems.append(f"{title!r}: not listed with a page number")
            continue
        listed = int(numbers[0])
        heading = re.compile(r"(?:\d+\.\s)?" + re.escape(fold(title)))
        if listed != start or not heading.match(body_text(p.pages[listed - 1])):
            problems.append(f"{title!r}: listed on page {listed}; its heading opens page {start}")
    return problems


def running_head_problems(p: Printed) -> list[str]:
    problems = []
    for number, chapter in p.chapter_of.items():
        head = sorted(p.pages[number - 1].head(), key=lambda w: w.x0)
        text = fold(" ".join(w.text for w in head))
        if text != p.book.titles[chapter]:
            problems.append(f"page {number}: head {text!r}, chapter {p.book.titles[chapter]!r}")
    return problems


def page_number_problems(p: Printed) -> list[str]:
    """Every page carries "n / N" centred at its foot, and nothing else there."""
    wrong = []
    for page in p.pages:
        foot = sorted(page.foot(), key=lambda w: w.x0)
        text = " ".join(w.text for w in foot)
        middle = (foot[0].x0 + foot[-1].x1) / 2 if foot else 0
        if text != f"{page.number} / {len(p.pages)}" or abs(middle - page.width / 2) > 5:
            wrong.append(f"page {page.number}: foot {text!r}")
    return wrong


def broken_words(p: Printed, *, tables: bool, digits_only: bool = False) -> list[str]:
    """Words printed in pieces on two lines: in table cells (a compound may break after its
    hyphen or slash; an id or a number never), or numbers in the text."""
    found = []
    for index, parts in p.aligned.broken:
        token = p.book.tokens[index]
        if (token.table is not None) != tables or allowed_break(token.text, parts):
            continue
        if digits_only and not DIGIT.search(token.text):
            continue
        pages = sorted({part.word.page for part in parts})
        found.append(f"page {pages}: {token.text!r} printed as {' / '.join(part.text for part in parts)}")
    return found


def table_rows(p: Printed) -> dict[tuple[int, int], list[int]]:
    """(table, row) -> the printed pieces of the row's words."""
    rows: dict[tuple[int, int], list[int]] = {}
    for index, token in enumerate(p.book.tokens):
        if token.table is not None and index in p.aligned.printed:
            rows.setdefault((token.table, token.row), []).append(p.aligned.printed[index])
    return rows


def split_row_problems(p: Printed) -> list[str]:
    split = []
    for (table, row), pieces in table_rows(p).items():
        where = sorted({p.aligned.pieces[j].word.page for j in pieces})
        if len(where) > 1:
            doc = p.book.docs[p.book.tables[table].chapter]
            split.append(f"table {table} ({doc}), row {row}: pages {where}")
    return split


def _table_pages(p: Printed) -> list[tuple[str, list[str], dict[int, list[int]]]]:
    """For each table: its name, its header's words, and page -> first pieces of its body rows."""
    rows = table_rows(p)
    found = []
    for table in p.book.tables:
        pages: dict[int, list[int]] = {}
        for r in range(table.rows):
            if r not in table.head_rows and (table.index, r) in rows:
                first = min(rows[(table.index, r)])
                pages.setdefault(p.aligned.pieces[first].word.page, []).append(first)
        header = [t.text for t in p.book.tokens if t.table == table.index and t.head]
        found.append((f"table {table.index} ({p.book.docs[table.chapter]})", header, pages))
    return found


def two_row_problems(p: Printed) -> list[str]:
    """A table that breaks has at least two rows on its first page and on its last."""
    problems = []
    for name, _, pages in _table_pages(p):
        numbers = sorted(pages)
        if len(numbers) > 1 and len(pages[numbers[0]]) < 2:
            problems.append(f"{name}: starts with one row at the foot of page {numbers[0]}")
        if len(numbers) > 1 and len(pages[numbers[-1]]) < 2:
            problems.append(f"{name}: ends with one row alone on page {numbers[-1]}")
    return problems


def header_problems(p: Printed) -> list[str]:
    """On each page a table continues on, its header row is printed again above its rows."""
    problems = []
    for name, header, pages in _table_pages(p):
        for number in sorted(pages)[1:] if header else []:
            first = min(pages[number])
            before = [piece.text for piece in p.aligned.pieces[max(0, first - len(header)):first]]
            if before != header:
                problems.append(f"{name}: page {number} continues it without its header row "
                                f"(found {' '.join(before)[:80]!r})")
    return problems


def margin_problems(p: Printed) -> list[str]:
    found = []
    for page in p.pages:
        left, _, right, _ = page.area
        found += [f"page {page.number}: {w.text!r} spans x {w.x0:.0f}–{w.x1:.0f} "
                  f"(text {left:.0f}–{right:.0f})" for w in page.words if w.x1 > right + 1 or w.x0 < left - 1]
    return found


def heading_problems(p: Printed) -> list[str]:
    """Below every heading, at least two lines (or a figure) follow on its page."""
    orphans = []
    for _, text, span in p.book.headings:
        printed = [p.aligned.pieces[p.aligned.printed[i]].word for i in span if i in p.aligned.printed]
        if printed and (p.ink[printed[-1].page] or 0) < printed[-1].y1 + TWO_LINES_PT:
            orphans.append(f"page {printed[-1].page}: {text!r}")
    return orphans


def fill_problems(p: Printed) -> list[str]:
    """No page under a third full, unless a chapter ends on it."""
    chapter_of, thin = p.chapter_of, []
    for number, chapter in chapter_of.items():
        if chapter_of.get(number + 1) != chapter:
            continue
        _, top, _, bottom = p.pages[number - 1].area
        fill = ((p.ink[number] or top) - top) / (bottom - top)
        if fill < 1 / 3:
            thin.append(f"page {number}: {fill:.0%} full")
    return thin


def link_problems(p: Printed) -> list[str]:
    """Every link is to a destination in the document, or an http(s) address (never file://)."""
    reader = pypdf.PdfReader(p.pdf)
    names = {str(k).removeprefix("/") for k in reader.named_destinations}
    bad = []
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A") or {}
            dest = annot.get("/Dest") or (action.get("/D") if action.get("/S") == "/GoTo" else None)
            uri = str(action.get("/URI", "")) if action.get("/S") == "/URI" else None
            if dest is not None:
                if str(dest).removeprefix("/") not in names:
                    bad.append(f"page {number}: link to {dest}, which is nowhere in the document")
            elif uri is None or not re.match(r"^(https?://[^/\s]+|mailto:)", uri) or str(p.root) in uri:
                bad.append(f"page {number}: link {uri or action!r}")
    return bad


def links(p: Printed) -> list[str]:
    reader = pypdf.PdfReader(p.pdf)
    return [str(a.get_object()["/A"].get("/URI")) for page in reader.pages for a in page.get("/Annots") or []
            if "/A" in a.get_object() and a.get_object()["/A"].get("/S") == "/URI"]


def machine_problems(p: Printed) -> list[str]:
    """No file:// address and no build path: in links, text, metadata, anywhere in the file."""
    raw, text = p.pdf.read_bytes(), p.text()
    meta = " ".join(str(v) for v in (pypdf.PdfReader(p.pdf).metadata or {}).values())
    problems = []
    for needle in ("file:", str(p.root), "/_build/", "singlehtml"):
        found = {"file": needle.encode() in raw, "text": needle in text, "metadata": needle in meta}
        problems += [f"{needle!r} is in the PDF's {where}" for where, there in found.items() if there]
    return problems


def shown_problems(p: Printed) -> list[str]:
    """Screen-only text and code inputs are not printed; print-only text is."""
    text, book = p.text(), p.book
    code = [line.strip() for source in book.code_inputs for line in source.splitlines()
            if len(line.strip()) > 25]
    return ([f"screen-only text printed: {t!r}" for t in book.screen_only
             if len(t.split()) >= 3 and t in text]
            + [f"print-only text not printed: {t!r}" for t in book.print_only if t not in text]
            + [f"code printed: {line!r}" for line in code if fold(line) in text]
            + [f"toggle printed: {m.group(0)!r}" for m in re.finditer(r"(Show|Hide) code cell \w+", text)])


LAYOUT_CHECKS = (split_row_problems, two_row_problems, header_problems, margin_problems, heading_problems,
                 fill_problems, running_head_problems, page_number_problems, link_problems, machine_problems,
                 shown_problems, title_page_problems)


