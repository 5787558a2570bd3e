"""The changelog: what changed since the previous edition is computed, and every change has its reason."""

from __future__ import annotations

import pandas as pd

from china_kazakhstan import book
from china_kazakhstan.analysis.editions import check_changes, claim_changes
from china_kazakhstan.data.tables import load_table


def test_every_correction_and_changed_check_has_a_reason() -> None:
    ledger = book.load()
    reasons = set(load_table("changelog")["item"])
    figures = claim_changes(load_table("previous_claims"), ledger.claims)
    assert set(figures[figures["change"] != "added"]["item"]) <= reasons
    checks = check_changes(load_table("previous_register"), book.checks(ledger))
    changed = checks[~checks["change"].isin(["kept", "new"])]
    assert set(changed["previous"]) <= reasons, set(changed["previous"]) - reasons


def test_a_correction_is_found() -> None:
    previous = pd.DataFrame([{"claim_id": "C001", "seed": "s", "metric": "m", "value": 3.0, "unit": "count",
                              "period": "2016", "qualifier": "exact"}])
    current = previous.assign(value=4.0)
    changes = claim_changes(previous, current)
    assert list(changes["change"]) == ["corrected"] and changes["detail"].iloc[0] == "value: 3 → 4"
    assert list(claim_changes(previous, previous)["change"]) == []
    assert list(claim_changes(previous, previous.iloc[0:0])["change"]) == ["removed"]
