"""The IMF DOTS reader: the real workbooks read, and small synthetic workbooks in the real
layout, changed one thing at a time, refused with the file, the sheet and the cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from china_kazakhstan.data.imf import COLUMNS, Partners, load_partners, read_workbook

WORKBOOKS = ("DOTS_40_china_mainland.xlsx", "DOTS_103_kazakhstan.xlsx", "DOTS_162_russia.xlsx")
NAME = "DOTS_test.xlsx"
TITLES = {"Exports, FOB": "Exports, FOB to Partner Countries",
          "Imports, CIF": "Imports, CIF from Partner Countries"}


@pytest.fixture(scope="module")
def partners() -> Partners:
    table, problems = load_partners(Path(__file__).resolve().parents[1])
    assert problems == []
    return table


def make_workbook(path: Path, rows: dict[str, list[tuple]] | None = None, *,
                  reporter: str = "Kazakhstan, Rep. of", years=("1992", "1993", "1994")) -> Path:
    """A workbook in the DOTS layout: title B2, reporter B4, unit B5, years row 7 from C,
    partners from row 8 (name in B, one value a year)."""
    rows = rows or {
        "Exports, FOB": [("World", [100.0, "2.50 e", 300]),
                         ("China, P.R.: Mainland", [40.0, None, 120.5]),
                         ("Russian Federation", [None, 1.25, 60.0])],
        "Imports, CIF": [("World", [200.0, 210.0, 220.0]),
                         ("China, P.R.: Mainland", ["0.14 e", 30.0, 45.0])],
    }
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, title in TITLES.items():
        ws = book.create_sheet(sheet)
        ws["B2"], ws["B4"], ws["B5"] = title, reporter, "US Dollars, Millions"
        for i, year in enumerate(years):
            ws.cell(7, 3 + i, year)
        for r, (name, values) in enumerate(rows.get(sheet, []), start=8):
            ws.cell(r, 2, name)
            for i, value in enumerate(values):
                if value is not None:
                    ws.cell(r, 3 + i, value)
    book.save(path)
    return path


def edit(path: Path, sheet: str, cell: str, value) -> Path:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


def refused(path: Path, partners: Partners) -> str:
    frame, problems = read_workbook(path, partners)
    assert problems, "the workbook was accepted"
    assert frame.empty
    return "\n".join(str(p) for p in problems)


# --- a good synthetic workbook ----------------------------------------------------------------

def test_synthetic_workbook_reads_into_tidy_rows(tmp_path: Path, partners: Partners) -> None:
    frame, problems = read_workbook(make_workbook(tmp_path / NAME), partners)
    assert problems == []
    assert tuple(frame.columns) == COLUMNS
    # 3 + 2 + 2 export figures (two cells empty), 3 + 3 import figures
    assert len(frame) == 13
    row = frame[(frame.partner == "China, P.R.: Mainland") & (frame.flow == "exports_fob")
                & (frame.year == 1994)].iloc[0]
    assert (row.value_usd_million, row.estimate, row.sheet, row.cell, row.file) == (
        120.5, False, "Exports, FOB", "E9", NAME)
    assert row.reporter == "Kazakhstan, Rep. of" and row.partner_kind == "country"


def test_estimate_cells_give_the_number_flagged(tmp_path: Path, partners: Partners) -> None:
    frame, _ = read_workbook(make_workbook(tmp_path / NAME), partners)
    estimates = frame[frame.estimate]
    assert sorted(zip(estimates.sheet, estimates.cell, estimates.value_usd_million, strict=False)) == [
        ("Exports, FOB", "D8", 2.5), ("Imports, CIF", "C9", 0.14)]


def test_an_empty_cell_gives_no_row(tmp_path: Path, partners: Partners) -> None:
    frame, _ = read_workbook(make_workbook(tmp_path / NAME), partners)
    russia = frame[(frame.partner == "Russian Federation")]
    assert list(russia.year) == [1993, 1994]


def test_world_is_an_aggregate_by_the_table_wherever_it_sits(tmp_path: Path, partners: Partners) -> None:
    rows = {"Exports, FOB": [("China, P.R.: Mainland", [1, 2, 3]), ("World", [5, 6, 7])],
            "Imports, CIF": [("World", [5, 6, 7])]}
    frame, _ = read_workbook(make_workbook(tmp_path / NAME, rows), partners)
    kinds = dict(zip(frame.partner, frame.partner_kind, strict=False))
    assert kinds == {"China, P.R.: Mainland": "country", "World": "aggregate"}


def test_a_repeated_partner_row_with_the_same_figures_gives_one_row_from_the_first(
        tmp_path: Path, partners: Partners) -> None:
    repeated = ("Australia", [1, "0.5 e", 2])
    rows = {"Exports, FOB": [("World", [1, 2, 3]), repeated, repeated],
            "Imports, CIF": [("World", [1, 2, 3])]}
    frame, problems = read_workbook(make_workbook(tmp_path / NAME, rows), partners)
    assert problems == []
    australia = frame[frame.partner == "Australia"]
    assert list(australia.cell) == ["C9", "D9", "E9"]


# --- refusals: layout ------------------------------------------------------------------------

def test_changed_title_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Exports, FOB", "B2", "Exports, FOB to Partner Areas")
    text = refused(path, partners)
    assert f"{NAME}, sheet 'Exports, FOB', cell B2: title 'Exports, FOB to Partner Areas' is not " \
           "'Exports, FOB to Partner Countries'" in text


def test_unknown_reporter_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = make_workbook(tmp_path / NAME, reporter="Kyrgyz Rep.")
    text = refused(path, partners)
    assert f"{NAME}, sheet 'Exports, FOB', cell B4: reporter 'Kyrgyz Rep.' is not one the book knows" in text


def test_sheets_naming_different_reporters_are_refused(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Imports, CIF", "B4", "Russian Federation")
    assert "the two sheets name different reporters in B4" in refused(path, partners)


def test_changed_unit_is_refused_as_an_unknown_unit(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Imports, CIF", "B5", "US Dollars, Thousands")
    text = refused(path, partners)
    assert f"{NAME}, sheet 'Imports, CIF', cell B5: unit 'US Dollars, Thousands' is not " \
           "'US Dollars, Millions'" in text
    assert "millions of US dollars only" in text


def test_year_row_moved_up_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = make_workbook(tmp_path / NAME)
    book = openpyxl.load_workbook(path)
    ws = book["Exports, FOB"]
    ws.move_range("C7:E7", rows=-1)  # the years in row 6 instead of 7
    book.save(path)
    text = refused(path, partners)
    assert f"{NAME}, sheet 'Exports, FOB', cell C7: no year here" in text
    assert f"{NAME}, sheet 'Exports, FOB', cell C6: unexpected '1992'" in text


def test_a_year_that_is_not_a_year_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Imports, CIF", "D7", "FY93")
    assert f"{NAME}, sheet 'Imports, CIF', cell D7: 'FY93' is not a year" in refused(path, partners)


def test_years_out_of_order_are_refused(tmp_path: Path, partners: Partners) -> None:
    path = make_workbook(tmp_path / NAME, years=("1993", "1992", "1994"))
    assert f"{NAME}, sheet 'Exports, FOB', cell D7: year 1992 follows 1993" in refused(path, partners)


def test_a_missing_or_extra_sheet_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = make_workbook(tmp_path / NAME)
    book = openpyxl.load_workbook(path)
    book["Imports, CIF"].title = "Imports, FOB"
    book.save(path)
    text = refused(path, partners)
    assert f"{NAME}: has sheets ['Exports, FOB', 'Imports, FOB']" in text
    assert "missing ['Imports, CIF']" in text and "unexpected ['Imports, FOB']" in text


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"Reporter,Partner\n")
    assert f"{NAME}: is not an Excel workbook that can be read" in refused(path, partners)


def test_something_in_column_a_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Exports, FOB", "A9", "note")
    text = refused(path, partners)
    assert f"{NAME}, sheet 'Exports, FOB', cell A9: unexpected 'note' outside the table" in text


def test_a_value_beyond_the_last_year_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Imports, CIF", "F8", 12.0)
    assert f"{NAME}, sheet 'Imports, CIF', cell F8: unexpected 12" in refused(path, partners)


# --- refusals: cells and partners --------------------------------------------------------------

@pytest.mark.parametrize("bad", ["n.a.", "1,234.5", "0.14 E", "e", "12.5"])
def test_an_unparsable_cell_is_refused_with_its_cell_and_value(tmp_path: Path, partners: Partners,
                                                               bad: str) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Imports, CIF", "D9", bad)
    text = refused(path, partners)
    assert f"{NAME}, sheet 'Imports, CIF', cell D9: cannot read {bad!r}: expected a number, an empty " \
           "cell, or an IMF estimate" in text


def test_a_negative_value_is_refused(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Exports, FOB", "C9", -4.0)
    assert f"{NAME}, sheet 'Exports, FOB', cell C9: -4 is not a trade value" in refused(path, partners)


def test_an_unknown_partner_is_refused_with_how_to_add_it(tmp_path: Path, partners: Partners) -> None:
    rows = {"Exports, FOB": [("World", [1, 2, 3]), ("Narnia", [1, 1, 1])], "Imports, CIF": []}
    text = refused(make_workbook(tmp_path / NAME, rows), partners)
    assert f"{NAME}, sheet 'Exports, FOB', cell B9: partner 'Narnia' is not in " \
           "data/external/imf_dots_partners.csv: add it there as country or aggregate" in text


def test_a_repeated_partner_with_other_figures_is_refused(tmp_path: Path, partners: Partners) -> None:
    rows = {"Exports, FOB": [("Australia", [1, 2, 3]), ("World", [9, 9, 9]), ("Australia", [1, 2, 4])],
            "Imports, CIF": []}
    text = refused(make_workbook(tmp_path / NAME, rows), partners)
    assert f"{NAME}, sheet 'Exports, FOB', cell B10: partner 'Australia' appears again " \
           "(first in row 8)" in text


def test_values_without_a_partner_name_are_refused(tmp_path: Path, partners: Partners) -> None:
    rows = {"Exports, FOB": [("World", [1, 2, 3])], "Imports, CIF": []}
    path = edit(make_workbook(tmp_path / NAME, rows), "Exports, FOB", "D9", 5.0)
    assert f"{NAME}, sheet 'Exports, FOB', cell B9: the partner name is empty" in refused(path, partners)


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path, partners: Partners) -> None:
    path = edit(make_workbook(tmp_path / NAME), "Imports, CIF", "B5", "Euros")
    path = edit(path, "Exports, FOB", "B2", "Something else")
    text = refused(path, partners)
    assert "sheet 'Imports, CIF', cell B5" in text and "sheet 'Exports, FOB', cell B2" in text


# --- the real workbooks --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(partners: Partners) -> dict:
    folder = Path(__file__).resolve().parents[1] / "data" / "external" / "imf_dots"
    return {name: read_workbook(folder / name, partners) for name in WORKBOOKS}


@pytest.mark.end_to_end
@pytest.mark.parametrize("name", WORKBOOKS)
def test_each_real_workbook_validates(real: dict, name: str) -> None:
    frame, problems = real[name]
    assert problems == []
    assert len(frame) > 5000


def _figure(real: dict, name: str, sheet: str, cell: str):
    frame = real[name][0]
    match = frame[(frame.sheet == sheet) & (frame.cell == cell)]
    assert len(match) == 1, f"{name} {sheet} {cell}"
    return match.iloc[0]


# Cells read by hand from the workbooks (opened in a spreadsheet): inputs, not outputs.
KNOWN = [
    ("DOTS_103_kazakhstan.xlsx", "Exports, FOB", "AE59", "China, P.R.: Mainland", 2020, 9004.006953, False),
    ("DOTS_103_kazakhstan.xlsx", "Exports, FOB", "C59", "China, P.R.: Mainland", 1992, 128.11, True),
    ("DOTS_103_kazakhstan.xlsx", "Imports, CIF", "K59", "China, P.R.: Mainland", 2000, 150.9704, False),
    ("DOTS_103_kazakhstan.xlsx", "Imports, CIF", "AE102", "Russian Federation", 2020, 13300.216572, False),
    ("DOTS_103_kazakhstan.xlsx", "Exports, FOB", "C9", "World", 1992, 244.44291743995248, False),
    ("DOTS_103_kazakhstan.xlsx", "Exports, FOB", "D8", "Australia", 1993, 0.14, True),
    ("DOTS_103_kazakhstan.xlsx", "Exports, FOB", "D177", "Brazil", 1993, 0.0, True),
    ("DOTS_40_china_mainland.xlsx", "Exports, FOB", "AT122", "Kazakhstan, Rep. of", 2020, 11706.98856, False),
    ("DOTS_40_china_mainland.xlsx", "Imports, CIF", "R122", "Kazakhstan, Rep. of", 1992, 140.923, False),
    ("DOTS_40_china_mainland.xlsx", "Exports, FOB", "C8", "Australia", 1961, 7.1, False),
    ("DOTS_162_russia.xlsx", "Exports, FOB", "AE121", "Kazakhstan, Rep. of", 2020, 14052.644309, False),
    ("DOTS_162_russia.xlsx", "Imports, CIF", "M122", "Kazakhstan, Rep. of", 2002, 1943.40945, False),
]


@pytest.mark.end_to_end
@pytest.mark.parametrize("name,sheet,cell,partner,year,value,estimate", KNOWN)
def test_known_cells_read_correctly(real: dict, name, sheet, cell, partner, year, value, estimate) -> None:
    row = _figure(real, name, sheet, cell)
    assert (row.partner, row.year, row.value_usd_million, row.estimate) == (partner, year, value, estimate)


@pytest.mark.end_to_end
def test_china_file_years_jump_from_1961_to_1978(real: dict) -> None:
    frame = real["DOTS_40_china_mainland.xlsx"][0]
    years = sorted(set(frame.year))
    assert years[:3] == [1961, 1978, 1979] and years[-1] == 2020


@pytest.mark.end_to_end
def test_estimates_are_flagged_only_where_the_cell_is_text(real: dict) -> None:
    # Every text cell of the value area is an estimate, except in row 32, Australia's
    # repeat (its first occurrence, row 8, is the one kept).
    book = openpyxl.load_workbook(Path(__file__).resolve().parents[1] / "data" / "external" / "imf_dots"
                                  / "DOTS_103_kazakhstan.xlsx")
    text_cells = {(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows(min_row=8)
                  for c in row[2:] if isinstance(c.value, str) and c.row != 32}
    frame = real["DOTS_103_kazakhstan.xlsx"][0]
    assert set(zip(frame[frame.estimate].sheet, frame[frame.estimate].cell, strict=False)) == text_cells
    for name in ("DOTS_40_china_mainland.xlsx", "DOTS_162_russia.xlsx"):
        assert not real[name][0].estimate.any()
