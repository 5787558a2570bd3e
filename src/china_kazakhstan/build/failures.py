"""What a failed build says last: the notebook, the cell and the exception's message.

A failing notebook used to end a 237-line log with "BUILD FAILED" and nothing else; the
useful line was somewhere in the middle. The build now ends with

    BUILD FAILED: chapters/trade.ipynb, cell 7: DataError: 1 problem in the book's data: …
    fix that cell (or the data it reads) and build again; …

whether the failure was seen by our own runner (:func:`from_run`, the usual case) or by
myst-nb inside ``jupyter-book`` (:func:`from_log`, which reads its log), and for any other
``jupyter-book`` failure the warnings or errors that made it fail (:func:`log_tail`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_RULE = "------------------"
#: The last line of a Python traceback: ``ExceptionType: message`` (dotted names allowed).
_EXCEPTION_LINE = re.compile(r"^(?P<ename>[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning|"
                             r"Iteration|Fault))(?:: (?P<evalue>.*))?$")
#: How many lines of an exception's message the last lines keep (a DataError lists problems).
MESSAGE_LINES = 12
HINT = ("fix that cell (or the data it reads) and build again; the full traceback is above, "
        "and `make lab` opens the notebook")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


@dataclass(frozen=True)
class Failure:
    """One notebook that failed: where, and the exception as Python printed it."""

    notebook: str
    cell: int | None
    ename: str
    evalue: str

    def lines(self) -> list[str]:
        where = self.notebook + (f", cell {self.cell}" if self.cell else "")
        message = self.evalue.strip().splitlines() or [""]
        if len(message) > MESSAGE_LINES:
            message = [*message[:MESSAGE_LINES], f"… ({len(message) - MESSAGE_LINES} more lines above)"]
        first = f"BUILD FAILED: {where}: {self.ename}" + (f": {message[0]}" if message[0] else "")
        return [first, *message[1:]]


def failing_cell(nb, message: str = "") -> int | None:
    """The 1-based position of the cell that failed in an executed notebook.

    The cell with an error output, when the kernel produced one; otherwise (a timeout) the
    cell whose source the error message shows.
    """
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    preview = _cell_source_in(message)
    return _cell_with_source(nb, preview) if preview else None


def _cell_source_in(message: str) -> str:
    """The cell source nbclient prints between two rules in its error messages."""
    parts = strip_ansi(message).split(_RULE)
    return parts[1].strip("-\n ") if len(parts) >= 3 else ""


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _cell_with_source(nb, source: str) -> int | None:
    source = source.strip()
    if not source:
        return None
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") == "code" and _source(cell).strip() == source:
            return index
    for index, cell in enumerate(nb.get("cells", []), start=1):  # a preview: the first lines
        if cell.get("cell_type") == "code" and _source(cell).strip().startswith(source.splitlines()[0]):
            return index
    return None


def exception_of(text: str) -> tuple[str, str]:
    """``(ExceptionType, message)`` from the end of a printed traceback."""
    lines = strip_ansi(text).rstrip().splitlines()
    for index in range(len(lines) - 1, -1, -1):
        match = _EXCEPTION_LINE.match(lines[index])
        if match:
            # the message may go on over the lines after it (a DataError lists its problems)
            rest = [line for line in lines[index + 1:] if line.strip()]
            return match["ename"], "\n".join([match["evalue"] or "", *rest]).strip()
    return "Error", lines[-1].strip() if lines else ""


def from_run(notebook: str, nb, error: str, ename: str | None = None,
             evalue: str | None = None) -> Failure:
    """The failure of one of our runs (``execution.Run``): its notebook, its cell, its exception."""
    if ename is None:
        ename, evalue = exception_of(error)
    return Failure(notebook, failing_cell(nb, error), ename, evalue or "")


def from_log(log: str, root: Path) -> Failure | None:
    """The notebook failure in a ``jupyter-book`` log: myst-nb's ``ExecutionError: PATH`` (with
    ``raise_on_error``) or its warning "Executing notebook failed", and nbclient's cell error."""
    import nbformat

    text = strip_ansi(log)
    match = (re.search(r"ExecutionError: (?P<path>\S+\.ipynb)\s*$", text, re.M)
             or re.search(r"(?P<path>[^\s:]+\.ipynb)(?::\d+)?: (?:WARNING|ERROR): Executing notebook "
                          r"failed", text))
    if match is None:
        return None
    start = text.find("An error occurred while executing the following cell:")
    block = text[start:] if start != -1 else text[match.end():]
    end = re.search(r"\nThe above exception was|\nTraceback \(most recent|\n\S[^\n]*: (?:WARNING|ERROR): ",
                    block)
    block = re.sub(r"\s*\[mystnb\.exec\]\s*$", "", block[:end.start()] if end else block)
    path = Path(match["path"])
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = str(path)
    ename, evalue = exception_of(block)
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        nb = {}
    return Failure(name, _cell_with_source(nb, _cell_source_in(block)), ename, evalue)


def log_tail(log: str, builder: str, returncode: int, limit: int = 8) -> list[str]:
    """For any other ``jupyter-book`` failure: the warnings and errors that failed it (-W)."""
    lines = [line for line in strip_ansi(log).splitlines()
             if re.search(r"\b(?:WARNING|ERROR|CRITICAL):|^Exception occurred|Error: ", line)]
    out = [f"BUILD FAILED: jupyter-book build --builder {builder} exited {returncode}"
           + (":" if lines else " (its log above says why)")]
    out += [f"  {line.strip()}" for line in lines[-limit:]]
    if lines:
        out.append("warnings are errors here (-W): fix what they name (the page, the line) and "
                   "build again")
    return out
