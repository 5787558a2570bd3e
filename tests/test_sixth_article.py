"""Adding an article is a data change only: the book follows its data (issue 11).

A short article made for the test (tests/fixtures/sixth_article/) restates one existing figure,
gives a new value of an existing metric and a new metric. It is added to a copy of the project
exactly as the data page says: the article file, its manifest line, its sources row, its claims,
its metric and its exclusions. Nothing under src/ or chapters/ is touched.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from china_kazakhstan.analysis import selection
from china_kazakhstan.checks import run_checks, where
from china_kazakhstan.data.coverage import coverage_report, uncovered_mentions
from china_kazakhstan.data.ledger import load_ledger

#: Builds the ledger and every check of a copy with a sixth article.
pytestmark = pytest.mark.end_to_end

FIXTURE = Path(__file__).parent / "fixtures" / "sixth_article"
TARGETS = {"sources.csv": "seeds/sources.csv", "claims.csv": "data/claims.csv",
           "metrics.csv": "data/metrics.csv", "exclusions.csv": "data/exclusions.csv"}


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def add_sixth_article(project: Path) -> dict[str, object]:
    """Add the fixture article to ``project`` by data changes only; return its file and claim ids."""
    text = (FIXTURE / "article.txt").read_bytes()
    digest = hashlib.sha256(text).hexdigest()
    seeds = project / "seeds"
    number = max(int(p.name[:3]) for p in seeds.glob("*.txt")) + 1
    name = f"{number:03d}_{digest[:16]}.txt"
    (seeds / name).write_bytes(text)
    with (seeds / "MANIFEST.sha256").open("a", encoding="utf-8") as handle:
        handle.write(f"{digest}  {name}\n")
    _, claims = _rows(project / "data" / "claims.csv")
    first = max(int(r["claim_id"][1:]) for r in claims) + 1
    ids = {f"NEW{i}": f"C{first + i - 1:03d}" for i in range(1, 10)}
    for fixture, target in TARGETS.items():
        header, _ = _rows(project / target)
        _, new = _rows(FIXTURE / fixture)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        for row in new:
            writer.writerow({k: ids.get(v, name if v == "ARTICLE" else v) for k, v in row.items()})
        with (project / target).open("a", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
    _, added = _rows(FIXTURE / "claims.csv")
    return {"seed": name, "claims": [ids[r["claim_id"]] for r in added],
            "topics": {ids[r["claim_id"]]: r["topic"] for r in added}}


@pytest.fixture
def sixth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, object]]:
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv("CHINA_KZ_ROOT", str(project))
    return project, add_sixth_article(project)


def test_the_sixth_article_validates_and_every_number_is_read(sixth) -> None:
    project, added = sixth
    ledger = load_ledger(project)
    assert set(added["claims"]) <= set(ledger.claims["claim_id"])
    assert not uncovered_mentions(ledger)
    report = {s.seed: s for s in coverage_report(ledger)}
    assert report[added["seed"]].read == report[added["seed"]].mentions > 0


def test_existing_checks_keep_their_ids_and_new_ones_appear(sixth) -> None:
    project, added = sixth
    before = {c.check_id: c for c in run_checks(load_ledger(ROOT))}
    ledger = load_ledger(project)
    after = {c.check_id: c for c in run_checks(ledger)}
    assert set(before) <= set(after), f"renumbered or lost: {sorted(set(before) - set(after))}"
    new = [c for i, c in after.items() if i not in before or set(c.claim_ids) != set(before[i].claim_ids)]
    assert any(set(added["claims"]) & set(c.claim_ids) for c in new), "the new claims join the checks"
    restated = added["claims"][0]
    same = [c for c in where(list(after.values()), "same_period", claim=restated)]
    assert len(same) == 1 and same[0].verdict, "the restated figure is compared with the original"
    # The chapters still feature the most precise figure that names its source, not the rounded one.
    claim = ledger.claim(restated)
    rows = ledger.metric(claim["metric"])
    featured = selection.featured(rows[rows["period"] == claim["period"]])
    assert featured["claim_id"] != restated


@pytest.mark.build
def test_the_book_follows_a_sixth_article(sixth) -> None:
    from china_kazakhstan.build.pipeline import build

    project, added = sixth
    package = ROOT / "src" / "china_kazakhstan"

    def digest(folder: Path, pattern: str) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob(pattern)) if "__pycache__" not in p.parts}

    chapters_before, src_before = digest(project / "chapters", "*.ipynb"), digest(package, "*.py")
    build(project, pdf=False)
    assert digest(project / "chapters", "*.ipynb") == chapters_before, "a chapter had to change"
    assert digest(package, "*.py") == src_before, "the code had to change"
    html = project / "_build" / "html" / "chapters"
    pages = {p.stem: p.read_text(encoding="utf-8") for p in html.glob("*.html")}
    for claim_id, topic in added["topics"].items():
        assert f"#{claim_id}\"" in pages[topic], f"{claim_id} missing from its chapter {topic}"
        assert re.search(rf'<mark class="quote[^"]*"[^>]*>(?:(?!</mark>).)*id="{claim_id}"', pages["articles"],
                         re.S), f"{claim_id} not highlighted in the appendix"
    register = pages["discrepancies"]
    ledger = load_ledger(project)
    for check in run_checks(ledger):
        if set(added["claims"]) & set(check.claim_ids):
            assert f'id="{check.check_id}"' in register, f"{check.check_id} missing from the register"
    for name, text in pages.items():
        visible = re.sub(r"<[^>]+>", " ", text)
        assert not re.search(r"\b(five|5)\s+articles\b", visible, re.I), f"{name} still counts five articles"
