"""The metrics and projects tables: the loader accepts the real data and refuses broken copies.

Each test copies the project's data into a temporary root, breaks one thing, and checks
that the single :class:`DataError` names the file, the line, the row id and the field,
so that a maintainer can fix the CSV from the message alone. Expectations are read from
the data files themselves, never copied from the loader's output.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.data.schema import DataPackage
from china_kazakhstan.errors import DataError
from china_kazakhstan.paths import project_root

ROOT = project_root(Path(__file__).parent)


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs, with the line numbers the loader reports."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, row) for row in reader]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _where(file: str, line: int, row_id: str, field: str) -> str:
    """The start of a problem as :class:`Problem` prints it, as a regex."""
    return re.escape(f"{file}, line {line} ({row_id}), field '{field}'")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_real_data_loads_and_every_claim_metric_has_a_label():
    ledger = load_ledger(ROOT)
    claim_metrics = {row["metric"] for _, row in _rows(ROOT / "data" / "claims.csv")}
    metric_rows = _rows(ROOT / "data" / "metrics.csv")
    assert {row["metric"] for _, row in metric_rows} == claim_metrics
    assert len(metric_rows) == len(claim_metrics), "a metric has more than one row"
    for metric in claim_metrics:
        label = ledger.label(metric)
        assert isinstance(label, str) and label.strip(), metric
    assert set(ledger.labels) == claim_metrics
    with pytest.raises(KeyError, match="no_such_metric"):
        ledger.label("no_such_metric")


def test_projects_load_with_their_source():
    ledger = load_ledger(ROOT)
    project_rows = _rows(ROOT / "data" / "projects.csv")
    assert list(ledger.projects["project_id"]) == [row["project_id"] for _, row in project_rows]
    sources = {row["file"]: row["short_name"] for _, row in _rows(ROOT / "seeds" / "sources.csv")}
    for _, row in ledger.projects.iterrows():
        assert row["short_name"] == sources[row["seed"]]


def test_projects_are_numbered_in_seed_then_text_order():
    rows = [row for _, row in _rows(ROOT / "data" / "projects.csv")]
    ids = [row["project_id"] for row in rows]
    assert ids == [f"P{n:03d}" for n in range(1, len(rows) + 1)]
    texts = {row["seed"]: (ROOT / "seeds" / row["seed"]).read_text(encoding="utf-8")
             for row in rows}
    positions = [(row["seed"], texts[row["seed"]].index(row["quote"])) for row in rows]
    assert positions == sorted(positions)


def test_each_project_name_has_one_category_and_topic():
    """The chapters group mentions by name, so a name must not change kind between rows."""
    kinds: dict[str, set[tuple[str, str]]] = {}
    for _, row in _rows(ROOT / "data" / "projects.csv"):
        kinds.setdefault(row["name"], set()).add((row["category"], row["topic"]))
    assert {name: k for name, k in kinds.items() if len(k) > 1} == {}


@pytest.mark.end_to_end
def test_frictionless_validates_the_package():
    import frictionless  # pinned (requirements.lock): missing is a failure, never a skip
    # trusted: the sources resource lives in ../seeds/, which frictionless calls unsafe
    with frictionless.system.use_context(trusted=True):
        report = frictionless.Package(str(ROOT / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_claims_foreign_key_to_metrics_is_declared():
    package = DataPackage(ROOT / "data" / "datapackage.json", ROOT)
    references = [fk["reference"] for fk in package.resources["claims"].foreign_keys]
    assert {"resource": "metrics", "fields": ["metric"]} in references


def test_missing_metric_row(copy: Path):
    metrics = _rows(copy / "data" / "metrics.csv")
    removed = metrics[0][1]["metric"]
    _write(copy / "data" / "metrics.csv", [row for _, row in metrics[1:]])
    line, claim = next((line, row) for line, row in _rows(copy / "data" / "claims.csv")
                       if row["metric"] == removed)
    with pytest.raises(DataError, match=_where("data/claims.csv", line, claim["claim_id"],
                                               "metric") + f".*{re.escape(removed)}.*no row"):
        load_ledger(copy)


def test_unused_metric_row(copy: Path):
    metrics = [row for _, row in _rows(copy / "data" / "metrics.csv")]
    extra = dict(metrics[0], metric="never_claimed_metric", label="Never claimed")
    _write(copy / "data" / "metrics.csv", [*metrics, extra])
    line = _rows(copy / "data" / "metrics.csv")[-1][0]
    with pytest.raises(DataError, match=_where("data/metrics.csv", line, "never_claimed_metric",
                                               "metric") + ".*used by no claim"):
        load_ledger(copy)


def _other(field: str, value: str, package_root: Path) -> str:
    """Another allowed value of a claims field, taken from the schema."""
    package = DataPackage(package_root / "data" / "datapackage.json", package_root)
    return next(v for v in package.resources["claims"].field(field).enum if v != value)


def test_unit_mismatch(copy: Path):
    metrics = [row for _, row in _rows(copy / "data" / "metrics.csv")]
    target = metrics[0]
    original = target["unit"]
    target["unit"] = _other("unit", original, copy)
    _write(copy / "data" / "metrics.csv", metrics)
    line, claim = next((line, row) for line, row in _rows(copy / "data" / "claims.csv")
                       if row["metric"] == target["metric"])
    pattern = (_where("data/claims.csv", line, claim["claim_id"], "unit")
               + f".*{re.escape(repr(original))}.*{re.escape(repr(target['unit']))}")
    with pytest.raises(DataError, match=pattern):
        load_ledger(copy)


def test_topic_mismatch(copy: Path):
    claims = _rows(copy / "data" / "claims.csv")
    line, claim = claims[-1]
    original = claim["topic"]
    claim["topic"] = _other("topic", original, copy)
    _write(copy / "data" / "claims.csv", [row for _, row in claims])
    pattern = (_where("data/claims.csv", line, claim["claim_id"], "topic")
               + f".*{re.escape(repr(claim['topic']))}.*{re.escape(repr(original))}")
    with pytest.raises(DataError, match=pattern):
        load_ledger(copy)


def test_project_quote_not_in_seed(copy: Path):
    projects = _rows(copy / "data" / "projects.csv")
    line, project = projects[len(projects) // 2]
    project["quote"] += " and a pier on the Moon"
    _write(copy / "data" / "projects.csv", [row for _, row in projects])
    pattern = (_where("data/projects.csv", line, project["project_id"], "quote")
               + f".*does not occur verbatim in seeds/{re.escape(project['seed'])}")
    with pytest.raises(DataError, match=pattern):
        load_ledger(copy)


def test_project_unknown_category(copy: Path):
    projects = _rows(copy / "data" / "projects.csv")
    line, project = projects[0]
    project["category"] = "spaceport"
    _write(copy / "data" / "projects.csv", [row for _, row in projects])
    pattern = (_where("data/projects.csv", line, project["project_id"], "category")
               + ".*'spaceport' is not one of the allowed values")
    with pytest.raises(DataError, match=pattern):
        load_ledger(copy)


def test_project_unknown_seed(copy: Path):
    projects = _rows(copy / "data" / "projects.csv")
    line, project = projects[-1]
    project["seed"] = "999_0000000000000000.txt"
    _write(copy / "data" / "projects.csv", [row for _, row in projects])
    pattern = (_where("data/projects.csv", line, project["project_id"], "seed")
               + ".*not a file listed in seeds/sources.csv")
    with pytest.raises(DataError, match=pattern):
        load_ledger(copy)
