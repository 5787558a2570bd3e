"""The tidy IMF table (data/external/imf_dots.csv): exactly what the reader makes from the
current workbooks, valid for the outside validator and the loader, refused when edited by
hand or left stale; and the partner classification that keeps aggregates out of rankings."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from china_kazakhstan.data.external_files import write_external_manifest
from china_kazakhstan.data.imf import load_partners
from china_kazakhstan.data.imf_table import build_imf_table, check_imf, load_imf, to_csv_text
from china_kazakhstan.errors import DataError

TIDY = Path("data") / "external" / "imf_dots.csv"
PARTNERS = Path("data") / "external" / "imf_dots_partners.csv"
WORKBOOKS = Path("data") / "external" / "imf_dots"


@pytest.fixture(scope="module")
def imf() -> object:
    return load_imf(Path(__file__).resolve().parents[1])


def _rewrite_tidy(project: Path, change) -> None:
    path = project / TIDY
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


# --- made from the workbooks, byte for byte ----------------------------------------------------

@pytest.mark.end_to_end
def test_regenerating_gives_the_committed_file_byte_for_byte(root: Path) -> None:
    assert to_csv_text(build_imf_table(root)).encode("utf-8") == (root / TIDY).read_bytes()


@pytest.mark.end_to_end
def test_imf_command_remakes_the_same_file_and_the_same_package(project: Path) -> None:
    before = {p: (project / p).read_bytes() for p in (TIDY, Path("data/datapackage.json"))}
    (project / TIDY).unlink()
    done = subprocess.run([sys.executable, "-m", "china_kazakhstan", "imf"], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {p: (project / p).read_bytes() for p in before} == before


@pytest.mark.end_to_end
def test_one_row_per_non_empty_value_cell(root: Path, imf) -> None:
    """Counted in the workbooks with openpyxl, independently of the reader (the repeated
    Australia row 32 not counted)."""
    expected = 0
    for path in sorted((root / WORKBOOKS).glob("*.xlsx")):
        for ws in openpyxl.load_workbook(path).worksheets:
            expected += sum(c.value is not None for row in ws.iter_rows(min_row=8) for c in row[2:]
                            if c.row != 32)
    assert len(imf) == expected


def test_the_real_table_validates(root: Path) -> None:
    assert check_imf(root) == []


def test_loader_types_the_table_and_names_the_reporters(imf) -> None:
    assert imf["year"].dtype == int and imf["value_usd_million"].dtype == float
    assert imf["estimate"].dtype == bool
    assert set(imf["reporter_id"]) == {"china", "kazakhstan", "russia"}
    china_in_kz = imf[(imf.reporter_id == "kazakhstan") & (imf.partner == "China, P.R.: Mainland")]
    assert set(china_in_kz.partner_id) == {"china"}
    assert imf[imf.partner == "World"].partner_id.isna().all()


@pytest.mark.end_to_end
def test_outside_validator_accepts_the_package(root: Path) -> None:
    import frictionless
    with frictionless.system.use_context(trusted=True):
        report = frictionless.Package(str(root / "data" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])[:5]


# --- refused when edited by hand or stale ---------------------------------------------------------

def _set_first_value(rows: list[list[str]]) -> None:
    rows[1][5] = str(float(rows[1][5]) + 1)


def test_a_hand_edited_table_is_refused(project: Path) -> None:
    _rewrite_tidy(project, _set_first_value)
    text = _messages(check_imf(project))
    assert "data/external/imf_dots.csv: sha256 is" in text
    assert "edited by hand or not remade" in text and "python -m china_kazakhstan imf" in text
    with pytest.raises(DataError, match="edited by hand"):
        load_imf(project)


@pytest.mark.end_to_end
def test_outside_validator_refuses_a_hand_edited_table(project: Path) -> None:
    import frictionless
    _rewrite_tidy(project, _set_first_value)
    with frictionless.system.use_context(trusted=True):
        report = frictionless.Package(str(project / "data" / "datapackage.json")).validate()
    assert not report.valid
    assert "hash-count" in {e[0] for e in report.flatten(["type"])}


def test_a_table_left_stale_after_a_workbook_update_is_refused(project: Path) -> None:
    path = project / WORKBOOKS / "DOTS_103_kazakhstan.xlsx"
    book = openpyxl.load_workbook(path)
    book["Exports, FOB"]["AE59"] = 9999.0  # an update of the source, recorded on purpose:
    book.save(path)
    write_external_manifest(project)
    text = _messages(check_imf(project))
    assert "was made from data/external/imf_dots/DOTS_103_kazakhstan.xlsx with sha256" in text
    assert "the workbook changed since; run `python -m china_kazakhstan imf`" in text


@pytest.mark.end_to_end
def test_remaking_after_a_workbook_update_records_the_new_hashes_only(project: Path) -> None:
    from china_kazakhstan.data.imf_table import write_imf_table

    path = project / WORKBOOKS / "DOTS_103_kazakhstan.xlsx"
    book = openpyxl.load_workbook(path)
    book["Exports, FOB"]["AE59"] = 9999.0
    book.save(path)
    write_external_manifest(project)
    descriptor = project / "data" / "datapackage.json"
    before = json.loads(descriptor.read_text(encoding="utf-8"))
    write_imf_table(project)
    after = json.loads(descriptor.read_text(encoding="utf-8"))
    assert check_imf(project) == []
    imf = load_imf(project)
    row = imf[(imf.file == "DOTS_103_kazakhstan.xlsx") & (imf.sheet == "Exports, FOB") & (imf.cell == "AE59")]
    assert list(row.value_usd_million) == [9999.0]
    changed = [r["name"] for r, s in zip(after["resources"], before["resources"], strict=True) if r != s]
    assert changed == ["imf_dots"]
    old, new = before["resources"][-1], after["resources"][-1]
    assert {k for k in old if old[k] != new[k]} == {"hash", "sources"}


# --- the loader's schema checks (the hash set aside, as for a table made by a changed reader) -----

@pytest.mark.parametrize("column,value,expected", [
    (3, "re_exports", "field 'flow': 're_exports' is not one of the allowed values"),
    (4, "19x2", "field 'year': '19x2' is not an integer"),
    (4, "1850", "field 'year': 1850 is below the minimum 1948"),
    (5, "-1", "field 'value_usd_million': -1 is below the minimum 0"),
    (5, "1e3", "field 'value_usd_million': '1e3' is not a number"),
    (6, "yes", "field 'estimate': 'yes' is not one of ['true', 'false']"),
    (9, "8C", "field 'cell': '8C' does not match the pattern"),
    (0, "", "field 'reporter': is required but empty"),
])
def test_loader_refuses_a_bad_field_with_line_row_and_field(project: Path, column: int, value: str,
                                                            expected: str) -> None:
    def change(rows):
        rows[1][column] = value
    _rewrite_tidy(project, change)
    with pytest.raises(DataError) as caught:
        load_imf(project, check_hashes=False)
    assert "data/external/imf_dots.csv, line 2 (" in str(caught.value)
    assert expected in str(caught.value)


def test_loader_refuses_a_repeated_key(project: Path) -> None:
    _rewrite_tidy(project, lambda rows: rows.insert(2, list(rows[1])))
    with pytest.raises(DataError, match=r"line 3 .*repeats the key"):
        load_imf(project, check_hashes=False)


def test_loader_refuses_a_partner_kind_that_contradicts_the_partner_table(project: Path) -> None:
    def change(rows):
        world = next(i for i, r in enumerate(rows) if r[1] == "World")
        rows[world][2] = "country"
    _rewrite_tidy(project, change)
    with pytest.raises(DataError, match=r"field 'partner_kind': 'country' is not the partner's kind"):
        load_imf(project, check_hashes=False)


def test_a_systematic_error_is_listed_briefly(project: Path) -> None:
    def change(rows):
        for row in rows[1:]:
            row[3] = "exports"
    _rewrite_tidy(project, change)
    with pytest.raises(DataError) as caught:
        load_imf(project, check_hashes=False)
    flows = [p for p in caught.value.problems if p.field == "flow"]
    assert len(flows) == 11 and flows[-1].message.startswith("… and ")


# --- the partner classification -------------------------------------------------------------------

def test_every_partner_in_the_workbooks_is_classified_and_every_row_of_the_table_is_used(
        root: Path, imf) -> None:
    partners, problems = load_partners(root)
    assert problems == []
    assert set(imf.partner) <= set(partners.kind)
    # names in the table that no workbook uses would be dead data
    assert set(partners.kind) == set(imf.partner) | {"Memorandum Items"}  # a heading: no figures


def test_world_is_an_aggregate_and_china_and_russia_are_countries_among_kazakhstans_partners(imf) -> None:
    kz = imf[imf.reporter_id == "kazakhstan"]
    kinds = dict(zip(kz.partner, kz.partner_kind, strict=False))
    assert kinds["World"] == "aggregate"
    assert kinds["China, P.R.: Mainland"] == "country" and kinds["Russian Federation"] == "country"
    assert kinds["China, P.R.: Hong Kong"] == "country" and kinds["China, P.R.: Macao"] == "country"


def test_reporters_are_mapped_to_the_partner_names_used_for_them(root: Path) -> None:
    partners, _ = load_partners(root)
    assert partners.economy == {"China, P.R.: Mainland": "china", "Kazakhstan, Rep. of": "kazakhstan",
                                "Russian Federation": "russia"}


def _countries_and_world(imf, kinds=None):
    frame = imf if kinds is None else imf.assign(partner_kind=imf.partner.map(kinds).fillna(imf.partner_kind))
    key = ["reporter", "flow", "year"]
    countries = frame[frame.partner_kind == "country"].groupby(key)["value_usd_million"]
    world = frame[frame.partner == "World"].set_index(key)["value_usd_million"]
    return countries.sum(), countries.max(), world


def test_countries_never_add_up_to_more_than_the_world(imf) -> None:
    total, largest, world = _countries_and_world(imf)
    total, largest = total.reindex(world.index).fillna(0), largest.reindex(world.index).fillna(0)
    assert (total <= world * (1 + 1e-4)).all()
    assert (largest <= world).all()


def test_the_world_rule_would_catch_an_aggregate_counted_as_a_country(imf) -> None:
    total, _, world = _countries_and_world(imf, {"European Union": "country"})
    assert (total.reindex(world.index) > world * (1 + 1e-4)).any()


def test_known_aggregates_hold_their_members(imf) -> None:
    kz = imf[(imf.reporter_id == "kazakhstan") & (imf.flow == "exports_fob") & (imf.year == 2018)]
    value = kz.set_index("partner")["value_usd_million"]
    # "Other Countries not included elsewhere" = Cuba + Korea, Dem. People's Rep. of (cells
    # C200:C202 of that sheet, 2018: 25.435938 = 0.001272 + 25.434666)
    assert value["Other Countries not included elsewhere"] == pytest.approx(
        value["Cuba"] + value["Korea, Dem. People's Rep. of"], abs=1e-9)
    assert value["Euro Area"] >= value["Italy"] >= value["Netherlands, The"]
    assert value["Emerging and Developing Asia"] >= value["China, P.R.: Mainland"]


def test_a_category_that_contradicts_the_kind_is_refused(project: Path) -> None:
    path = project / PARTNERS
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("World,aggregate,world,", "World,aggregate,economy,"), encoding="utf-8")
    _, problems = load_partners(project)
    assert any(p.row_id == "World" and p.field == "category" and "does not fit kind 'aggregate'" in p.message
               for p in problems)
