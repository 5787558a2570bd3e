"""The five articles ("seeds"): verified byte for byte before anything is read from them.

The seeds are the evidence. ``seeds/MANIFEST.sha256`` (``sha256sum`` format) records
the hash of each as copied from the originals; an edited, missing or extra seed is
reported rather than quietly changing what the book quotes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Problem

MANIFEST_NAME = "MANIFEST.sha256"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(seeds: Path) -> tuple[dict[str, str], list[Problem]]:
    """Return ``{file name: sha256}`` from the manifest, with any format problems."""
    manifest = seeds / MANIFEST_NAME
    label = f"seeds/{MANIFEST_NAME}"
    if not manifest.is_file():
        return {}, [Problem(label, None, None, None, "manifest is missing")]
    entries: dict[str, str] = {}
    problems = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name:
            problems.append(Problem(label, number, None, None,
                                    f"{line!r} is not '<sha256>  <file name>'"))
            continue
        entries[name] = digest
    return entries, problems


def verify_seeds(seeds: Path) -> tuple[dict[str, str], list[Problem]]:
    """Check every seed against the manifest; return the texts of the good ones."""
    entries, problems = read_manifest(seeds)
    texts: dict[str, str] = {}
    for name, digest in entries.items():
        path = seeds / name
        label = f"seeds/{name}"
        if not path.is_file():
            problems.append(Problem(label, None, None, None,
                                    f"seed is missing (listed in seeds/{MANIFEST_NAME})"))
            continue
        actual = sha256_of(path)
        if actual != digest:
            problems.append(Problem(
                label, None, None, None,
                f"sha256 is {actual[:12]}…, the manifest says {digest[:12]}…: the article was "
                "edited. Seeds must stay byte-identical to the originals."))
            continue
        texts[name] = path.read_text(encoding="utf-8")
    listed = set(entries)
    for path in sorted(seeds.glob("*.txt")):
        if path.name not in listed:
            problems.append(Problem(f"seeds/{path.name}", None, None, None,
                                    f"seed is not listed in seeds/{MANIFEST_NAME}"))
    return texts, problems


def write_manifest(seeds: Path) -> Path:
    """(Re)write the manifest from the seeds on disk: only when adding an article."""
    manifest = seeds / MANIFEST_NAME
    lines = [f"{sha256_of(p)}  {p.name}" for p in sorted(seeds.glob("*.txt"))]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest
