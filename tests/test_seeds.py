"""The seeds are evidence: byte-identical to the originals, checked by sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.data.seeds import read_manifest, verify_seeds
from china_kazakhstan.errors import DataError

SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_every_seed_matches_its_manifest_hash(root: Path) -> None:
    entries, problems = read_manifest(root / "seeds")
    assert not problems, problems
    on_disk = sorted(p.name for p in (root / "seeds").glob("*.txt"))
    assert sorted(entries) == on_disk, f"expected manifest to list {on_disk} but got {sorted(entries)}"
    for name, digest in entries.items():
        actual = hashlib.sha256((root / "seeds" / name).read_bytes()).hexdigest()
        assert actual == digest, f"seeds/{name}: expected sha256 {digest} but got {actual}"


@pytest.mark.shared_originals
def test_seeds_are_the_shared_originals_byte_for_byte(root: Path) -> None:
    """An extra, beside the project's own manifest, which protects the seeds everywhere
    (test_manifest_matches_every_seed); deselected where ../shared is absent (tests/ci_skips.py)."""
    texts, problems = verify_seeds(root / "seeds")
    assert not problems, problems
    originals = sorted(SHARED_SEEDS.glob("*.txt"))
    assert originals, "no originals found in ../shared/seeds"
    assert sorted(p.name for p in originals) == sorted(texts), "the seeds are not the originals' set"
    for original in originals:
        copy = root / "seeds" / original.name
        assert copy.read_bytes() == original.read_bytes(), f"seeds/{original.name} differs"


def test_an_edited_seed_is_refused(project: Path) -> None:
    seed = sorted((project / "seeds").glob("*.txt"))[0]
    seed.write_bytes(seed.read_bytes().replace(b"Kazakhstan", b"Kazakstan", 1))
    texts, problems = verify_seeds(project / "seeds")
    assert seed.name not in texts
    assert any(p.file == f"seeds/{seed.name}" and "edited" in p.message for p in problems), problems
    with pytest.raises(DataError, match=rf"seeds/{seed.name}: sha256 is .* the article was edited"):
        load_ledger(project)


def test_a_missing_seed_is_refused(project: Path) -> None:
    seed = sorted((project / "seeds").glob("*.txt"))[1]
    seed.unlink()
    with pytest.raises(DataError, match=rf"seeds/{seed.name}: seed is missing"):
        load_ledger(project)


def test_an_unlisted_seed_is_refused(project: Path) -> None:
    (project / "seeds" / "005_0000000000000000.txt").write_text("A sixth article.\n")
    with pytest.raises(DataError, match=r"seeds/005_0000000000000000.txt: seed is not listed"):
        load_ledger(project)
