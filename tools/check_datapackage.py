"""Validate data/datapackage.json and every table it lists with frictionless, the Frictionless
Data reference validator: a second, independent reading of the schema that ``validate`` checks.

Why not the ``frictionless validate`` command: the same validation through the library takes
half the time (the command line loads far more than the validator). ``--trusted`` as there:
the sources resource lives in ``seeds/``, outside ``data/``, which frictionless calls unsafe.

Usage: ``python tools/check_datapackage.py [data/datapackage.json]``; prints one line per
problem (resource, row, field, what is wrong) and exits 1, or prints what it checked and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

# frictionless checks descriptors with jsonschema, which imports rfc3987_syntax, if installed, for
# the "iri" format; that module builds its grammar at import (about 2 s, half this check's time).
# No Frictionless profile uses "iri" (tests/test_repo_lint.py reads them to be sure).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]  # import -> ImportError

import frictionless  # noqa: E402


def problems(descriptor: Path) -> tuple[list[str], int]:
    """Every problem frictionless finds, as ``resource: row N, field F: note`` lines, and the tables read."""
    with frictionless.system.use_context(trusted=True):
        report = frictionless.Package(str(descriptor)).validate()
    found = []
    for task in report.tasks:
        for row, field, cell, kind, note in task.flatten(["rowNumber", "fieldName", "cell", "type", "note"]):
            where = ", ".join(part for part in (f"row {row}" if row else "", f"field {field!r}" if field else "")
                              if part)
            value = f" (value {cell!r})" if cell is not None else ""
            found.append(f"{task.name}: {where + ': ' if where else ''}{kind}: {note}{value}")
    for error in report.errors:
        found.append(f"{descriptor}: {error.type}: {error.note}")
    return found, len(report.tasks)


def main(argv: list[str]) -> int:
    descriptor = Path(argv[0]) if argv else Path("data/datapackage.json")
    if not descriptor.is_file():
        print(f"{descriptor}: no such file (expected the project's data package)", file=sys.stderr)
        return 1
    found, tables = problems(descriptor)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(f"{descriptor}: {len(found)} problem(s) found by frictionless", file=sys.stderr)
        return 1
    print(f"{descriptor}: valid for frictionless ({tables} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
