"""The tidy IMF table, ``data/external/imf_dots.csv``: made from the workbooks, loaded fast.

The book's notebooks read this CSV, never the workbooks (reading three workbooks takes
the better part of a second and openpyxl; the CSV is read by pandas in a fraction of
that). So the CSV must be exactly what :mod:`.imf` makes from the current workbooks, and
that is recorded, not assumed: the ``imf_dots`` resource of data/datapackage.json gives

* ``hash``: the sha256 of the CSV as :func:`write_imf_table` wrote it (the outside
  validator, ``frictionless``, checks it too), and
* ``sources``: each workbook it was made from, with that workbook's sha256,

and :func:`check_imf` refuses a CSV whose hash differs (edited by hand) or whose sources'
sha256 differ from the workbooks' manifest lines (a workbook was updated and the table
not remade). A test remakes the table and compares it with the committed file byte for
byte, which covers a change of the reader itself.

:func:`load_imf` checks the CSV against its schema (every field's type, required,
enumeration, pattern, minimum and maximum, and the primary key), vectorised because the
table has some 35,000 rows, plus the partner classification, and returns it typed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from ..paths import project_root
from .external_files import EXTERNAL, MANIFEST_LABEL, read_external_manifest
from .imf import COLUMNS, PARTNERS_FILE, Partners, load_partners, read_workbook

RESOURCE = "imf_dots"
DESCRIPTOR = Path("data") / "datapackage.json"
REGENERATE = "python -m china_kazakhstan imf"
#: At most this many problems of one kind are listed (a systematic error would list thousands).
MAX_LISTED = 10


def _descriptor(root: Path) -> dict:
    return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))


def _resource(root: Path) -> dict:
    for resource in _descriptor(root)["resources"]:
        if resource["name"] == RESOURCE:
            return resource
    raise DataError([Problem(str(DESCRIPTOR), None, None, None,
                             f"has no resource {RESOURCE!r}: declare data/external/imf_dots.csv there")])


def _table_path(root: Path, resource: dict) -> Path:
    return root / "data" / resource["path"]


def _label(root: Path, path: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _sources(resource: dict) -> list[tuple[str, str]]:
    """(path relative to data/external/, sha256) of each workbook the table is made from."""
    return [(s["path"], s.get("hash", "").removeprefix("sha256:")) for s in resource.get("sources", [])]


# --- making the table ---------------------------------------------------------------------

def build_imf_table(root: Path) -> pd.DataFrame:
    """Read every workbook the resource names into one frame; :class:`DataError` if any is refused."""
    partners, problems = load_partners(root)
    if problems:
        raise DataError(problems)
    frames = []
    for name, _ in _sources(_resource(root)):
        path = root / EXTERNAL / name
        frame, found = read_workbook(path, partners, label=_label(root, path))
        problems += found
        frames.append(frame)
    if problems:
        raise DataError(problems)
    return pd.concat(frames, ignore_index=True)


def format_value(value: float) -> str:
    """Shortest text that reads back as exactly the same float, never in scientific notation."""
    return np.format_float_positional(float(value), unique=True, trim="-")


def to_csv_text(frame: pd.DataFrame) -> str:
    """The tidy table as CSV text, deterministically (LF line ends, fixed number format)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in frame.itertuples(index=False):
        writer.writerow([row.reporter, row.partner, row.partner_kind, row.flow, int(row.year),
                         format_value(row.value_usd_million), "true" if row.estimate else "false",
                         row.file, row.sheet, row.cell])
    return out.getvalue()


def write_imf_table(root: Path) -> tuple[Path, int]:
    """Remake data/external/imf_dots.csv from the workbooks and record the hashes it was made with.

    Updates, in data/datapackage.json, the resource's ``hash`` and its ``sources`` sha256,
    in place (the file is laid out by hand; only those strings change).
    """
    resource = _resource(root)
    frame = build_imf_table(root)
    text = to_csv_text(frame)
    path = _table_path(root, resource)
    path.write_text(text, encoding="utf-8", newline="")
    replacements = {resource.get("hash", ""): "sha256:" + hashlib.sha256(text.encode()).hexdigest()}
    for name, recorded in _sources(resource):
        actual = hashlib.sha256((root / EXTERNAL / name).read_bytes()).hexdigest()
        replacements[f"sha256:{recorded}"] = f"sha256:{actual}"
    _replace_hashes(root / DESCRIPTOR, replacements)
    return path, len(frame)


def _replace_hashes(descriptor: Path, replacements: dict[str, str]) -> None:
    """Set ``"hash": OLD`` to ``"hash": NEW`` in the imf_dots resource only, checking the result."""
    text = descriptor.read_text(encoding="utf-8")
    start = text.index(f'"name": "{RESOURCE}"')
    end = text.find('"schema"', start)
    head, block, tail = text[:start], text[start:end], text[end:]
    for old, new in replacements.items():
        if old != new:
            block = block.replace(f'"hash": "{old}"', f'"hash": "{new}"')
    updated = head + block + tail
    before, after = json.loads(text), json.loads(updated)
    strip = [r for r in before["resources"] if r["name"] != RESOURCE]
    if strip != [r for r in after["resources"] if r["name"] != RESOURCE] or {
            k: v for k, v in before.items() if k != "resources"} != {
            k: v for k, v in after.items() if k != "resources"}:
        raise ValueError(f"updating the hashes in {descriptor} would change more than the {RESOURCE} "
                         "resource; edit it by hand")
    descriptor.write_text(updated, encoding="utf-8")


# --- checking and loading ------------------------------------------------------------------

def check_derivation(root: Path) -> list[Problem]:
    """The CSV is the one :func:`write_imf_table` wrote, from the workbooks now in the manifest."""
    resource = _resource(root)
    path = _table_path(root, resource)
    label = _label(root, path)
    if not path.is_file():
        return [Problem(label, None, None, None, f"is missing: make it with `{REGENERATE}`")]
    problems = []
    recorded = resource.get("hash", "").removeprefix("sha256:")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != recorded:
        problems.append(Problem(label, None, None, None,
                                f"sha256 is {actual}, {DESCRIPTOR.as_posix()} records {recorded} for the "
                                "table as made: it was edited by hand or not remade. Never edit it: run "
                                f"`{REGENERATE}`, which remakes it from the workbooks"))
    entries, manifest_problems = read_external_manifest(root)
    problems += manifest_problems
    for name, digest in _sources(resource):
        listed = entries.get(name)
        if listed != digest:
            problems.append(Problem(
                label, None, None, None,
                f"was made from {EXTERNAL.as_posix()}/{name} with sha256 {digest}, but {MANIFEST_LABEL} "
                f"now lists {listed}: the workbook changed since; run `{REGENERATE}` to remake the table"))
    return problems


def check_imf(root: Path) -> list[Problem]:
    """Everything ``validate`` checks of the tidy table: derivation, schema, partners."""
    problems = check_derivation(root)
    try:
        load_imf(root, check_hashes=False)
    except DataError as exc:
        problems += exc.problems
    return problems


def load_imf(root: Path | None = None, *, check_hashes: bool = True) -> pd.DataFrame:
    """Read, check and type the tidy IMF table; :class:`DataError` listing every problem.

    Columns: those of the CSV (``year`` int, ``value_usd_million`` float, ``estimate``
    bool, the others strings), plus ``reporter_id`` and ``partner_id``, the book's short
    identifiers of the three reporters (``china``, ``kazakhstan``, ``russia``) from the
    partner table (``partner_id`` is missing for every other partner), and ``line``.
    """
    root = root or project_root()
    resource = _resource(root)
    problems = check_derivation(root) if check_hashes else []
    path = _table_path(root, resource)
    if not path.is_file():
        raise DataError(problems or [Problem(_label(root, path), None, None, None, "is missing")])
    key = content_key(root)
    if key not in _CHECKED:
        while len(_CHECKED) >= 4:  # a few tables at a time: a project and a test's copies of it
            del _CHECKED[next(iter(_CHECKED))]
        _CHECKED[key] = _read_checked(root, resource, path)
    typed, found = _CHECKED[key]
    if problems or found:
        raise DataError(problems + found)
    return typed.copy()


#: The last table read and checked, by the digests of what it was read from: the checks,
#: the appendix and ``validate`` read one unchanged table many times in one process.
_CHECKED: dict[tuple[str, ...], tuple[pd.DataFrame, list[Problem]]] = {}


def content_key(root: Path) -> tuple[str, ...]:
    """Digests of what the tidy table's reading depends on (table, data package, partners)."""
    return tuple(_digest(root / p) for p in (_table_path(root, _resource(root)), DESCRIPTOR, PARTNERS_FILE))


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() if path.is_file() else ""


def _read_checked(root: Path, resource: dict, path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The typed table and every problem of its schema and partners (the table unusable if any)."""
    label = _label(root, path)
    problems: list[Problem] = []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    if list(frame.columns) != names:
        return frame, [Problem(label, 1, None, None, f"header is {list(frame.columns)}, expected {names}")]
    for field in fields:
        problems += _check_column(label, frame, field)
    problems += _check_key(label, frame, resource["schema"].get("primaryKey", []))
    partners, partner_problems = load_partners(root)
    problems += partner_problems
    problems += _check_partners(label, frame, partners)
    if problems:
        return frame, problems
    typed = frame.astype({"year": int, "value_usd_million": float})
    typed["estimate"] = frame["estimate"] == "true"
    for column in ("reporter", "partner", "partner_kind", "flow", "file", "sheet", "cell"):
        typed[column] = typed[column].astype("string")
    typed["reporter_id"] = typed["reporter"].map(partners.economy).astype("string")
    typed["partner_id"] = typed["partner"].map(partners.economy).astype("string")
    typed["line"] = np.arange(2, len(typed) + 2)
    return typed, []


def _listed(label: str, frame: pd.DataFrame, bad: pd.Series, field: str, message) -> list[Problem]:
    """Problems for the rows where ``bad``; at most :data:`MAX_LISTED`, then a count."""
    index = np.flatnonzero(bad.to_numpy())
    problems = []
    for i in index[:MAX_LISTED]:
        row = frame.iloc[i]
        row_id = f"{row['reporter']} / {row['partner']} / {row['flow']} / {row['year']}"
        problems.append(Problem(label, int(i) + 2, row_id, field, message(row[field])))
    if len(index) > MAX_LISTED:
        problems.append(Problem(label, None, None, field,
                                f"… and {len(index) - MAX_LISTED} more rows with the same problem"))
    return problems


def _check_column(label: str, frame: pd.DataFrame, field: dict) -> list[Problem]:
    """The schema's checks of one column, run once per distinct value (the table repeats most)."""
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    values = frame[name]
    problems = []
    if constraints.get("required"):
        problems += _listed(label, frame, values == "", name, lambda v: "is required but empty")
    tests = []  # (predicate on one non-empty value, message for it)
    tests.append((lambda v: v != v.strip(), lambda v: f"value {v!r} has leading or trailing spaces"))
    if kind in ("number", "integer"):
        grammar = re.compile(r"-?[0-9]+" if kind == "integer" else r"-?[0-9]+(\.[0-9]+)?")
        what = "an integer" if kind == "integer" else "a number"
        tests.append((lambda v: not grammar.fullmatch(v),
                      lambda v: f"{v!r} is not {what} (digits, '.' for decimals)"))
        low, high = constraints.get("minimum"), constraints.get("maximum")
        if low is not None:
            tests.append((lambda v: bool(grammar.fullmatch(v)) and float(v) < low,
                          lambda v: f"{v} is below the minimum {low}"))
        if high is not None:
            tests.append((lambda v: bool(grammar.fullmatch(v)) and float(v) > high,
                          lambda v: f"{v} is above the maximum {high}"))
    if kind == "boolean":
        allowed = [*field.get("trueValues", ["true"]), *field.get("falseValues", ["false"])]
        tests.append((lambda v: v not in allowed, lambda v: f"{v!r} is not one of {allowed}"))
    if "enum" in constraints:
        enum = constraints["enum"]
        tests.append((lambda v: v not in enum, lambda v: f"{v!r} is not one of the allowed values {enum}"))
    if "pattern" in constraints:
        pattern = re.compile(constraints["pattern"])
        tests.append((lambda v: not pattern.fullmatch(v),
                      lambda v: f"{v!r} does not match the pattern {constraints['pattern']!r}"))
    distinct = [v for v in values.unique().tolist() if v != ""]
    for test, message in tests:
        bad = [v for v in distinct if test(v)]
        if bad:
            problems += _listed(label, frame, values.isin(bad), name, message)
    return problems


def _check_key(label: str, frame: pd.DataFrame, key: list[str]) -> list[Problem]:
    problems = []
    if key:
        problems += _listed(label, frame, frame.duplicated(key, keep="first"), key[-1],
                            lambda v: f"the row repeats the key {key} of an earlier row")
    problems += _listed(label, frame, frame.duplicated(["file", "sheet", "cell"], keep="first"), "cell",
                        lambda v: f"cell {v} of the same file and sheet appears in an earlier row")
    return problems


def _check_partners(label: str, frame: pd.DataFrame, partners: Partners) -> list[Problem]:
    known = frame["partner"].isin(list(partners.kind))
    problems = _listed(label, frame, ~known, "partner",
                       lambda v: f"partner {v!r} is not in {PARTNERS_FILE}: add it there as country or "
                                 f"aggregate, then run `{REGENERATE}`")
    expected = frame["partner"].map(partners.kind)
    problems += _listed(label, frame, known & (frame["partner_kind"] != expected), "partner_kind",
                        lambda v: f"{v!r} is not the partner's kind in {PARTNERS_FILE}: run `{REGENERATE}`")
    reporters = frame["reporter"].isin(list(partners.economy))
    problems += _listed(label, frame, ~reporters, "reporter",
                        lambda v: f"reporter {v!r} has no economy id in {PARTNERS_FILE}")
    return problems
