"""Diplomatic context: the arithmetic behind the chapter, recomputed from the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from china_kazakhstan.chapters import diplomacy
from china_kazakhstan.data.ledger import load_ledger


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(Path(__file__).resolve().parents[1])


def test_visit_counts_compare_with_visits_dated_before_each_count(ledger) -> None:
    counts = diplomacy.xi_visit_counts(ledger)
    dated = diplomacy.xi_visit_events(ledger)
    claims = ledger.metric("xi_visits_to_kz")
    assert list(counts["claim_id"]) == list(claims["claim_id"])
    for row in counts.itertuples():
        before = (dated["date_start"] < row.as_of).sum()
        assert row.dated_by_then == before, f"expected {before} dated visits before {row.as_of}"
        assert row.undated == row.stated - before


def test_visits_in_one_year_are_one_visit(ledger) -> None:
    dated = diplomacy.xi_visit_events(ledger)
    assert dated["year"].is_unique
    assert any("," in ids for ids in dated["event_ids"]), "two articles date the same visit"


def test_anniversaries_imply_start_years_with_intervals(ledger) -> None:
    table = diplomacy.anniversaries(ledger)
    for row in table.itertuples():
        claim = ledger.claim(row.claim_id)
        assert row.start == claim["period_end"].year - claim["value"]
        assert row.low <= row.start <= row.high
    about = table[table["qualifier"] == "about"]
    exact = table[table["qualifier"] == "exact"]
    assert (about["high"] - about["low"]).min() > (exact["high"] - exact["low"]).max()


def test_sco_meetings_between_numbered_summits(ledger) -> None:
    sco = diplomacy.sco_meetings(ledger)
    rows = ledger.metric("sco_heads_of_state_meeting_number")
    assert sco["meetings"] == int(rows["value"].max() - rows["value"].min())
    assert sco["years"] == int(rows["period_end"].dt.year.max() - rows["period_end"].dt.year.min())


def test_facts_are_text_and_chart_is_finished(ledger) -> None:
    facts = diplomacy.facts(ledger)
    assert all(isinstance(v, str) and v for v in facts.values())
    fig = diplomacy.visits_chart(ledger)
    texts = [t.get_text() for t in fig.texts]
    assert fig._suptitle.get_text().startswith("The articles count")
    assert any(t.startswith("Source: ") for t in texts)
    ax = fig.axes[0]
    assert ax.get_ylabel() and ax.get_xlabel()
