"""The lint tools of ``make lint``: they pass on the project and fail on a broken copy."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import frictionless
import nbformat
import pytest
from conftest import ROOT, copy_project


def _run(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / tool), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("package", [frictionless, nbformat], ids=["frictionless", "nbformat"])
def test_no_schema_of_the_validators_uses_the_iri_format(package) -> None:
    """tools/check_datapackage.py and tests/conftest.py skip the "iri" format's parser: no
    schema that frictionless or nbformat validates with may need it."""
    folder = Path(package.__file__).parent
    schemas = [p for p in folder.rglob("*.json") if '"format"' in p.read_text(encoding="utf-8")]
    assert schemas, f"no JSON schema with formats found under {folder}: have they moved?"
    users = [str(p.relative_to(folder)) for p in schemas if '"iri' in p.read_text(encoding="utf-8")]
    assert users == []


@pytest.mark.end_to_end
def test_the_data_package_check_names_the_table_row_and_field_it_refuses(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "copy")
    path = project / "data" / "metrics.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    column = rows[0].index("cumulative")
    rows[1][column] = "sometimes"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    done = _run("check_datapackage.py", "data/datapackage.json", cwd=project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "metrics: row 2, field 'cumulative':" in done.stderr, done.stderr
    assert "(value 'sometimes')" in done.stderr, done.stderr


@pytest.mark.end_to_end
def test_the_data_package_check_passes_on_the_project() -> None:
    done = _run("check_datapackage.py", "data/datapackage.json")
    assert done.returncode == 0, done.stderr
    assert "valid for frictionless" in done.stdout
