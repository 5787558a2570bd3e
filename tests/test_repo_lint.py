"""The lint tools of ``make lint``: they pass on the project and fail on a broken copy."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest
from conftest import ROOT, copy_project


def _run(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / tool), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_no_frictionless_profile_uses_the_iri_format() -> None:
    """tools/check_datapackage.py skips the "iri" format's parser: no profile may need it."""
    package = Path(frictionless.__file__).parent
    profiles = [p for p in package.rglob("*.json") if '"format"' in p.read_text(encoding="utf-8")]
    assert profiles, f"no JSON profile with formats found under {package}: has frictionless moved them?"
    users = [str(p.relative_to(package)) for p in profiles if '"iri' in p.read_text(encoding="utf-8")]
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
