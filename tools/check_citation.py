"""Validate CITATION.cff against the Citation File Format 1.2.0 schema.

Why not ``cffconvert --validate``: cffconvert 2.0.0 requires ``jsonschema<4`` and JupyterLab
requires ``jsonschema>=4.18``, so it cannot live in the project's environment. This does what
cffconvert does (see tools/schemas/README.md for where the vendored schema comes from): read
the YAML with dates kept as strings, as the schema asks of tools, then validate it with the
draft-07 validator and jsonschema's format checker.

Usage: ``python tools/check_citation.py [CITATION.cff]``; prints one line per problem (with the
key path and the bad value) and exits 1, or prints what it checked and exits 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent / "schemas" / "citation-file-format-1.2.0.schema.json"

# jsonschema imports rfc3987_syntax, if installed, to check the "iri" format, and that module
# builds its grammar at import (about 2 s, most of this check's time). The CFF schema uses
# only "date" and "uri"; if it ever uses "iri", the parser is needed and is loaded.
if '"iri' not in SCHEMA.read_text(encoding="utf-8"):
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]  # import -> ImportError

import jsonschema  # noqa: E402
import yaml  # noqa: E402


class _DatesAsText(yaml.SafeLoader):
    """YAML loader that keeps ``2026-12-01`` as the text the schema's patterns expect."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load_cff(path: Path) -> dict:
    """The CFF file as plain data; a ``ValueError`` naming the file when it is not a YAML mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)  # a SafeLoader
    except yaml.YAMLError as error:
        raise ValueError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a YAML mapping of CFF keys, got {type(data).__name__}")
    return data


def problems(path: Path) -> list[str]:
    """Every schema violation in ``path``, as ``file: key.path: message`` lines (empty when valid)."""
    try:
        data = load_cff(path)
    except ValueError as error:
        return [str(error)]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        found.append(f"{path.name}: {where}: {error.message}")
    return found


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("CITATION.cff")
    if not path.is_file():
        print(f"{path}: no such file (expected the project's CITATION.cff)", file=sys.stderr)
        return 1
    found = problems(path)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{path}: {len(found)} problem(s) against the CFF 1.2.0 schema "
              "(https://github.com/citation-file-format/citation-file-format)", file=sys.stderr)
        return 1
    print(f"{path}: valid Citation File Format 1.2.0")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
