"""A specimen book for the printer: a small single-page HTML book, written like Sphinx's
singlehtml build, that sets every trap the print layout must avoid, whatever the chapters
say today.

- a table of ids, dates, ranges and numbers in narrow columns (words broken by a squeezed
  column), and one too wide for the page (set smaller) and one too wide even then
  (landscape page);
- a long table of fixed-height rows placed so that only its header and one row fit at the
  foot of a page, and so long that one row would be left alone at the end;
- a heading placed at the foot of a page;
- a table of tall rows, taller than what is left of its page (a row split across pages;
  a page left nearly empty if the table may not break);
- screen-only and print-only text, a collapsed code cell, links to another chapter, to a
  download and to the web.

Heights are in mm of the printer's A4 text block (261 mm high: 297 less 20 and 16).
"""

from __future__ import annotations

import base64
from pathlib import Path

#: A 1x1 white PNG: the specimen's chart.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+"
                       "Av4N70a4AAAAAElFTkSuQmCC")
BASE_URL = "https://books.example.net/specimen/"
SCREEN_ONLY = "Use the download button at the top of the page."
PRINT_ONLY = "The notebook is in the published edition."
CODE = "print('this line of code must never reach paper')"


def _height(mm: float | None) -> str:
    return f' style="height:{mm}mm"' if mm else ""


def _rows(count: int, height_mm: float | None, cells) -> str:
    return "".join(f"<tr{_height(height_mm)}>" + "".join(f"<td>{c}</td>" for c in cells(i)) + "</tr>"
                   for i in range(count))


def _table(head: list[str], body: str, head_mm: float | None = None) -> str:
    header = "".join(f"<th>{h}</th>" for h in head)
    return ('<div class="cell tag_remove-input docutils container">'
            '<div class="cell_output docutils container">'
            '<div class="output text_html"><table class="ledger-table">'
            f"<thead><tr{_height(head_mm)}>{header}</tr></thead><tbody>{body}</tbody>"
            "</table></div></div></div>")


def _filler(height_mm: float) -> str:
    """A grey block (ink, so the page is not empty) of a known height."""
    return f'<div class="filler" style="height:{height_mm}mm;background:#ddd;margin:0"></div>'


def _chapter(doc: str, number: int, title: str, body: str) -> str:
    slug = doc.split("/")[-1]
    return (f'<div class="toctree-wrapper compound"><span id="document-{doc}"></span><section id="{slug}">'
            f'<h2><span class="section-number">{number}. </span>{title}'
            f'<a class="headerlink" href="#{slug}">#</a></h2>{body}</section></div>')


def specimen(root: Path) -> Path:
    """Write the specimen project under ``root``; return its single-page HTML."""
    (root / "_build" / "singlehtml" / "chapters").mkdir(parents=True)
    (root / "_build" / "singlehtml" / "_images").mkdir()
    (root / "_build" / "singlehtml" / "_images" / "chart.png").write_bytes(PNG)
    (root / "_config.yml").write_text(
        'title: "A specimen of the printed book"\nauthor: "The printer\'s tests"\ncopyright: "2026"\n'
        f"html:\n  baseurl: {BASE_URL}\n", encoding="utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nparts:\n  - caption: Traps\n    chapters:\n"
        "      - file: chapters/words\n      - file: chapters/breaks\n      - file: chapters/headings\n"
        "      - file: chapters/fill\n",
        encoding="utf-8")

    ids = lambda i: [f"X{i:03d}", f"2024-{i % 12 + 1:02d}..2025-{i % 12 + 1:02d}", f"{25 + i}.50–{26 + i}.50",  # noqa: E731
                     f"US$\u00a0{31 + i}.2\u00a0bn", f"{26819 + i:,}", "internationalisation",
                     '<a class="quote-link" href="#specimen">C012</a>, '
                     '<a class="quote-link" href="#specimen">C013</a>',
                     " ".join(["A long explanation that takes the width the other columns leave."] * 4)]
    narrow = _table(["Id", "Period", "Range", "Value", "Count", "Published", "Ledger rows", "Explanation"],
                    _rows(6, None, ids))
    scaled = _table([f"Column {k}" for k in range(6)],
                    _rows(3, None, lambda i: [f"{10**15 + i * 7 + k}" for k in range(6)]))
    landscape = _table([f"C{k}" for k in range(10)],
                       _rows(3, None, lambda i: [f"{10**15 + i + k}" for k in range(10)]))
    words = (f"<p>Narrow columns, a table set smaller, a table on a landscape page.</p>{narrow}"
             f"<p>Wider than the page at the usual size:</p>{scaled}<p>Wider still:</p>{landscape}")

    # 9.5 mm rows: header and one row fit in the 22 mm left at the foot, two rows do not;
    # 26 rows fill a page below the repeated header, so 28 rows leave one alone at the end.
    long_rows = _rows(28, 9.5, lambda i: [f"R{i:02d}", f"row {i} of the long table", f"{i * 3}"])
    breaks = _filler(261 - 11.4 - 22) + _table(["Id", "What", "Value"], long_rows, head_mm=9.5)

    headings = (f"{_filler(261 - 11.4 - 20)}<section id=\"foot\"><h3>A heading at the foot of a page"
                '<a class="headerlink" href="#foot">#</a></h3>'
                + "<p>" + " ".join(["The first lines after the heading belong with it."] * 12)
                + '</p></section><figure><img alt="A chart" src="_images/chart.png" '
                'style="width:60mm;height:40mm"></figure>')

    # Six rows of about 33 mm after 50 mm of filler and a paragraph: the table does not fit
    # below them, and a row crosses the foot of the page.
    tall = "<br>".join(f"line {k} of a tall row" for k in range(9))
    tall_rows = _rows(6, None, lambda i: [f"T{i:02d}", tall])
    fill = (f"{_filler(50)}<p>One paragraph, then a table taller than what is left of the page.</p>"
            f"{_table(['Id', 'Lines'], tall_rows)}")

    intro = (
        '<section id="specimen"><h1>A specimen of the printed book'
        '<a class="headerlink" href="#specimen">#</a></h1>'
        f'<p>Read on in <a class="reference internal" href="words.html">the chapter on words</a>, '
        f'<a class="reference internal" href="breaks.html#breaks">the breaks</a>, the '
        f'<a class="reference download internal" download="" href="_downloads/0123abcd/data.csv">'
        '<code class="xref download docutils literal notranslate"><span class="pre">data.csv</span>'
        '</code></a> '
        f'and <a class="reference external" href="https://www.example.com/news">a news page</a>. '
        f'<span class="screen-only">{SCREEN_ONLY}</span> <span class="print-only">{PRINT_ONLY}</span></p>'
        # a chart's CSV download as the chapters embed it: a data: link only the screen offers
        '<p class="chart-data screen-only"><a download="chart.csv" href="data:text/csv;base64,eCx5CjEsMgo=">'
        'Download the data of this chart (CSV)</a></p>'
        '<div class="cell tag_hide-input docutils container"><details class="hide above-input">'
        '<summary aria-label="Toggle hidden content"><span class="collapsed">Show code cell source</span>'
        '</summary>'
        f'<div class="cell_input docutils container"><div class="highlight"><pre>{CODE}</pre></div></div>'
        '</details><div class="cell_output docutils container"><div class="output stream"><pre>42</pre>'
        '</div></div></div>'
        + _chapter("chapters/words", 1, "Words and numbers", words)
        + _chapter("chapters/breaks", 2, "Page breaks in tables", breaks)
        + _chapter("chapters/headings", 3, "Headings", headings)
        + _chapter("chapters/fill", 4, "A table of tall rows", fill)
        + "</section>")
    page = root / "_build" / "singlehtml" / "chapters" / "intro.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Specimen</title></head><body>'
        '<div class="bd-container"><header class="bd-header">Site header (screen only)</header>'
        f'<main class="bd-main"><article class="bd-article">{intro}</article></main>'
        '<footer class="bd-footer">Site footer (screen only)</footer></div></body></html>', encoding="utf-8")
    return page


#: Appended to the print stylesheet to print the specimen without the layout's protections:
#: every check of words, rows, two-row breaks and headings must then find something.
BAD_LAYOUT_CSS = """
td, th { word-break: break-word !important; overflow-wrap: anywhere !important; }
td.num, .print-nobr, a.quote-link { white-space: normal !important; }
thead, tbody > tr:first-child, tbody > tr:last-child {
  break-before: auto !important; break-after: auto !important;
}
tr { break-inside: auto !important; }
.bd-article h1, .bd-article h2, .bd-article h3, .bd-article h4 { break-after: auto !important; }
p { orphans: 1 !important; widows: 1 !important; }
"""
#: Tables that may not break (the page before a long one is left nearly empty) and whose
#: header row is printed once.
BAD_PAGES_CSS = """
table { break-inside: avoid !important; }
thead { display: table-row-group !important; }
"""
