"""What a notebook's outputs depend on (its *inputs*), and which cached runs are stale.

* the files its metadata declares, as globs relative to the project root, on top of
  :data:`DEFAULT_INPUTS`; ``"!pattern"`` removes files matched so far::

      "metadata": {"china_kazakhstan": {"inputs": ["data/external/trade_mirror.csv"]}}

* every file its kernel actually opened in its last run, under the project root or in
  this package (the package modules it imported, the data it read): each run is traced
  with an audit hook (:data:`TRACE_CODE`). Until a notebook has a traced run, every file
  of the package counts as an input.

The book's execution cache (jupyter-cache) keys a notebook by its code alone: after a CSV
changes it would keep showing the old numbers; :func:`invalidate_stale` drops the cached
run of every notebook whose inputs changed, and only of those.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .lock import atomic_write

# What a chapter reads (through ``book.load()`` and ``book.checks()``): the ledger (the
# tables directly in data/, but not the changelog, which only its page reads), the articles,
# and the IMF's tidy table with its partner list (the register's rank checks read them; the
# manifest that vouches for them is checked by ``validate`` before every build). The other
# outside sources in data/external/ are read only by the chapters that declare them in their
# metadata ("data/*" does not descend into folders; the exclusion says so explicitly); a
# chapter that runs no check excludes the IMF's files in its metadata.
DEFAULT_INPUTS = ("data/*", "!data/external/*", "!data/changelog.csv", "seeds/*", "data/external/imf_dots.csv",
                  "data/external/imf_dots_partners.csv")
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
    from ..data.notebooks import toc_notebooks

    return toc_notebooks(root)


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
    """Replace the state file whole: an interrupted write leaves the previous state."""
    state["version"] = 2
    atomic_write(cache_dir / STATE_NAME, json.dumps(state, indent=1, sort_keys=True) + "\n")


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
        if entry is None or entry.get("pending") or _current(root, notebook, entry) != entry.get("files"):
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
        from jupyter_cache.cache.db import NbCacheRecord

        cache = get_cache(str(cache_dir))
        for notebook in stale:
            _, hashkey = cache.create_hashed_notebook(nbformat.read(notebook, as_version=4))
            for record in cache.list_cache_records():
                if Path(record.uri).resolve() == notebook.resolve() or record.hashkey == hashkey:
                    try:
                        cache.remove_cache(record.pk)
                    except KeyError:  # its notebook was never written (an interrupted run)
                        NbCacheRecord.remove_records([record.pk], cache.db)
                        folder = cache._get_notebook_path_cache(record.hashkey).parent
                        shutil.rmtree(folder, ignore_errors=True)
    for notebook in stale:
        entries.pop(_name(root, notebook), None)
    if state.get("environment") != environment_digest():
        state["environment"] = environment_digest()
        entries.clear()
    if stale or (cache_dir / STATE_NAME).is_file():
        _save_state(cache_dir, state)
    return stale
