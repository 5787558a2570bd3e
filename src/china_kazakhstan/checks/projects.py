"""Projects and dates: a project's stage over time, and the inferred date of an undated article."""

from __future__ import annotations

from .. import fmt
from ..data.ledger import Ledger
from ..data.periods import PartialDate
from .model import Check

#: The stages of data/projects.csv ``status``, in the order a project goes through them;
#: "mentioned" says nothing of the stage and is left out of the order.
STAGE = {"planned": 0, "under_construction": 1, "operating": 2, "completed": 2}
STATUS_WORDS = {"under_construction": "under construction", "mentioned": "mentioned, no status"}


def project_checks(ledger: Ledger) -> list[Check]:
    """Each project named by several articles: the stage reported must not go back in time."""
    found = []
    for name, group in ledger.projects.groupby("name", sort=True):
        if group["seed"].nunique() < 2:
            continue
        group = group.sort_values(["published_date", "project_id"])
        staged = group[group["status"].isin(list(STAGE))]
        stages = [STAGE[s] for s in staged["status"]]
        back = any(b < a for a, b in zip(stages[:-1], stages[1:], strict=True))
        seq = " → ".join(f"{STATUS_WORDS.get(s, s)} ({p}, {a})" for s, p, a in
                         zip(group["status"], group["project_id"], group["short_name"], strict=True))
        moved = len(set(stages)) > 1
        found.append(Check(
            kind="project_status", key=(name,), title=f"{name}: its stage as the articles report it",
            metrics=(), claim_ids=tuple(group["project_id"]), arithmetic=seq,
            verdict="conflict" if back else "consistent",
            explanation=("A later article reports an earlier stage." if back else
                         "The project moves forward between the articles." if moved else
                         "The articles report the same stage, or none."),
            values={"stages": stages}))
    return found


def article_date_checks(ledger: Ledger) -> list[Check]:
    """An inferred date against the data the article reports and the events it announces."""
    found = []
    for _, source in ledger.sources[ledger.sources["date_basis"] == "inferred"].iterrows():
        claims = ledger.claims[ledger.claims["seed"] == source["file"]]
        published = PartialDate.parse(str(source["published"]))
        # Figures dated by the article's own "now" end in its month: they cannot date it.
        before = claims[claims["period_end"].dt.date < published.first_day]
        if before.empty:
            continue
        latest = before.sort_values(["period_end", "claim_id"], ascending=[False, True]).iloc[0]
        last_end = claims.sort_values(["period_end", "claim_id"]).iloc[-1]
        upcoming = ledger.mentions[(ledger.mentions["seed"] == source["file"])
                                   & (ledger.mentions["tense"] == "upcoming")].sort_values("date_start")
        ok = last_end["period_end"].date() <= published.last_day
        text = (f"published {published.label()} (inferred); latest complete data: {latest['claim_id']} "
                f"({latest['period_label']}); no figure ends after {published.label()}")
        event_ids: tuple[str, ...] = ()
        if len(upcoming):
            first = upcoming.iloc[0]
            ok = ok and published.first_day <= first["date_start"].date()
            text += f"; announced as coming: {first['mention_id']} ({first['date_label']})"
            event_ids = (first["mention_id"],)
        found.append(Check(
            kind="article_date", key=(str(source["file"]),), title=f"Date of the undated {source['short_name']} article",
            metrics=(), claim_ids=(latest["claim_id"],), event_ids=event_ids, arithmetic=text,
            verdict="consistent" if ok else "conflict",
            explanation=("The inferred month falls after the latest data the article reports and before the "
                         "event it announces; its 'now', 'last year' and 'this year' are read from that month."
                         if ok else "The inferred date does not fit the data or the events the article reports."),
            values={"published": published, "latest": latest["period_end"].date(),
                    "published_label": fmt.month(published.first_day)}))
    return found
