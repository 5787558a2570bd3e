"""The code's shape: small modules with one job, no upward imports, no metric names in code,
and chapter notebooks whose analysis is in short, visible cells."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import nbformat
import pytest

from china_kazakhstan.build.execution import book_notebooks

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "china_kazakhstan"
#: Layers from the bottom up; a module may import only from its own layer or lower ones.
LAYERS = [{"errors", "paths", "fmt", "edition"}, {"data"}, {"analysis"}, {"checks"}, {"report"}, {"book"},
          {"build"}, {"__main__", "__init__"}]
MAX_LINES = 500
MAX_CELL_LINES = 15


def _layer(module: str) -> int:
    head = module.split(".")[0]
    for index, names in enumerate(LAYERS):
        if head in names:
            return index
    raise AssertionError(f"module {module!r} is in no layer of tests/test_layout.py: add it")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> list[str]:
    """Modules of the package that ``path`` imports, relative to the package."""
    relative = path.relative_to(PACKAGE).with_suffix("")
    parts = list(relative.parts)
    here = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:  # "from . import x" at the top of the package
                    found += [a.name for a in node.names]
                else:
                    found.append(".".join(target))
            elif node.module and node.module.startswith("china_kazakhstan."):
                found.append(node.module.removeprefix("china_kazakhstan."))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines (limit {MAX_LINES}): split it by job"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_nothing_imports_upward(path: Path) -> None:
    own = _layer(".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    for module in _imports(path):
        assert _layer(module) <= own, f"{path.relative_to(PACKAGE)} imports {module} from a higher layer"


def test_the_import_rule_catches_an_upward_import(tmp_path: Path) -> None:
    assert _layer("data.ledger") < _layer("checks.rules") < _layer("report.tables") < _layer("build.pdf")


def test_no_metric_name_in_the_code() -> None:
    """What the data mean lives in data: the code names no metric (the chapters choose theirs)."""
    with (ROOT / "data" / "metrics.csv").open(encoding="utf-8") as handle:
        metrics = [row["metric"] for row in csv.DictReader(handle)]
    found = {}
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        hits = [m for m in metrics if re.search(rf"[\"']{re.escape(m)}[\"']", text)]
        if hits:
            found[path.relative_to(PACKAGE).as_posix()] = hits
    assert not found, f"metric names written in the code: {found}"


NOTEBOOKS = book_notebooks(ROOT)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_analysis_cells_are_short_visible_and_collapsed(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        assert tags & {"hide-input", "remove-input"}, \
            f"{notebook.name} cell {index}: tag it hide-input (analysis) or remove-input (formatting only)"
        assert "remove-cell" not in tags, f"{notebook.name} cell {index}: analysis must stay on the page"
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert len(lines) <= MAX_CELL_LINES, \
            f"{notebook.name} cell {index} has {len(lines)} lines (at most {MAX_CELL_LINES}): split it"


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if n.stem not in ("articles",)], ids=lambda p: p.stem)
def test_a_chapter_shows_its_analysis(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    visible = [c for c in nb.cells if c.cell_type == "code" and "hide-input" in c.metadata.get("tags", [])]
    assert visible, f"{notebook.name}: no analysis cell for a reader to open"
    for index, cell in enumerate(nb.cells[1:], start=1):
        if cell in visible:
            before = index - 1
            while before > 0 and nb.cells[before].source.strip() == "book.chart_data()":
                before -= 1  # the chart's data download belongs to the chart cell before it
            assert nb.cells[before].cell_type == "markdown" or nb.cells[before] in visible, \
                f"{notebook.name} cell {index}: a sentence comes before the analysis"
