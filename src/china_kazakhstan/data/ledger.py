"""Load the figures ledger as typed pandas frames, refusing data that cannot be trusted.

Checks, each reported with file, line, row id and field (see :mod:`.errors`):

* the seeds match their sha256 manifest (:mod:`.seeds`);
* every table follows its schema in ``data/datapackage.json`` (:mod:`.schema`);
* every ``seed`` names a row of ``seeds/sources.csv``;
* every quote occurs verbatim in its seed;
* every claim's quote states the claim's value in the claim's unit (:mod:`.numbers`);
* every claim's metric has exactly one row in ``data/metrics.csv``, with the claim's
  topic and unit, and every metric row is used by a claim: the label, unit and topic a
  chart shows are then those of every figure it plots;
* every period and event date parses (:mod:`.periods`);
* every exclusion's mention occurs in its context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..paths import project_root
from . import numbers
from .periods import PartialDate, PeriodError, parse_period
from .schema import DataPackage, Row
from .seeds import verify_seeds


@dataclass
class Ledger:
    """Everything the chapters read: the ledger's tables and the seed texts."""

    root: Path
    sources: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    exclusions: pd.DataFrame
    seed_texts: dict[str, str]
    metrics: pd.DataFrame
    projects: pd.DataFrame

    def claims_for(self, topic: str) -> pd.DataFrame:
        return self.claims[self.claims["topic"] == topic]

    def metric(self, metric: str) -> pd.DataFrame:
        """All claims of one metric, oldest article first."""
        rows = self.claims[self.claims["metric"] == metric]
        return rows.sort_values(["published_date", "claim_id"])

    def only(self, metric: str) -> pd.Series:
        """The single claim of a metric; an error if the ledger holds none or several."""
        rows = self.claims[self.claims["metric"] == metric]
        if len(rows) != 1:
            raise ValueError(f"expected one claim of {metric!r}, found {len(rows)}")
        return rows.iloc[0]

    def claim(self, claim_id: str) -> pd.Series:
        return self.claims.loc[self.claims["claim_id"] == claim_id].iloc[0]

    @property
    def labels(self) -> dict[str, str]:
        """Metric -> human label, for table headers and chart titles."""
        return dict(zip(self.metrics["metric"], self.metrics["label"], strict=True))

    def label(self, metric: str) -> str:
        """The human label of one metric; KeyError names an unknown metric."""
        labels = self.labels
        if metric not in labels:
            raise KeyError(f"no metric {metric!r} in data/metrics.csv")
        return labels[metric]

    def projects_for(self, topic: str) -> pd.DataFrame:
        return self.projects[self.projects["topic"] == topic]


def load_ledger(root: Path | None = None) -> Ledger:
    """Read, check and type the ledger; raise :class:`DataError` listing every problem."""
    root = root or project_root()
    package = DataPackage(root / "data" / "datapackage.json", root)
    texts, problems = verify_seeds(root / "seeds")

    tables: dict[str, list[Row]] = {}
    for name in ("sources", "claims", "events", "exclusions", "metrics", "projects"):
        rows, found = package.read(name)
        tables[name] = rows
        problems += found

    sources_file = package.resources["sources"].display_path
    known = {row["file"] for row in tables["sources"]}
    for row in tables["sources"]:
        if row["file"] not in texts and row["file"]:
            problems.append(Problem(sources_file, row.line, row["file"], "file",
                                    "names a seed that is missing or failed its manifest check"))
        try:
            PartialDate.parse(row["published"])
        except PeriodError as exc:
            problems.append(Problem(sources_file, row.line, row["file"], "published", str(exc)))
    for name in texts:
        if name not in known:
            problems.append(Problem(sources_file, None, name, "file",
                                    f"seed {name} has no row describing it"))

    for name, key in (("claims", "claim_id"), ("events", "event_id"), ("exclusions", None),
                      ("projects", "project_id")):
        file = package.resources[name].display_path
        for row in tables[name]:
            row_id = row[key] if key else f"{row['seed']}: {row['mention']!r}"
            problems += _check_seed_and_quote(file, row, row_id, texts, known,
                                              "context" if name == "exclusions" else "quote")
    problems += _check_claims(package.resources["claims"].display_path, tables["claims"], texts)
    problems += _check_metrics(package.resources["claims"].display_path, tables["claims"],
                               package.resources["metrics"].display_path, tables["metrics"])
    problems += _check_events(package.resources["events"].display_path, tables["events"])
    problems += _check_exclusions(package.resources["exclusions"].display_path,
                                  tables["exclusions"], texts)
    if problems:
        raise DataError(problems)
    return _typed(root, tables, texts)


def _check_seed_and_quote(file: str, row: Row, row_id: str, texts: dict[str, str],
                          known: set[str], quote_field: str) -> list[Problem]:
    seed = row["seed"]
    if seed not in known:
        return [Problem(file, row.line, row_id, "seed",
                        f"{seed!r} is not a file listed in seeds/sources.csv")]
    text = texts.get(seed)
    if text is None:
        return []  # the seed's own problem is already reported
    quote = row[quote_field]
    if quote and quote not in text:
        hint = _near_miss(quote, text)
        return [Problem(file, row.line, row_id, quote_field,
                        f"{quote!r} does not occur verbatim in seeds/{seed}{hint}")]
    return []


def _near_miss(quote: str, text: str) -> str:
    """A hint for the commonest copy errors: straight vs curly quotes, spacing."""
    def fold(s: str) -> str:
        for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-")):
            s = s.replace(curly, straight)
        return " ".join(s.split())
    if fold(quote) in fold(text):
        return " (it does if quotes, dashes or spaces are normalised: copy it exactly)"
    return ""


def _check_claims(file: str, rows: list[Row], texts: dict[str, str]) -> list[Problem]:
    problems = []
    for row in rows:
        cid = row["claim_id"]
        try:
            parse_period(row["period"])
        except PeriodError as exc:
            problems.append(Problem(file, row.line, cid, "period", str(exc)))
        try:
            value = float(row["value"])
        except ValueError:
            continue  # reported by the schema check
        unit, quote = row["unit"], row["quote"]
        if unit not in numbers.UNIT_KINDS or not quote:
            continue  # reported by the schema check
        mentions = numbers.find_mentions(quote)
        if not any(numbers.matches_unit(m, value, unit) for m in mentions):
            stated = ", ".join(repr(m.text) for m in mentions) or "no number at all"
            problems.append(Problem(
                file, row.line, cid, "value",
                f"the quote does not state {row['value']} {unit}; it states {stated}"))
    return problems


def _check_metrics(claims_file: str, claims: list[Row],
                   metrics_file: str, metrics: list[Row]) -> list[Problem]:
    """Claims and metrics match one to one, and agree on topic and unit."""
    problems = []
    by_metric = {row["metric"]: row for row in metrics}
    for row in claims:
        metric = by_metric.get(row["metric"])
        if metric is None:
            if row["metric"]:
                problems.append(Problem(
                    claims_file, row.line, row["claim_id"], "metric",
                    f"metric {row['metric']!r} has no row in {metrics_file}: add one "
                    "(label, topic, unit, description) or fix the spelling"))
            continue
        for field in ("unit", "topic"):
            if row[field] and metric[field] and row[field] != metric[field]:
                problems.append(Problem(
                    claims_file, row.line, row["claim_id"], field,
                    f"{field} {row[field]!r} differs from the {field} {metric[field]!r} of metric "
                    f"{row['metric']!r} in {metrics_file} (line {metric.line})"))
    used = {row["metric"] for row in claims}
    for row in metrics:
        if row["metric"] and row["metric"] not in used:
            problems.append(Problem(
                metrics_file, row.line, row["metric"], "metric",
                f"metric {row['metric']!r} is used by no claim in {claims_file}: "
                "remove the row or fix the claims' spelling"))
    return problems


def _check_events(file: str, rows: list[Row]) -> list[Problem]:
    problems = []
    for row in rows:
        try:
            PartialDate.parse(row["date"])
        except PeriodError as exc:
            problems.append(Problem(file, row.line, row["event_id"], "date", str(exc)))
    return problems


def _check_exclusions(file: str, rows: list[Row], texts: dict[str, str]) -> list[Problem]:
    problems = []
    for row in rows:
        found = [m.text for m in numbers.find_mentions(row["context"])]
        if row["mention"] and row["mention"] not in found:
            problems.append(Problem(
                file, row.line, f"{row['seed']}: {row['mention']!r}", "mention",
                f"{row['mention']!r} is not a numeric mention of the context "
                f"(the scanner finds {found or 'none'})"))
    return problems


def add_period_columns(frame: pd.DataFrame) -> list:
    """Parse ``frame["period"]`` into kind, start, end, label and year columns (in place).

    Shared by every table with a period (the ledger's claims, the outside trade figures),
    so that a period means the same thing everywhere. Returns the parsed periods.
    """
    periods = [parse_period(p) for p in frame["period"]]
    frame["period_kind"] = pd.array([p.kind for p in periods], dtype="string")
    frame["period_start"] = pd.to_datetime([p.start_date for p in periods])
    frame["period_end"] = pd.to_datetime([p.end_date for p in periods])
    frame["period_label"] = pd.array([p.label() for p in periods], dtype="string")
    frame["year"] = [p.year for p in periods]
    return periods


def _typed(root: Path, tables: dict[str, list[Row]], texts: dict[str, str]) -> Ledger:
    sources = pd.DataFrame([r.values for r in tables["sources"]]).astype("string")
    sources["published_date"] = pd.to_datetime(
        [PartialDate.parse(p).first_day for p in sources["published"]])
    sources["line"] = [r.line for r in tables["sources"]]

    claims = pd.DataFrame([r.values for r in tables["claims"]]).astype("string")
    claims["value"] = claims["value"].astype(float)
    add_period_columns(claims)
    claims["line"] = [r.line for r in tables["claims"]]
    claims["quote_start"] = [texts[s].index(q) for s, q in zip(claims["seed"], claims["quote"],
                                                                strict=True)]
    claims = claims.merge(sources[["file", "short_name", "published", "published_date"]],
                          left_on="seed", right_on="file", how="left").drop(columns="file")

    events = pd.DataFrame([r.values for r in tables["events"]]).astype("string")
    dates = [PartialDate.parse(d) for d in events["date"]]
    events["date_start"] = pd.to_datetime([d.first_day for d in dates])
    events["date_precision"] = pd.array([d.precision for d in dates], dtype="string")
    events["date_label"] = pd.array([d.label() for d in dates], dtype="string")
    events["line"] = [r.line for r in tables["events"]]
    events = events.merge(sources[["file", "short_name", "published"]],
                          left_on="seed", right_on="file", how="left").drop(columns="file")

    exclusions = pd.DataFrame([r.values for r in tables["exclusions"]],
                              columns=[f for f in ("seed", "mention", "context", "reason", "note")]
                              ).astype("string")
    metrics = pd.DataFrame([r.values for r in tables["metrics"]]).astype("string")
    metrics["line"] = [r.line for r in tables["metrics"]]

    projects = pd.DataFrame([r.values for r in tables["projects"]]).astype("string")
    projects["line"] = [r.line for r in tables["projects"]]
    projects = projects.merge(sources[["file", "short_name", "published"]],
                              left_on="seed", right_on="file", how="left").drop(columns="file")
    return Ledger(root=root, sources=sources, claims=claims, events=events,
                  exclusions=exclusions, seed_texts=texts, metrics=metrics, projects=projects)
