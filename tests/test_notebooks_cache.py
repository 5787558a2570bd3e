"""The execution cache re-runs a notebook exactly when its code or its inputs changed.

Small synthetic projects (two or three one-cell notebooks reading one CSV each) are run
in real kernels by :func:`execute_uncached`, the step the build runs before Sphinx; the
last test checks the input declarations of the book's own notebooks against what their
kernels actually open.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_cache import get_cache

from china_kazakhstan.build import pipeline as build_module
from china_kazakhstan.build.execution import (
    DEFAULT_INPUTS,
    STATE_NAME,
    book_notebooks,
    declared_inputs,
    execute_uncached,
    input_files,
    invalidate_stale,
    package_dir,
    record_inputs,
    relevant_reads,
    run_notebooks,
    stale_notebooks,
    undeclared_reads,
)
from china_kazakhstan.build.sphinx_cache import _outdated_by_cache, _remember_record

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, code: str, inputs: list[str] | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if inputs is not None:
        nb.metadata["china_kazakhstan"] = {"inputs": inputs}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A book of two notebooks: ``a`` reads data/a.csv, ``b`` reads data/b.csv; each declares its file."""
    root = tmp_path / "tiny"
    (root / "data").mkdir(parents=True)
    (root / "_config.yml").write_text("title: tiny\n")
    (root / "_toc.yml").write_text("format: jb-book\nroot: a\nchapters:\n  - file: b\n")
    (root / "data" / "a.csv").write_text("x\n1\n")
    (root / "data" / "b.csv").write_text("x\n2\n")
    _notebook(root / "a.ipynb", "print(open('data/a.csv').read().split()[1])", ["!data/*", "data/a.csv"])
    _notebook(root / "b.ipynb", "print(open('data/b.csv').read().split()[1])", ["!data/*", "data/b.csv"])
    return root


def _cached(cache_dir: Path, notebook: Path) -> bool:
    try:
        get_cache(str(cache_dir)).match_cache_notebook(nbformat.read(notebook, as_version=4))
    except KeyError:
        return False
    return True


def _names(runs) -> list[str]:
    return sorted(run.path.name for run in runs)


# --- declarations -------------------------------------------------------------------------

def test_default_inputs_leave_the_outside_figures_to_the_notebooks_that_read_them(tmp_path: Path) -> None:
    for name in ("data/claims.csv", "data/external/trade_mirror.csv", "seeds/sources.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    names = [p.relative_to(tmp_path).as_posix() for p in input_files(tmp_path, DEFAULT_INPUTS)]
    assert names == ["data/claims.csv", "seeds/sources.csv"]
    more = input_files(tmp_path, (*DEFAULT_INPUTS, "data/external/trade_mirror.csv"))
    assert tmp_path / "data" / "external" / "trade_mirror.csv" in more


def test_metadata_inputs_add_to_the_defaults(tiny: Path) -> None:
    assert declared_inputs(tiny / "a.ipynb") == (*DEFAULT_INPUTS, "!data/*", "data/a.csv")
    assert input_files(tiny, declared_inputs(tiny / "a.ipynb")) == [tiny / "data" / "a.csv"]


def test_reads_are_mapped_to_sources_and_limited_to_the_project_and_package(tiny: Path) -> None:
    package = package_dir()
    pyc = package / "data" / "__pycache__" / "ledger.cpython-311.pyc"
    opened = [str(tiny / "data" / "a.csv"), str(pyc), "/etc/hostname", str(tiny / "_build" / "x.json")]
    assert relevant_reads(tiny, opened) == sorted([tiny / "data" / "a.csv", package / "data" / "ledger.py"])


# --- execution into the cache, and invalidation per notebook --------------------------------

def test_uncached_notebooks_run_once_into_the_cache(tiny: Path) -> None:
    cache = tiny / "_build" / ".jupyter_cache"
    report = execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert _names(report.executed) == ["a.ipynb", "b.ipynb"] and not report.failed
    assert _cached(cache, tiny / "a.ipynb") and _cached(cache, tiny / "b.ipynb")
    outputs = get_cache(str(cache)).merge_match_into_notebook(nbformat.read(tiny / "b.ipynb", 4))[1]
    assert outputs.cells[1].outputs[0]["text"] == "2\n"
    again = execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert again.executed == [] and sorted(p.name for p in again.cached) == ["a.ipynb", "b.ipynb"]
    state = json.loads((cache / STATE_NAME).read_text())["notebooks"]
    assert "data/a.csv" in state["a.ipynb"]["files"] and "data/b.csv" not in state["a.ipynb"]["files"]


def test_changing_an_input_of_one_notebook_drops_only_its_record(tiny: Path) -> None:
    cache = tiny / "_build" / ".jupyter_cache"
    execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert stale_notebooks(tiny, cache) == []
    (tiny / "data" / "a.csv").write_text("x\n10\n")
    assert invalidate_stale(tiny, cache) == [tiny / "a.ipynb"]
    assert not _cached(cache, tiny / "a.ipynb") and _cached(cache, tiny / "b.ipynb")
    report = execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert _names(report.executed) == ["a.ipynb"]
    merged = get_cache(str(cache)).merge_match_into_notebook(nbformat.read(tiny / "a.ipynb", 4))[1]
    assert merged.cells[1].outputs[0]["text"] == "10\n"
    # Reverting the data must not bring the first run back from the cache: it was removed.
    (tiny / "data" / "a.csv").write_text("x\n1\n")
    assert invalidate_stale(tiny, cache) == [tiny / "a.ipynb"]


def test_a_new_file_matching_a_declared_glob_makes_the_notebook_stale(tiny: Path) -> None:
    cache = tiny / "_build" / ".jupyter_cache"
    _notebook(tiny / "a.ipynb", "print(1)", ["!data/*", "data/a*.csv"])
    execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    (tiny / "data" / "a2.csv").write_text("x\n")
    assert stale_notebooks(tiny, cache) == [tiny / "a.ipynb"]


def test_an_undeclared_read_is_reported_and_still_tracked(tiny: Path) -> None:
    cache = tiny / "_build" / ".jupyter_cache"
    (tiny / "data" / "c.csv").write_text("x\n3\n")
    _notebook(tiny / "b.ipynb", "print(open('data/c.csv').read())", ["!data/*"])
    report = execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert report.undeclared == {"b.ipynb": ["data/c.csv"]}
    (tiny / "data" / "c.csv").write_text("x\n4\n")
    assert invalidate_stale(tiny, cache) == [tiny / "b.ipynb"]


def test_the_package_modules_a_notebook_imports_are_its_inputs(tiny: Path) -> None:
    cache = tiny / "_build" / ".jupyter_cache"
    _notebook(tiny / "a.ipynb", "import china_kazakhstan.data.periods", ["!data/*"])
    execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    files = json.loads((cache / STATE_NAME).read_text())["notebooks"]["a.ipynb"]["files"]
    modules = {Path(name).name for name in files}
    assert {"__init__.py", "periods.py"} <= modules
    assert "ledger.py" not in modules, "a module the notebook never imported is not its input"
    # Without a traced run, the whole package counts.
    untraced = record_inputs(tiny, tiny / "a.ipynb", None)["files"]
    assert {"ledger.py", "periods.py", "execution.py"} <= {Path(name).name for name in untraced}


def test_a_failing_notebook_is_not_cached_and_the_others_are(tiny: Path) -> None:
    cache = tiny / "_build" / ".jupyter_cache"
    _notebook(tiny / "a.ipynb", "1 / 0", ["!data/*"])
    report = execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert [run.path.name for run in report.failed] == ["a.ipynb"]
    assert "ZeroDivisionError" in report.failed[0].error
    assert not _cached(cache, tiny / "a.ipynb") and _cached(cache, tiny / "b.ipynb")


def test_runs_get_the_project_root_and_no_timing_metadata(tiny: Path) -> None:
    _notebook(tiny / "a.ipynb", "import os; print(os.environ['CHINA_KZ_ROOT'])", ["!data/*"])
    [run] = run_notebooks([tiny / "a.ipynb"], root=tiny, workers=1)
    cell = run.nb.cells[1]
    assert cell.outputs[0]["text"] == f"{tiny}\n" and cell.execution_count == 1
    assert "execution" not in cell.metadata


# --- Sphinx: a page is read again when its notebook's record changes ------------------------

def test_a_page_is_outdated_when_its_cache_record_changes(tiny: Path) -> None:
    cache_dir = tiny / "_build" / ".jupyter_cache"
    execute_uncached(tiny, cache_dir, workers=2, log=lambda _: None)
    env = SimpleNamespace(docname="a", all_docs={"a": 0, "b": 0},
                          doc2path=lambda docname: tiny / f"{docname}.ipynb")
    app = SimpleNamespace(env=env, srcdir=str(tiny),
                          config=SimpleNamespace(nb_execution_mode="cache",
                                                 nb_execution_cache_path=str(cache_dir)))
    for docname in ("a", "b"):
        env.docname = docname
        _remember_record(app, None)
    assert _outdated_by_cache(app, env, set(), set(), set()) == []
    (tiny / "data" / "a.csv").write_text("x\n5\n")
    invalidate_stale(tiny, cache_dir)
    execute_uncached(tiny, cache_dir, workers=2, log=lambda _: None)
    assert _outdated_by_cache(app, env, set(), set(), set()) == ["a"]


# --- the build's up-to-date check ---------------------------------------------------------

def test_a_builder_is_up_to_date_until_a_source_or_its_output_changes(tiny: Path) -> None:
    output = tiny / "_build" / "html"
    output.mkdir(parents=True)
    (output / "index.html").write_text("<p>1</p>")
    assert not build_module.up_to_date(tiny, "html")
    build_module._write_stamp(tiny, "html", {"sources": build_module.sources_digest(tiny, "html"),
                                            "outputs": build_module.outputs_digest(output)})
    assert build_module.up_to_date(tiny, "html")
    (tiny / "_build" / "html" / "index.html").write_text("<p>2</p>")
    assert not build_module.up_to_date(tiny, "html"), "a changed output is rebuilt"
    build_module._write_stamp(tiny, "html", {"sources": build_module.sources_digest(tiny, "html"),
                                            "outputs": build_module.outputs_digest(output)})
    (tiny / "data" / "b.csv").write_text("x\n3\n")
    assert not build_module.up_to_date(tiny, "html"), "a changed data file is rebuilt"


def test_the_up_to_date_check_reads_the_package_and_not_the_build(tiny: Path) -> None:
    names = {p.name for p in build_module.source_files(tiny)}
    assert {"a.ipynb", "a.csv", "_toc.yml", "execution.py", "pipeline.py"} <= names
    (tiny / "_build").mkdir()
    (tiny / "_build" / "junk.txt").write_text("x")
    assert "junk.txt" not in {p.name for p in build_module.source_files(tiny)}


# --- the book's own notebooks declare what they read -----------------------------------------

@pytest.mark.build
def test_book_notebooks_declare_exactly_the_project_files_they_read() -> None:
    """Run every book notebook traced: every project file it opens is declared, and every
    declared data or seed file is opened (an edit re-runs exactly the chapters that read it)."""
    notebooks = book_notebooks(ROOT)
    runs = run_notebooks(notebooks, root=ROOT, trace=True, workers=2)
    problems = []
    for run in runs:
        name = run.path.relative_to(ROOT).as_posix()
        if run.error:
            problems.append(f"{name} failed: {run.error.splitlines()[0]}")
            continue
        reads = relevant_reads(ROOT, run.opened)
        for file in undeclared_reads(ROOT, run.path, reads):
            problems.append(f"{name} reads {file} but does not declare it (metadata china_kazakhstan.inputs)")
        declared = input_files(ROOT, declared_inputs(run.path))
        for file in sorted(set(declared) - {p for p in reads}):
            if file.relative_to(ROOT).parts[0] in ("data", "seeds"):
                problems.append(f"{name} declares {file.relative_to(ROOT)} but never opens it")
    assert not problems, "\n".join(problems)


def test_chart_pngs_keep_their_pixels_in_fewer_bytes() -> None:
    import base64
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image, ImageChops

    from china_kazakhstan.build.execution import compact_png

    fig, ax = plt.subplots(figsize=(6, 3), facecolor="white")
    ax.plot(range(20), [x * x for x in range(20)], antialiased=False)  # few colours: only the text's edges
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    before = base64.b64encode(buffer.getvalue()).decode() + "\n"
    after = compact_png(before)
    old, new = (Image.open(io.BytesIO(base64.b64decode(x))) for x in (before, after))
    assert old.mode == "RGBA" and new.mode == "P", "a chart of few colours becomes a palette image"
    assert old.convert("RGB").getcolors(256) is not None, "the test chart has at most 256 colours"
    assert ImageChops.difference(old.convert("RGB"), new.convert("RGB")).getbbox() is None, "pixels changed"
    assert len(after) < len(before)
    assert compact_png(after) == after, "already compact: left alone"


def test_a_chart_of_many_colours_keeps_its_look_in_256() -> None:
    """More than 256 colours (overlapping translucent markers): the nearest 256, no pixel far
    from its own."""
    import base64
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    from china_kazakhstan.build.images import compact_png

    fig, ax = plt.subplots(figsize=(6, 3), facecolor="white")
    ax.scatter(np.arange(300) % 30, np.arange(300) // 30, c=np.arange(300), s=400, alpha=0.5)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    before = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    assert before.getcolors(256) is None, "the test chart has more than 256 colours"
    after = Image.open(io.BytesIO(base64.b64decode(compact_png(base64.b64encode(buffer.getvalue()).decode()))))
    assert after.mode == "P"
    error = np.abs(np.asarray(after.convert("RGB"), dtype=int) - np.asarray(before, dtype=int))
    assert error.mean() < 3 and error.max() < 24, (error.mean(), error.max())


# --- an interrupted run is redone, a finished one is kept --------------------------------------

def test_a_run_interrupted_before_it_is_cached_is_redone(tiny: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C between a notebook's execution and its caching (issue 12): nothing of it is
    recorded as done, and the next build runs it again."""
    from china_kazakhstan.build import execution

    cache = tiny / "_build" / ".jupyter_cache"
    compact = execution.compact_images

    def interrupted(nb) -> None:
        if "a.csv" in nb.cells[1].source:
            raise KeyboardInterrupt
        compact(nb)

    monkeypatch.setattr(execution, "compact_images", interrupted)
    with pytest.raises(KeyboardInterrupt):
        execute_uncached(tiny, cache, workers=1, log=lambda _: None)
    monkeypatch.setattr(execution, "compact_images", compact)
    assert not _cached(cache, tiny / "a.ipynb")
    assert tiny / "a.ipynb" in stale_notebooks(tiny, cache)
    invalidate_stale(tiny, cache)
    report = execute_uncached(tiny, cache, workers=1, log=lambda _: None)
    assert "a.ipynb" in _names(report.executed), "the next build redoes the interrupted run"
    assert stale_notebooks(tiny, cache) == []


def test_a_half_written_cache_record_is_dropped_and_redone(tiny: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted inside jupyter-cache's write (its record made, its notebook file not yet):
    the run was still pending in the state, so the next build drops the record and reruns it."""
    from jupyter_cache.cache.main import JupyterCacheBase

    cache = tiny / "_build" / ".jupyter_cache"
    execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    _notebook(tiny / "a.ipynb", "print('a, new code')", ["!data/*"])
    original = JupyterCacheBase.cache_notebook_bundle

    def half_written(self, bundle, *args, **kwargs):
        record = original(self, bundle, *args, **kwargs)
        Path(self._get_notebook_path_cache(record.hashkey)).unlink()
        raise KeyboardInterrupt

    monkeypatch.setattr(JupyterCacheBase, "cache_notebook_bundle", half_written)
    with pytest.raises(KeyboardInterrupt):
        execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    monkeypatch.setattr(JupyterCacheBase, "cache_notebook_bundle", original)
    assert stale_notebooks(tiny, cache) == [tiny / "a.ipynb"], "b finished earlier and is kept"
    assert invalidate_stale(tiny, cache) == [tiny / "a.ipynb"]
    report = execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    assert _names(report.executed) == ["a.ipynb"]
    merged = get_cache(str(cache)).merge_match_into_notebook(nbformat.read(tiny / "a.ipynb", 4))[1]
    assert merged.cells[1].outputs[0]["text"] == "a, new code\n"


def test_a_failed_run_keeps_the_notebooks_earlier_record(tiny: Path) -> None:
    """A notebook that fails and is then reverted is a cache hit again (its inputs did not change)."""
    cache = tiny / "_build" / ".jupyter_cache"
    execute_uncached(tiny, cache, workers=2, log=lambda _: None)
    good = (tiny / "a.ipynb").read_text()
    _notebook(tiny / "a.ipynb", "1 / 0", ["!data/*", "data/a.csv"])
    assert execute_uncached(tiny, cache, workers=2, log=lambda _: None).failed
    (tiny / "a.ipynb").write_text(good)
    assert stale_notebooks(tiny, cache) == []
    assert execute_uncached(tiny, cache, workers=2, log=lambda _: None).executed == []
