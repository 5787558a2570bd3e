"""The cross-checks: every comparison the ledger allows, each with its arithmetic and verdict.

The engine walks the ledger systematically; what a comparison needs to know about the
figures (growth rates, parts and wholes, anniversaries, whose visits) comes from
data/metrics.csv and data/relations.csv, so this package names no metric. Each kind of
check lives in its own module:

``same_metric``  the same metric in several articles: same period, and over time
``implied``      a total and its growth rate against another article's figure
``pace``         part of a year against the previous full year at an even pace
``anniversaries`` start years of "N years since" and of numbered annual meetings
``visits``       counts of visits against the visits the articles date
``parts``        parts within wholes; an overall rank within its components
``projects``     a project's stage over time; the date of an undated article
``outside``      the articles' rank statements against the IMF's yearly ranks

Every check is computed once, here; the chapters show its verdict, never recompute it.
"""

from __future__ import annotations

import pandas as pd

from ..data.ledger import Ledger
from . import anniversaries, implied, outside, pace, parts, projects, same_metric, visits
from .model import KINDS, NO_VERDICT_LABEL, VERDICT_LABELS, VERDICTS, Check, check_id

__all__ = ["KINDS", "NO_VERDICT_LABEL", "VERDICTS", "VERDICT_LABELS", "Check", "check_id", "run_checks", "register",
           "find", "where", "using", "by_id"]


def run_checks(ledger: Ledger) -> list[Check]:
    """Every check the ledger allows, ordered by kind, then by the metrics' order, then by claims.

    Computed once per loaded ledger (the result is kept on it).
    """
    cached = getattr(ledger, "_checks", None)
    if cached is not None:
        return cached
    found = [*same_metric.checks(ledger), *implied.checks(ledger), *pace.checks(ledger),
             *anniversaries.checks(ledger), *visits.checks(ledger), *parts.checks(ledger),
             *projects.project_checks(ledger), *projects.article_date_checks(ledger),
             *outside.checks(ledger)]
    order = {m: i for i, m in enumerate(ledger.metrics["metric"])}
    kinds = list(KINDS)
    found.sort(key=lambda c: (kinds.index(c.kind), min((order.get(m, len(order)) for m in c.metrics),
                                                        default=len(order)), c.claim_ids))
    ids = [c.check_id for c in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"two checks share the id(s) {sorted(duplicates)}: their keys collide; "
                           "lengthen the hash in checks/model.py:check_id")
    object.__setattr__(ledger, "_checks", found)
    return found


def register(checks: list[Check]) -> pd.DataFrame:
    """The discrepancy register: one row per check, disagreements first, then by id."""
    frame = pd.DataFrame([{
        "check_id": c.check_id, "kind": c.kind, "title": c.title, "metrics": ", ".join(c.metrics),
        "claim_ids": ", ".join(c.claim_ids), "event_ids": ", ".join(c.event_ids),
        "arithmetic": c.arithmetic, "verdict": c.verdict, "verdict_label": c.verdict_label,
        "literal_verdict": c.literal_verdict, "explanation": c.explanation, "hypothesis": c.hypothesis,
    } for c in checks], columns=["check_id", "kind", "title", "metrics", "claim_ids", "event_ids", "arithmetic",
                                 "verdict", "verdict_label", "literal_verdict", "explanation", "hypothesis"])
    frame["_order"] = frame["verdict"].map({v: -i for i, v in enumerate(VERDICTS)})
    return frame.sort_values(["_order", "check_id"]).drop(columns="_order").reset_index(drop=True)


def find(checks: list[Check], kind: str, metric: str | None = None, claim: str | None = None) -> Check:
    """The one check of a kind (on a metric, involving a claim); a plain error if none or several."""
    found = [c for c in checks if c.kind == kind and (metric is None or metric in c.metrics)
             and (claim is None or claim in c.claim_ids)]
    if len(found) != 1:
        what = ", ".join(filter(None, [kind, metric and f"metric {metric}", claim and f"claim {claim}"]))
        raise LookupError(f"expected one check ({what}), found {len(found)}: "
                          f"{', '.join(c.check_id for c in found) or 'none'}")
    return found[0]


def where(checks: list[Check], kind: str | None = None, metric: str | None = None,
          claim: str | None = None) -> list[Check]:
    """Every check of a kind (on a metric, involving a claim), in register order."""
    return [c for c in checks if (kind is None or c.kind == kind) and (metric is None or metric in c.metrics)
            and (claim is None or claim in c.claim_ids)]


def using(checks: list[Check], metrics) -> list[Check]:
    """The checks that use any of ``metrics``."""
    wanted = set(metrics)
    return [c for c in checks if wanted & set(c.metrics)]


def by_id(checks: list[Check], check_id_: str) -> Check:
    for c in checks:
        if c.check_id == check_id_:
            return c
    raise KeyError(f"no check {check_id_!r}")
