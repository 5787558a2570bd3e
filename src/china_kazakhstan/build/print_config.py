"""What the printed edition says about itself, read once from the project's configuration.

The printer needs the title page (title, author, edition, date, citation), the address of
the published web book (links to downloads and pages the PDF cannot hold point there) and
the parts of the table of contents. They come from ``_config.yml`` and ``_toc.yml`` and,
when the project has it, from ``china_kazakhstan.edition`` (the one source of the version
and date of an edition); nothing here is typed twice.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

#: Used while ``_config.yml`` has no ``html: baseurl:`` (the address of the published
#: book). example.org is reserved for examples: no reader is sent anywhere real.
PLACEHOLDER_BASE_URL = "https://example.org/china-kazakhstan/"
#: Once the key is part of the project (main), a missing address fails the print.
REQUIRE_BASE_URL = True


class PrintConfigError(ValueError):
    """The configuration cannot give the printer what it needs; the message says what to fix."""


@dataclass(frozen=True)
class Edition:
    title: str
    author: str
    edition: str
    date: str
    citation: str = ""
    url: str = ""


@dataclass(frozen=True)
class PrintSettings:
    edition: Edition
    base_url: str
    #: The root document ("chapters/introduction") and the parts of _toc.yml, in order.
    root_doc: str
    parts: list[dict] = field(default_factory=list)
    placeholder_url: bool = False


def _yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise PrintConfigError(f"{path} is missing: the printer reads the book's title and parts there") \
            from None


def _authors(value) -> str:
    """'A', ['A', 'B'] or CITATION.cff-style [{'given-names': .., 'family-names': ..}]."""
    if isinstance(value, str):
        return value
    names = []
    for item in value or []:
        if isinstance(item, dict):
            name = item.get("name") or " ".join(
                str(item[k]) for k in ("given-names", "family-names") if item.get(k))
            names.append(str(name))
        else:
            names.append(str(item))
    return ", ".join(n for n in names if n)


def edition_facts(root: Path) -> Edition:
    """Title page facts: ``edition(root)`` when the project has it, else ``_config.yml``."""
    config = _yaml(root / "_config.yml")
    try:
        from ..edition import edition  # the single source of version and date, when present
    except ImportError:
        edition = None
    if edition is not None:
        facts = edition(root)
        version = str(facts.get("version", ""))
        return Edition(title=str(facts.get("title") or config.get("title", "")),
                       author=_authors(facts.get("authors")) or str(config.get("author", "")),
                       edition=f"Edition {version}" if version else "",
                       date=str(facts.get("date_text") or facts.get("date", "")), citation=str(facts.get("citation", "")),
                       url=str(facts.get("url", "")))
    try:
        version = metadata.version("china-kazakhstan")
    except metadata.PackageNotFoundError:
        version = ""
    return Edition(title=str(config.get("title", "")), author=str(config.get("author", "")),
                   edition=f"Edition {version}" if version else "", date=str(config.get("copyright", "")))


def base_url(root: Path) -> tuple[str, bool]:
    """The published book's address (``html: baseurl:``), ending in '/'; and whether it is
    the placeholder."""
    config = _yaml(root / "_config.yml")
    url = str(((config.get("html") or {}).get("baseurl")) or "").strip()
    if not url:
        if REQUIRE_BASE_URL:
            raise PrintConfigError(
                f"{root / '_config.yml'}: no html: baseurl: set it to the published book's address "
                "(https://...): the PDF's links to downloads and web pages point there")
        return PLACEHOLDER_BASE_URL, True
    if not re.match(r"^https://[^/\s]+", url):
        raise PrintConfigError(f"{root / '_config.yml'}: html: baseurl: is {url!r}; it must be an "
                               "https:// address, e.g. https://example.org/book/")
    return url.rstrip("/") + "/", False


def toc_parts(root: Path) -> tuple[str, list[dict]]:
    """The root document and each part of ``_toc.yml`` as {caption, files} (Jupyter Book 1)."""
    toc = _yaml(root / "_toc.yml")
    strip = lambda f: re.sub(r"\.(ipynb|md|rst)$", "", str(f))  # noqa: E731
    parts = toc.get("parts") or [{"caption": "", "chapters": toc.get("chapters") or []}]
    return strip(toc.get("root", "")), [
        {"caption": str(p.get("caption") or ""),
         "files": [strip(c["file"]) for c in p.get("chapters") or [] if "file" in c]}
        for p in parts]


def print_settings(root: Path) -> PrintSettings:
    url, placeholder = base_url(root)
    if placeholder:
        print(f"[pdf] WARNING _config.yml has no html: baseurl:; links to downloads point at the "
              f"placeholder {url}", file=sys.stderr, flush=True)
    root_doc, parts = toc_parts(root)
    facts = edition_facts(root)
    if not facts.url and not placeholder:  # never print the placeholder on the title page
        facts = Edition(**{**facts.__dict__, "url": url})
    return PrintSettings(edition=facts, base_url=url, root_doc=root_doc, parts=parts,
                         placeholder_url=placeholder)
