"""The discrepancy register as readers see it: one entry per check, anchored by its id.

Each entry is a small block (not a row of a wide table), so that the arithmetic and the
explanation read as sentences on screen and on paper: the id and what is compared as its
heading, then the figures (linked to their quotes), the arithmetic, the verdict under the
book's reading and, where it differs, under the literal one, the explanation and what
the verdict assumes.
"""

from __future__ import annotations

import html

import pandas as pd

from .. import fmt
from ..checks.model import KINDS, VERDICT_LABELS, VERDICTS
from .tables import html_table, quote_links


def entry_html(check) -> str:
    """One register entry, anchored by the check's id."""
    cid = html.escape(check.check_id)
    ids = quote_links([*check.claim_ids, *check.event_ids])
    verdict = html.escape(check.verdict_label)
    if check.depends_on_reading:
        verdict += (f" as the book reads the figures; read literally: "
                    f"{html.escape(VERDICT_LABELS[check.literal_verdict])}")
    parts = [f'<div class="check-entry verdict-{check.verdict}" id="{cid}">',
             f'<p class="check-title"><span class="check-id">{cid}</span> {html.escape(check.title)}</p>',
             "<dl>",
             f"<dt>Figures</dt><dd>{ids}</dd>",
             f"<dt>Arithmetic</dt><dd>{html.escape(check.arithmetic)}</dd>",
             f"<dt>Verdict</dt><dd>{verdict}</dd>",
             f"<dt>Explanation</dt><dd>{html.escape(check.explanation)}</dd>"]
    if check.hypothesis:
        parts.append(f"<dt>Assumes</dt><dd>{html.escape(fmt.capital(check.hypothesis))}</dd>")
    parts += ["</dl>", "</div>"]
    return "".join(parts)


def entries(checks, verdicts=VERDICTS):
    """Register entries of the given verdicts, in register order, as one HTML block."""
    from IPython.display import HTML

    chosen = [c for c in checks if c.verdict in verdicts]
    if not chosen:
        return HTML("<p>None.</p>")
    return HTML('<div class="register">' + "".join(entry_html(c) for c in chosen) + "</div>")


def summary_frame(checks) -> pd.DataFrame:
    """How many checks of each kind, by verdict (for the summary table); a column for the checks
    without a verdict (beyond the data they need) only when there are any."""
    verdicts = [*VERDICTS, *([""] if any(not c.verdict for c in checks) else [])]

    def counts(mine) -> dict[str, str]:
        return {fmt.capital(VERDICT_LABELS.get(v, "no verdict")):
                fmt.number(sum(c.verdict == v for c in mine)) for v in verdicts}

    rows = []
    for kind, (_, what) in KINDS.items():
        mine = [c for c in checks if c.kind == kind]
        if not mine:
            continue
        rows.append({"What is checked": fmt.capital(what), **counts(mine), "Checks": fmt.number(len(mine))})
    rows.append({"What is checked": "All checks", **counts(checks), "Checks": fmt.number(len(checks))})
    return pd.DataFrame(rows)


def summary_table(checks):
    from IPython.display import HTML

    frame = summary_frame(checks)
    return HTML(html_table(frame, numeric_columns=[c for c in frame.columns if c != "What is checked"]))
