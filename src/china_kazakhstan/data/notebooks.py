"""The book's notebooks as files: which ones ``_toc.yml`` lists, and whether each can be read.

A notebook cut short by a crashed editor, or hand-merged with a conflict left in, would
otherwise surface as a ``JSONDecodeError`` deep inside the build that names no notebook.
Checking every notebook of the book up front (UTF-8, JSON syntax with line and column,
the nbformat schema with the cell) turns that into one line naming the file and the place.

This lives in ``data/`` (not ``build/``) because ``validate`` checks everything the book
reads before a build, and the data layer never imports from the build layer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Problem
from .textfile import parse_json, read_text

TOC = "_toc.yml"
_KEYS = ("root:", "- file:", "file:")


@dataclass(frozen=True)
class TocEntry:
    """One page of ``_toc.yml``: its name as written, the line, and its source file (if any)."""

    name: str
    line: int
    path: Path | None


def toc_entries(root: Path) -> list[TocEntry]:
    """Every page ``_toc.yml`` lists, in its order (``root:``, then each ``file:``)."""
    entries = []
    text = (root / TOC).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        for key in _KEYS:
            if line.startswith(key):
                name = line[len(key):].strip().strip("'\"")
                found = [root / f"{name}{suffix}" for suffix in ("", ".ipynb", ".md")]
                path = next((p for p in found if p.is_file()), None)
                entries.append(TocEntry(name, number, path))
                break
    return entries


def toc_notebooks(root: Path) -> list[Path]:
    """The notebooks of the book, in table-of-contents order."""
    return [e.path for e in toc_entries(root) if e.path is not None and e.path.suffix == ".ipynb"]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def check_toc(root: Path) -> list[Problem]:
    """``_toc.yml`` is readable and every page it lists exists."""
    try:
        read_text(root / TOC, TOC)
    except DataError as exc:
        return exc.problems
    return [Problem(TOC, entry.line, None, None,
                    f"lists {entry.name!r}, but there is no {entry.name}.ipynb or {entry.name}.md: "
                    "fix the name or restore the file")
            for entry in toc_entries(root) if entry.path is None]


@functools.cache
def _fast_validator(minor: int):
    """nbformat's own v4 schema, compiled with fastjsonschema (a validator nbformat supports).

    Importing nbformat's default validator costs over a second here (jsonschema pulls in a
    grammar compiled at import); this checks a good notebook in milliseconds. A notebook it
    refuses is then checked by ``nbformat`` itself, for the message that names the problem.
    """
    import importlib.util
    import json

    import fastjsonschema

    folder = Path(importlib.util.find_spec("nbformat").submodule_search_locations[0]) / "v4"
    schema = folder / f"nbformat.v4.{minor}.schema.json"
    if not schema.is_file():
        schema = folder / "nbformat.v4.schema.json"
    return fastjsonschema.compile(json.loads(schema.read_text(encoding="utf-8")))


def _fast_ok(nb: dict) -> bool:
    import fastjsonschema

    minor = nb.get("nbformat_minor")
    try:
        _fast_validator(minor if isinstance(minor, int) else 5)(nb)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_notebook(path: Path, root: Path) -> list[Problem]:
    """One notebook: UTF-8, valid JSON (line, column) and valid nbformat 4 (the cell named)."""
    label = _relative(path, root)
    try:
        nb = parse_json(read_text(path, label), label)
    except DataError as exc:
        return exc.problems
    if not isinstance(nb, dict) or nb.get("nbformat") != 4:
        found = nb.get("nbformat") if isinstance(nb, dict) else type(nb).__name__
        return [Problem(label, None, None, None,
                        f"is not an nbformat 4 notebook (\"nbformat\" is {found!r}): restore it with "
                        f"`git checkout -- {label}`")]
    if _fast_ok(nb):
        return []
    from nbformat.validator import iter_validate

    problems = []
    for error in iter_validate(nb):
        place = list(error.absolute_path)
        where = "the notebook's metadata" if place[:1] == ["metadata"] else "the notebook"
        if len(place) >= 2 and place[0] == "cells" and isinstance(place[1], int):
            where = f"cell {place[1] + 1}"
            if len(place) > 2:
                where += " (" + ".".join(str(p) for p in place[2:]) + ")"
        problems.append(Problem(label, None, None, None,
                                f"is not a valid notebook: {where}: {error.message}; fix it in "
                                f"JupyterLab or restore it with `git checkout -- {label}`"))
        if len(problems) >= 5:  # the first few say enough; a broken file gives hundreds
            break
    return problems or [Problem(label, None, None, None,
                                "is not a valid notebook (nbformat's schema refuses it): open it in "
                                f"JupyterLab, or restore it with `git checkout -- {label}`")]
