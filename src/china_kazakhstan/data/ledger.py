"""Load the figures ledger as typed pandas frames, refusing data that cannot be trusted.

The ledger is what the book knows from the articles: the articles themselves (seeds and
``seeds/sources.csv``), the figures they state (``claims``), the events they mention
(``events``, one row per event, and ``event_mentions``, one row per article's mention),
the named projects, the numbers that are deliberately not figures (``exclusions``), and
what the figures mean (``metrics`` and ``relations``). Every check of a row against its
article and against the other tables is in :mod:`.ledger_checks`; every problem is
reported with file, line, row id and field (:mod:`..errors`), all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..paths import project_root
from .ledger_checks import check_tables
from .periods import PartialDate, parse_period
from .readings import claim_reading
from .schema import DataPackage, Row
from .seeds import verify_seeds

#: The tables of data/datapackage.json that make up the ledger, with the fields this loader
#: reads by name (the outside tables have loaders of their own). ``validate`` checks that the
#: schema declares them, so that a field the schema lost is reported once, as its problem.
RESOURCES: dict[str, tuple[str, ...]] = {
    "sources": ("file", "short_name", "outlet", "owner", "headline", "published", "date_basis", "kind",
                "speaker", "occasion"),
    "claims": ("claim_id", "seed", "topic", "metric", "value", "unit", "period", "qualifier", "mention",
               "quote", "counted_as", "attributed_to"),
    "events": ("event", "event_type", "description", "visitor", "host"),
    "event_mentions": ("mention_id", "event", "seed", "date", "date_basis", "tense", "mention", "quote"),
    "exclusions": ("seed", "mention", "context", "reason"),
    "metrics": ("metric", "label", "topic", "unit", "cumulative", "description", "processing_note",
                "change_note"),
    "relations": ("metric", "relation", "object", "hypothesis"),
    "projects": ("project_id", "seed", "topic", "name", "category", "location", "status", "quote"),
}
#: How messages name this loader.
READER = "the ledger loader (data/ledger.py)"


class UnknownMetric(KeyError):
    """A chapter asks for a metric that data/metrics.csv does not define."""

    def __str__(self) -> str:  # KeyError quotes its message; a reader needs it plain
        return str(self.args[0])


@dataclass
class Ledger:
    """Everything the chapters read: the ledger's tables and the article texts."""

    root: Path
    sources: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    mentions: pd.DataFrame
    exclusions: pd.DataFrame
    seed_texts: dict[str, str]
    metrics: pd.DataFrame
    relations: pd.DataFrame
    projects: pd.DataFrame

    # --- claims -------------------------------------------------------------------------
    def claims_for(self, topic: str) -> pd.DataFrame:
        return self.claims[self.claims["topic"] == topic]

    def metric(self, metric: str) -> pd.DataFrame:
        """All claims of one metric, oldest article first; a plain error for an unknown metric."""
        self.metric_row(metric)
        rows = self.claims[self.claims["metric"] == metric]
        return rows.sort_values(["published_date", "claim_id"])

    def only(self, metric: str) -> pd.Series:
        """The single claim of a metric; a plain error if the ledger holds none or several."""
        rows = self.metric(metric)
        if len(rows) != 1:
            ids = ", ".join(rows["claim_id"]) or "none"
            raise ValueError(f"expected exactly one claim of metric {metric!r} in data/claims.csv, found "
                             f"{len(rows)} ({ids}); a chapter that features one value must choose it "
                             "with analysis.selection.featured")
        return rows.iloc[0]

    def claim(self, claim_id: str) -> pd.Series:
        rows = self.claims.loc[self.claims["claim_id"] == claim_id]
        if rows.empty:
            raise KeyError(f"no claim {claim_id!r} in data/claims.csv")
        return rows.iloc[0]

    # --- metrics and what they mean -----------------------------------------------------
    def metric_row(self, metric: str) -> pd.Series:
        rows = self.metrics[self.metrics["metric"] == metric]
        if rows.empty:
            raise UnknownMetric(f"no metric {metric!r} in data/metrics.csv: a chapter features it, so "
                                "either restore the metric or change the chapter's choice")
        return rows.iloc[0]

    @property
    def labels(self) -> dict[str, str]:
        """Metric -> human label, for table headers and chart titles."""
        return dict(zip(self.metrics["metric"], self.metrics["label"], strict=True))

    def label(self, metric: str) -> str:
        return str(self.metric_row(metric)["label"])

    def related(self, metric: str, relation: str) -> list[str]:
        """The objects of ``metric``'s relations of one kind (data/relations.csv)."""
        rows = self.relations[(self.relations["metric"] == metric) & (self.relations["relation"] == relation)]
        return list(rows["object"])

    def relation(self, relation: str) -> pd.DataFrame:
        """Every row of data/relations.csv of one kind."""
        return self.relations[self.relations["relation"] == relation]

    def growth_of(self, metric: str) -> str | None:
        """The metric that is the growth rate of ``metric``, if data/relations.csv names one."""
        rows = self.relations[(self.relations["relation"] == "growth_of")
                              & (self.relations["object"] == metric)]
        return str(rows["metric"].iloc[0]) if len(rows) else None

    # --- events -------------------------------------------------------------------------
    def event(self, key: str) -> pd.Series:
        rows = self.events[self.events["event"] == key]
        if rows.empty:
            raise KeyError(f"no event {key!r} in data/events.csv")
        return rows.iloc[0]

    def projects_for(self, topic: str) -> pd.DataFrame:
        return self.projects[self.projects["topic"] == topic]


def load_ledger(root: Path | None = None) -> Ledger:
    """Read, check and type the ledger; raise :class:`DataError` listing every problem."""
    root = root or project_root()
    package = DataPackage(root / "data" / "datapackage.json", root)
    package.require(RESOURCES, READER)
    texts, problems = verify_seeds(root / "seeds")
    tables: dict[str, list[Row]] = {}
    files: dict[str, str] = {}
    for name in RESOURCES:
        rows, found = package.read(name)
        tables[name] = rows
        files[name] = package.resources[name].display_path
        problems += found
    problems += check_tables(tables, files, texts)
    if problems:
        raise DataError(problems)
    return _typed(root, tables, texts)


def add_period_columns(frame: pd.DataFrame, column: str = "period", prefix: str = "period") -> list:
    """Parse ``frame[column]`` into kind, start, end, label and year columns (in place).

    Shared by every table with a period (the ledger's claims, the event mentions, the
    outside trade figures), so that a period means the same thing everywhere.
    """
    periods = [parse_period(p) for p in frame[column]]
    frame[f"{prefix}_kind"] = pd.array([p.kind for p in periods], dtype="string")
    frame[f"{prefix}_start"] = pd.to_datetime([p.start_date for p in periods])
    frame[f"{prefix}_end"] = pd.to_datetime([p.end_date for p in periods])
    frame[f"{prefix}_label"] = pd.array([p.label() for p in periods], dtype="string")
    if prefix == "period":
        frame["year"] = [p.year for p in periods]
    return periods


def _frame(rows: list[Row], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([r.values for r in rows], columns=columns).astype("string")
    frame["line"] = [r.line for r in rows]
    return frame


def _with_source(frame: pd.DataFrame, sources: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.merge(sources[["file", *columns]], left_on="seed", right_on="file",
                       how="left").drop(columns="file")


def _typed(root: Path, tables: dict[str, list[Row]], texts: dict[str, str]) -> Ledger:
    def columns(name: str) -> list[str]:
        return list(tables[name][0].values) if tables[name] else []

    sources = _frame(tables["sources"], columns("sources"))
    sources["published_date"] = pd.to_datetime(
        [PartialDate.parse(p).first_day for p in sources["published"]])
    sources["number"] = [int(f.split("_", 1)[0]) for f in sources["file"]]

    claims = _frame(tables["claims"], columns("claims"))
    claims["value"] = claims["value"].astype(float)
    add_period_columns(claims)
    claims["quote_start"] = [texts[s].index(q) for s, q in zip(claims["seed"], claims["quote"], strict=True)]
    claims["mention_start"] = [
        start + claim_reading(q, m, v, u, ql).offset
        for start, q, m, v, u, ql in zip(claims["quote_start"], claims["quote"], claims["mention"],
                                          claims["value"], claims["unit"], claims["qualifier"], strict=True)]
    claims = _with_source(claims, sources, ["short_name", "published", "published_date"])

    mentions = _frame(tables["event_mentions"], columns("event_mentions"))
    add_period_columns(mentions, "date", "date")
    mentions["date_precision"] = [_precision(d) for d in mentions["date"]]
    mentions = _with_source(mentions, sources, ["short_name", "published", "published_date"])

    events = _frame(tables["events"], columns("events"))
    events = events.merge(_event_dates(mentions), on="event", how="left")

    exclusions = _frame(tables["exclusions"], columns("exclusions"))
    metrics = _frame(tables["metrics"], columns("metrics"))
    metrics["cumulative"] = metrics["cumulative"] == "true"
    relations = _frame(tables["relations"], columns("relations"))
    projects = _with_source(_frame(tables["projects"], columns("projects")), sources,
                            ["short_name", "published", "published_date"])
    return Ledger(root=root, sources=sources, claims=claims, events=events, mentions=mentions,
                  exclusions=exclusions, seed_texts=texts, metrics=metrics, relations=relations,
                  projects=projects)


def _precision(date: str) -> str:
    period = parse_period(date)
    if period.kind == "range":
        return "range"
    return period.start.precision


def _event_dates(mentions: pd.DataFrame) -> pd.DataFrame:
    """Each event's date: the narrowest span its mentions give (a derived date only if no other).

    The mentions of one event nest (checked on load), so the narrowest is the most precise.
    """
    marked = mentions.assign(_derived=(mentions["date_basis"] == "derived").astype(bool),
                             _span=mentions["date_end"] - mentions["date_start"],
                             _position=range(len(mentions)))
    # Per event: a stated date before a derived one, then the narrowest, then the first listed.
    best = (marked.sort_values(["_derived", "_span", "_position"], kind="stable")
            .groupby("event", sort=False).head(1).set_index("event"))
    groups = marked.sort_values(["published_date", "_position"], kind="stable").groupby("event", sort=False)
    found = pd.DataFrame({
        "derived": groups["_derived"].all(),
        "mention_ids": groups["mention_id"].agg(lambda ids: ", ".join(sorted(ids))),
        "n_mentions": groups.size(),
        "seeds": groups["seed"].agg(lambda seeds: ", ".join(dict.fromkeys(seeds))),
        "first_published": groups["published_date"].min(),
    })
    order = list(dict.fromkeys(mentions["event"]))  # events in the order they are first mentioned
    dates = best.loc[order, ["date", "date_start", "date_end", "date_label", "date_precision"]]
    table = dates.join(found.loc[order]).reset_index().rename(columns={"index": "event"})
    columns = ["event", "date", "date_start", "date_end", "date_label", "date_precision", "derived",
               "mention_ids", "n_mentions", "seeds", "first_published"]
    return pd.DataFrame({column: table[column].tolist() for column in columns})  # plain dtypes
