"""Careless edits are refused by ``python -m china_kazakhstan validate`` with one message that
names the file and the row, field or position, never a traceback (issue 12).

Each test breaks a throw-away copy of the project (``conftest.project``) the way the
campaign of careless edits did, runs the command in a subprocess, and checks the exit code,
the message, that it is the only one (one root cause, one message), and that no traceback
is printed. The loader's own refusals of single rows are in test_loader.py and
test_external.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.data.mirror import load_trade_mirror
from china_kazakhstan.errors import DataError

#: Each case runs the command line in a subprocess on a broken copy.
pytestmark = pytest.mark.end_to_end


def run(project: Path, *command: str) -> tuple[int, list[str], str]:
    """Run the CLI on ``project``: exit code, stderr lines, everything printed."""
    result = subprocess.run([sys.executable, "-m", "china_kazakhstan", *(command or ("validate",))],
                            env={**os.environ, "CHINA_KZ_ROOT": str(project)},
                            capture_output=True, text=True, timeout=300)
    printed = result.stdout + result.stderr
    assert "Traceback" not in printed, printed
    return result.returncode, result.stderr.splitlines(), printed


def refused(project: Path, expected: str, *, problems: int = 1) -> list[str]:
    """Validate ``project``: it must exit 1 with ``problems`` problems, one matching ``expected``.

    Returns the stderr lines; the summary is the last one.
    """
    code, lines, printed = run(project)
    assert code == 1, printed
    listed = [line for line in lines if line.startswith("  - ")]
    assert any(re.search(expected, line) for line in listed), f"expected {expected!r} in:\n{printed}"
    assert len(listed) == problems, f"expected {problems} problem(s), got {len(listed)}:\n{printed}"
    assert re.match(rf"validate: {problems} problems? in \d+ files?", lines[-1]), lines[-1]
    return lines


def _descriptor(project: Path) -> tuple[Path, dict]:
    path = project / "data" / "datapackage.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def test_the_real_project_validates(root: Path) -> None:
    code, _, printed = run(root)
    assert code == 0, printed
    assert printed.startswith("validate: OK: "), printed
    for part in ("seeds verified", "claims", "outside figures", "notebooks"):
        assert part in printed


# --- encodings -----------------------------------------------------------------------------

def test_claims_saved_as_windows_1252(project: Path) -> None:
    path = project / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))
    first = next(i for i, c in enumerate(text) if ord(c) > 127)
    line = text.count("\n", 0, first) + 1
    column = first - (text.rfind("\n", 0, first) + 1) + 1
    byte = text[first].encode("cp1252")[0]
    refused(project, rf"^  - data/claims\.csv, line {line}, column {column}: is not UTF-8 "
                     rf"\(byte 0x{byte:02x}, probably saved as Windows-1252\); re-save it as UTF-8")


def test_claims_with_a_byte_order_mark(project: Path) -> None:
    path = project / "data" / "claims.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    lines = refused(project, r"^  - data/claims\.csv: starts with a UTF-8 byte-order mark.*re-save it "
                             r"without one.*sed -i")
    assert not any("\ufeff" in line for line in lines)


def test_the_seed_manifest_with_a_byte_order_mark(project: Path) -> None:
    path = project / "seeds" / "MANIFEST.sha256"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    refused(project, r"^  - seeds/MANIFEST\.sha256: starts with a UTF-8 byte-order mark")


def test_a_table_in_utf16(project: Path) -> None:
    path = project / "data" / "metrics.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    refused(project, r"^  - data/metrics\.csv: is UTF-16, not UTF-8; re-save it as UTF-8")


# --- the data package ----------------------------------------------------------------------

def test_invalid_json_in_the_data_package(project: Path) -> None:
    path = project / "data" / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if '"version"' in line)
    lines[number - 1] = lines[number - 1].replace('",', '"', 1)  # drop the comma
    path.write_text("".join(lines), encoding="utf-8")
    refused(project, rf"^  - data/datapackage\.json, line {number + 1}, column \d+: is not valid JSON: "
                     r"expecting ',' delimiter")


def test_a_resource_removed_from_the_data_package(project: Path) -> None:
    path, descriptor = _descriptor(project)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "events"]
    path.write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    refused(project, r"^  - data/datapackage\.json: has no resource 'events', which the ledger loader "
                     r"\(data/ledger\.py\) reads: restore its entry")
    with pytest.raises(DataError, match=r"has no resource 'events'"):
        load_ledger(project)


def test_the_outside_resource_removed_from_the_data_package(project: Path) -> None:
    path, descriptor = _descriptor(project)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "trade_mirror"]
    path.write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    refused(project, r"data/datapackage\.json: has no resource 'trade_mirror', which the outside-figures "
                     r"loader \(data/mirror\.py\) reads")
    with pytest.raises(DataError, match=r"has no resource 'trade_mirror'"):
        load_trade_mirror(project)


def test_a_field_removed_from_a_schema_is_the_schemas_problem(project: Path) -> None:
    path, descriptor = _descriptor(project)
    claims = _resource(descriptor, "claims")
    claims["schema"]["fields"] = [f for f in claims["schema"]["fields"] if f["name"] != "quote"]
    path.write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    refused(project, r"^  - data/datapackage\.json, line \d+: resource 'claims' has no field 'quote', "
                     r"which data/claims\.csv has and the ledger loader \(data/ledger\.py\) reads: "
                     r"restore the field in the schema")
    with pytest.raises(DataError) as caught:  # the loader alone: one message too, not one per row
        load_ledger(project)
    assert len(caught.value.problems) == 1, caught.value
    assert "resource 'claims' has no field 'quote'" in str(caught.value)


def test_a_broken_pattern(project: Path) -> None:
    path = project / "data" / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    assert '"pattern": "C[0-9]{3}"' in text
    path.write_text(text.replace('"pattern": "C[0-9]{3}"', '"pattern": "C[0-9{3}"', 1), encoding="utf-8")
    number = next(i for i, line in enumerate(text.splitlines(), start=1) if '"C[0-9]{3}"' in line)
    refused(project, rf"^  - data/datapackage\.json, line {number}: resource 'claims', field 'claim_id': "
                     r"pattern 'C\[0-9\{3\}' is not a valid regular expression \(unterminated character "
                     r"set at position 1\)")
    with pytest.raises(DataError, match="is not a valid regular expression"):
        load_ledger(project)


def test_a_table_added_later_gets_the_schema_checks(project: Path) -> None:
    path, descriptor = _descriptor(project)
    descriptor["resources"].append({
        "name": "ports", "path": "ports.csv",
        "schema": {"primaryKey": ["port_id"], "fields": [
            {"name": "port_id", "type": "string", "constraints": {"required": True, "pattern": "Q[0-9]{2}"}},
            {"name": "kind", "type": "string", "constraints": {"enum": ["dry", "sea"]}}]}})
    path.write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    (project / "data" / "ports.csv").write_text("port_id,kind\nQ01,dry\nQ02,air\n", encoding="utf-8")
    refused(project, r"^  - data/ports\.csv, line 3 \(Q02\), field 'kind': 'air' is not one of the "
                     r"allowed values")


# --- seeds and manifest ----------------------------------------------------------------------

def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=project, check=True, capture_output=True)


@pytest.fixture
def committed(project: Path) -> Path:
    """The copy as a git checkout with everything committed (HEAD is the good state)."""
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "good state")
    return project


def _first_seed(project: Path) -> Path:
    return sorted((project / "seeds").glob("*.txt"))[0]


def _edit_article(project: Path) -> Path:
    seed = _first_seed(project)
    seed.write_bytes(seed.read_bytes().replace(b"Kazakhstan", b"Kazakstan", 1))
    return seed


def _edit_manifest_line(project: Path, seed: Path) -> None:
    manifest = project / "seeds" / "MANIFEST.sha256"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if text.endswith(seed.name))
    digit = lines[line][0]
    lines[line] = ("0" if digit != "0" else "1") + lines[line][1:]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_edited_manifest_hash_is_not_blamed_on_the_article(committed: Path) -> None:
    seed = _first_seed(committed)
    _edit_manifest_line(committed, seed)
    lines = refused(committed, rf"^  - seeds/{seed.name}: sha256 is .*: its line in seeds/MANIFEST\.sha256 "
                               r"was edited since the last commit \(the article was not\): restore the "
                               r"manifest with `git checkout -- seeds/MANIFEST\.sha256`")
    assert not any("article was edited" in line for line in lines)


def test_an_edited_article_is_named_as_such(committed: Path) -> None:
    seed = _edit_article(committed)
    refused(committed, rf"^  - seeds/{seed.name}: sha256 is .*: the article was edited since the last "
                       rf"commit \(its manifest line was not\): restore it with `git checkout -- "
                       rf"seeds/{seed.name}`")


def test_an_edited_article_and_manifest_line(committed: Path) -> None:
    seed = _edit_article(committed)
    _edit_manifest_line(committed, seed)
    refused(committed, rf"^  - seeds/{seed.name}: sha256 is .*: both the article and its manifest line "
                       r"changed since the last commit")


def test_outside_git_the_message_says_either_may_have_changed(project: Path) -> None:
    seed = _edit_article(project)
    lines = refused(project, rf"^  - seeds/{seed.name}: sha256 is .*: the article or its manifest line "
                             r"changed \(outside a git checkout, which one cannot be told\)")
    assert "not checked until then: the ledger and its coverage" in lines[-1], "no follow-on problems"


def test_a_malformed_manifest_line(project: Path) -> None:
    manifest = project / "seeds" / "MANIFEST.sha256"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("  ", " ", 1), encoding="utf-8")
    code, _, printed = run(project)
    assert code == 1
    assert re.search(r"seeds/MANIFEST\.sha256, line 1: '.*' is not '<sha256>  <file name>'", printed), printed


# --- the outside table ---------------------------------------------------------------------

def _edit_outside_row(project: Path) -> None:
    """A bad row in the outside table, its manifest line updated as if on purpose (else the
    changed copy is the first problem)."""
    from china_kazakhstan.data.external_files import write_external_manifest

    path = project / "data" / "external" / "trade_mirror.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",china_customs,", ",china_customz,", 1),
                    encoding="utf-8")
    write_external_manifest(project)


def test_a_bad_outside_row_is_refused_and_its_message_is_last(project: Path) -> None:
    _edit_outside_row(project)
    lines = refused(project, r"^  - data/external/trade_mirror\.csv, line \d+ \(X\d+\), field 'reporter': "
                             r"'china_customz' is not one of")
    assert "data/external/trade_mirror.csv" in lines[-2] and "field 'reporter'" in lines[-2], lines[-2:]


def test_an_outside_figure_changed_without_its_manifest_is_refused(project: Path) -> None:
    """Issue 12: a value of the outside table changed (18.0 -> 81.0) no longer reaches the page."""
    path = project / "data" / "external" / "trade_mirror.csv"
    text = path.read_text(encoding="utf-8")
    assert ",18.0," in text
    path.write_text(text.replace(",18.0,", ",81.0,", 1), encoding="utf-8")
    refused(project, r"^  - data/external/trade_mirror\.csv: sha256 is [0-9a-f]+, "
                     r"data/external/MANIFEST\.sha256 says")


def test_a_rank_row_naming_a_metric_that_is_not_a_rank(project: Path) -> None:
    """The IMF rank checks read which metric ranks what from data; a wrong metric stops validate."""
    path = project / "data" / "rank_measures.csv"
    text = path.read_text(encoding="utf-8")
    metric = text.splitlines()[1].split(",")[0]
    path.write_text(text.replace(metric + ",", "bilateral_goods_trade,", 1), encoding="utf-8")
    refused(project, r"^  - data/rank_measures\.csv, line 2 \(bilateral_goods_trade\), field 'metric': "
                     r"'bilateral_goods_trade' is in .*not a rank")


# --- the book's files ------------------------------------------------------------------------

def test_a_truncated_notebook(project: Path) -> None:
    notebook = project / "chapters" / "trade.ipynb"
    data = notebook.read_bytes()
    notebook.write_bytes(data[: len(data) // 2])
    refused(project, r"^  - chapters/trade\.ipynb, line \d+, column \d+: is not valid JSON: .*cut short.*"
                     r"git checkout -- chapters/trade\.ipynb")


def test_a_notebook_that_is_not_valid_nbformat(project: Path) -> None:
    notebook = project / "chapters" / "trade.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    index = next(i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code")
    del nb["cells"][index]["source"]
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    refused(project, rf"^  - chapters/trade\.ipynb: is not a valid notebook: cell {index + 1}: 'source' is "
                     r"a required property")


def test_a_page_missing_from_the_table_of_contents(project: Path) -> None:
    (project / "chapters" / "diplomacy.ipynb").unlink()
    refused(project, r"^  - _toc\.yml, line \d+: lists 'chapters/diplomacy', but there is no "
                     r"chapters/diplomacy\.ipynb or chapters/diplomacy\.md")


def test_invalid_yaml_in_the_configuration(project: Path) -> None:
    config = project / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "execute:\n  - [unclosed\n", encoding="utf-8")
    refused(project, r"^  - _config\.yml, line \d+, column \d+: is not valid YAML")


# --- the build ends with the problems ----------------------------------------------------------

def test_a_build_from_bad_data_ends_with_the_problems(project: Path) -> None:
    _edit_outside_row(project)
    code, lines, printed = run(project, "build", "--no-pdf")
    assert code == 1, printed
    assert "BUILD FAILED: the book's inputs did not validate; nothing was built." in lines, printed
    assert re.match(r"  - data/external/trade_mirror\.csv, line \d+ \(X\d+\), field 'reporter'",
                    lines[-2]), lines[-3:]
    assert lines[-1].startswith("validate: 1 problem in 1 file"), lines[-1]
    assert not (project / "_build" / "html").exists(), "nothing is built from bad input"
