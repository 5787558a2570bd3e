"""Print the single-page HTML book to a PDF with headless Chromium (via Playwright).

Why this route (see README): the PDF then shows exactly what the HTML shows: the same
tables, charts and highlighted quotes, from one source, with no LaTeX install (160 MB)
and no second rendering of DataFrames. Chromium comes from Debian; Playwright from PyPI
only drives it (its own browser download is never used).

Before printing, the page is prepared for paper: a title page, a table of contents
built from the chapter headings, links between pages rewritten to in-document
anchors, page numbers in the footer. Any request to a host other than the local file
system is blocked and reported: the book must be complete offline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

PREPARE_JS = r"""
({title, author, date, buildRoot}) => {
  const article = document.querySelector('article.bd-article') || document.body;
  // The single-page build sits one folder down (chapters/), but its images and downloads
  // are referenced from the build root: point them there.
  for (const el of document.querySelectorAll('img[src^="_images/"], a[href^="_downloads/"]')) {
    const attr = el.tagName === 'IMG' ? 'src' : 'href';
    el.setAttribute(attr, buildRoot + el.getAttribute(attr));
  }
  for (const img of document.querySelectorAll('img')) img.loading = 'eager';
  // Links to other pages of the web book become links inside this one document.
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    const hash = href.indexOf('#');
    if (hash > 0 && !/^[a-z]+:/i.test(href)) {
      const id = decodeURIComponent(href.slice(hash + 1));
      if (document.getElementById(id)) a.setAttribute('href', '#' + id);
    }
  }
  // Chapters: the root document, then each document Sphinx inlined (marked by a span).
  const starts = [article.querySelector('section')];
  for (const span of document.querySelectorAll('span[id^="document-"]')) {
    let next = span.nextElementSibling;
    while (next && next.tagName !== 'SECTION') next = next.nextElementSibling;
    if (next) starts.push(next);
  }
  const toc = document.createElement('nav');
  toc.className = 'print-toc';
  toc.innerHTML = '<h2>Contents</h2><ol></ol>';
  const list = toc.querySelector('ol');
  const titles = [];
  starts.forEach((section, i) => {
    if (!section) return;
    const h = section.querySelector('h1, h2');
    const text = h.textContent.replace(/#$/, '').trim();
    titles.push(text);
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '#' + section.id;
    a.textContent = text;
    li.appendChild(a);
    list.appendChild(li);
    if (i > 0) section.classList.add('print-chapter-start');
  });
  const cover = document.createElement('section');
  cover.className = 'print-title-page';
  cover.innerHTML = `<h1 class="print-title"></h1><p class="print-author"></p><p class="print-date"></p>`;
  cover.querySelector('.print-title').textContent = title;
  cover.querySelector('.print-author').textContent = author;
  cover.querySelector('.print-date').textContent = date;
  article.prepend(toc);
  article.prepend(cover);
  return titles;
}
"""

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer, .bd-footer-article,
.prev-next-area, .header-article, .bd-header-article, .headerlink, .skip-link,
#pst-back-to-top, .theme-switch-button, .search-button { display: none !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
body { font-size: 10.5pt; }
.print-title-page { page-break-after: always; padding-top: 35vh; text-align: center; }
.print-title-page h1 { font-size: 26pt; border: none; }
.print-author, .print-date { font-size: 13pt; color: #444; }
.print-toc { page-break-after: always; }
.print-toc ol { font-size: 12pt; line-height: 1.9; list-style: none; padding-left: 0; }
section.print-chapter-start { page-break-before: always; }
#jb-print-docs-body { display: none !important; }
table { font-size: 8.5pt; max-width: 100%; page-break-inside: auto; }
tr, img, figure { page-break-inside: avoid; }
td, th { word-break: break-word; }
img { max-width: 100% !important; height: auto; }
.cell_input, .cell .input { display: none !important; }
"""


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
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return {"title": str(config["title"]), "author": str(config.get("author", "")),
            "date": str(config.get("copyright", ""))}


def print_book(html_path: Path, pdf_path: Path, root: Path | None = None) -> Path:
    """Print ``html_path`` (the single-page book) to ``pdf_path``; return the PDF path."""
    from playwright.sync_api import sync_playwright

    from ..paths import project_root

    html_path = _resolve_root_page(html_path.resolve())
    root = root or project_root()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()

        def guard(route):
            if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                return route.continue_()
            blocked.append(route.request.url)
            return route.abort()

        page.route("**/*", guard)
        page.goto(html_path.as_uri(), wait_until="load")
        page.add_style_tag(content=PRINT_CSS)
        build_root = html_path.parent
        while not (build_root / "_images").exists() and build_root != build_root.parent:
            build_root = build_root.parent
        meta = {**book_metadata(root), "buildRoot": build_root.as_uri() + "/"}
        chapters = page.evaluate(PREPARE_JS, meta)
        page.emulate_media(media="print")
        # Every image must have arrived before printing; a missing one is an error.
        broken = page.evaluate("""async () => {
            await Promise.all([...document.images].map(img => img.complete ? null :
                new Promise(r => { img.onload = img.onerror = r; })));
            return [...document.images].filter(i => !i.naturalWidth).map(i => i.src);
        }""")
        page.pdf(
            path=str(pdf_path), format="A4", print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
                             '<span class="pageNumber"></span> / <span class="totalPages"></span>'
                             '</div>'),
            margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
        )
        browser.close()
    if broken:
        raise RuntimeError("Images missing from the PDF: " + ", ".join(broken))
    if blocked:
        raise RuntimeError("The book asked for resources from other hosts (blocked): "
                           + ", ".join(sorted(set(blocked))))
    if not chapters:
        raise RuntimeError(f"{html_path} has no chapter headings: is it the book's root page?")
    return pdf_path


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
