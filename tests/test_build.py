"""The book builds from a clean copy, stays offline, refuses bad input, and never shows
stale numbers: a changed data file changes the next build, through the execution cache.

They read the throw-away copy of the project that ``conftest.built_book`` builds once per
run (about a minute on two cores); the two that change it run after every other test.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from china_kazakhstan.build.execution import book_notebooks
from china_kazakhstan.build.pipeline import BuildError, build, run_jupyter_book, validate
from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.data.seeds import write_manifest
from china_kazakhstan.edition import edition
from china_kazakhstan.fmt import quantity as format_value

pytestmark = pytest.mark.build


@pytest.fixture
def built(built_book: Path) -> Path:
    """The copy of the project built once per run (conftest.built_book)."""
    return built_book


def _html(project: Path, page: str) -> str:
    return (project / "_build" / "html" / "chapters" / f"{page}.html").read_text(encoding="utf-8")


def test_every_toc_notebook_becomes_a_page(built: Path) -> None:
    for notebook in book_notebooks(built):
        page = built / "_build" / "html" / notebook.relative_to(built).with_suffix(".html")
        assert page.is_file(), f"expected {page} to be built"


def test_no_page_loads_anything_from_another_host(built: Path) -> None:
    external = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["'](?:https?:)?//""",
                          re.I)
    css_url = re.compile(r"""@import\s+url\(["']?(?:https?:)?//|url\(["']?https?://""", re.I)
    html_root = built / "_build" / "html"
    offenders = []
    for page in html_root.rglob("*.html"):
        # A canonical link (Sphinx's, from html.baseurl) names the published address; nothing loads it.
        offenders += [f"{page.relative_to(html_root)}: {m.group(0)}"
                      for m in external.finditer(page.read_text(encoding="utf-8"))
                      if 'rel="canonical"' not in m.group(0)]
    for sheet in html_root.rglob("*.css"):
        offenders += [f"{sheet.relative_to(html_root)}: {m.group(0)}"
                      for m in css_url.finditer(sheet.read_text(encoding="utf-8", errors="replace"))]
    assert not offenders, "assets requested from other hosts:\n" + "\n".join(offenders[:20])


def test_every_quote_link_lands_on_an_anchor(built: Path) -> None:
    articles = _html(built, "articles")
    anchors = set(re.findall(r'id="([^"]+)"', articles))
    html_root = built / "_build" / "html" / "chapters"
    links = []
    for page in html_root.glob("*.html"):
        links += re.findall(r'href="articles\.html#([^"]+)"', page.read_text(encoding="utf-8"))
    assert links, "expected links from the chapters to the quoted passages"
    missing = sorted(set(links) - anchors)
    assert not missing, f"links to quotes without an anchor in articles.html: {missing}"


def test_every_claim_is_marked_in_the_articles_page(built: Path) -> None:
    articles = _html(built, "articles")
    ledger = load_ledger(built)
    for claim_id in ledger.claims["claim_id"]:
        assert f'id="{claim_id}"' in articles, f"{claim_id} has no anchor in the articles appendix"


#: The chapter page that tabulates each topic of the ledger.
TOPIC_PAGES = {"connectivity": "connectivity", "trade": "trade", "energy_industry": "energy_industry",
               "people_to_people": "people_to_people", "diplomacy_context": "diplomacy"}


def test_every_ledger_row_is_in_its_chapters_table(built: Path) -> None:
    ledger = load_ledger(built)
    topics = set(ledger.claims["topic"])
    assert topics <= set(TOPIC_PAGES), f"topics without a chapter: {sorted(topics - set(TOPIC_PAGES))}"
    for topic, page in TOPIC_PAGES.items():
        html = _html(built, page)
        tables = re.findall(r'<table class="ledger-table">.*?</table>', html, flags=re.S)
        linked = set()
        for table in tables:
            linked |= set(re.findall(r'href="articles\.html#(C\d+)"', table))
        expected = set(ledger.claims_for(topic)["claim_id"])
        missing = sorted(expected - linked)
        assert not missing, f"{page}.html: ledger rows of {topic} missing from its tables: {missing}"


def test_pdf_has_every_chapter(built: Path) -> None:
    pdf = built / "_build" / "pdf" / "china-kazakhstan.pdf"
    assert pdf.stat().st_size > 50_000
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= len(book_notebooks(built)) + 2, f"only {pages} pages"
    def fold(value: str) -> str:  # Sphinx turns ' into ’ ("smart quotes")
        return " ".join(value.replace("’", "'").replace("“", '"').replace("”", '"').split())

    flat = fold(text)
    for notebook in book_notebooks(built):
        title = notebook.read_text(encoding="utf-8")
        heading = re.search(r'"# ([^"\\]+)', title).group(1).strip()
        assert fold(heading) in flat, f"chapter {heading!r} missing from the PDF"
    assert "Contents" in text
    assert re.search(rf"\b1 / {pages}\b", text), "expected page numbers 'n / total' in the footer"


def test_bad_data_stops_the_build_with_a_clear_message(built: Path, tmp_path: Path) -> None:
    broken = copy_project(tmp_path / "broken")
    claims = broken / "data" / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace(",million_tonnes,", ",million_tons,", 1), encoding="utf-8")
    with pytest.raises(BuildError, match=r"data/claims.csv, line \d+ \(C\d+\), field 'unit': "
                                         r"'million_tons' is not one of the allowed values"):
        validate(broken)


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "china_kazakhstan", *args], capture_output=True, text=True,
                          env={**os.environ, "CHINA_KZ_ROOT": str(project)}, timeout=900)


@pytest.mark.mutates_built_book
def test_a_failing_notebook_fails_the_build_and_its_last_lines_say_where(built: Path) -> None:
    notebook = built / "chapters" / "connectivity.ipynb"
    original = notebook.read_text(encoding="utf-8")
    try:
        notebook.write_text(original.replace('"ledger = book.load()', '"1 / 0\\n", "ledger = book.load()', 1),
                            encoding="utf-8")
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        cell = next(i for i, c in enumerate(cells, start=1) if "1 / 0" in "".join(c["source"]))
        result = _cli(built, "build", "--no-pdf")
    finally:
        notebook.write_text(original, encoding="utf-8")
    last = result.stderr.rstrip().splitlines()[-2:]
    assert result.returncode == 1, result.stderr[-2000:]
    assert last[0] == (f"BUILD FAILED: chapters/connectivity.ipynb, cell {cell}: "
                       "ZeroDivisionError: division by zero"), last
    assert last[1].startswith("fix that cell (or the data it reads) and build again"), last
    assert "ZeroDivisionError" in result.stderr.split("BUILD FAILED")[0], "the traceback comes first"


def test_a_notebook_failing_inside_jupyter_book_is_named_in_the_last_lines(tmp_path: Path) -> None:
    """When myst-nb runs a notebook itself (not in cache mode) the log is read for the failure."""
    import nbformat

    root = tmp_path / "tinybook"
    root.mkdir()
    (root / "_config.yml").write_text("title: t\nonly_build_toc_files: true\n"
                                      "execute:\n  execute_notebooks: force\n  raise_on_error: true\n")
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: nb\n")
    (root / "index.md").write_text("# Index\n\nA page.\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("raise ValueError('bad value here')")]
    nbformat.write(nb, root / "nb.ipynb")
    with pytest.raises(BuildError) as caught:
        run_jupyter_book(root, "html")
    assert caught.value.tail.splitlines()[0] == "BUILD FAILED: nb.ipynb, cell 3: ValueError: bad value here"


@pytest.mark.mutates_built_book
def test_a_changed_data_file_changes_the_next_build(built: Path) -> None:
    """Edit the rail-cargo figure (seed, manifest and ledger together) and rebuild."""
    ledger = load_ledger(built)
    claim = ledger.metric("rail_cargo_volume").iloc[0]
    old_text = format_value(claim["value"], claim["unit"])
    new_value = claim["value"] + 7
    new_text = format_value(new_value, claim["unit"])
    assert old_text in _html(built, "connectivity"), "the first build should show the old value"

    seed = built / "seeds" / claim["seed"]
    old_number, new_number = f"{claim['value']:g}", f"{new_value:g}"
    new_quote = claim["quote"].replace(old_number, new_number, 1)
    seed.write_text(seed.read_text(encoding="utf-8").replace(claim["quote"], new_quote, 1),
                    encoding="utf-8")
    write_manifest(built / "seeds")
    path = built / "data" / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["claim_id"] == claim["claim_id"]:
            row["value"] = new_number
            row["mention"] = row["mention"].replace(old_number, new_number, 1)  # as the quote now prints it
        if row["quote"] == claim["quote"]:  # other figures quoted from the same sentence
            row["quote"] = new_quote
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    # A corrected figure is given its reason in the changelog, as a maintainer must.
    with (built / "data" / "changelog.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [edition(built)["version"], claim["claim_id"], "corrected", "A test edit of the figure and its article."])

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHINA_KZ_ROOT", str(built))
        build(built, pdf=False)
    page = _html(built, "connectivity")
    assert new_text in page, f"expected the new value {new_text!r} after the rebuild"
    assert old_text not in page, f"the old value {old_text!r} is still shown: stale cache"


def test_jupyter_book_is_the_pinned_version() -> None:
    import sys
    from importlib.metadata import version

    assert Path(sys.executable).with_name("jupyter-book").is_file(), "jupyter-book not installed"
    assert version("jupyter-book").startswith("1."), "Jupyter Book 1 (Sphinx) is required"
