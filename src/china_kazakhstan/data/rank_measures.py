"""Which of the articles' ranks the IMF's figures can check, and how: ``data/rank_measures.csv``.

An article's "second largest trading partner" is a statement about a ranking, and a ranking
needs two choices the article leaves unsaid: what the partners are ranked by (total trade,
exports or imports) and in whose records (a rank among Kazakhstan's partners is counted in
Kazakhstan's own figures). Both are data, one row per rank metric, so that the checks that set
the ranks against the IMF's yearly ranks (:mod:`china_kazakhstan.checks.outside`) name no
metric and no country.

The table is read through its schema in data/datapackage.json, and on top of it each row must
name a metric of data/metrics.csv whose unit is a rank, and a reporter and a partner that are
economies of data/external/imf_dots_partners.csv (else the IMF files have nothing to rank).
Every problem is reported with file, line, row id and field, all at once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from .imf import PARTNERS_FILE, load_partners
from .schema import DataPackage

RESOURCE = "rank_measures"
#: What this loader reads: its resource and the fields it checks by name (``validate`` checks
#: that the schema declares them, and so does :func:`load_rank_measures`).
RESOURCES = {RESOURCE: ("metric", "measure", "reporter", "partner", "note")}
#: How messages name this loader.
READER = "the rank-measures loader (data/rank_measures.py)"
#: The columns of the loaded frame: the CSV's, then the line each row is on.
COLUMNS = ["metric", "measure", "reporter", "partner", "note", "line"]


def has_rank_measures(root: Path) -> bool:
    """Whether the data package declares the table (a project may have none: then nothing is checked)."""
    return RESOURCE in DataPackage(root / "data" / "datapackage.json", root).resources


def load_rank_measures(root: Path, metrics: pd.DataFrame) -> pd.DataFrame:
    """Read and check the table; ``metrics`` is the ledger's metrics frame. :class:`DataError` if wrong.

    Columns: those of the CSV and ``line`` (its line in the file).
    """
    package = DataPackage(root / "data" / "datapackage.json", root)
    if RESOURCE not in package.resources:
        raise DataError([Problem("data/datapackage.json", None, None, None,
                                 f"has no resource {RESOURCE!r}: declare data/{RESOURCE}.csv there")])
    package.require(RESOURCES, READER)
    rows, problems = package.read(RESOURCE)
    file = package.resources[RESOURCE].display_path
    partners, partner_problems = load_partners(root)
    problems += partner_problems
    economies = set(partners.economy.values())
    units = dict(zip(metrics["metric"], metrics["unit"], strict=True))
    for row in rows:
        metric = row.get("metric")
        if metric and metric not in units:
            problems.append(Problem(file, row.line, metric, "metric",
                                    f"{metric!r} is not a metric of data/metrics.csv: add it there or "
                                    "correct the name"))
        elif metric and units[metric] != "rank":
            problems.append(Problem(file, row.line, metric, "metric",
                                    f"{metric!r} is in {units[metric]!r}, not a rank: only ranks among "
                                    "trading partners belong in this table"))
        for field in ("reporter", "partner"):
            value = row.get(field)
            if value and economies and value not in economies:
                problems.append(Problem(file, row.line, metric or None, field,
                                        f"{value!r} is not an economy of {PARTNERS_FILE} (known: "
                                        f"{', '.join(sorted(economies))}): the IMF files have no figures "
                                        "to rank it by"))
        if row.get("reporter") and row.get("reporter") == row.get("partner"):
            problems.append(Problem(file, row.line, metric or None, "partner",
                                    "is the reporter itself: a country is not its own trading partner"))
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame([r.values for r in rows], columns=COLUMNS[:-1]).astype("string")
    frame["line"] = [r.line for r in rows]
    return frame


def check_rank_measures(root: Path) -> list[Problem]:
    """Everything ``validate`` checks of the table: its schema and its own checks, against the
    metrics of data/metrics.csv (read through their schema) and the economies of the partner table."""
    package = DataPackage(root / "data" / "datapackage.json", root)
    if RESOURCE not in package.resources:
        return []
    rows, problems = package.read("metrics")
    metrics = pd.DataFrame([r.values for r in rows], columns=package.resources["metrics"].field_names)
    try:
        load_rank_measures(root, metrics)
    except DataError as exc:
        problems += exc.problems
    return problems
