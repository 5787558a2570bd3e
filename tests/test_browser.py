"""The built book in a real browser: Debian's Chromium, driven by Playwright, reads every
page from a local web server, as a reader would.

Each page is loaded once (see ``visits``) and everything is recorded there: console
errors, every request the page makes, images, links, the axe-core accessibility report,
a screenshot, and where its first quote link leads. The tests below then judge the
records, so a failure names every page and element at fault, not only the first.

Screenshots land in ``_build/screenshots/`` of the built copy and, for review, of this
project when it has a ``_build/`` folder.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import ROOT

from china_kazakhstan.build.execution import book_notebooks
from china_kazakhstan.build.pdf import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.build]

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Fail on these axe impacts; "moderate" and "minor" are printed, not failed.
FAILING_IMPACTS = ("serious", "critical")
#: Violations made by the sphinx-book-theme (pydata-sphinx-theme) that neither our CSS nor
#: _config.yml can fix. Each is one rule on the elements matching one selector; anything
#: else that axe finds on the same element, or this rule anywhere else, still fails.
AXE_EXCLUSIONS = {
    # The colour-mode button is named "Color mode" (aria-label), but FontAwesome's script
    # replaces its three icons by <svg role="img"> titled "Light", "Dark" and "System
    # Settings", which axe reads as visible text missing from the name. The markup comes
    # from the theme's template and FontAwesome at run time; CSS cannot rename it.
    ("label-content-name-mismatch", ".theme-switch-button"),
}
#: Console errors made by the toolchain, not the book, that no setting of ours removes. Each
#: is matched as a whole message; any other error fails.
CONSOLE_EXCLUSIONS = (
    # Sphinx 7.4 writes the inline scripts that extensions register after the builder starts
    # twice (app.add_js_file(None, body=...) is stored as None, prepare_writing re-adds it
    # as '' and the two do not compare equal). sphinx-thebe's inline script declares
    # `const THEBE_JS_URL`, so its copy throws. Harmless: the first copy ran, and the book
    # has no Thebe launch button (launch_buttons.thebe: false).
    re.compile(r"uncaught: SyntaxError: Identifier 'THEBE_JS_URL' has already been declared|"
               r"uncaught: Identifier 'THEBE_JS_URL' has already been declared"),
)
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_MAX_HEIGHT = 8000
LOCAL_SCHEMES = ("data:", "blob:", "about:")

RECORD_JS = r"""
() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const imgs = [...document.querySelectorAll('img')].map(img => ({
    src: img.getAttribute('src') || '', alt: img.getAttribute('alt'),
    inArticle: article.contains(img), loaded: img.complete && img.naturalWidth > 0}));
  // Charts drawn as SVG (none today) must be named too, unless hidden from assistive tech.
  const svgs = [...article.querySelectorAll('svg')]
    .filter(s => s.getAttribute('aria-hidden') !== 'true' && !s.closest('[aria-hidden="true"]')
                 && !s.closest('button, a, .headerlink'))
    .map(s => ({label: s.getAttribute('aria-label') || (s.querySelector('title') || {}).textContent || ''}));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  const notebook = [...document.querySelectorAll('a[href$=".ipynb"]')].map(a => a.href);
  const downloads = [...document.querySelectorAll('a[href*="_downloads/"]')].map(a => a.href);
  return {imgs, svgs, links, notebook, downloads};
}
"""

AXE_JS = r"""
async (exclusions) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const out = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const selector = node.target[node.target.length - 1];
      const el = typeof selector === 'string' ? document.querySelector(selector) : null;
      const excused = el && exclusions.some(([rule, sel]) => rule === v.id && el.matches(sel));
      out.push({rule: v.id, impact: v.impact, help: v.help, target: node.target.join(' '),
                summary: node.failureSummary, excused: !!excused});
    }
  }
  return out;
}
"""

LANDING_JS = r"""
() => {
  const anchor = document.querySelector('.quote-anchor:target');
  if (!anchor) return {problem: 'no .quote-anchor is the :target of ' + location.hash};
  const mark = anchor.closest('mark.quote');
  if (!mark) return {problem: '#' + anchor.id + ' is not inside a mark.quote'};
  const others = [...document.querySelectorAll('mark.quote')].filter(m => !m.contains(anchor));
  const other = others.find(m => m.className === mark.className) || others[0];
  if (!other) return {problem: 'no untargeted mark.quote to compare with'};
  const look = m => { const s = getComputedStyle(m);
    return [s.backgroundColor, s.outlineStyle, s.outlineWidth, s.outlineColor].join(' | '); };
  const box = mark.getBoundingClientRect();
  return {id: anchor.id, target: look(mark), untargeted: look(other),
          inView: box.bottom > 0 && box.top < window.innerHeight};
}
"""


@dataclass
class Visit:
    page: str
    errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    svgs: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    notebook_links: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    axe: list[dict] = field(default_factory=list)
    landing: dict | None = None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output for failures
        pass


@pytest.fixture(scope="module")
def html_root(built_book: Path) -> Path:
    return built_book / "_build" / "html"


@pytest.fixture(scope="module")
def server(html_root: Path) -> Iterator[str]:
    """The built HTML on http://127.0.0.1:<free port>/, for this module's tests."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(html_root)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    return []


def _context(browser, base: str, seen: list[str], **options):
    """A browser context that records every request and lets only the local server answer."""
    context = browser.new_context(viewport=VIEWPORT, **options)

    def guard(route) -> None:
        url = route.request.url
        seen.append(url)
        if url.startswith(base) or url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.fixture(scope="module")
def book_pages(built_book: Path) -> list[str]:
    """Every page a reader reaches: the chapters in order, then the index and the search."""
    pages = [str(nb.relative_to(built_book).with_suffix(".html")) for nb in book_notebooks(built_book)]
    return [*pages, "genindex.html", "search.html"]


@pytest.fixture(scope="module")
def screenshot_dirs(built_book: Path) -> list[Path]:
    dirs = [built_book / "_build" / "screenshots"]
    if (ROOT / "_build").is_dir():
        dirs.append(ROOT / "_build" / "screenshots")
    for folder in dirs:
        folder.mkdir(parents=True, exist_ok=True)
    return dirs


def _save(png: bytes, name: str, dirs: list[Path]) -> None:
    for folder in dirs:
        (folder / name).write_bytes(png)


def _page_screenshot(page) -> bytes:
    """The page from the top, down to SCREENSHOT_MAX_HEIGHT (the longest pages run past
    20,000 px; capturing them whole would double the time of this module)."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
    return page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                                 "height": height})


@pytest.fixture(scope="module")
def visits(browser, server: str, book_pages: list[str], requests_seen: list[str],
           screenshot_dirs: list[Path]) -> dict[str, Visit]:
    """Load every page once and record what the tests below judge."""
    assert AXE_SCRIPT.is_file(), f"{AXE_SCRIPT} missing: run `npm ci` in {ROOT} (make test does)"
    context = _context(browser, server, requests_seen)
    page = context.new_page()
    current: list[Visit] = []
    page.on("console", lambda m: m.type == "error" and current[-1].errors.append(
        f"console: {m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda exc: current[-1].errors.append(f"uncaught: {exc}"))
    page.on("response", lambda r: r.status >= 400 and current[-1].errors.append(
        f"HTTP {r.status}: {r.url}"))
    page.on("requestfailed", lambda r: current[-1].errors.append(
        f"request failed: {r.url} ({r.failure})"))
    records: dict[str, Visit] = {}
    for name in book_pages:
        visit = Visit(name)
        current.append(visit)
        records[name] = visit
        page.goto(server + name, wait_until="load")
        data = page.evaluate(RECORD_JS)
        visit.images, visit.svgs, visit.links = data["imgs"], data["svgs"], data["links"]
        visit.notebook_links, visit.downloads = data["notebook"], data["downloads"]
        _save(_page_screenshot(page), name.replace("/", "__").replace(".html", ".png"), screenshot_dirs)
        page.add_script_tag(path=str(AXE_SCRIPT))
        visit.axe = page.evaluate(AXE_JS, [list(e) for e in AXE_EXCLUSIONS])
        quote_links = page.locator("a.quote-link")
        if quote_links.count():
            quote_links.first.click()
            page.wait_for_load_state("load")
            visit.landing = {"href": page.url, **page.evaluate(LANDING_JS)}
    context.close()
    return records


def test_every_page_loads_without_console_errors(visits: dict[str, Visit]) -> None:
    problems = [f"{v.page}: {e}" for v in visits.values() for e in v.errors
                if not any(pattern.fullmatch(e) for pattern in CONSOLE_EXCLUSIONS)]
    assert not problems, "errors while loading the book:\n" + "\n".join(problems)


def test_no_request_leaves_the_local_server(visits: dict[str, Visit], server: str,
                                            requests_seen: list[str]) -> None:
    assert any(url.startswith(server) for url in requests_seen), "no request was recorded at all"
    outside = sorted({url for url in requests_seen
                      if not url.startswith(server) and not url.startswith(LOCAL_SCHEMES)})
    assert not outside, "requests to other hosts (blocked):\n" + "\n".join(outside)


def test_every_image_has_alt_text(visits: dict[str, Visit]) -> None:
    problems = []
    for visit in visits.values():
        for img in visit.images:
            alt = (img["alt"] or "").strip()
            if not alt:
                problems.append(f"{visit.page}: <img src={img['src']!r}> has no alt text")
            elif re.search(r"_images/|\.(png|jpe?g|svg|gif)$", alt, re.I):
                problems.append(f"{visit.page}: <img src={img['src']!r}> alt is a file name: {alt!r}")
            if not img["loaded"]:
                problems.append(f"{visit.page}: <img src={img['src']!r}> did not load")
        problems += [f"{visit.page}: an <svg> in the article has no accessible name"
                     for svg in visit.svgs if not svg["label"].strip()]
    charts = sum(img["inArticle"] for v in visits.values() for img in v.images)
    assert charts, "expected charts in the book"
    assert not problems, "\n".join(problems)


@functools.cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r"""\bid=["']([^"']+)["']""", path.read_text(encoding="utf-8")))


def test_every_internal_link_and_anchor_resolves(visits: dict[str, Visit], server: str,
                                                 html_root: Path) -> None:
    problems, checked = [], 0
    for visit in visits.values():
        for href in sorted(set(visit.links)):
            if not href.startswith(server):
                continue  # another host (cited sources) or mailto:/javascript:
            checked += 1
            parts = urlsplit(href)
            relative = unquote(parts.path)[len(urlsplit(server).path):]
            target = html_root / relative
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{visit.page}: link to missing file {relative!r}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and (target.suffix != ".html" or fragment not in _ids(target)):
                problems.append(f"{visit.page}: link to {relative}#{fragment}: no such id in {relative}")
    assert checked > 50, f"only {checked} internal links found"
    assert not problems, "broken internal links:\n" + "\n".join(problems)


def test_quote_links_land_on_a_highlighted_passage(visits: dict[str, Visit]) -> None:
    landings = {name: v.landing for name, v in visits.items() if v.landing}
    chapters = [name for name in visits if re.match(r"chapters/(connectivity|trade|energy|people)", name)]
    assert set(chapters) <= set(landings), \
        f"chapters without a quote link: {sorted(set(chapters) - set(landings))}"
    problems = []
    for name, landing in landings.items():
        if "problem" in landing:
            problems.append(f"{name} -> {landing['href']}: {landing['problem']}")
        elif landing["target"] == landing["untargeted"]:
            problems.append(f"{name} -> {landing['href']}: the followed passage looks like any other "
                            f"({landing['target']})")
        elif not landing["inView"]:
            problems.append(f"{name} -> {landing['href']}: the passage is not scrolled into view")
    assert not problems, "\n".join(problems)


def test_no_serious_accessibility_violations(visits: dict[str, Visit]) -> None:
    """axe-core on every page: serious and critical violations fail (minus AXE_EXCLUSIONS)."""
    failing, noted = [], []
    for visit in visits.values():
        for v in visit.axe:
            line = f"{visit.page}: [{v['impact']}] {v['rule']} at {v['target']}: {v['help']}"
            if v["impact"] in FAILING_IMPACTS and not v["excused"]:
                failing.append(line + "\n    " + (v["summary"] or "").replace("\n", "\n    "))
            else:
                noted.append(line + (" (excluded: theme)" if v["excused"] else ""))
    if noted:
        print("axe, not failing:\n" + "\n".join(sorted(set(noted))))
    assert not failing, f"{len(failing)} serious/critical axe violations:\n" + "\n".join(failing)


def test_charts_keep_a_light_background_in_dark_mode(browser, server: str, visits: dict[str, Visit],
                                                     requests_seen: list[str],
                                                     screenshot_dirs: list[Path]) -> None:
    """In the theme's dark mode every chart keeps its light background (sampled from the
    rendered pixels: the four corners inside the image and its mean), on a dark page."""
    from PIL import Image

    pages = [name for name, v in visits.items() if any(img["inArticle"] for img in v.images)]
    assert pages, "no page with charts"
    context = _context(browser, server, requests_seen, color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    page = context.new_page()
    problems, charts = [], 0
    for name in pages:
        page.goto(server + name, wait_until="load")
        theme = page.evaluate("document.documentElement.dataset.theme")
        assert theme == "dark", f"{name}: the theme did not switch to dark mode ({theme!r})"
        page.evaluate("document.fonts.ready")
        # The theme's sticky headers would paint over the top of a chart taller than the window.
        page.add_style_tag(content=".bd-header, .bd-header-article { position: static !important; }")
        charts_here = page.locator("article.bd-article img")
        charts_here.first.scroll_into_view_if_needed()
        view = page.screenshot()  # for review: the first chart of the page, in dark mode
        _save(view, "dark__" + name.replace("/", "__").replace(".html", ".png"), screenshot_dirs)
        page_bg = _luminance(Image.open(io.BytesIO(view)).convert("RGB").getpixel((VIEWPORT["width"] - 3, 3)))
        if page_bg > 80:
            problems.append(f"{name}: the page is not dark in dark mode (luminance {page_bg:.0f})")
        for index in range(charts_here.count()):
            chart = charts_here.nth(index)
            charts += 1
            # The theme pads images in dark mode; sample inside the padding, in the image itself.
            pad = chart.evaluate("""img => { const s = getComputedStyle(img);
                return Math.ceil(Math.max(...['Top', 'Right', 'Bottom', 'Left'].map(
                    k => parseFloat(s['padding' + k]) + parseFloat(s['border' + k + 'Width'])))); }""")
            # A chart taller than the window is captured whole only in a window as tall as it
            # (beyond the window, Chromium paints black).
            height = chart.evaluate("img => Math.ceil(img.getBoundingClientRect().height)")
            page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height + 40)})
            shot = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
            page.set_viewport_size(VIEWPORT)
            w, h, inset = shot.width - 1, shot.height - 1, pad + 4
            corners = [_luminance(shot.getpixel(xy)) for xy in
                       ((inset, inset), (w - inset, inset), (inset, h - inset), (w - inset, h - inset))]
            inner = shot.crop((pad, pad, shot.width - pad, shot.height - pad))
            mean = _luminance(inner.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)))
            if min(corners) < 180 or mean < 150:
                problems.append(f"{name}: chart {chart.get_attribute('src')} is dark in dark mode: "
                                f"corner luminance {[round(v) for v in corners]}, mean {mean:.0f}")
    context.close()
    assert charts, "no chart was sampled"
    assert not problems, "\n".join(problems)


def _luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _fetch(url: str) -> bytes | None:
    """The body the local server sends for ``url``, or None if it answers with an error."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # 127.0.0.1 only
            return response.read()
    except urllib.error.HTTPError:
        return None


def test_each_page_offers_its_notebook(visits: dict[str, Visit], server: str) -> None:
    problems = []
    for name, visit in visits.items():
        if not name.startswith("chapters/"):
            continue
        stem = Path(name).stem
        links = [u for u in visit.notebook_links if u.endswith(f"/{stem}.ipynb")]
        if not links:
            problems.append(f"{name}: no download link to {stem}.ipynb")
            continue
        body = _fetch(links[0])
        if body is None or not json.loads(body).get("cells"):
            problems.append(f"{name}: {links[0]} is not served as a notebook")
    assert not problems, "\n".join(problems)


def _chapter_pages(built_book: Path) -> list[str]:
    """The pages of the _toc.yml part "Chapters": the topic chapters."""
    toc = yaml.safe_load((built_book / "_toc.yml").read_text(encoding="utf-8"))
    return [f"{c['file']}.html" for part in toc["parts"] if part.get("caption") == "Chapters"
            for c in part["chapters"]]


def test_chapters_and_the_data_page_offer_the_csvs(visits: dict[str, Visit], built_book: Path,
                                                   server: str) -> None:
    package = json.loads((built_book / "data" / "datapackage.json").read_text(encoding="utf-8"))
    csvs = {Path(r["path"]).name for r in package["resources"] if r["path"].endswith(".csv")}
    chapters = _chapter_pages(built_book)
    assert chapters, "no chapters in _toc.yml"
    problems = []
    for name in [*chapters, "chapters/data.html"]:
        offered = {Path(urlsplit(u).path).name: u for u in visits[name].downloads}
        wanted = csvs if name == "chapters/data.html" else {"claims.csv"}
        problems += [f"{name}: no download of {csv}" for csv in sorted(wanted - set(offered))]
        for filename, url in offered.items():
            body = _fetch(url)
            if body is None or (filename.endswith(".csv") and b"," not in body.split(b"\n", 1)[0]):
                problems.append(f"{name}: {url} is not served as a CSV")
    assert not problems, "\n".join(problems)


def test_the_introduction_says_how_to_cite(html_root: Path, built_book: Path) -> None:
    from html import unescape

    text = unescape((html_root / "chapters" / "introduction.html").read_text(encoding="utf-8"))
    section = re.search(r'<section id="how-to-cite">(.*?)</section>', text, re.S)
    assert section, "the introduction has no 'How to cite' section"
    words = " ".join(re.sub(r"<[^>]+>", " ", section.group(1)).split())
    config = yaml.safe_load((built_book / "_config.yml").read_text(encoding="utf-8"))
    for part in (config["title"], config["author"], "article"):
        assert part in words, f"'How to cite' does not give {part!r}: {words[:300]}"


def test_index_leads_to_the_introduction(browser, server: str, requests_seen: list[str]) -> None:
    context = _context(browser, server, requests_seen)
    page = context.new_page()
    page.goto(server + "index.html")
    page.wait_for_url(re.compile(r"chapters/introduction\.html$"), timeout=10_000)
    context.close()


def test_screenshots_were_saved(visits: dict[str, Visit], screenshot_dirs: list[Path]) -> None:
    for folder in screenshot_dirs:
        names = {p.name for p in folder.glob("*.png")}
        missing = [v.page for v in visits.values()
                   if v.page.replace("/", "__").replace(".html", ".png") not in names]
        assert not missing, f"no screenshot in {folder} of {missing}"

