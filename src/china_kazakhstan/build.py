"""Build the book: the one sequence the Makefile, the tests and the benchmark all run.

1. validate the data (clear messages, exit before anything is built from bad input);
2. drop cached notebook runs whose inputs changed (the cache only sees code);
3. ``jupyter-book build`` with warnings as errors, a failing notebook failing the build;
4. for the PDF: the single-page HTML, printed by headless Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import DataError

BUILD_FLAGS = ["-W", "-n", "--keep-going"]


class BuildError(RuntimeError):
    """The book could not be built; the message says which step failed."""


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CHINA_KZ_ROOT"] = str(root)
    return env


def validate(root: Path) -> None:
    """Refuse to build from bad data: raise BuildError with every problem listed."""
    from .coverage import uncovered_mentions
    from .ledger import load_ledger

    try:
        ledger = load_ledger(root)
    except DataError as exc:
        raise BuildError(str(exc)) from None
    missing = uncovered_mentions(ledger)
    if missing:
        raise BuildError("Numbers in the seeds not accounted for by the ledger:\n"
                         + "\n".join(f"  - {m}" for m in missing))


def jupyter_book(root: Path, builder: str = "html") -> Path:
    """Run ``jupyter-book build`` for one builder; return its output folder."""
    from .notebooks import invalidate_stale

    invalidate_stale(root, root / "_build" / ".jupyter_cache")
    executable = Path(sys.executable).with_name("jupyter-book")
    command = [str(executable), "build", str(root), "--path-output", str(root),
               "--builder", builder, *BUILD_FLAGS]
    result = subprocess.run(command, cwd=root, env=_env(root), check=False)
    if result.returncode != 0:
        raise BuildError(f"jupyter-book build --builder {builder} failed (exit "
                         f"{result.returncode}); the log above names the page and cell.")
    return root / "_build" / builder


def build(root: Path, *, pdf: bool = True) -> dict[str, Path]:
    """Validate, then build the HTML book and (optionally) the PDF; return output paths."""
    from .pdf import print_book

    validate(root)
    outputs = {"html": jupyter_book(root, "html") / "index.html"}
    if pdf:
        single = jupyter_book(root, "singlehtml")
        outputs["pdf"] = print_book(single / "index.html",
                                    root / "_build" / "pdf" / "china-kazakhstan.pdf", root)
    return outputs
