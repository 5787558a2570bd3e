"""Read the tables of ``data/datapackage.json`` and check them against their schema.

The schema (field names, types, required, enumerations, patterns, keys) is written
once, in the Frictionless data package; this module enforces it at load time with
messages that name the file, line, row id and field, so that a bad row stops the
build instead of reaching a chart. The outside validator (``frictionless``) checks
the same package in the tests.

Bad input never ends in a traceback here: a descriptor that is not UTF-8 or not JSON, that
lost a resource or a field, or holds a pattern that is not a regular expression, and a CSV
that is not UTF-8, starts with a byte-order mark, or has a header that is not the schema's,
each give one :class:`~china_kazakhstan.errors.Problem` naming the file and the line (and
for syntax, the column), so that one root cause is one message, not one per row.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Problem
from .textfile import decode, parse_json, read_text

#: The field types the loader checks values of; any other type would pass unchecked.
TYPES = ("string", "number", "integer", "boolean")


class SchemaError(DataError):
    """``data/datapackage.json`` cannot be used as it is: lists every problem of it."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    unique: bool
    enum: tuple[str, ...] | None
    pattern: re.Pattern[str] | None
    description: str

    @classmethod
    def from_descriptor(cls, descriptor: dict) -> Field:
        """A field of a checked descriptor (see :meth:`DataPackage._check_field`)."""
        constraints = descriptor.get("constraints", {})
        pattern = constraints.get("pattern")
        enum = constraints.get("enum")
        return cls(
            name=descriptor["name"],
            type=descriptor.get("type", "string"),
            required=bool(constraints.get("required", False)),
            unique=bool(constraints.get("unique", False)),
            enum=tuple(enum) if enum else None,
            pattern=re.compile(pattern) if pattern else None,
            description=descriptor.get("description", ""),
        )


@dataclass(frozen=True)
class Resource:
    """One CSV of the data package, with its schema."""

    name: str
    path: Path
    display_path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict, ...]
    description: str

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}; fields: {self.field_names}")


@dataclass
class Row:
    """A CSV row as strings, remembering the line it came from for error messages."""

    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


class DataPackage:
    """The project's ``data/datapackage.json``: resources and their schemas.

    The descriptor is checked as a whole when it is read (UTF-8, JSON syntax, a list of
    resources each with a name, a path and fields, valid types and patterns), so that a
    broken schema is reported as the schema's problem, once, and not as a problem of every
    row read with it. ``strict`` (the loaders) raises :class:`SchemaError` listing every
    problem; ``strict=False`` (``validate``) keeps the usable resources and lists the
    problems in :attr:`problems`, the unusable resources' names in :attr:`broken`.
    """

    def __init__(self, descriptor_path: Path, root: Path, *, strict: bool = True):
        self.descriptor_path = descriptor_path
        self.root = root
        self.display_path = _relative(descriptor_path, root)
        self.problems: list[Problem] = []
        #: Names of resources that cannot be read (their problems are in ``problems``).
        self.broken: set[str] = set()
        #: True when nothing of the descriptor can be used (unreadable, not JSON, no resources).
        self.unusable = False
        self.resources: dict[str, Resource] = {}
        self._text = ""
        self._lines: list[str] | None = None
        try:
            self._text = read_text(descriptor_path, self.display_path)
            self.descriptor = parse_json(self._text, self.display_path)
        except DataError as exc:
            self.descriptor = {}
            self.problems += exc.problems
            self.unusable = True
        else:
            self._read_resources()
        if strict and self.problems:
            raise SchemaError(self.problems)

    # --- checking the descriptor ---------------------------------------------------------

    def _problem(self, message: str, line: int | None = None, resource: str | None = None) -> None:
        self.problems.append(Problem(self.display_path, line, None, None, message))
        if resource is not None:
            self.broken.add(resource)

    def _line_of(self, needle: str, after: int | None = None) -> int | None:
        """The line of the first ``"name": "<needle>"`` (after line ``after``): where to look."""
        if self._lines is None:  # asked once per resource and field: split the text once
            self._lines = self._text.splitlines()
        lines = self._lines
        pattern = re.compile(r'"name"\s*:\s*' + re.escape(f'"{needle}"'))
        for number, text in enumerate(lines[after or 0:], start=(after or 0) + 1):
            if pattern.search(text):
                return number
        return None

    def _read_resources(self) -> None:
        listed = self.descriptor.get("resources") if isinstance(self.descriptor, dict) else None
        if not isinstance(listed, list):
            self.unusable = True
            self._problem("has no list of \"resources\": expected {\"resources\": [{\"name\": ..., "
                          "\"path\": ..., \"schema\": {\"fields\": [...]}}, ...]}")
            return
        for index, entry in enumerate(listed, start=1):
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name:
                self._problem(f"resource number {index} has no \"name\": give every resource a "
                              "name (the loaders ask for resources by name)")
                continue
            if name in self.resources or name in self.broken:
                self._problem(f"resource {name!r} is listed twice: keep one entry",
                              self._line_of(name), name)
                continue
            resource = self._read_resource(name, entry)
            if resource is not None:
                self.resources[name] = resource

    def _read_resource(self, name: str, entry: dict) -> Resource | None:
        line = self._line_of(name)
        before = len(self.problems)
        path, schema = entry.get("path"), entry.get("schema")
        if not isinstance(path, str) or not path:
            self._problem(f"resource {name!r} has no \"path\": give the CSV's path relative to "
                          "data/", line, name)
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not fields:
            self._problem(f"resource {name!r} has no \"schema\" with a list of \"fields\": restore "
                          "its schema", line, name)
            return None
        names: list[str] = []
        for index, field in enumerate(fields, start=1):
            field_name = self._check_field(name, index, field, line)
            if field_name in names:
                self._problem(f"resource {name!r} lists field {field_name!r} twice: keep one",
                              self._line_of(field_name, line), name)
            if field_name:
                names.append(field_name)
        for key in schema.get("primaryKey", []) or []:
            if key not in names:
                self._problem(f"resource {name!r}: primaryKey names {key!r}, which is not one of its "
                              f"fields {names}", line, name)
        if len(self.problems) > before:
            self.broken.add(name)
            return None
        file = (self.descriptor_path.parent / path).resolve()
        return Resource(
            name=name,
            path=file,
            display_path=_relative(file, self.root),
            fields=tuple(Field.from_descriptor(f) for f in fields),
            primary_key=tuple(schema.get("primaryKey", []) or []),
            foreign_keys=tuple(schema.get("foreignKeys", []) or []),
            description=entry.get("description", ""),
        )

    def _check_field(self, resource: str, index: int, field: object, after: int | None) -> str | None:
        """Problems of one field descriptor (name, type, enum, pattern); its name if it has one."""
        name = field.get("name") if isinstance(field, dict) else None
        if not isinstance(name, str) or not name:
            self._problem(f"resource {resource!r}: field number {index} has no \"name\"", after, resource)
            return None
        line = self._line_of(name, after)
        where = f"resource {resource!r}, field {name!r}"
        kind = field.get("type", "string")
        if kind not in TYPES:
            self._problem(f"{where}: type {kind!r} is not one of {list(TYPES)}, the types the loader "
                          "checks", line, resource)
        constraints = field.get("constraints", {})
        if not isinstance(constraints, dict):
            self._problem(f"{where}: \"constraints\" must be an object, not {constraints!r}", line, resource)
            return name
        enum = constraints.get("enum")
        if enum is not None and (not isinstance(enum, list) or not all(isinstance(v, str) for v in enum)):
            self._problem(f"{where}: enum must be a list of strings, not {enum!r}", line, resource)
        pattern = constraints.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str):
                self._problem(f"{where}: pattern must be a string, not {pattern!r}", line, resource)
            else:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    at = f" at position {exc.pos}" if exc.pos is not None else ""
                    self._problem(f"{where}: pattern {pattern!r} is not a valid regular expression "
                                  f"({exc.msg}{at}); fix the pattern (it must match a whole value)",
                                  line, resource)
        return name

    # --- what the loaders read ------------------------------------------------------------

    def missing_needs(self, needs: Mapping[str, Iterable[str]], reader: str) -> list[Problem]:
        """Problems for each resource or field in ``needs`` the schema lacks (``reader`` reads them).

        A field the schema lost is the schema's problem, reported once here, rather than a
        header mismatch of the CSV and a follow-on problem for every row that uses it.
        """
        problems = []
        for name, fields in needs.items():
            if name in self.broken:
                continue  # its own problem is already reported
            resource = self.resources.get(name)
            if resource is None:
                problems.append(Problem(
                    self.display_path, None, None, None,
                    f"has no resource {name!r}, which {reader} reads: restore its entry "
                    "(name, path and schema) in \"resources\""))
                self.broken.add(name)
                continue
            header = _header(resource)
            for field in fields:
                if field in resource.field_names:
                    continue
                has = (f"which {resource.display_path} has" if field in header
                       else f"which {resource.display_path} lacks too")
                problems.append(Problem(
                    self.display_path, self._line_of(name), None, None,
                    f"resource {name!r} has no field {field!r}, {has} and {reader} reads: "
                    "restore the field in the schema"))
                self.broken.add(name)
        self.problems += problems
        return problems

    def require(self, needs: Mapping[str, Iterable[str]], reader: str) -> None:
        """:meth:`missing_needs`, raising :class:`SchemaError` when anything is missing."""
        problems = self.missing_needs(needs, reader)
        if problems:
            raise SchemaError(problems)

    def read(self, name: str) -> tuple[list[Row], list[Problem]]:
        """Read one resource, checking header, types, required, enum, pattern and unique.

        Raises :class:`DataError` when the table cannot be read at all (no such resource,
        file missing, not UTF-8, a byte-order mark, a header that is not the schema's):
        every row would be wrong for the same reason, so that reason is the one message.
        Problems of single rows are returned, to be reported with the loader's own.
        """
        resource = self.resources.get(name)
        if resource is None:
            raise DataError([Problem(
                self.display_path, None, None, None,
                f"has no resource {name!r}, which the book's loaders read: restore its entry "
                "(name, path and schema) in \"resources\"")])
        return _read_rows(resource)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _header(resource: Resource) -> list[str]:
    """The CSV's first row, or [] when it cannot be read (its own problem is reported elsewhere)."""
    try:
        text = decode(resource.path.read_bytes(), resource.display_path)
        return next(csv.reader(io.StringIO(text)), [])
    except (DataError, OSError, csv.Error):
        return []


def read_table(resource: Resource) -> tuple[list[Row], list[Problem]]:
    """Every problem of one table, never raising for bad input: ``validate`` reads all of them."""
    try:
        return _read_rows(resource)
    except DataError as exc:
        return [], exc.problems


def _header_problem(resource: Resource, header: list[str]) -> Problem:
    expected = resource.field_names
    missing = [f for f in expected if f not in header]
    extra = [f for f in header if f not in expected]
    detail, fix = [], []
    if missing:
        detail.append(f"missing {missing}")
        fix.append("add the missing column(s) or fix their spelling")
    if extra:
        detail.append(f"unexpected {extra}")
        fix.append(f"declare the unexpected column(s) as fields of resource {resource.name!r} in "
                   "data/datapackage.json (if the schema lost them) or remove them")
    if not detail:
        detail.append("columns out of order")
        fix.append("put the columns in the schema's order")
    return Problem(resource.display_path, 1, None, None,
                   f"header is {header}, expected {expected} ({'; '.join(detail)}): {'; '.join(fix)}")


def _read_rows(resource: Resource) -> tuple[list[Row], list[Problem]]:
    file = resource.display_path
    try:
        data = resource.path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(file, None, None, None, "file is missing")]) from None
    except OSError as exc:
        raise DataError([Problem(file, None, None, None, f"cannot be read ({exc.strerror})")]) from None
    reader = csv.reader(io.StringIO(decode(data, file), newline=""))
    problems: list[Problem] = []
    rows: list[Row] = []
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise DataError([Problem(file, 1, None, None, "file is empty: expected a header row")]) from None
        if header != resource.field_names:
            raise DataError([_header_problem(resource, header)])
        for values in reader:
            line = reader.line_num
            if not "".join(values).strip():
                continue
            if len(values) != len(header):
                problems.append(Problem(
                    file, line, values[0] if values else None, None,
                    f"has {len(values)} fields, expected {len(header)} "
                    "(an unquoted comma in a text field?)"))
                continue
            rows.append(Row(line=line, values=dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        raise DataError([Problem(file, reader.line_num or 1, None, None,
                                 f"is not readable as CSV ({exc}): check the quoting near this line")]
                        ) from None
    key_field = resource.primary_key[0] if resource.primary_key else None
    problems += _check_values(file, rows, resource.fields, key_field)
    for field in resource.fields:
        if field.unique:
            problems += _check_unique(file, rows, field.name, key_field)
    return rows, problems


def _check_values(file: str, rows: list[Row], fields: Sequence[Field],
                  key_field: str | None) -> list[Problem]:
    """Each value against its field, in row order; a value once found valid for a field is
    not checked again (the IMF table repeats its reporters, partners and years thousands of
    times, and ``validate`` runs before every build and test)."""
    found: list[tuple[int, int, Problem]] = []
    for index, field in enumerate(fields):
        valid: set[str] = set()
        for row in rows:
            value = row.values[field.name]
            if value in valid:
                continue
            problems = _check_value(file, row, row.get(key_field) if key_field else None, field)
            if problems:
                found += [(row.line, index, problem) for problem in problems]
            else:
                valid.add(value)
    return [problem for _, _, problem in sorted(found, key=lambda item: item[:2])]


def _check_value(file: str, row: Row, row_id: str | None, field: Field) -> list[Problem]:
    value = row[field.name]
    def problem(message: str) -> list[Problem]:
        return [Problem(file, row.line, row_id, field.name, message)]

    if value != value.strip():
        return problem(f"value {value!r} has leading or trailing spaces")
    if value == "":
        return problem("is required but empty") if field.required else []
    if field.type == "number":
        try:
            number = float(value)
        except ValueError:
            return problem(f"{value!r} is not a number (write digits, '.' for decimals, no commas)")
        if not math.isfinite(number):
            return problem(f"{value!r} is not a finite number")
    elif field.type == "integer" and not re.fullmatch(r"-?[0-9]+", value):
        return problem(f"{value!r} is not an integer")
    elif field.type == "boolean" and value not in ("true", "false"):
        return problem(f"{value!r} is not a boolean: write true or false")
    if field.enum is not None and value not in field.enum:
        return problem(f"{value!r} is not one of the allowed values {list(field.enum)}")
    if field.pattern is not None and not field.pattern.fullmatch(value):
        return problem(f"{value!r} does not match the pattern {field.pattern.pattern!r}")
    return []


def _check_unique(file: str, rows: list[Row], name: str, key_field: str | None) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for row in rows:
        value = row[name]
        if value == "":
            continue
        if value in seen:
            row_id = row.get(key_field) if key_field else None
            problems.append(Problem(
                file, row.line, row_id, name,
                f"{value!r} is not unique: it is also on line {seen[value]}"))
        else:
            seen[value] = row.line
    return problems
