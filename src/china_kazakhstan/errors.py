"""Errors that tell a maintainer exactly what to fix: file, line, row id, field.

The book must stop on bad input rather than print a silently wrong figure, and the
message must be readable without the stack trace. So every check reports a
:class:`Problem`, and the loader raises one :class:`DataError` listing all of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row of one file."""

    file: str
    line: int | None
    row_id: str | None
    field: str | None
    message: str
    #: The character on ``line`` where the problem is (1-based), for syntax errors in
    #: JSON and YAML and for a byte that is not UTF-8.
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        if self.row_id:
            where += f" ({self.row_id})"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """The data or the seeds are not fit to build the book from; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the book's data:"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("Fix the data (or the seed manifest) and build again; nothing was built from it.")
        super().__init__("\n".join(lines))
