"""Re-execute the book's notebooks deterministically, and keep the build cache honest.

Two jobs that tools do not do for us:

* ``jupyter execute --inplace`` stores per-cell timing metadata, so every refresh
  changes the committed notebooks and busts the book's execution cache. We run
  nbclient with ``record_timing=False`` and write back only what a run produces.
* The book's execution cache (jupyter-cache) keys a notebook by its code alone: after
  a CSV changes it would keep showing the old numbers. :func:`invalidate_stale` drops
  the cached run of every notebook whose inputs (data, seeds, the package) changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import nbformat

# What a notebook reads unless its metadata says otherwise: the whole evidence base and
# the package that turns it into tables and charts.
DEFAULT_INPUTS = ("data/*", "seeds/*", "src/china_kazakhstan/**/*.py", "src/china_kazakhstan/*.mplstyle")
FINGERPRINTS_NAME = "input-fingerprints.json"


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


def declared_inputs(notebook: Path) -> tuple[str, ...]:
    """Glob patterns (relative to the root) of the files a notebook's output depends on."""
    nb = nbformat.read(notebook, as_version=4)
    meta = nb.metadata.get("china_kazakhstan", {})
    return tuple(meta.get("inputs", DEFAULT_INPUTS))


def input_files(root: Path, patterns: Iterable[str]) -> list[Path]:
    files: set[Path] = set()
    for pattern in patterns:
        files.update(p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


def fingerprint(root: Path, notebook: Path) -> str:
    """sha256 over the names and bytes of every input file of ``notebook``."""
    digest = hashlib.sha256()
    for path in input_files(root, declared_inputs(notebook)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def invalidate_stale(root: Path, cache_dir: Path) -> list[Path]:
    """Remove cached executions of notebooks whose inputs changed; return those notebooks.

    Every cached record of such a notebook goes, not only the one matching its current
    code: a record made from older code (and older data) would otherwise come back
    when the code is reverted.
    """
    from jupyter_cache import get_cache

    state_file = cache_dir / FINGERPRINTS_NAME
    previous = json.loads(state_file.read_text()) if state_file.is_file() else {}
    current: dict[str, str] = {}
    stale: list[Path] = []
    cache = get_cache(str(cache_dir)) if cache_dir.is_dir() else None
    for notebook in book_notebooks(root):
        key = str(notebook.relative_to(root))
        current[key] = fingerprint(root, notebook)
        if previous.get(key) == current[key]:
            continue
        stale.append(notebook)
        if cache is None:
            continue
        for record in cache.list_cache_records():
            if Path(record.uri).resolve() == notebook.resolve():
                cache.remove_cache(record.pk)
    cache_dir.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    return stale


def execute_in_place(notebook: Path, timeout: int = 300) -> None:
    """Run a notebook top to bottom in a fresh kernel and store its outputs, nothing else."""
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
