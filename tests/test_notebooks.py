"""The committed notebooks: executed, readable, and free of hand-typed figures."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from prose_guard import notebook_offenders

from china_kazakhstan.build.execution import book_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = book_notebooks(ROOT)

# What may hold digits in prose without being a figure: glue roles (computed numbers),
# inline code (file names, ids), cross-references, link targets, years, chapter numbers.
_ALLOWED = [
    r"\{glue(?::\w+)?\}`[^`]*`",
    r"\{(?:doc|ref|numref|download)\}`[^`]*`",
    r"`[^`]*`",
    r"\]\([^)]*\)",
    r"\b(?:19|20)\d\d\b",
    r"^#+ ",
    r"^\s*\d+\.\s",  # numbered list markers
    r"\bsha256\b",
]


def _prose_digits(source: str) -> list[str]:
    text = source
    for pattern in _ALLOWED:
        text = re.sub(pattern, " ", text, flags=re.M)
    return re.findall(r"[^\s]*\d[^\s]*", text)


def test_the_book_has_its_notebooks() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names[0] == "introduction", f"expected the introduction first but got {names}"
    for expected in ("connectivity", "data", "articles"):
        assert expected in names, f"{expected} missing from _toc.yml: {names}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_with_clean_outputs(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code, f"{notebook.name} has no code"
    for index, cell in enumerate(code):
        assert cell.execution_count is not None, f"{notebook.name} code cell {index} was never run"
        for output in cell.outputs:
            assert output.output_type != "error", f"{notebook.name} cell {index} stored an error"
            assert not (output.output_type == "stream" and output.name == "stderr"), \
                f"{notebook.name} cell {index} printed to stderr: {output.text[:200]}"
            assert "execution" not in cell.metadata, "timing metadata busts the build cache"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"{notebook.name} was not run top to bottom"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_hand_typed_figures_in_prose(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    found = {i: _prose_digits(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"}
    found = {i: d for i, d in found.items() if d}
    assert not found, f"{notebook.name}: digits typed in markdown (glue them): {found}"


def test_digit_rule_catches_a_typed_number() -> None:
    assert _prose_digits("Trade reached 41 billion in 2023.") == ["41"]
    assert _prose_digits("Trade reached {glue:text}`trade_2023` in 2023 (`C012`).") == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_number_words_in_prose(notebook: Path) -> None:
    """Numbers written in words are typed figures too ("twenty-five million tonnes"): glue them.

    See tests/prose_guard.py for the words and the short allow-list.
    """
    found = notebook_offenders(nbformat.read(notebook, as_version=4))
    words = Counter(word.lower() for cell in found.values() for word in cell)
    where = {cell: w for cell, w in found.items() if w}
    assert not words, (f"{notebook.name}: number words typed in markdown (glue the figure, or see "
                     f"ALLOWED_PHRASES in tests/prose_guard.py), by cell: {where}")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glue_cited_in_prose_is_glued(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    cited = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cited |= set(re.findall(r"\{glue(?::\w+)?\}`([^`:]+)", cell.source))
    glued = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            glued |= set(output.get("metadata", {}).get("scrapbook", {}).get("name", "").split())
    assert cited <= glued, f"{notebook.name} cites unglued names {sorted(cited - glued)}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_has_alt_text_and_a_caption(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), \
        f"{notebook.name} must open with a title"
    for index, cell in enumerate(nb.cells):
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not images:
            continue
        meta = cell.metadata.get("mystnb", {})
        assert meta.get("image", {}).get("alt", "").strip(), f"{notebook.name} cell {index}: no alt"
        assert meta.get("figure", {}).get("caption", "").strip(), f"{notebook.name} cell {index}: no caption"
        plain = [o["data"].get("text/plain", "") for o in cell.outputs if "data" in o]
        assert not any(" at 0x" in p for p in plain), f"{notebook.name} cell {index}: object repr"
