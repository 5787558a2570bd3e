"""A build that cannot mix: one build at a time per folder, nothing stamped done when a step
was interrupted, and a failed build that ends with what failed (issue 12).

The steps are fakes (no notebook, no Sphinx) so that these tests take seconds; the real
build's failure tail is checked in test_build.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from china_kazakhstan.build import failures, pipeline
from china_kazakhstan.build.lock import LOCK_NAME, LockTimeout, atomic_write, build_lock

HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from china_kazakhstan.build.lock import build_lock

    root, tag = Path(sys.argv[1]), sys.argv[2]
    log = root / "steps.log"
    with build_lock(root):
        with log.open("a") as out:
            out.write(f"start {tag}\\n")
        time.sleep(float(sys.argv[3]))
        with log.open("a") as out:
            out.write(f"end {tag}\\n")
""")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    root.mkdir()
    return root


def _start(root: Path, tag: str, seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLD, str(root), tag, str(seconds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}")


@pytest.mark.end_to_end
def test_two_builds_in_one_folder_never_overlap_and_the_second_says_it_waits(folder: Path) -> None:
    first = _start(folder, "A", 1.5)
    _wait_for(folder / "steps.log", "start A")
    second = _start(folder, "B", 0.1)
    _, first_err = first.communicate(timeout=120)
    _, second_err = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, (first_err, second_err)
    assert (folder / "steps.log").read_text().split("\n")[:4] == ["start A", "end A", "start B", "end B"]
    assert f"another build is running in this folder (pid {first.pid}, started " in second_err, second_err
    assert "waiting" in second_err
    assert "another build" not in first_err


@pytest.mark.end_to_end
def test_a_wait_that_times_out_ends_with_a_plain_message(folder: Path) -> None:
    holder = _start(folder, "A", 5)
    try:
        _wait_for(folder / "steps.log", "start A")
        said: list[str] = []
        expected = (rf"another build in this folder \(pid {holder.pid}, started .*\) still holds "
                    rf"{LOCK_NAME} after 1 s: let it finish")
        with pytest.raises(LockTimeout, match=expected), build_lock(folder, timeout=1, say=said.append):
            pytest.fail("the lock was taken while another process held it")
        assert said and said[0].startswith("another build is running in this folder")
    finally:
        holder.kill()
        holder.communicate()


def test_the_lock_is_reentrant_in_one_thread_and_exclusive_between_threads(folder: Path) -> None:
    entered = threading.Event()
    with build_lock(folder), build_lock(folder):  # build() holds it and calls jupyter_book()
        def other() -> None:
            with build_lock(folder, say=lambda _: None):
                entered.set()

        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)
        assert not entered.is_set(), "another thread got the lock while this one held it"
    thread.join(timeout=30)
    assert entered.is_set()


@pytest.mark.end_to_end
def test_the_whole_build_holds_the_lock(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    events: list[str] = []

    def step(root: Path, builder: str = "html", *, force: bool = False) -> Path:
        events.append(f"start {threading.current_thread().name}")
        time.sleep(0.5)
        events.append(f"end {threading.current_thread().name}")
        return root / "_build" / builder

    monkeypatch.setattr(pipeline, "validate", lambda root: None)
    monkeypatch.setattr(pipeline, "jupyter_book", step)
    threads = [threading.Thread(target=pipeline.build, args=(folder,), kwargs={"pdf": False}, name=n)
               for n in ("one", "two")]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=60)
    assert events == ["start one", "end one", "start two", "end two"], events
    assert "another build is running in this folder" in capsys.readouterr().err


# --- interrupted steps are not stamped -------------------------------------------------------

def _fake_book(monkeypatch: pytest.MonkeyPatch, root: Path, *, interrupt: bool) -> None:
    """jupyter-book replaced by a step that writes the page, then (optionally) is interrupted."""
    monkeypatch.setattr(pipeline, "prepare_notebooks", lambda root: None)

    def run(root: Path, builder: str) -> None:
        output = root / "_build" / builder
        output.mkdir(parents=True, exist_ok=True)
        (output / "index.html").write_text(f"<p>{time.time()}</p>")
        if interrupt:
            raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_jupyter_book", run)


def test_an_interrupted_step_is_not_stamped_and_the_next_build_redoes_it(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "_config.yml").write_text("title: t\n")
    (folder / "page.md").write_text("# A page\n")
    _fake_book(monkeypatch, folder, interrupt=False)
    pipeline.jupyter_book(folder, "html")
    assert pipeline.up_to_date(folder, "html"), "a finished step is stamped"

    (folder / "page.md").write_text("# A page, edited\n")
    _fake_book(monkeypatch, folder, interrupt=True)
    with pytest.raises(KeyboardInterrupt):
        pipeline.jupyter_book(folder, "html")
    assert not (folder / pipeline.STAMPS / "html.json").exists(), "an interrupted step left a stamp"
    assert not pipeline.up_to_date(folder, "html")

    ran = []
    _fake_book(monkeypatch, folder, interrupt=False)
    original = pipeline.run_jupyter_book
    monkeypatch.setattr(pipeline, "run_jupyter_book", lambda root, builder: (ran.append(builder),
                                                                              original(root, builder)))
    pipeline.jupyter_book(folder, "html")
    assert ran == ["html"], "the next build redid the interrupted step"
    assert pipeline.up_to_date(folder, "html")


SIGTERM_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from china_kazakhstan import __main__ as cli
    from china_kazakhstan.build import pipeline

    def slow(root, builder):
        (root / "started").write_text("yes")
        time.sleep(60)

    pipeline.validate = lambda root: None
    pipeline.prepare_notebooks = lambda root: None
    pipeline.run_jupyter_book = slow
    sys.exit(cli.main(["build", "--no-pdf"]))
""")


@pytest.mark.end_to_end
def test_sigterm_stops_a_build_like_ctrl_c_and_stamps_nothing(folder: Path) -> None:
    (folder / "_config.yml").write_text("title: t\n")
    (folder / "data").mkdir()
    process = subprocess.Popen([sys.executable, "-c", SIGTERM_BUILD], cwd=folder, text=True,
                               env={**os.environ, "CHINA_KZ_ROOT": str(folder)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(folder / "started", "yes")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "BUILD INTERRUPTED (signal SIGTERM)" in err.splitlines()[-1], err
    assert "Traceback" not in err
    assert not (folder / pipeline.STAMPS / "html.json").exists()


def test_state_files_are_replaced_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "state.json"
    atomic_write(target, "old\n")

    def broken_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n", "an interrupted write must leave the previous file"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"], "no temporary file left behind"


# --- the failure tail --------------------------------------------------------------------------

NB = {"cells": [
    {"cell_type": "markdown", "source": "# T"},
    {"cell_type": "code", "source": "import book", "outputs": []},
    {"cell_type": "code", "source": "ledger = book.load()\nledger.only('x')", "outputs": [
        {"output_type": "error", "ename": "ValueError", "evalue": "expected one", "traceback": []}]},
]}
CELL_ERROR = """CellExecutionError: An error occurred while executing the following cell:
------------------
ledger = book.load()
ledger.only('x')
------------------


\x1b[0;31m---------------------------------------------------------------------------\x1b[0m
\x1b[0;31mValueError\x1b[0m                                Traceback (most recent call last)
Cell \x1b[0;32mIn[2], line 2\x1b[0m
\x1b[0;31mValueError\x1b[0m: expected one claim of 'x', found 2
"""


def test_a_failed_run_names_the_notebook_cell_and_exception() -> None:
    failure = failures.from_run("chapters/trade.ipynb", NB, CELL_ERROR, "ValueError",
                                "expected one claim of 'x', found 2")
    assert failure.lines() == ["BUILD FAILED: chapters/trade.ipynb, cell 3: ValueError: "
                               "expected one claim of 'x', found 2"]
    without_outputs = {"cells": [{**c, "outputs": []} for c in NB["cells"]]}
    parsed = failures.from_run("chapters/trade.ipynb", without_outputs, CELL_ERROR)
    assert (parsed.cell, parsed.ename) == (3, "ValueError")
    assert parsed.evalue == "expected one claim of 'x', found 2"


def test_a_data_error_keeps_its_problems_in_the_last_lines() -> None:
    message = "2 problems in the book's data:\n  - data/claims.csv, line 4 (C003), field 'unit': bad\n  - x"
    lines = failures.Failure("chapters/a.ipynb", 2, "DataError", message).lines()
    assert lines[0] == "BUILD FAILED: chapters/a.ipynb, cell 2: DataError: 2 problems in the book's data:"
    assert "data/claims.csv, line 4 (C003), field 'unit'" in lines[1]


def test_a_myst_nb_failure_in_the_jupyter_book_log_is_found(tmp_path: Path) -> None:
    import nbformat

    notebook = tmp_path / "chapters" / "trade.ipynb"
    notebook.parent.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("import book"),
                nbformat.v4.new_code_cell("ledger = book.load()\nledger.only('x')")]
    nbformat.write(nb, notebook)
    log = (f"reading sources... [ 50%] chapters/trade\n{notebook}: WARNING: Executing notebook failed: "
           f"CellExecutionError [mystnb.exec]\nTraceback (most recent call last):\n  File ...\n"
           f"nbclient.exceptions.{CELL_ERROR} [mystnb.exec]\n"
           f"{tmp_path}/chapters/x.md:3: WARNING: something else\n")
    failure = failures.from_log(log, tmp_path)
    assert failure is not None
    assert failure.lines()[0] == ("BUILD FAILED: chapters/trade.ipynb, cell 3: ValueError: "
                                  "expected one claim of 'x', found 2")


def test_any_other_jupyter_book_failure_ends_with_its_warnings() -> None:
    log = "building...\n/p/chapters/x.md:3: WARNING: unknown document: 'nowhere' [ref.doc]\nbuild finished\n"
    lines = failures.log_tail(log, "html", 1)
    assert lines[0] == "BUILD FAILED: jupyter-book build --builder html exited 1:"
    assert "/p/chapters/x.md:3: WARNING: unknown document: 'nowhere'" in lines[1]
    assert lines[-1].startswith("warnings are errors here (-W)")
