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
  of its notebook did (after a data change). This module is also a Sphinx extension
  (``_config.yml``: ``sphinx.extra_extensions``) that marks those pages outdated (and
  writes myst-nb's stylesheet early, so that clean and incremental builds write the
  same pages).
* Charts are stored as matplotlib writes them; the runs cached here carry the same
  pixels in fewer bytes (:func:`compact_png`).

What a notebook's outputs depend on, its *inputs*:

* the files its metadata declares, as globs relative to the project root, on top of
  :data:`DEFAULT_INPUTS`; ``"!pattern"`` removes files matched so far::

      "metadata": {"china_kazakhstan": {"inputs": ["data/trade_mirror.csv"]}}

* every file its kernel actually opened in its last run, under the project root or in
  this package (the package modules it imported, the data it read): each run here is
  traced with an audit hook (:data:`TRACE_CODE`). Until a notebook has a traced run,
  every file of the package counts as an input.

A read under the project root that the declaration does not cover is reported
(:func:`undeclared_reads`); a test keeps the declarations of the book's notebooks exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# What every chapter reads (through ``book.load()``): the ledger (every table that
# data/datapackage.json lists, except the outside figures that only ``external`` reads)
# and the articles. A notebook that reads more declares it in its metadata.
DEFAULT_INPUTS = ("data/*", "!data/trade_mirror.csv", "seeds/*")
METADATA_KEY = "china_kazakhstan"
STATE_NAME = "input-fingerprints.json"
TRACE_ENV = "CHINA_KZ_TRACE"
#: Runs in each kernel before the first cell (IPython ``exec_lines``: no execution count,
#: no output, nothing left in the user's namespace): append every path the kernel opens
#: to the file named by $CHINA_KZ_TRACE.
TRACE_CODE = rf"""
def _china_kz_trace(path):
    import os, sys
    out = open(path, "a", encoding="utf-8", buffering=1)
    seen = set()
    def hook(event, args):
        if event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        name = os.path.abspath(os.fsdecode(args[0]))
        if name not in seen:
            seen.add(name)
            out.write(name + "\n")
    sys.addaudithook(hook)
_china_kz_trace(__import__("os").environ[{TRACE_ENV!r}])
"""
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}
#: Top-level folders of the project whose files are never a notebook's inputs.
NOT_INPUTS = {"_build", ".venv", "venv", ".git", "node_modules", ".pytest_cache", ".ruff_cache"}


def package_dir() -> Path:
    """The folder of the package the kernels import (the editable install: ``src/...``)."""
    return Path(__file__).resolve().parents[1]


def book_notebooks(root: Path) -> list[Path]:
    """The notebooks of the book, in table-of-contents order."""
    order = []
    for line in (root / "_toc.yml").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        for key in ("root:", "- file:", "file:"):
            if line.startswith(key):
                name = line[len(key):].strip()
                path = root / f"{name}.ipynb"
                if path.is_file():
                    order.append(path)
                break
    return order


def _read_json(notebook: Path) -> dict:
    return json.loads(notebook.read_text(encoding="utf-8"))


def declared_inputs(notebook: Path) -> tuple[str, ...]:
    """Glob patterns (relative to the root) of the files a notebook's output depends on."""
    meta = _read_json(notebook).get("metadata", {}).get(METADATA_KEY, {})
    extra = meta.get("inputs", [])
    if isinstance(extra, str):
        extra = [extra]
    return (*DEFAULT_INPUTS, *extra)


def input_files(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Files matching ``patterns`` in order; a pattern starting with ``!`` removes its matches."""
    files: set[Path] = set()
    for pattern in patterns:
        if pattern.startswith("!"):
            files = {p for p in files if not fnmatch.fnmatch(_name(root, p), pattern[1:])}
            continue
        files.update(p for p in root.glob(pattern)
                     if p.is_file() and not _SKIP_DIRS.intersection(p.parts))
    return sorted(files)


def package_files() -> list[Path]:
    """Every file of the package (modules and resources): the fallback code inputs."""
    return sorted(p for p in package_dir().rglob("*")
                  if p.is_file() and not _SKIP_DIRS.intersection(p.parts) and p.suffix != ".pyc")


def _name(root: Path, path: Path) -> str:
    """How a file is named in the state: relative to the root when inside it."""
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _path(root: Path, name: str) -> Path:
    return Path(name) if os.path.isabs(name) else root / name


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return None


def _digests(root: Path, paths: Iterable[Path]) -> dict[str, str | None]:
    return {_name(root, p): _sha(p) for p in paths}


# --- what a traced run read -------------------------------------------------------------

def _source_of(path: Path) -> Path:
    """``pkg/__pycache__/mod.cpython-311.pyc`` -> ``pkg/mod.py`` (imports read the bytecode)."""
    if path.suffix == ".pyc" and path.parent.name == "__pycache__":
        return path.parent.parent / (path.name.split(".", 1)[0] + ".py")
    return path


def relevant_reads(root: Path, opened: Iterable[str]) -> list[Path]:
    """The opened files that are inputs: in the project or in the package.

    Not the build's own files, nor installed packages (an environment inside the project,
    ``.venv``): those count through :func:`environment_digest`.
    """
    root, package = root.resolve(), package_dir()
    found = set()
    for name in opened:
        path = _source_of(Path(name))
        if not path.is_file():
            continue
        path = path.resolve()
        in_project = (path.is_relative_to(root) and path.relative_to(root).parts[0] not in NOT_INPUTS
                      and "site-packages" not in path.parts)
        if in_project or path.is_relative_to(package):
            found.add(path)
    return sorted(found)


def environment_digest() -> str:
    """Python's version and every installed distribution with its version (from the
    ``*.dist-info`` folder names: cheap); when it changes, every notebook runs again."""
    import site
    import sysconfig

    names = [sys.version]
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    for folder in sorted(folders):
        with contextlib.suppress(OSError):
            names += sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def undeclared_reads(root: Path, notebook: Path, reads: Iterable[Path]) -> list[str]:
    """Files under the root a run read that the notebook's declared inputs do not cover."""
    root = root.resolve()
    declared = {p.resolve() for p in input_files(root, declared_inputs(notebook))}
    return sorted(_name(root, p) for p in reads
                  if p.is_relative_to(root) and not p.is_relative_to(package_dir())
                  and p != notebook.resolve() and p not in declared)


# --- the state: the inputs of each cached run ----------------------------------------------

def _load_state(cache_dir: Path) -> dict:
    try:
        state = json.loads((cache_dir / STATE_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("version") == 2 else {}


def _save_state(cache_dir: Path, state: dict) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    state["version"] = 2
    (cache_dir / STATE_NAME).write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")


def record_inputs(root: Path, notebook: Path, reads: Sequence[Path] | None) -> dict:
    """The state entry of a run: declared inputs, plus what it read (or the whole package)."""
    files = set(input_files(root, declared_inputs(notebook)))
    traced = reads is not None
    files.update(reads if traced else package_files())
    files.discard(notebook.resolve())
    return {"files": _digests(root, sorted(files)), "traced": traced}


def _current(root: Path, notebook: Path, entry: dict) -> dict[str, str | None]:
    """The entry's files re-hashed, with the declared globs re-expanded (new files count)."""
    names = set(entry.get("files", {}))
    names.update(_name(root, p) for p in input_files(root, declared_inputs(notebook)))
    if not entry.get("traced"):
        names.update(_name(root, p) for p in package_files())
    return {name: _sha(_path(root, name)) for name in sorted(names)}


def fingerprint(root: Path, notebook: Path, entry: dict | None = None) -> str:
    """sha256 over the names and contents of the inputs of ``notebook``."""
    entry = entry if entry is not None else record_inputs(root, notebook, None)
    return hashlib.sha256(json.dumps(_current(root, notebook, entry), sort_keys=True)
                          .encode()).hexdigest()


def stale_notebooks(root: Path, cache_dir: Path) -> list[Path]:
    """Book notebooks whose inputs changed since their cached run (or that have no record)."""
    state = _load_state(cache_dir)
    if state.get("environment") != environment_digest():
        return book_notebooks(root)
    state = state.get("notebooks", {})
    stale = []
    for notebook in book_notebooks(root):
        entry = state.get(_name(root, notebook))
        if entry is None or _current(root, notebook, entry) != entry.get("files"):
            stale.append(notebook)
    return stale


def invalidate_stale(root: Path, cache_dir: Path) -> list[Path]:
    """Remove cached executions of notebooks whose inputs changed; return those notebooks.

    Every cached record of such a notebook goes, not only the one matching its current
    code: a record made from older code (and older data) would otherwise come back
    when the code is reverted. Notebooks whose inputs did not change keep their records.
    """
    stale = stale_notebooks(root, cache_dir)
    state = _load_state(cache_dir)
    entries = state.setdefault("notebooks", {})
    if stale and (cache_dir / "global.db").is_file():
        import nbformat
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        for notebook in stale:
            _, hashkey = cache.create_hashed_notebook(nbformat.read(notebook, as_version=4))
            for record in cache.list_cache_records():
                if Path(record.uri).resolve() == notebook.resolve() or record.hashkey == hashkey:
                    with contextlib.suppress(KeyError):  # its folder is already gone
                        cache.remove_cache(record.pk)
    for notebook in stale:
        entries.pop(_name(root, notebook), None)
    if state.get("environment") != environment_digest():
        state["environment"] = environment_digest()
        entries.clear()
    if stale or (cache_dir / STATE_NAME).is_file():
        _save_state(cache_dir, state)
    return stale


# --- running notebooks -------------------------------------------------------------------

@dataclass
class Run:
    """One notebook run: the executed notebook, its time, what it opened, or its error."""

    path: Path
    nb: object
    seconds: float = 0.0
    error: str | None = None
    opened: list[str] = field(default_factory=list)


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
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        run.error = f"{type(exc).__name__}: {exc}"
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
    return runs


def compact_png(data: str) -> str:
    """The same pixels in fewer bytes (base64 in, base64 out).

    The charts come out of matplotlib as RGBA PNGs, opaque, at its default compression:
    dropping the alpha channel when every pixel is opaque and letting Pillow optimise
    saves 10-15 %, losslessly. The smaller encoding is kept only if it is smaller.
    """
    import base64
    import io

    from PIL import Image

    raw = base64.b64decode(data)
    image = Image.open(io.BytesIO(raw))
    image.load()
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "png", optimize=True)
    smaller = out.getvalue()
    return base64.b64encode(smaller).decode() + "\n" if len(smaller) < len(raw) else data


def compact_images(nb) -> None:
    """Re-encode every PNG output of an executed notebook with :func:`compact_png`."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                data["image/png"] = compact_png(data["image/png"])


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
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    log(f"[execute] {len(todo)} notebook(s) to run, {workers} at a time; {len(cached)} cached")
    undeclared: dict[str, list[str]] = {}

    def done(run: Run) -> None:
        name = _name(root, run.path)
        if run.error:
            log(f"[execute] {name}: FAILED after {run.seconds:.1f} s ({run.error.splitlines()[0]})")
            return
        compact_images(run.nb)
        cache.cache_notebook_bundle(
            CacheBundleIn(run.nb, str(run.path), data={"execution_seconds": run.seconds}),
            check_validity=False, overwrite=True)
        reads = relevant_reads(root, run.opened)
        entries[name] = {**record_inputs(root, run.path, reads), "seconds": round(run.seconds, 2)}
        missing = undeclared_reads(root, run.path, reads)
        if missing:
            undeclared[name] = missing
        log(f"[execute] {name}: executed in {run.seconds:.1f} s")

    runs = run_notebooks(todo, workers=workers, timeout=timeout, allow_errors=allow_errors,
                         root=root, trace=True, on_done=done)
    _save_state(cache_dir, state)
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


# --- Sphinx: re-read a page when its notebook's cached outputs changed --------------------

def _record_token(cache, notebook_path: str) -> str | None:
    import nbformat

    try:
        record = cache.match_cache_notebook(nbformat.read(notebook_path, as_version=4))
    except (KeyError, FileNotFoundError):
        return None
    return f"{record.pk}:{record.hashkey}:{record.created.isoformat()}"


def _sphinx_cache(app):
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return None
    from jupyter_cache import get_cache

    path = Path(app.config.nb_execution_cache_path or ".jupyter_cache")
    if not path.is_absolute():
        path = Path(app.srcdir) / path
    return get_cache(str(path)) if (path / "global.db").is_file() else None


def _outdated_by_cache(app, env, added, changed, removed) -> list[str]:
    tokens = getattr(env, "china_kz_nb_records", {})
    cache = _sphinx_cache(app) if tokens else None
    if cache is None:
        return []
    outdated = []
    for docname, token in tokens.items():
        if docname in changed or docname in removed or docname not in env.all_docs:
            continue
        if _record_token(cache, env.doc2path(docname)) != token:
            outdated.append(docname)
    return outdated


def _remember_record(app, doctree) -> None:
    env = app.env
    source = env.doc2path(env.docname)
    if not str(source).endswith(".ipynb"):
        return
    cache = _sphinx_cache(app)
    if cache is None:
        return
    if not hasattr(env, "china_kz_nb_records"):
        env.china_kz_nb_records = {}
    env.china_kz_nb_records[env.docname] = _record_token(cache, source)


def _forget(app, env, docname) -> None:
    getattr(env, "china_kz_nb_records", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    records = getattr(other, "china_kz_nb_records", {})
    if not hasattr(env, "china_kz_nb_records"):
        env.china_kz_nb_records = {}
    env.china_kz_nb_records.update({d: records[d] for d in docnames if d in records})


def _early_mystnb_css(app) -> None:
    """Write myst-nb's stylesheet before the pages, not after (its ``build-finished``).

    Sphinx appends ``?v=<checksum>`` to a stylesheet link only when the file is already
    in the output: late, a clean build links ``mystnb.<hash>.css`` and an incremental
    one ``mystnb.<hash>.css?v=...``, and the same page differs between the two.
    """
    from myst_nb.sphinx_ext import add_global_html_resources

    if app.builder is not None and app.builder.format == "html":
        (Path(app.builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def setup(app) -> dict:
    """Sphinx extension: a page whose notebook's cache record changed is read again."""
    app.connect("builder-inited", _early_mystnb_css)
    app.connect("env-get-outdated", _outdated_by_cache)
    app.connect("doctree-read", _remember_record)
    app.connect("env-purge-doc", _forget)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
