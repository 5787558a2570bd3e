"""Execute the book's notebooks: deterministically in place, or in parallel into the build cache.

Jobs that the tools do not do for us:

* ``jupyter execute --inplace`` stores per-cell timing metadata, so every refresh
  changes the committed notebooks and busts the book's execution cache. We run
  nbclient with ``record_timing=False`` and write back only what a run produces.
* The book's execution cache (jupyter-cache) keys a notebook by its code alone: after
  a CSV changes it would keep showing the old numbers. :func:`invalidate_stale` drops
  the cached run of every notebook whose *inputs* changed, and only of those.
* myst-nb executes uncached notebooks one after the other, inside the Sphinx pass.
  :func:`execute_uncached` runs them first, on every core, and stores each run in the
  same cache, so that ``jupyter-book build`` finds them all cached.
* Sphinx re-reads a page only when its source file changed, not when the cached outputs
  of its notebook did (after a data change). This module is also the Sphinx extension
  (``_config.yml``: ``sphinx.extra_extensions``) that marks those pages outdated; its
  code is in :mod:`.sphinx_cache`.
* Charts are stored as matplotlib writes them; the runs cached here carry the same
  pixels in fewer bytes (:mod:`.images`).
* A run is recorded as done only once its cache record is complete, and marked pending
  before it starts: an interrupted build leaves runs that the next build redoes.

What a notebook's outputs depend on, its *inputs*:

* the files its metadata declares, as globs relative to the project root, on top of
  :data:`DEFAULT_INPUTS`; ``"!pattern"`` removes files matched so far::

      "metadata": {"china_kazakhstan": {"inputs": ["data/external/trade_mirror.csv"]}}

* every file its kernel actually opened in its last run, under the project root or in
  this package (the package modules it imported, the data it read): each run here is
  traced with an audit hook (:data:`TRACE_CODE`). Until a notebook has a traced run,
  every file of the package counts as an input.

A read under the project root that the declaration does not cover is reported
(:func:`undeclared_reads`); a test keeps the declarations of the book's notebooks exact.
"""

from __future__ import annotations

import asyncio
import fnmatch
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .images import compact_images, compact_png  # noqa: F401  (compact_png: the tests use it)
from .inputs import (  # noqa: F401  (re-exported: the build, the CLI and the tests use them here)
    _SKIP_DIRS,
    DEFAULT_INPUTS,
    METADATA_KEY,
    NOT_INPUTS,
    STATE_NAME,
    TRACE_CODE,
    TRACE_ENV,
    _current,
    _digests,
    _load_state,
    _name,
    _path,
    _read_json,
    _save_state,
    _sha,
    _source_of,
    book_notebooks,
    declared_inputs,
    environment_digest,
    fingerprint,
    input_files,
    invalidate_stale,
    package_dir,
    package_files,
    record_inputs,
    relevant_reads,
    stale_notebooks,
    undeclared_reads,
)

# --- running notebooks -------------------------------------------------------------------

@dataclass
class Run:
    """One notebook run: the executed notebook, its time, what it opened, or its error."""

    path: Path
    nb: object
    seconds: float = 0.0
    error: str | None = None
    opened: list[str] = field(default_factory=list)
    #: The exception a cell raised, as the kernel named it (``ZeroDivisionError``, "division by zero").
    ename: str | None = None
    evalue: str | None = None
    #: The kernel was interrupted (Ctrl-C reaches the kernels too): the run proves nothing.
    interrupted: bool = False


def _kernel_env(root: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if root is not None:
        env["CHINA_KZ_ROOT"] = str(root)
    return env


async def _run_one(run: Run, *, timeout: int | None, allow_errors: bool, env: dict[str, str],
                   trace_dir: Path | None) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = run.nb
    execution = nb.metadata.get("execution", {})  # per-notebook overrides, as myst-nb honours
    extra = []
    env = dict(env)
    if trace_dir is not None:
        trace = trace_dir / (hashlib.sha1(str(run.path).encode()).hexdigest() + ".txt")
        env[TRACE_ENV] = str(trace)
        extra.append(f"--IPKernelApp.exec_lines=exec({TRACE_CODE!r}, {{}})")
    client = NotebookClient(
        nb,
        timeout=execution.get("timeout", timeout),
        allow_errors=execution.get("allow_errors", allow_errors),
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(run.path.parent)}},
        record_timing=False,
        extra_arguments=extra,
    )
    start = time.perf_counter()
    try:
        await client.async_execute(env=env)
    except CellExecutionError as exc:
        run.error = f"{type(exc).__name__}: {exc}"
        run.ename, run.evalue = exc.ename, exc.evalue
        run.interrupted = exc.ename == "KeyboardInterrupt"
    except (CellTimeoutError, DeadKernelError) as exc:
        run.error = f"{type(exc).__name__}: {exc}"
        run.ename, run.evalue = type(exc).__name__, str(exc).strip().splitlines()[0]
    except Exception as exc:  # a kernel that would not start: myst-nb will try, and report
        run.error = f"{type(exc).__name__}: {exc}"
    run.seconds = time.perf_counter() - start
    if trace_dir is not None and trace.is_file():
        run.opened = trace.read_text(encoding="utf-8").splitlines()


def run_notebooks(paths: Sequence[Path], *, workers: int | None = None, timeout: int | None = 180,
                  allow_errors: bool = False, root: Path | None = None, trace: bool = False,
                  on_done: Callable[[Run], None] | None = None) -> list[Run]:
    """Execute notebooks (not in place), ``workers`` at a time, each in a fresh kernel.

    Returns the runs in the order given; a failing notebook has ``error`` set and does
    not stop the others. ``trace`` records every file each kernel opened.
    """
    import nbformat

    workers = max(1, workers or os.cpu_count() or 1)
    runs = [Run(Path(p), nbformat.read(p, as_version=4)) for p in paths]
    env = _kernel_env(root)

    async def main(trace_dir: Path | None) -> None:
        gate = asyncio.Semaphore(workers)

        async def one(run: Run) -> None:
            async with gate:
                await _run_one(run, timeout=timeout, allow_errors=allow_errors, env=env,
                               trace_dir=trace_dir)
            if on_done is not None:
                on_done(run)

        await asyncio.gather(*(one(run) for run in runs))

    with tempfile.TemporaryDirectory(prefix="ck-trace-") as tmp:
        asyncio.run(main(Path(tmp) if trace else None))
    interrupted = [run.path.name for run in runs if run.interrupted]
    if interrupted:  # the kernels got Ctrl-C, even if this process did not see it
        raise KeyboardInterrupt(f"kernel interrupted while running {', '.join(interrupted)}")
    return runs


@dataclass
class ExecutionReport:
    executed: list[Run]
    cached: list[Path]
    undeclared: dict[str, list[str]]

    @property
    def failed(self) -> list[Run]:
        return [run for run in self.executed if run.error]


def execute_uncached(root: Path, cache_dir: Path, *, workers: int | None = None,
                     timeout: int | None = 180, allow_errors: bool = False,
                     exclude: Sequence[str] = (), log: Callable[[str], None] = print) -> ExecutionReport:
    """Run every book notebook the cache has no record for, in parallel, and cache the runs.

    The records are those myst-nb would have made (same nbclient, same working folder,
    same environment), so the Sphinx pass then reports each notebook as cached. A failed
    run is not cached: myst-nb runs that notebook again and fails the build with its log.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    root = root.resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = get_cache(str(cache_dir))
    state = _load_state(cache_dir)
    if state.get("environment") != environment_digest():  # runs made elsewhere: not ours to trust
        state = {"environment": environment_digest()}
    entries = state.setdefault("notebooks", {})
    todo, cached = [], []
    for notebook in book_notebooks(root):
        if any(fnmatch.fnmatch(_name(root, notebook), pattern) for pattern in exclude):
            continue
        try:
            cache.match_cache_notebook(nbformat.read(notebook, as_version=4))
        except KeyError:
            todo.append(notebook)
        else:
            cached.append(notebook)
    if not todo:
        return ExecutionReport([], cached, {})
    # Longest first (as last measured): the two workers finish together.
    todo.sort(key=lambda p: -entries.get(_name(root, p), {}).get("seconds", 1e9))
    # Mark what is about to run as pending, before running it: if this is interrupted, the
    # mark stays, so the next build drops whatever half-written record the run left in the
    # cache and runs it again. A run that ends (done or failed) clears its mark.
    previous = {_name(root, p): entries.get(_name(root, p)) for p in todo}
    for name, entry in previous.items():
        entries[name] = {**(entry or {}), "pending": True}
    _save_state(cache_dir, state)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    log(f"[execute] {len(todo)} notebook(s) to run, {workers} at a time; {len(cached)} cached")
    undeclared: dict[str, list[str]] = {}

    def done(run: Run) -> None:
        name = _name(root, run.path)
        if run.error:
            log(f"[execute] {name}: FAILED after {run.seconds:.1f} s ({run.error.splitlines()[0]})")
            if not run.interrupted:  # it wrote no record: its earlier runs' records stand
                if previous[name] is None:
                    entries.pop(name, None)
                else:
                    entries[name] = previous[name]
                _save_state(cache_dir, state)
            return
        compact_images(run.nb)  # the record holds the compacted charts, never the raw ones
        cache.cache_notebook_bundle(
            CacheBundleIn(run.nb, str(run.path), data={"execution_seconds": run.seconds}),
            check_validity=False, overwrite=True)
        reads = relevant_reads(root, run.opened)
        # Recorded only now that its record is complete; saved at once, so that an
        # interruption later keeps this notebook's finished run.
        entries[name] = {**record_inputs(root, run.path, reads), "seconds": round(run.seconds, 2)}
        _save_state(cache_dir, state)
        missing = undeclared_reads(root, run.path, reads)
        if missing:
            undeclared[name] = missing
        log(f"[execute] {name}: executed in {run.seconds:.1f} s")

    runs = run_notebooks(todo, workers=workers, timeout=timeout, allow_errors=allow_errors,
                         root=root, trace=True, on_done=done)
    return ExecutionReport(runs, cached, undeclared)


def execute_in_place(notebook: Path, timeout: int = 300) -> None:
    """Run a notebook top to bottom in a fresh kernel and store its outputs, nothing else."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(notebook.parent)}},
        record_timing=False,
        allow_errors=False,
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    text = nbformat.writes(nb) + "\n"
    if notebook.read_text(encoding="utf-8") != text:
        notebook.write_text(text, encoding="utf-8")


# --- Sphinx ------------------------------------------------------------------------------
# ``_config.yml`` names this module as the Sphinx extension; the extension itself (re-read a
# page whose notebook's cached outputs changed) is in :mod:`.sphinx_cache`.
from .sphinx_cache import setup  # noqa: E402, F401
