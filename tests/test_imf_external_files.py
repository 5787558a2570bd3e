"""The outside copies in data/external/: byte for byte against MANIFEST.sha256 and the shared
originals, with their provenance in data/datapackage.json; a missing, extra or changed file
is reported with what to do."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from china_kazakhstan.data.external_files import (
    read_external_manifest,
    verify_external,
    write_external_manifest,
)

#: ../shared beside the checkout (the originals); tests using it are marked shared_originals.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "external"
#: The sha256 of each workbook as ../shared/external/imf_dots/README.md gives it (an input
#: typed from that README, not computed by the code under test).
README_SHA256 = {
    "imf_dots/DOTS_40_china_mainland.xlsx":
        "6d22b33ad43337962f0dd9915ced38c620d1c77c2f502580d9d04523db49ae00",
    "imf_dots/DOTS_103_kazakhstan.xlsx":
        "295bd2d6c4ed85705b0806f591c03c1c6e6c05149dc691c7d8ef036389e70903",
    "imf_dots/DOTS_162_russia.xlsx":
        "4783e66b8277651c508087b13491cec0cb0edc2895ec6b1e7e4b1c1baba05de1",
}
WORKBOOK = "imf_dots/DOTS_103_kazakhstan.xlsx"


def _messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


def test_the_real_folder_verifies(root: Path) -> None:
    assert verify_external(root) == []


def test_manifest_lists_the_workbooks_and_the_news_page_table_with_the_readme_hashes(root: Path) -> None:
    entries, problems = read_external_manifest(root)
    assert problems == []
    assert set(entries) == {*README_SHA256, "trade_mirror.csv"}
    for name, digest in README_SHA256.items():
        assert entries[name] == digest
        assert hashlib.sha256((root / "data" / "external" / name).read_bytes()).hexdigest() == digest


@pytest.mark.shared_originals
def test_copies_are_the_shared_originals_byte_for_byte(root: Path) -> None:
    """An extra beside the manifest; deselected where ../shared is absent (tests/ci_skips.py)."""
    entries, _ = read_external_manifest(root)
    for name in entries:
        assert (root / "data" / "external" / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_each_workbook_has_its_provenance_in_the_data_package(root: Path) -> None:
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    by_path = {s.get("localPath"): s for s in package["sources"]}
    originals = {"DOTS_40_china_mainland.xlsx": "DOTS_40.xlsx", "DOTS_103_kazakhstan.xlsx": "DOTS_103.xlsx",
                 "DOTS_162_russia.xlsx": "DOTS_162.xlsx"}
    for name, digest in README_SHA256.items():
        source = by_path[f"external/{name}"]
        assert source["repository"] == "SamLeBlanc/Direction-of-Trade-Map"
        assert source["commit"] == "a769819d9b25a21a362d6cabfb10f150903f834d"
        assert source["repositoryPath"] == f"data/DOTS/{originals[Path(name).name]}"
        assert source["sha256"] == digest
        assert source["citation"] == "Source: IMF, Direction of Trade Statistics"
        assert source["retrieved"]
        assert {lic["path"] for lic in source["licenses"]} >= {"https://www.imf.org/external/terms.htm"}
        assert any(lic["name"] == "MIT" for lic in source["licenses"])


def test_a_changed_workbook_is_reported_with_both_hashes_and_how_to_fix_it(project: Path) -> None:
    path = project / "data" / "external" / WORKBOOK
    original = path.read_bytes()
    path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    text = _messages(verify_external(project))
    assert f"data/external/{WORKBOOK}: sha256 is {hashlib.sha256(path.read_bytes()).hexdigest()}" in text
    assert README_SHA256[WORKBOOK] in text
    assert f"git checkout -- data/external/{WORKBOOK}" in text
    assert "python -m china_kazakhstan manifest --external" in text


def test_a_missing_workbook_is_reported(project: Path) -> None:
    (project / "data" / "external" / WORKBOOK).unlink()
    text = _messages(verify_external(project))
    assert f"data/external/{WORKBOOK}: is missing (listed in data/external/MANIFEST.sha256)" in text


def test_an_extra_file_is_reported(project: Path) -> None:
    (project / "data" / "external" / "imf_dots" / "DOTS_999_somewhere.xlsx").write_bytes(b"x")
    text = _messages(verify_external(project))
    assert ("data/external/imf_dots/DOTS_999_somewhere.xlsx: is not listed in "
            "data/external/MANIFEST.sha256") in text
    assert "--add data/external/imf_dots/DOTS_999_somewhere.xlsx" in text


def test_a_malformed_manifest_line_is_reported_with_its_line(project: Path) -> None:
    manifest = project / "data" / "external" / "MANIFEST.sha256"
    manifest.write_text(manifest.read_text() + "not-a-hash  x.csv\n")
    problems = verify_external(project)
    assert any(p.file == "data/external/MANIFEST.sha256" and p.line == 5 and "not '<sha256" in p.message
               for p in problems), _messages(problems)


def test_provenance_that_disagrees_with_the_manifest_is_reported(project: Path) -> None:
    descriptor = project / "data" / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    wrong = '"sha256": "' + "1" * 64 + '"'
    descriptor.write_text(text.replace(f'"sha256": "{README_SHA256[WORKBOOK]}"', wrong), encoding="utf-8")
    text = _messages(verify_external(project))
    assert f"the entry for data/external/{WORKBOOK} gives sha256 '{'1' * 64}'" in text


def test_updating_on_purpose_rehashes_the_manifest_and_the_provenance_and_nothing_else(project: Path) -> None:
    path = project / "data" / "external" / WORKBOOK
    path.write_bytes(path.read_bytes() + b"\0")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    descriptor = project / "data" / "datapackage.json"
    before = json.loads(descriptor.read_text(encoding="utf-8"))
    _, changed = write_external_manifest(project)
    assert changed == [WORKBOOK]
    assert read_external_manifest(project)[0][WORKBOOK] == new
    after = json.loads(descriptor.read_text(encoding="utf-8"))
    assert [s.get("sha256") for s in after["sources"]] == [
        new if s.get("sha256") == README_SHA256[WORKBOOK] else s.get("sha256") for s in before["sources"]]
    assert after["resources"] == before["resources"]  # the tidy table still names what it was made from
    assert verify_external(project) == []


@pytest.mark.end_to_end
def test_validate_command_stops_on_a_changed_copy(project: Path) -> None:
    path = project / "data" / "external" / "trade_mirror.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    done = subprocess.run([sys.executable, "-m", "china_kazakhstan", "validate"], cwd=project,
                          capture_output=True, text=True, env={"CHINA_KZ_ROOT": str(project), "PATH": ""})
    assert done.returncode == 1
    assert "data/external/trade_mirror.csv: sha256 is" in done.stderr
    assert "Traceback" not in done.stderr
