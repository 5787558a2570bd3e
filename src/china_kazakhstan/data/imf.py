"""Read the IMF's Direction of Trade (DOTS) Excel exports into one tidy frame, or refuse them.

The IMF's workbooks are primary statistics, so the reader is strict: it recognises the
layout *before* it reads a value, and anything it does not recognise stops it with the
file, the sheet and the cell (Excel coordinates, as a maintainer opens the file), the bad
value and what was expected. It never guesses, because a shifted row or a different unit
would otherwise turn into plausible but wrong figures in the book.

The layout it recognises (each reporter's own export, as kept in data/external/imf_dots/):

* two sheets, ``Exports, FOB`` and ``Imports, CIF``, titled in B2 ``Exports, FOB to Partner
  Countries`` and ``Imports, CIF from Partner Countries``;
* B4 the reporter (the same in both sheets, and a reporter the partner table knows), B5
  the unit, which must be ``US Dollars, Millions``;
* row 7 from column C the years, four-digit, increasing (not always consecutive: China's
  file jumps from 1961 to 1978), and nothing else in rows 1–7;
* from row 8 one partner a row: its name in B, A empty, one cell a year under the years.

A value cell is a number (a figure), empty (no figure: no row, since an empty cell is not
a zero), or text ``<number> e`` (the IMF's estimate: the number, flagged). A partner row
repeated within a sheet (Australia heads every sheet and appears again in its place)
must repeat its figures exactly; it gives one row, from its first occurrence.

Whether a partner is one economy or an aggregate is never read from the layout (the
indentation of a group, its position): it comes from data/external/imf_dots_partners.csv,
and a partner name missing there is refused.
"""

from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from ..errors import Problem
from .schema import DataPackage

PARTNERS_RESOURCE = "imf_dots_partners"
PARTNERS_FILE = "data/external/imf_dots_partners.csv"
#: Sheet name -> (flow code of the tidy table, title in B2).
SHEETS = {
    "Exports, FOB": ("exports_fob", "Exports, FOB to Partner Countries"),
    "Imports, CIF": ("imports_cif", "Imports, CIF from Partner Countries"),
}
UNIT = "US Dollars, Millions"
TITLE_CELL, REPORTER_CELL, UNIT_CELL = "B2", "B4", "B5"
YEAR_ROW, FIRST_YEAR_COLUMN, NAME_COLUMN, FIRST_PARTNER_ROW = 7, 3, 2, 8
#: The columns of the tidy frame, in the order of the tidy table's schema.
COLUMNS = ("reporter", "partner", "partner_kind", "flow", "year", "value_usd_million", "estimate",
           "file", "sheet", "cell")
_ESTIMATE = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?) e")
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class WorkbookProblem(Problem):
    """A :class:`Problem` in a workbook: ``line`` is the Excel row; ``sheet`` and ``cell`` say where.

    Reads as ``FILE, sheet 'Imports, CIF', cell F42: message``.
    """

    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f", sheet {self.sheet!r}"
        if self.cell is not None:
            where += f", cell {self.cell}"
        elif self.line is not None:
            where += f", row {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Partners:
    """data/external/imf_dots_partners.csv: the kind of each partner name, the reporters' ids."""

    kind: dict[str, str]
    economy: dict[str, str]  # IMF name -> the book's id, for the reporters

    @property
    def reporters(self) -> dict[str, str]:
        return dict(self.economy)

    def name_of(self, economy: str) -> str:
        for name, code in self.economy.items():
            if code == economy:
                return name
        raise KeyError(f"no partner with economy {economy!r} in {PARTNERS_FILE}; "
                       f"known: {sorted(self.economy.values())}")


def load_partners(root: Path) -> tuple[Partners, list[Problem]]:
    """Read and check the partner table against its schema in data/datapackage.json."""
    package = DataPackage(root / "data" / "datapackage.json", root)
    if PARTNERS_RESOURCE not in package.resources:
        return Partners({}, {}), [Problem("data/datapackage.json", None, None, None,
                                          f"has no resource {PARTNERS_RESOURCE!r}: declare "
                                          f"{PARTNERS_FILE} there")]
    rows, problems = package.read(PARTNERS_RESOURCE)
    file = package.resources[PARTNERS_RESOURCE].display_path
    kind, economy = {}, {}
    country_categories = {"economy", "former_economy"}
    for row in rows:
        kind[row["partner"]] = row["kind"]
        if row["economy"]:
            economy[row["partner"]] = row["economy"]
        if (row["category"] in country_categories) != (row["kind"] == "country"):
            problems.append(Problem(file, row.line, row["partner"], "category",
                                    f"{row['category']!r} does not fit kind {row['kind']!r}: a country's "
                                    f"category is one of {sorted(country_categories)}, an aggregate's "
                                    "any other"))
        if row["economy"] and row["kind"] != "country":
            problems.append(Problem(file, row.line, row["partner"], "economy",
                                    "only a country can be a reporter with an economy id"))
    return Partners(kind, economy), problems


def read_workbook(path: Path, partners: Partners, label: str | None = None
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    """One DOTS workbook as tidy rows (:data:`COLUMNS`), with every problem found.

    ``label`` is how messages name the file (default: its name). The frame is empty
    whenever there is a problem: a workbook is taken whole or not at all.
    """
    label = label or path.name
    try:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None, dtype=object)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        return _empty(), [WorkbookProblem(label, None, None, None,
                                          f"is not an Excel workbook that can be read ({exc}); "
                                          "expected the IMF's .xlsx export, unchanged")]
    problems: list[Problem] = []
    missing = [s for s in SHEETS if s not in sheets]
    extra = [s for s in sheets if s not in SHEETS]
    if missing or extra:
        problems.append(WorkbookProblem(
            label, None, None, None,
            f"has sheets {list(sheets)}, expected exactly {list(SHEETS)}"
            + (f" (missing {missing})" if missing else "") + (f" (unexpected {extra})" if extra else "")
            + ": not the layout of a DOTS export this reader knows"))
        return _empty(), problems
    records: list[tuple] = []
    reporters = {}
    for sheet, (flow, title) in SHEETS.items():
        sheet_reader = _Sheet(label, path.name, sheet, sheets[sheet], partners)
        reporters[sheet] = sheet_reader.check_layout(title)
        if not sheet_reader.problems:
            records += sheet_reader.rows(flow, reporters[sheet])
        problems += sheet_reader.problems
    names = set(reporters.values()) - {None}
    if len(names) > 1:
        problems.append(WorkbookProblem(label, 4, None, None,
                                        f"the two sheets name different reporters in {REPORTER_CELL}: "
                                        f"{sorted(names)}; expected one reporter per workbook"))
    if problems:
        return _empty(), problems
    return pd.DataFrame.from_records(records, columns=list(COLUMNS)), []


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(COLUMNS))


class _Sheet:
    """One sheet: layout checks first, then the value cells; problems collected, not raised."""

    def __init__(self, label: str, file_name: str, sheet: str, frame: pd.DataFrame, partners: Partners):
        self.label, self.file_name, self.sheet = label, file_name, sheet
        self.frame, self.partners = frame, partners
        self.problems: list[Problem] = []
        self.years: list[int] = []

    # -- access ---------------------------------------------------------------------------
    def value(self, row: int, column: int):
        """The cell at Excel ``row`` and ``column`` (1-based); ``None`` when empty."""
        if row > self.frame.shape[0] or column > self.frame.shape[1]:
            return None
        value = self.frame.iat[row - 1, column - 1]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        cell = f"{get_column_letter(column)}{row}" if row and column else None
        self.problems.append(WorkbookProblem(self.label, row, None, None, message,
                                             sheet=self.sheet, cell=cell))

    # -- layout ---------------------------------------------------------------------------
    def check_layout(self, title: str) -> str | None:
        """Check title, reporter, unit and the year row; return the reporter's name."""
        self._expect_text(2, NAME_COLUMN, title, "title",
                          "not the layout of a DOTS export this reader knows")
        reporter = self.value(4, NAME_COLUMN)
        if reporter is None:
            self.problem(4, NAME_COLUMN, "the reporter is missing: expected the reporting economy's name, "
                                         f"one of {sorted(self.partners.reporters)}")
        elif reporter not in self.partners.reporters:
            self.problem(4, NAME_COLUMN, f"reporter {reporter!r} is not one the book knows: expected one of "
                                         f"{sorted(self.partners.reporters)} (a partner of {PARTNERS_FILE} "
                                         "with an economy id)")
        unit = self.value(5, NAME_COLUMN)
        if unit != UNIT:
            self.problem(5, NAME_COLUMN, f"unit {unit!r} is not {UNIT!r}: the reader takes values in "
                                         "millions of US dollars only; export the workbook from DOTS in "
                                         "that unit")
        self._read_years()
        for row in range(1, YEAR_ROW + 1):
            for column in range(1, self.frame.shape[1] + 1):
                expected = {(2, NAME_COLUMN), (4, NAME_COLUMN), (5, NAME_COLUMN)}
                if (row, column) in expected or (row == YEAR_ROW and column >= FIRST_YEAR_COLUMN):
                    continue
                found = self.value(row, column)
                if found is not None:
                    self.problem(row, column, f"unexpected {found!r}: rows 1–7 of a DOTS sheet hold only the "
                                              "title (B2), the reporter (B4), the unit (B5) and the years "
                                              "(row 7 from column C); the layout is not recognised")
        return reporter if isinstance(reporter, str) else None

    def _expect_text(self, row: int, column: int, expected: str, what: str, why: str) -> None:
        found = self.value(row, column)
        if found != expected:
            self.problem(row, column, f"{what} {found!r} is not {expected!r}: {why}")

    def _read_years(self) -> None:
        column, years = FIRST_YEAR_COLUMN, []
        while self.value(YEAR_ROW, column) is not None:
            raw = self.value(YEAR_ROW, column)
            text = str(int(raw)) if isinstance(raw, (int, float)) and float(raw).is_integer() else str(raw)
            if isinstance(raw, bool) or not _YEAR.fullmatch(text):
                self.problem(YEAR_ROW, column, f"{raw!r} is not a year: expected four-digit years in row "
                                               f"{YEAR_ROW} from column C, in increasing order")
                return
            year = int(text)
            if years and year <= years[-1]:
                self.problem(YEAR_ROW, column, f"year {year} follows {years[-1]}: expected the years in "
                                               "increasing order")
                return
            years.append(year)
            column += 1
        if not years:
            self.problem(YEAR_ROW, FIRST_YEAR_COLUMN, "no year here: expected four-digit years in row "
                                                      f"{YEAR_ROW} from column C")
        self.years = years

    # -- values ---------------------------------------------------------------------------
    def rows(self, flow: str, reporter: str) -> list[tuple]:
        out: list[tuple] = []
        seen: dict[str, tuple[int, list]] = {}
        last_column = FIRST_YEAR_COLUMN + len(self.years) - 1
        for row in range(FIRST_PARTNER_ROW, self.frame.shape[0] + 1):
            name = self.value(row, NAME_COLUMN)
            cells = [self.value(row, c) for c in range(FIRST_YEAR_COLUMN, last_column + 1)]
            for column in range(1, self.frame.shape[1] + 1):
                if (column == 1 or column > last_column) and self.value(row, column) is not None:
                    self.problem(row, column, f"unexpected {self.value(row, column)!r} outside the table: "
                                              "expected the partner in column B and one value a year "
                                              f"in columns C to {get_column_letter(last_column)}")
            if name is None:
                if any(c is not None for c in cells):
                    self.problem(row, NAME_COLUMN, "the partner name is empty but the row has values: "
                                                   "expected the partner's name in column B")
                continue
            if not isinstance(name, str) or name not in self.partners.kind:
                self.problem(row, NAME_COLUMN, f"partner {name!r} is not in {PARTNERS_FILE}: add it there as "
                                               "country or aggregate (with its category and a note), then "
                                               "run `python -m china_kazakhstan imf`")
                continue
            parsed = [self._parse(row, FIRST_YEAR_COLUMN + i, cell) for i, cell in enumerate(cells)]
            if name in seen:
                first_row, first = seen[name]
                if first != parsed:
                    self.problem(row, NAME_COLUMN,
                                 f"partner {name!r} appears again (first in row {first_row}) with "
                                 "different figures: expected a repeated row to repeat its figures exactly")
                continue
            seen[name] = (row, parsed)
            kind = self.partners.kind[name]
            for i, value in enumerate(parsed):
                if value is None:
                    continue
                cell = f"{get_column_letter(FIRST_YEAR_COLUMN + i)}{row}"
                out.append((reporter, name, kind, flow, self.years[i], value[0], value[1],
                            self.file_name, self.sheet, cell))
        return out

    def _parse(self, row: int, column: int, cell) -> tuple[float, bool] | None:
        """A value cell -> (value, estimate), ``None`` for empty; a bad cell is a problem."""
        if cell is None:
            return None
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            value, estimate = float(cell), False
        elif isinstance(cell, str) and (match := _ESTIMATE.fullmatch(cell.strip())):
            value, estimate = float(match["number"]), True
        else:
            self.problem(row, column, f"cannot read {cell!r}: expected a number, an empty cell, or an IMF "
                                      "estimate written as a number followed by ' e' (such as '0.14 e')")
            return None
        if not math.isfinite(value) or value < 0:
            self.problem(row, column, f"{cell!r} is not a trade value: expected a finite number of "
                                      "millions of US dollars, zero or more")
            return None
        return value, estimate
