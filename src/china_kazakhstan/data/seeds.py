"""The five articles ("seeds"): verified byte for byte before anything is read from them.

The seeds are the evidence. ``seeds/MANIFEST.sha256`` (``sha256sum`` format) records
the hash of each as copied from the originals; an edited, missing or extra seed is
reported rather than quietly changing what the book quotes.

When a seed and its manifest line disagree, the message says which of the two changed
when that can be told (inside a git checkout, each is compared with the last commit),
because the fixes are opposite: restore the article, or restore the manifest line.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from ..errors import DataError, Problem
from .textfile import decode, read_text

MANIFEST_NAME = "MANIFEST.sha256"
_DIGEST = re.compile(r"[0-9a-f]{64}")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_manifest(text: str, label: str) -> tuple[dict[str, str], list[Problem]]:
    """``{file name: sha256}`` from manifest text (``<sha256>  <file name>`` lines), with problems."""
    entries: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or not _DIGEST.fullmatch(digest) or not name:
            problems.append(Problem(label, number, None, None,
                                    f"{line!r} is not '<sha256>  <file name>' (64 lowercase hex "
                                    "digits, two spaces, the name), as `sha256sum` writes it"))
            continue
        if "/" in name or name.startswith("."):
            problems.append(Problem(label, number, name, None,
                                    f"{name!r} is not a file name in this folder"))
            continue
        if name in entries:
            problems.append(Problem(label, number, name, None,
                                    f"{name!r} is listed twice: keep one line"))
            continue
        entries[name] = digest
    return entries, problems


def read_manifest(seeds: Path) -> tuple[dict[str, str], list[Problem]]:
    """Return ``{file name: sha256}`` from the manifest, with any format problems."""
    manifest = seeds / MANIFEST_NAME
    label = f"seeds/{MANIFEST_NAME}"
    if not manifest.is_file():
        return {}, [Problem(label, None, None, None, "manifest is missing")]
    try:
        text = read_text(manifest, label)
    except DataError as exc:
        return {}, exc.problems
    return parse_manifest(text, label)


def _git_head(path: Path) -> bytes | None:
    """The bytes of ``path`` as of the last commit, or None (not in git, untracked, no git)."""
    try:
        top = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=10, check=False)
        if top.returncode != 0:
            return None
        relative = path.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = subprocess.run(["git", "-C", top.stdout.strip(), "show", f"HEAD:{relative}"],
                               capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return shown.stdout if shown.returncode == 0 else None


def mismatch_message(seeds: Path, name: str, listed: str, actual: str) -> str:
    """Why seed ``name`` hashes to ``actual`` while the manifest says ``listed``, and what to do."""
    head = f"sha256 is {actual[:12]}…, the manifest says {listed[:12]}…: "
    manifest = f"seeds/{MANIFEST_NAME}"
    committed_seed = _git_head(seeds / name)
    committed_manifest = _git_head(seeds / MANIFEST_NAME)
    if committed_seed is not None and committed_manifest is not None:
        try:
            committed_digest = parse_manifest(committed_manifest.decode("utf-8"), manifest)[0].get(name)
        except UnicodeDecodeError:
            committed_digest = None
        seed_changed = hashlib.sha256(committed_seed).hexdigest() != actual
        line_changed = committed_digest is not None and committed_digest != listed
        if seed_changed and not line_changed:
            return head + (f"the article was edited since the last commit (its manifest line was "
                           f"not): restore it with `git checkout -- seeds/{name}`. Seeds must stay "
                           "byte-identical to the originals.")
        if line_changed and not seed_changed:
            return head + (f"its line in {manifest} was edited since the last commit (the article "
                           f"was not): restore the manifest with `git checkout -- {manifest}`.")
        if line_changed and seed_changed:
            return head + (f"both the article and its manifest line changed since the last commit, "
                           f"and they disagree: restore both with `git checkout -- seeds/{name} "
                           f"{manifest}`; to replace an article on purpose, copy the original byte "
                           "for byte and run `python -m china_kazakhstan manifest`.")
    return head + ("the article or its manifest line changed (outside a git checkout, which one "
                   "cannot be told). If the article was edited, copy its original back byte for "
                   f"byte; if the manifest line was, restore {manifest} from the project's copy. "
                   "Seeds must stay byte-identical to the originals.")


def verify_seeds(seeds: Path) -> tuple[dict[str, str], list[Problem]]:
    """Check every seed against the manifest; return the texts of the good ones."""
    entries, problems = read_manifest(seeds)
    if problems and not entries:  # no manifest to check against: that is the one problem
        return {}, problems
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
            problems.append(Problem(label, None, None, None,
                                    mismatch_message(seeds, name, digest, actual)))
            continue
        try:
            texts[name] = decode(path.read_bytes(), label)
        except DataError as exc:
            problems += exc.problems
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
