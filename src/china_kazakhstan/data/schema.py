"""Read the tables of ``data/datapackage.json`` and check them against their schema.

The schema (field names, types, required, enumerations, patterns, keys) is written
once, in the Frictionless data package; this module enforces it at load time with
messages that name the file, line, row id and field, so that a bad row stops the
build instead of reaching a chart. The outside validator (``frictionless``) checks
the same package in the tests.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import Problem


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
    """The project's ``data/datapackage.json``: resources and their schemas."""

    def __init__(self, descriptor_path: Path, root: Path):
        self.descriptor_path = descriptor_path
        self.root = root
        with descriptor_path.open(encoding="utf-8") as handle:
            self.descriptor = json.load(handle)

    @cached_property
    def resources(self) -> dict[str, Resource]:
        out = {}
        for res in self.descriptor["resources"]:
            path = (self.descriptor_path.parent / res["path"]).resolve()
            schema = res["schema"]
            out[res["name"]] = Resource(
                name=res["name"],
                path=path,
                display_path=_relative(path, self.root),
                fields=tuple(Field.from_descriptor(f) for f in schema["fields"]),
                primary_key=tuple(schema.get("primaryKey", [])),
                foreign_keys=tuple(schema.get("foreignKeys", [])),
                description=res.get("description", ""),
            )
        return out

    def read(self, name: str) -> tuple[list[Row], list[Problem]]:
        """Read one resource, checking header, types, required, enum, pattern and unique."""
        resource = self.resources[name]
        return read_table(resource)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve()))
    except ValueError:
        return str(path)


def read_table(resource: Resource) -> tuple[list[Row], list[Problem]]:
    file = resource.display_path
    if not resource.path.is_file():
        return [], [Problem(file, None, None, None, "file is missing")]
    problems: list[Problem] = []
    with resource.path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return [], [Problem(file, 1, None, None, "file is empty: expected a header row")]
        expected = resource.field_names
        if header != expected:
            missing = [f for f in expected if f not in header]
            extra = [f for f in header if f not in expected]
            detail = []
            if missing:
                detail.append(f"missing {missing}")
            if extra:
                detail.append(f"unexpected {extra}")
            if not detail:
                detail.append("columns out of order")
            return [], [
                Problem(file, 1, None, None,
                        f"header is {header}, expected {expected} ({'; '.join(detail)})")
            ]
        rows: list[Row] = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(Problem(
                    file, line, values[0] if values else None, None,
                    f"has {len(values)} fields, expected {len(header)} "
                    "(an unquoted comma in a text field?)"))
                continue
            rows.append(Row(line=line, values=dict(zip(header, values, strict=True))))
    key_field = resource.primary_key[0] if resource.primary_key else None
    for row in rows:
        row_id = row.get(key_field) if key_field else None
        for field in resource.fields:
            problems += _check_value(file, row, row_id, field)
    for field in resource.fields:
        if field.unique:
            problems += _check_unique(file, rows, field.name, key_field)
    return rows, problems


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
