"""Every number in the seeds is a claim, an event date or an exclusion with a reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from china_kazakhstan.__main__ import main
from china_kazakhstan.data.coverage import audit, sentence_of, uncovered_mentions
from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.data.numbers import find_mentions


def test_every_number_in_every_seed_is_accounted_for(root: Path) -> None:
    ledger = load_ledger(root)
    problems = uncovered_mentions(ledger)
    assert not problems, "unaccounted numbers:\n" + "\n".join(problems)
    total = sum(len(find_mentions(t)) for t in ledger.seed_texts.values())
    assert total > len(ledger.claims), "the scanner should find more mentions than there are claims"


def _drop_row(path: Path, index: int) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    dropped = rows.pop(index)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return dropped


def test_deleting_a_claim_leaves_its_number_unaccounted(project: Path) -> None:
    # A claim whose metric other claims share, so the metrics table stays consistent.
    claims = load_ledger(project).claims
    shared = claims[claims.duplicated("metric", keep=False)].index[0]
    dropped = _drop_row(project / "data" / "claims.csv", int(shared))
    ledger = load_ledger(project)
    uncovered = audit(ledger)[0]
    hits = [u for u in uncovered if u.seed == dropped["seed"]]
    assert hits, f"expected a number of {dropped['claim_id']} to become unaccounted"
    assert any(u.sentence and u.mention.text in u.sentence for u in hits)
    assert any(dropped["quote"][:40] in u.sentence or u.sentence in dropped["quote"]
               or dropped["quote"] in u.sentence for u in hits), [str(h) for h in hits]


def test_deleting_an_exclusion_leaves_its_number_unaccounted(project: Path) -> None:
    dropped = _drop_row(project / "data" / "exclusions.csv", 0)
    problems = uncovered_mentions(load_ledger(project))
    assert any(f"{dropped['mention']!r}" in p and dropped["seed"] in p for p in problems), problems


def test_an_exclusion_on_a_claimed_number_is_reported(project: Path) -> None:
    ledger = load_ledger(project)
    claim = ledger.claims.iloc[0]
    with (project / "data" / "exclusions.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [claim["seed"], claim["mention"], claim["quote"], "not_quantitative", "wrong on purpose"])
    problems = uncovered_mentions(load_ledger(project))
    assert any(f"is read by {claim['claim_id']} (data/claims.csv) and the exclusion on line" in p
               for p in problems), problems


def test_a_number_read_by_two_rows_is_reported(project: Path) -> None:
    """Issue 12: a claim duplicated under a new id reads the same printed number as the original."""
    path = project / "data" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    original = lines[1]
    lines.append("C999" + original[original.index(","):])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = uncovered_mentions(load_ledger(project))
    assert any("is read by C" in p and "and C999 (data/claims.csv)" in p for p in problems), problems


def test_deleting_one_of_two_claims_on_one_quote_leaves_its_mention_unread(project: Path) -> None:
    """Issue 12: two claims on one quote with the same value each read their own mention."""
    claims = load_ledger(project).claims
    same = claims[claims.duplicated(["seed", "quote", "value"], keep=False)]
    victim = same.iloc[-1]
    _drop_row(project / "data" / "claims.csv", int(victim.name))
    problems = uncovered_mentions(load_ledger(project))
    number = victim["mention"].split()[0]
    assert any(f"{number!r}" in p and "is read by no row" in p and victim["seed"] in p
               for p in problems), problems


def test_coverage_is_complete_for_every_article(root: Path) -> None:
    from china_kazakhstan.data.coverage import coverage_report

    report = coverage_report(load_ledger(root))
    assert len(report) == len(list((root / "seeds").glob("*.txt")))
    for seed in report:
        assert seed.mentions > 0 and seed.read == seed.mentions, seed


def test_sentence_of_returns_the_whole_sentence() -> None:
    text = "First sentence here. The trade reached 41 billion dollars, up 32%. Next one."
    start = text.index("41")
    assert sentence_of(text, start, start + 2) == "The trade reached 41 billion dollars, up 32%."


def test_candidates_command_lists_unaccounted_numbers_with_sentences(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_seed = project / "seeds" / "005_aaaaaaaaaaaaaaaa.txt"
    new_seed.write_text("In 2025, trade reached 50 billion dollars. It rose 20 percent.\n",
                        encoding="utf-8")
    assert main(["candidates", str(new_seed)]) == 0
    out = capsys.readouterr().out
    assert "'50 billion'" in out and "In 2025, trade reached 50 billion dollars." in out
    assert "'20 percent'" in out and "It rose 20 percent." in out
    assert "every number is" in out  # a seed not in the ledger: everything is a candidate
    # A draft claims.csv row for each, with value, unit, period guessed and the mention as printed.
    assert ",50,USD_billion," in out and ",20,percent," in out and ",20 percent," in out


def test_candidates_for_a_covered_seed_is_empty(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    assert main(["candidates", str(seed)]) == 0
    assert "0 unread number(s)" in capsys.readouterr().out
