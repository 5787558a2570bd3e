"""The book's edition: which version of the book a reader holds, and how to cite it.

A reader who cites a figure must be able to say which edition it came from, because rows
are added and corrected between editions. So the title page, the PDF's title page and the
citation line all take the edition from here, and here reads each fact from the one file
where it is written:

- ``version``: ``pyproject.toml`` (``[project] version``), the package's version;
- ``date``: ``CITATION.cff`` (``date-released``), the edition's release date;
- ``title`` and ``authors``: ``_config.yml`` (``title``, ``author``), the book's own;
- ``url``: ``_config.yml`` (``html: baseurl:``), the published book's address, which
  Jupyter Book also gives Sphinx as ``html_baseurl`` (canonical links).

CITATION.cff repeats the version, title, authors and address for GitHub's "Cite this
repository" box; ``tests/test_repo_edition.py`` checks that it agrees with these.

This module sits at the bottom of the layering with ``paths``: it imports only the standard
library, ``paths``, ``errors`` and PyYAML (the files it reads are YAML).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
import tomllib
from pathlib import Path

import yaml

from .errors import Problem
from .paths import project_root

#: The checkout this package was installed from (editable install): a copy of the book
#: that holds only its pages and data (the tests build such copies) takes its edition here.
CHECKOUT = Path(__file__).resolve().parents[2]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class EditionError(ValueError):
    """The edition cannot be read: names each file and key, the bad value and the fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = ["The book's edition cannot be read:", *(f"  - {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


class _DatesAsText(yaml.SafeLoader):
    """Keeps ``2026-12-01`` as written, so that the date is checked here, not by YAML."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _find(root: Path, name: str, fallback: bool) -> Path:
    for folder in (root, CHECKOUT) if fallback else (root,):
        if (folder / name).is_file():
            return folder / name
    raise EditionError([Problem(name, None, None, None,
                                f"file not found in {root}" + (f" nor in {CHECKOUT}" if fallback else ""))])


def _yaml(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)  # a SafeLoader
    except yaml.YAMLError as error:
        raise EditionError([Problem(path.name, None, None, None, f"not valid YAML: {error}")]) from error
    if not isinstance(data, dict):
        raise EditionError([Problem(path.name, None, None, None, "expected a YAML mapping of keys")])
    return data


def read_version(pyproject: Path) -> str:
    """``[project] version`` of ``pyproject``, or ``""`` when it has none."""
    return str(tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("version", ""))


def format_date(date: dt.date) -> str:
    """``1 December 2026``: day, month name, year; the same in every locale."""
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def edition(root: Path | None = None) -> dict[str, str]:
    """The edition of the book at ``root`` (default: the project root), as strings.

    Keys: ``version`` (``0.2.0``), ``date`` (ISO, ``2026-12-01``), ``date_text``
    (``1 December 2026``), ``year``, ``title``, ``authors``, ``url``, ``label``
    (``Edition 0.2.0, 1 December 2026``) and ``citation``, the line a reader copies:
    ``The China–Kazakhstan report team (2026). China and Kazakhstan: cooperation in figures,
    2016–2024. Edition 0.2.0, 1 December 2026. https://…/``. Every value is a string, ready to
    glue. Raises :class:`EditionError` listing every missing or malformed value.
    """
    root = Path(root) if root is not None else project_root()
    pyproject = _find(root, "pyproject.toml", fallback=True)
    citation_file = _find(root, "CITATION.cff", fallback=True)
    config_file = _find(root, "_config.yml", fallback=False)
    problems: list[Problem] = []

    version = read_version(pyproject)
    if not version:
        problems.append(Problem("pyproject.toml", None, None, "project.version",
                                "no version: set version = \"X.Y.Z\" under [project]"))

    cff = _yaml(citation_file)
    released = str(cff.get("date-released", ""))
    try:
        date = dt.date.fromisoformat(released)
    except ValueError:
        date = None
        problems.append(Problem("CITATION.cff", None, None, "date-released",
                                f"expected the edition's release date as YYYY-MM-DD, got {released!r}"))

    config = _yaml(config_file)
    title = str(config.get("title") or "")
    authors = str(config.get("author") or "")
    url = str((config.get("html") or {}).get("baseurl") or "")
    for key, value in (("title", title), ("author", authors)):
        if not value.strip():
            problems.append(Problem("_config.yml", None, None, key, f"the book's {key} is empty"))
    if not url.startswith(("https://", "http://")):
        problems.append(Problem("_config.yml", None, None, "html.baseurl",
                                f"expected the published book's address (https://…/), got {url!r}"))
    if problems:
        raise EditionError(problems)

    date_text = format_date(date)
    label = f"Edition {version}, {date_text}"
    return {
        "version": version,
        "date": date.isoformat(),
        "date_text": date_text,
        "year": str(date.year),
        "title": title,
        "authors": authors,
        "url": url,
        "label": label,
        "citation": f"{authors} ({date.year}). {title}. {label}. {url}",
    }


def setup(app) -> dict:
    """Sphinx extension (``_config.yml``, ``sphinx: extra_extensions``): the edition on every page.

    Sets Sphinx's ``version`` and ``release`` and adds the edition line ("Edition 0.2.0,
    1 December 2026") to the footer of every HTML page, so that a reader who saves or prints
    one page still knows which edition it is. Only touches ``app.config``: no Sphinx import.
    """

    def add_edition(app, config) -> None:
        info = edition(Path(app.srcdir))
        config.version = config.release = info["version"]
        options = dict(config.html_theme_options or {})
        footer = options.get("extra_footer", "")
        options["extra_footer"] = f'{footer}<p class="edition">{html.escape(info["label"])}</p>'
        config.html_theme_options = options

    app.connect("config-inited", add_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    """``python -m china_kazakhstan.edition [KEY]``: the edition as JSON, or one value (for CI)."""
    try:
        info = edition()
    except EditionError as error:
        print(error, file=sys.stderr)
        return 1
    if not argv:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    if argv[0] not in info:
        print(f"unknown key {argv[0]!r}; expected one of {', '.join(info)}", file=sys.stderr)
        return 2
    print(info[argv[0]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
