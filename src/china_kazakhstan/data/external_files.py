"""Outside files kept byte for byte in ``data/external/``, checked against their manifest.

``data/external/`` holds every source from outside the five articles: the news-page
trade table (``trade_mirror.csv``) and the IMF's Direction of Trade workbooks
(``imf_dots/*.xlsx``), next to the tables the project makes from them. A copy of an
outside file is evidence in the same way an article is: if it changed, the book would
quietly print different figures under the same citation. So
``data/external/MANIFEST.sha256`` (``sha256sum`` format, names relative to
``data/external/``; ``cd data/external && sha256sum -c MANIFEST.sha256`` checks it
too) records the hash of each copy, and :func:`verify_external` reports a missing, an
extra or a changed file, and a provenance entry of ``data/datapackage.json`` whose
sha256 disagrees with the manifest.

What is *not* a copy: the project's own tables under ``data/external/`` (the IMF
partner classification, the tidy IMF table). They are resources of
``data/datapackage.json`` with a schema, checked by their loaders, and so are not
"extra" files here.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..errors import Problem

EXTERNAL = Path("data") / "external"
MANIFEST_NAME = "MANIFEST.sha256"
MANIFEST_LABEL = f"{EXTERNAL.as_posix()}/{MANIFEST_NAME}"
#: Files of the folder that are neither copies nor tables: the manifest and its notes.
NOT_COPIES = frozenset({MANIFEST_NAME, "README.md"})
UPDATE_COMMAND = "python -m china_kazakhstan manifest --external"
_DIGEST = re.compile(r"[0-9a-f]{64}")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def external_dir(root: Path) -> Path:
    return root / EXTERNAL


def read_external_manifest(root: Path) -> tuple[dict[str, str], list[Problem]]:
    """``{name relative to data/external: sha256}`` from the manifest, with format problems."""
    manifest = external_dir(root) / MANIFEST_NAME
    if not manifest.is_file():
        return {}, [Problem(MANIFEST_LABEL, None, None, None,
                            "manifest is missing: it lists the sha256 of every outside file in "
                            f"data/external/; write it with `{UPDATE_COMMAND}`")]
    entries: dict[str, str] = {}
    problems = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or not _DIGEST.fullmatch(digest) or not name or name.startswith("/") or ".." in name:
            problems.append(Problem(MANIFEST_LABEL, number, None, None,
                                    f"{line!r} is not '<sha256, 64 lowercase hex digits>  "
                                    "<path relative to data/external/>'"))
            continue
        if name in entries:
            problems.append(Problem(MANIFEST_LABEL, number, None, None,
                                    f"{name!r} is listed twice: keep one line per file"))
        entries[name] = digest
    return entries, problems


def check_copy(root: Path, name: str, entries: dict[str, str] | None = None) -> list[Problem]:
    """Check one outside file (``name`` relative to data/external/) against its manifest line.

    Loaders call this for the one file they read, so that a notebook opens only that file
    and the manifest, and a changed copy stops the chapter that reads it.
    """
    problems: list[Problem] = []
    if entries is None:
        entries, problems = read_external_manifest(root)
        if problems and not entries:
            return problems
    label = f"{EXTERNAL.as_posix()}/{name}"
    path = external_dir(root) / name
    if name not in entries:
        return problems + [Problem(label, None, None, None,
                                   f"is not listed in {MANIFEST_LABEL}: every outside file is "
                                   f"recorded there with its sha256 (`{UPDATE_COMMAND} --add {label}`)")]
    if not path.is_file():
        return problems + [Problem(label, None, None, None,
                                   f"is missing (listed in {MANIFEST_LABEL}): restore it from "
                                   "its source (git checkout, or the copy named in data/datapackage.json)")]
    actual, recorded = sha256_of(path), entries[name]
    if actual != recorded:
        problems.append(Problem(
            label, None, None, None,
            f"sha256 is {actual}, {MANIFEST_LABEL} says {recorded}: this is a copy of an outside "
            "file and must stay byte-identical to its source. Restore the original (for example "
            f"`git checkout -- {label}`), or, if the source was updated on purpose, update the "
            f"manifest line with `{UPDATE_COMMAND}` (and regenerate what is made from it)."))
    return problems


def verify_external(root: Path) -> list[Problem]:
    """Every outside copy against the manifest: missing, extra or changed files, provenance."""
    entries, problems = read_external_manifest(root)
    for name in entries:
        problems += check_copy(root, name, entries)
    own = _own_tables(root)
    folder = external_dir(root)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            if name in entries or name in NOT_COPIES or name in own or "__pycache__" in path.parts:
                continue
            label = f"{EXTERNAL.as_posix()}/{name}"
            problems.append(Problem(label, None, None, None,
                                    f"is not listed in {MANIFEST_LABEL} nor declared in "
                                    "data/datapackage.json: an outside file must be listed with its "
                                    f"sha256 (`{UPDATE_COMMAND} --add {label}`); a table of the "
                                    "project's own must be a resource of data/datapackage.json"))
    problems += _check_provenance(root, entries, own)
    return problems


def write_external_manifest(root: Path, add: tuple[str, ...] = ()) -> tuple[Path, list[str]]:
    """Rehash the files the manifest lists (and add ``add``); return it and what changed.

    For an outside file updated on purpose. The sha256 recorded for it in the provenance of
    ``data/datapackage.json`` (package ``sources``) is updated with it, so that the two
    records never disagree. Raises :class:`FileNotFoundError` for a listed or added file
    that is not there: the manifest never forgets a file silently.
    """
    folder = external_dir(root)
    entries, problems = read_external_manifest(root)
    if problems and entries:
        raise ValueError("; ".join(str(p) for p in problems))
    names = list(entries)
    for item in add:
        name = _relative_name(root, item)
        if name not in names:
            names.append(name)
    changed: list[str] = []
    lines = []
    replacements: dict[str, str] = {}
    for name in sorted(names):
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"{EXTERNAL.as_posix()}/{name} is listed or added but missing")
        digest = sha256_of(path)
        if entries.get(name) != digest:
            changed.append(name)
            if name in entries:
                replacements[entries[name]] = digest
        lines.append(f"{digest}  {name}")
    manifest = folder / MANIFEST_NAME
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if replacements:
        _update_provenance_hashes(root / "data" / "datapackage.json", replacements)
    return manifest, changed


def _relative_name(root: Path, item: str) -> str:
    path = Path(item)
    if not path.is_absolute():
        path = (root / path) if (root / path).exists() else external_dir(root) / path
    return path.resolve().relative_to(external_dir(root).resolve()).as_posix()


def _package(root: Path) -> dict:
    path = root / "data" / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # the package's own loader reports an unreadable descriptor


def _own_tables(root: Path) -> set[str]:
    """Resource paths of data/datapackage.json under data/external/, relative to it."""
    folder = external_dir(root).resolve()
    out = set()
    for resource in _package(root).get("resources", []):
        path = (root / "data" / str(resource.get("path", ""))).resolve()
        if path.is_relative_to(folder):
            out.add(path.relative_to(folder).as_posix())
    return out


def provenance(root: Path) -> dict[str, dict]:
    """Package-level ``sources`` of data/datapackage.json that describe a file in data/external/."""
    out = {}
    for source in _package(root).get("sources", []):
        local = source.get("localPath")
        if local and str(local).startswith("external/"):
            out[str(local).removeprefix("external/")] = source
    return out


def _check_provenance(root: Path, entries: dict[str, str], own: set[str]) -> list[Problem]:
    """Every listed copy has provenance in the data package, and the two sha256 agree."""
    problems = []
    sources = provenance(root)
    for name, digest in entries.items():
        label = f"{EXTERNAL.as_posix()}/{name}"
        source = sources.get(name)
        if source is None:
            if name not in own:  # a copy that is also a resource carries its provenance there
                problems.append(Problem(
                    "data/datapackage.json", None, None, "sources",
                    f"has no provenance for {label}: add a package `sources` entry with "
                    f"localPath 'external/{name}', where it comes from, its licence and its sha256"))
            continue
        if source.get("sha256") != digest:
            problems.append(Problem(
                "data/datapackage.json", None, None, "sources",
                f"the entry for {label} gives sha256 {source.get('sha256')!r}, {MANIFEST_LABEL} "
                f"says {digest}: the two records of the same file must agree (`{UPDATE_COMMAND}` "
                "updates both)"))
    for name in sources:
        if name not in entries:
            problems.append(Problem(
                "data/datapackage.json", None, None, "sources",
                f"describes external/{name}, which {MANIFEST_LABEL} does not list"))
    return problems


def _update_provenance_hashes(descriptor: Path, replacements: dict[str, str]) -> None:
    """Replace ``"sha256": "OLD"`` by ``"sha256": "NEW"`` in place, keeping the file's layout.

    data/datapackage.json is laid out by hand (one field a line); rewriting it with
    ``json.dump`` would reformat every resource. Only the package ``sources`` use the key
    ``sha256`` (derived tables record their inputs as ``"hash": "sha256:..."``), so this
    touches exactly the provenance of the files that changed; the result is parsed back to
    make sure it is still the same package with only those values changed.
    """
    text = descriptor.read_text(encoding="utf-8")
    before = json.loads(text)
    for old, new in replacements.items():
        text = text.replace(f'"sha256": "{old}"', f'"sha256": "{new}"')
    after = json.loads(text)
    expected = json.loads(json.dumps(before))
    for source in expected.get("sources", []):
        if source.get("sha256") in replacements:
            source["sha256"] = replacements[source["sha256"]]
    if after != expected:
        raise ValueError(f"updating the sha256 in {descriptor} would change more than the "
                         "provenance entries; edit it by hand")
    descriptor.write_text(text, encoding="utf-8")
