"""Build the book: the one sequence the Makefile, the tests and the benchmark all run.

1. validate everything the book reads (:mod:`..data.validate`: clear messages, exit
   before anything is built from bad input);
2. skip a builder whose output is up to date: nothing it reads changed since it last
   succeeded (sources, data, package code, tool versions) and its output is untouched;
3. drop cached notebook runs whose inputs changed (the cache itself only sees code),
   then run the notebooks the cache lacks, on every core, into that cache; a notebook
   that fails stops the build there, naming the notebook, the cell and the exception;
4. ``jupyter-book build`` with warnings as errors (every notebook is cached by then);
5. for the PDF: the single-page HTML, printed by headless Chromium.

The whole build holds ``_build/.lock`` (:mod:`.lock`): a second build in the same folder
waits, so two builds never mix their pages. A step is stamped done (``_build/.stamps``)
only after it completed, and nothing is stamped once the build is interrupted (Ctrl-C,
SIGTERM): the next build finds the previous good build, or redoes the unfinished step.
A failed build ends with what failed: the validation problems, or the notebook, cell and
exception, or the warnings that failed ``jupyter-book`` (:mod:`.failures`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import failures
from .lock import LockTimeout, atomic_write, build_lock, interrupts_as_keyboard_interrupt

BUILD_FLAGS = ["-W", "-n", "--keep-going"]
#: Never part of what a build reads.
_NOT_SOURCES = {"_build", ".venv", ".git", "node_modules", "__pycache__", ".ipynb_checkpoints",
                ".pytest_cache", ".ruff_cache"}
STAMPS = "_build/.stamps"


class BuildError(RuntimeError):
    """The book could not be built.

    ``tail``: the lines a failed build ends with (what failed, and what to do);
    ``details``: what to print before them (a traceback), if anything.
    """

    def __init__(self, tail: str, details: str = ""):
        self.tail = tail
        self.details = details
        super().__init__(f"{details}\n{tail}" if details else tail)


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["CHINA_KZ_ROOT"] = str(root)
    return env


@contextlib.contextmanager
def locked(root: Path):
    """:func:`.lock.build_lock`, with a wait that timed out reported as a BuildError."""
    try:
        with build_lock(root):
            yield
    except LockTimeout as exc:
        raise BuildError(f"BUILD FAILED: {exc}") from None


def validate(root: Path) -> None:
    """Refuse to build from bad input: raise BuildError ending with every problem listed."""
    from ..data.validate import validate as validate_inputs

    report = validate_inputs(root)
    if not report.ok:
        raise BuildError("BUILD FAILED: the book's inputs did not validate; nothing was built.\n"
                         + str(report))


def book_config(root: Path) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def execution_settings(root: Path) -> dict:
    """The ``execute:`` section of ``_config.yml``, with Jupyter Book's defaults."""
    execute = book_config(root).get("execute") or {}
    return {
        "mode": execute.get("execute_notebooks", "auto"),
        "cache": root / (execute.get("cache") or "_build/.jupyter_cache"),
        "timeout": execute.get("timeout", 30),
        "allow_errors": bool(execute.get("allow_errors", False)),
        "exclude": tuple(execute.get("exclude_patterns") or ()),
    }


def prepare_notebooks(root: Path, *, workers: int | None = None):
    """Invalidate, then execute into the cache every notebook it lacks (in parallel)."""
    from .execution import execute_uncached, invalidate_stale

    settings = execution_settings(root)
    if settings["mode"] != "cache":
        return None
    for notebook in invalidate_stale(root, settings["cache"]):
        print(f"[execute] inputs changed or not yet run: {notebook.relative_to(root)}", flush=True)
    report = execute_uncached(root, settings["cache"], workers=workers, timeout=settings["timeout"],
                              allow_errors=settings["allow_errors"], exclude=settings["exclude"],
                              log=lambda line: print(line, flush=True))
    for name, files in report.undeclared.items():
        print(f"[execute] WARNING {name} read {', '.join(files)} without declaring it: add it to the "
              f"notebook's metadata, \"china_kazakhstan\": {{\"inputs\": [...]}} (it is tracked anyway)",
              file=sys.stderr, flush=True)
    if report.failed:
        raise _notebook_failure(root, report.failed)
    return report


def _notebook_failure(root: Path, runs) -> BuildError:
    """A BuildError for failed runs: their tracebacks first, then one line per notebook and the hint."""
    details, tail = [], []
    for run in runs:
        name = run.path.relative_to(root).as_posix() if run.path.is_relative_to(root) else str(run.path)
        details.append(f"--- {name} ---\n{failures.strip_ansi(run.error or '').rstrip()}")
        tail += failures.from_run(name, run.nb, run.error or "", run.ename, run.evalue).lines()
    return BuildError("\n".join([*tail, failures.HINT]), "\n".join(details))


# --- up-to-date check ---------------------------------------------------------------------

def _skipped_names(root: Path) -> set[str]:
    """Top-level names Sphinx never reads (``exclude_patterns`` without wildcards)."""
    patterns = book_config(root).get("exclude_patterns") or []
    return {p for p in patterns if isinstance(p, str) and not any(c in p for c in "*?[")}


def source_files(root: Path) -> list[Path]:
    """Every file a build can read: the project (less what Sphinx excludes) and the package."""
    from .execution import package_files

    skip_top = _skipped_names(root)
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in _NOT_SOURCES and not d.endswith(".egg-info")
                         and not (here == root and d in skip_top))
        found += [here / f for f in files if not (here == root and f in skip_top)]
    return sorted(set(found) | set(package_files()))


def sources_digest(root: Path, builder: str) -> str:
    """sha256 of what a build reads: its files, the installed packages, the builder."""
    from .execution import environment_digest

    digest = hashlib.sha256(json.dumps([builder, BUILD_FLAGS, environment_digest()]).encode())
    for path in source_files(root):
        name = path.relative_to(root) if path.is_relative_to(root) else path
        digest.update(f"{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def outputs_digest(folder: Path) -> str:
    """Names, sizes and modification times of every file of a build's output."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return ""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        info = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp_path(root: Path, name: str) -> Path:
    return root / STAMPS / f"{name}.json"


def _read_stamp(root: Path, name: str) -> dict:
    try:
        return json.loads(_stamp_path(root, name).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write_stamp(root: Path, name: str, stamp: dict) -> None:
    """Record a step as done: whole or not at all, and never once the build is interrupted."""
    atomic_write(_stamp_path(root, name), json.dumps(stamp, indent=1, sort_keys=True) + "\n")


def up_to_date(root: Path, builder: str) -> bool:
    """True when the last successful ``builder`` build read what is there now, and its output is intact."""
    stamp = _read_stamp(root, builder)
    return bool(stamp) and stamp.get("sources") == sources_digest(root, builder) \
        and stamp.get("outputs") == outputs_digest(root / "_build" / builder)


# --- the steps ----------------------------------------------------------------------------

def _phase(name: str, start: float) -> None:
    print(f"[build] {name}: {time.perf_counter() - start:.1f} s", flush=True)


def run_jupyter_book(root: Path, builder: str) -> None:
    """``jupyter-book build`` for one builder, its log passed through and kept for the failure tail."""
    executable = Path(sys.executable).with_name("jupyter-book")
    command = [str(executable), "build", str(root), "--path-output", str(root),
               "--builder", builder, *BUILD_FLAGS]
    env = {**_env(root), "PYTHONUNBUFFERED": "1"}
    log: list[str] = []
    with subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace") as process:
        try:
            for line in process.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                log.append(line)
            returncode = process.wait()
        except BaseException:  # Ctrl-C or SIGTERM: stop it too, and record nothing
            process.kill()
            raise
    if returncode != 0:
        text = "".join(log)
        failure = failures.from_log(text, root)
        tail = ([*failure.lines(), failures.HINT] if failure is not None
                else failures.log_tail(text, builder, returncode))
        raise BuildError("\n".join(tail))


def jupyter_book(root: Path, builder: str = "html", *, force: bool = False) -> Path:
    """Run ``jupyter-book build`` for one builder (unless up to date); return its output folder."""
    root = root.resolve()
    output = root / "_build" / builder
    with locked(root):
        if not force and up_to_date(root, builder):
            print(f"{builder}: up to date (nothing it reads changed since its last build)", flush=True)
            return output
        _stamp_path(root, builder).unlink(missing_ok=True)
        sources = sources_digest(root, builder)
        start = time.perf_counter()
        prepare_notebooks(root)
        _phase("notebooks", start)
        start = time.perf_counter()
        run_jupyter_book(root, builder)
        _phase(f"jupyter-book {builder}", start)
        if sources == sources_digest(root, builder):  # nothing changed while it ran
            _write_stamp(root, builder, {"sources": sources, "outputs": outputs_digest(output)})
    return output


def print_pdf(root: Path, single: Path, *, force: bool = False) -> Path:
    """Print the single-page book, unless the PDF was printed from this very output."""
    from .pdf import print_book

    target = root / "_build" / "pdf" / "china-kazakhstan.pdf"
    with locked(root):
        stamp = {"singlehtml": outputs_digest(single), "sources": sources_digest(root, "pdf"),
                 "pdf": outputs_digest(target.parent)}
        if not force and target.is_file() and _read_stamp(root, "pdf") == stamp:
            print("pdf: up to date (printed from this single-page build)", flush=True)
            return target
        _stamp_path(root, "pdf").unlink(missing_ok=True)
        out = print_book(single / "index.html", target, root)
        _write_stamp(root, "pdf", {**stamp, "pdf": outputs_digest(target.parent)})
    return out


def build(root: Path, *, pdf: bool = True, force: bool = False) -> dict[str, Path]:
    """Validate, then build the HTML book and (optionally) the PDF; return output paths."""
    root = root.resolve()
    with interrupts_as_keyboard_interrupt(), locked(root):
        start = time.perf_counter()
        validate(root)
        _phase("validate", start)
        outputs = {"html": jupyter_book(root, "html", force=force) / "index.html"}
        if pdf:
            single = jupyter_book(root, "singlehtml", force=force)
            outputs["pdf"] = print_pdf(root, single, force=force)
    return outputs
