"""What changed since the previous edition: figures added, removed or corrected, checks whose
verdict changed, checks removed, split or new.

The previous edition is kept as a snapshot under ``data/editions/<version>/`` (its claims and
its register); the comparison is computed, so that the changelog page cannot forget a change.
Why each change was made is data too (``data/changelog.csv``), and a test requires a reason
for every change this module finds.
"""

from __future__ import annotations

import pandas as pd

#: The fields of a claim whose change is a correction of a figure.
FIELDS = ("metric", "value", "unit", "period", "qualifier")
#: Kinds of check as edition 0.1.0 named them, and the kinds of this edition they became.
RENAMED_KINDS = {"same_metric": ("same_period", "over_time"), "pro_rata": ("pace",),
                 "count_vs_events": ("visits",), "rank_vs_value": ("rank_components",)}


def claim_changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """One row per claim added, removed or corrected (with the fields that changed)."""
    before = previous.set_index("claim_id")
    now = current.set_index("claim_id")
    rows = []
    for cid in sorted(set(before.index) | set(now.index)):
        if cid not in before.index:
            rows.append({"item": cid, "change": "added", "detail": ""})
        elif cid not in now.index:
            rows.append({"item": cid, "change": "removed", "detail": ""})
        else:
            diffs = [f"{f}: {_text(before.at[cid, f])} → {_text(now.at[cid, f])}" for f in FIELDS
                     if _text(before.at[cid, f]) != _text(now.at[cid, f])]
            if diffs:
                rows.append({"item": cid, "change": "corrected", "detail": "; ".join(diffs)})
    return pd.DataFrame(rows, columns=["item", "change", "detail"])


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_changes(previous: pd.DataFrame, checks) -> pd.DataFrame:
    """Each check of the previous edition matched to this edition's checks by the claims they compare.

    ``change`` is ``kept`` (same claims, same verdict), ``verdict`` (same claims, another verdict),
    ``reading`` (same verdict, now also shown under the literal reading, which differs),
    ``split`` (its claims now compared by several checks), or ``removed``; checks of this edition
    that match none of the previous ones are ``new``.
    """
    rows, matched = [], set()
    for old in previous.itertuples():
        ids = {i.strip() for i in str(old.claim_ids).split(",") if i.strip()}
        kinds = RENAMED_KINDS.get(old.kind, (old.kind,))
        same = [c for c in checks if set(c.claim_ids) == ids and c.kind in kinds]
        inside = [c for c in checks if set(c.claim_ids) and set(c.claim_ids) < ids and c.kind == "project_status"]
        if same:
            new = same[0]
            matched.add(new.check_id)
            change = ("verdict" if new.verdict != old.verdict else
                      "reading" if new.depends_on_reading else "kept")
            rows.append({"previous": old.check_id, "current": new.check_id, "change": change,
                         "before": old.verdict, "after": new.verdict, "title": new.title})
        elif inside:
            matched.update(c.check_id for c in inside)
            rows.append({"previous": old.check_id, "current": ", ".join(c.check_id for c in inside),
                         "change": "split", "before": old.verdict, "after": "", "title": old.title})
        else:
            rows.append({"previous": old.check_id, "current": "", "change": "removed",
                         "before": old.verdict, "after": "", "title": old.title})
    for c in checks:
        if c.check_id not in matched:
            rows.append({"previous": "", "current": c.check_id, "change": "new", "before": "",
                         "after": c.verdict, "title": c.title})
    return pd.DataFrame(rows, columns=["previous", "current", "change", "before", "after", "title"])
