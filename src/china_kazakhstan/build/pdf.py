"""Print the single-page HTML book to a PDF with headless Chromium (via Playwright).

Why this route (see README): the PDF then shows exactly what the HTML shows: the same
tables, charts and highlighted quotes, from one source, with no LaTeX install (160 MB)
and no second rendering of DataFrames. Chromium comes from Debian; Playwright from PyPI
only drives it (its own browser download is never used).

How a page becomes paper:

- ``print.css`` (loaded only here) restyles the book for print and ``print_page.js``
  adds a title page and a contents page, rewrites every link to an in-document anchor or
  an address under the published book (``html: baseurl:``), keeps number-like tokens
  whole and sets each wide table smaller (or on a landscape page) until it fits;
- running heads and page numbers are CSS page-margin boxes: one named page per chapter,
  whose top-left box holds the chapter's title. Chromium fragments the pages natively, so
  header rows repeat, rows and figures are never split and headings stay with what
  follows, all without a JavaScript pagination library;
- the contents needs the page of each chapter, which only a printed PDF knows
  (Chromium has no ``target-counter()``): the book is printed twice in the same browser
  page. The first print gives each chapter's page (Chromium writes a named destination
  for every link target); the numbers fill fixed-width boxes on the contents page, so
  the second print has the same pages, which the printer checks (the first print hides
  the images, which changes no layout and saves encoding them). Paged.js would do this in
  one pass but re-implements pagination in JavaScript: on this book it took 14 s where a
  native print takes under 2 s, needed the book served over HTTP and rejected ``:is()``
  selectors. Two native prints cost about two seconds more and stay deterministic;
- the document information (title, author, edition, dates) is set from the edition, and
  Chromium's time stamps replaced, so one commit prints one PDF byte for byte.

Any request to a host other than the local file system is blocked and reported: the book
must be complete offline.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # the printer's modules load with it: the notebooks import book_metadata only
    from .print_config import PrintSettings

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

HERE = Path(__file__).parent
PRINT_CSS = (HERE / "print.css").read_text(encoding="utf-8")
PAGE_SCRIPT = (HERE / "print_page.js").read_text(encoding="utf-8")

#: Paper and text block. Margins in mm: top (running head), right, bottom, left.
PAGE_SIZE_MM = (210.0, 297.0)
MARGINS_MM = (20.0, 16.0, 16.0, 16.0)
#: Table type: the size tables start at, the smallest a wide table is set in, and the step.
TABLE_FONT_PT = (8.0, 6.0, 0.5)
FONT = '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif'
PX_PER_MM = 96 / 25.4

SET_PAGE_NUMBERS_JS = """
(pages) => {
  document.documentElement.classList.remove('print-draft');
  for (const a of document.querySelectorAll('.print-toc a[data-chapter]')) {
    a.querySelector('.toc-page').textContent = String(pages[a.dataset.chapter]);
  }
}
"""

IMAGES_JS = """async () => {
    await Promise.all([...document.images].map(img => img.complete ? null :
        new Promise(r => { img.onload = img.onerror = r; })));
    return [...document.images].filter(i => i.offsetParent && !i.naturalWidth).map(i => i.src);
}"""


class PrintError(RuntimeError):
    """The book could not be printed as it should be; the message says what and where."""


def chromium_path() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    raise FileNotFoundError(
        "No Chromium found (looked for " + ", ".join(CHROMIUM_CANDIDATES) + "). "
        "Install it with tools/install-system-deps.sh (Debian package 'chromium').")


def book_metadata(root: Path) -> dict[str, str]:
    """Title, author and year as ``_config.yml`` gives them. The introduction's "How to
    cite" reads them from here; the title page uses ``print_config.edition_facts``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    return {"title": str(config["title"]), "author": str(config.get("author", "")),
            "date": str(config.get("copyright", ""))}


def text_width_mm(landscape: bool = False) -> float:
    width, height = PAGE_SIZE_MM
    return (height if landscape else width) - MARGINS_MM[1] - MARGINS_MM[3]


def page_options(settings: PrintSettings, build_root: Path) -> dict:
    """What the page script needs: the edition, the links' base, the page geometry."""
    facts = settings.edition
    return {
        "title": facts.title, "author": facts.author, "edition": facts.edition, "date": facts.date,
        "citation": facts.citation, "url": facts.url,
        "buildRoot": build_root.as_uri() + "/", "baseUrl": settings.base_url,
        "rootDoc": settings.root_doc, "parts": settings.parts,
        "page": {"size": "A4", "wideSize": "A4 landscape", "margins": list(MARGINS_MM), "font": FONT,
                 "wideTextWidthPx": int(text_width_mm(landscape=True) * PX_PER_MM)},
        "tables": dict(zip(("start", "min", "step"), TABLE_FONT_PT, strict=True)),
    }


def print_book(html_path: Path, pdf_path: Path, root: Path | None = None, *, extra_css: str = "") -> Path:
    """Print ``html_path`` (the single-page book) to ``pdf_path``; return the PDF path.

    ``extra_css`` is added after the print stylesheet: the tests print a specimen with the
    layout's protections undone, to prove that their checks notice."""
    from playwright.sync_api import sync_playwright

    from ..paths import project_root
    from .pdf_finish import finish, pdf_date
    from .print_config import print_settings

    start = time.perf_counter()
    html_path = _resolve_root_page(html_path.resolve())
    root = root or project_root()
    settings = print_settings(root)
    build_root = html_path.parent
    while not (build_root / "_images").exists() and build_root != build_root.parent:
        build_root = build_root.parent
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            # The viewport is the text block: tables are measured at the width they print at.
            page = browser.new_page(viewport={"width": int(text_width_mm() * PX_PER_MM), "height": 1000})
            result = _prepare(page, html_path, page_options(settings, build_root), extra_css)
            prepared = time.perf_counter() - start
            final, pages = _two_passes(page, result["chapters"])
        finally:
            browser.close()
    facts = settings.edition
    date = pdf_date(facts.date)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.write_bytes(finish(final, {
        "Title": facts.title, "Author": facts.author, "Subject": facts.edition,
        "Creator": "china_kazakhstan (single-page HTML book printed by Chromium)",
        "Producer": "Chromium (Skia/PDF)", "CreationDate": date, "ModDate": date}))
    tables = result["tables"]
    print(f"[pdf] {len(pages)} chapters; tables set smaller: {len(tables['scaled'])}, on landscape pages: "
          f"{len(tables['landscape'])}; {time.perf_counter() - start:.1f} s ({prepared:.1f} s to load and "
          "prepare the page, then two prints)", flush=True)
    return pdf_path


def _prepare(page, html_path: Path, options: dict, extra_css: str) -> dict:
    """Load the book offline, style it for print and run the page script; refuse a book
    that asked for other hosts, lacks an image or has links the PDF cannot hold."""
    blocked: list[str] = []

    def guard(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    page.route("**/*", guard)
    page.goto(html_path.as_uri(), wait_until="load")
    page.emulate_media(media="print")
    page.add_style_tag(content=PRINT_CSS + extra_css)
    result = page.evaluate(PAGE_SCRIPT, options)
    _refuse(html_path, result, page.evaluate(IMAGES_JS), blocked)
    return result


def _two_passes(page, chapters: list[dict]) -> tuple[bytes, dict[str, int]]:
    """Print once to learn each chapter's page, write the numbers into the contents, print
    again; check that no chapter moved (the numbers sit in fixed-width boxes)."""
    from .pdf_finish import destination_pages

    pages = _chapter_pages(destination_pages(page.pdf(prefer_css_page_size=True)), chapters)
    page.evaluate(SET_PAGE_NUMBERS_JS, pages)
    final = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
    again = _chapter_pages(destination_pages(final), chapters)
    moved = {c["title"]: (pages[c["id"]], again[c["id"]])
             for c in chapters if again[c["id"]] != pages[c["id"]]}
    if moved:
        raise PrintError("Chapters moved between the two prints, so the contents page would be wrong "
                         f"(page in the first print, in the second): {moved}")
    return final, pages


def _refuse(html_path: Path, result: dict, broken: list[str], blocked: list[str]) -> None:
    """Stop before printing a book that is incomplete or would point at this machine."""
    problems = list(result["problems"])
    if broken:
        problems.append("images missing: " + ", ".join(broken))
    if blocked:
        problems.append("resources from other hosts were asked for (blocked): "
                        + ", ".join(sorted(set(blocked))))
    if not result["chapters"]:
        problems.append(f"{html_path} has no chapter headings: is it the book's root page?")
    if problems:
        raise PrintError(f"Cannot print {html_path}:\n" + "\n".join(f"  - {p}" for p in problems))


def _chapter_pages(destinations: dict[str, int], chapters: list[dict]) -> dict[str, int]:
    missing = [c["title"] for c in chapters if c["id"] not in destinations]
    if missing:
        raise PrintError(f"The printed PDF has no destination for the chapters {missing}: "
                         "their contents links were not printed")
    return {c["id"]: destinations[c["id"]] for c in chapters}


def _resolve_root_page(html_path: Path) -> Path:
    """``index.html`` of a Sphinx build is a redirect; printing it writes an empty PDF."""
    if html_path.name != "index.html":
        return html_path
    text = html_path.read_text(encoding="utf-8")
    marker = 'url='
    if "http-equiv=\"Refresh\"" in text or "http-equiv=\"refresh\"" in text:
        target = text.split(marker, 1)[1].split('"', 1)[0]
        return (html_path.parent / target).resolve()
    return html_path
