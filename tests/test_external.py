"""The outside figures (data/external/trade_mirror.csv): loaded apart from the ledger, refused
with file, line, row id and field when a row cannot be trusted, and refused as a whole when
the copy no longer matches its line in data/external/MANIFEST.sha256."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from china_kazakhstan.data import mirror as external
from china_kazakhstan.data.external_files import write_external_manifest
from china_kazakhstan.data.ledger import load_ledger
from china_kazakhstan.data.schema import DataPackage
from china_kazakhstan.errors import DataError

#: ../shared beside the checkout (the originals); tests using it are marked shared_originals.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "external" / "trade_mirror.csv"


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _edit(project: Path, row_id: str, field: str, value: str, *, manifest: bool = True) -> int:
    """Set one field of one row of the copy's trade_mirror.csv; return the row's line.

    With ``manifest`` (the default) the manifest line is updated too, as after an update of
    the source on purpose, so that the row checks themselves are what is tested.
    """
    path = project / "data" / "external" / "trade_mirror.csv"
    header, rows = _rows(path)
    for index, row in enumerate(rows):
        if row["id"] == row_id:
            row[field] = value
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(rows)
            if manifest:
                write_external_manifest(project)
            return index + 2
    raise AssertionError(f"no row {row_id}")


def _where(line: int, row_id: str, field: str) -> str:
    return re.escape(f"data/external/trade_mirror.csv, line {line} ({row_id}), field '{field}'")


def _some_id(root: Path, **conditions: str) -> str:
    _, rows = _rows(root / "data" / "external" / "trade_mirror.csv")
    return next(r["id"] for r in rows if all(r[k] == v for k, v in conditions.items()))


def test_real_file_loads_typed(root: Path) -> None:
    mirror = external.load_trade_mirror(root)
    _, rows = _rows(root / "data" / "external" / "trade_mirror.csv")
    assert list(mirror["id"]) == [r["id"] for r in rows]
    assert mirror["value"].dtype == float
    assert pd.api.types.is_datetime64_any_dtype(mirror["period_end"])
    assert (mirror["period_start"] <= mirror["period_end"]).all()
    assert mirror["url"].str.match(r"https?://").all()
    assert set(mirror["side"]) <= {"china", "kazakhstan", "analysis"}


@pytest.mark.shared_originals
def test_file_is_the_shared_copy_byte_for_byte(root: Path) -> None:
    """An extra beside the manifest; deselected where ../shared is absent (tests/ci_skips.py)."""
    assert SHARED.is_file(), f"{SHARED} is missing although ../shared is beside the checkout"
    assert (root / "data" / "external" / "trade_mirror.csv").read_bytes() == SHARED.read_bytes()


def test_a_changed_copy_is_refused_with_both_hashes_and_what_to_do(project: Path) -> None:
    path = project / "data" / "external" / "trade_mirror.csv"
    original = path.read_bytes()
    path.write_bytes(original + b"\n")  # the same rows, different bytes
    with pytest.raises(DataError) as caught:
        external.load_trade_mirror(project)
    message = str(caught.value)
    assert "data/external/trade_mirror.csv: sha256 is " in message
    assert hashlib.sha256(original + b"\n").hexdigest() in message
    assert hashlib.sha256(original).hexdigest() in message
    assert "git checkout -- data/external/trade_mirror.csv" in message
    assert "python -m china_kazakhstan manifest --external" in message


def test_a_copy_left_out_of_the_manifest_is_refused(project: Path) -> None:
    manifest = project / "data" / "external" / "MANIFEST.sha256"
    manifest.write_text("".join(line + "\n" for line in manifest.read_text().splitlines()
                                if not line.endswith("  trade_mirror.csv")))
    with pytest.raises(DataError, match=r"data/external/trade_mirror\.csv: is not listed in "
                                        r"data/external/MANIFEST\.sha256"):
        external.load_trade_mirror(project)


def test_fixed_lists_are_the_schema_enums(root: Path) -> None:
    resource = DataPackage(root / "data" / "datapackage.json", root).resources["trade_mirror"]
    assert resource.field("reporter").enum == external.REPORTERS
    assert resource.field("partner").enum == external.PARTNERS
    assert resource.field("flow").enum == external.FLOWS
    assert resource.field("unit").enum == external.UNITS
    assert resource.field("reporter_basis").enum == external.BASES
    assert resource.field("url").required


def test_kept_apart_from_the_ledger(root: Path) -> None:
    ledger = load_ledger(root)
    assert not hasattr(ledger, "trade_mirror")
    assert not ledger.claims["claim_id"].str.startswith("X").any()
    assert "quote" not in external.load_trade_mirror(root).columns


def test_row_without_url_is_refused(project: Path) -> None:
    row_id = _some_id(project)
    line = _edit(project, row_id, "url", "")
    with pytest.raises(DataError, match=_where(line, row_id, "url")):
        external.load_trade_mirror(project)


@pytest.mark.parametrize("url", ["www.example.com/page", "ftp://example.com/page", "https:///no-host"])
def test_row_with_a_url_that_is_not_http_is_refused(project: Path, url: str) -> None:
    row_id = _some_id(project)
    line = _edit(project, row_id, "url", url)
    with pytest.raises(DataError, match=_where(line, row_id, "url")):
        external.load_trade_mirror(project)


@pytest.mark.parametrize("field,value", [("reporter", "kazakhstan_customs"), ("partner", "usa"),
                                         ("flow", "re_exports"), ("unit", "KZT_billion"),
                                         ("reporter_basis", "guessed")])
def test_value_outside_the_fixed_lists_is_refused(project: Path, field: str, value: str) -> None:
    row_id = _some_id(project, unit="USD_billion")
    line = _edit(project, row_id, field, value)
    with pytest.raises(DataError, match=_where(line, row_id, field) + f".*{value}"):
        external.load_trade_mirror(project)


@pytest.mark.parametrize("period", ["2023-13", "2023-02..2022-12", "last year", "@2023-05-19", ""])
def test_unparseable_period_is_refused(project: Path, period: str) -> None:
    row_id = _some_id(project)
    line = _edit(project, row_id, "period", period)
    with pytest.raises(DataError, match=_where(line, row_id, "period")):
        external.load_trade_mirror(project)


def test_unit_that_does_not_fit_the_flow_is_refused(project: Path) -> None:
    row_id = _some_id(project, flow="total_growth")
    line = _edit(project, row_id, "unit", "USD_billion")
    with pytest.raises(DataError, match=_where(line, row_id, "unit") + ".*does not fit"):
        external.load_trade_mirror(project)


def test_impossible_page_date_is_refused(project: Path) -> None:
    row_id = _some_id(project)
    line = _edit(project, row_id, "page_date", "2023-02-30")
    with pytest.raises(DataError, match=_where(line, row_id, "page_date") + ".*does not exist"):
        external.load_trade_mirror(project)


def test_every_problem_is_listed_once(project: Path) -> None:
    first, second = _some_id(project, reporter="china_customs"), _some_id(project, partner="russia")
    _edit(project, first, "url", "")
    _edit(project, second, "reporter", "nobody")
    with pytest.raises(DataError) as caught:
        external.load_trade_mirror(project)
    assert [(p.row_id, p.field) for p in caught.value.problems] == [(first, "url"), (second, "reporter")]


def test_a_bad_outside_row_does_not_stop_the_ledger(project: Path) -> None:
    _edit(project, _some_id(project), "reporter", "nobody")
    assert len(load_ledger(project).claims) > 0
    with pytest.raises(DataError):
        external.load_trade_mirror(project)


@pytest.mark.end_to_end
def test_outside_validator_refuses_an_unknown_reporter(project: Path) -> None:
    import frictionless  # pinned (requirements.lock): missing is a failure, never a skip
    _edit(project, _some_id(project), "reporter", "nobody")
    with frictionless.system.use_context(trusted=True):
        report = frictionless.Package(str(project / "data" / "datapackage.json")).validate()
    assert not report.valid
    assert any(e[1] == "reporter" for e in report.flatten(["rowNumber", "fieldName"]))


def test_source_cell_names_outlet_date_and_links_the_page(root: Path) -> None:
    mirror = external.load_trade_mirror(root)
    for _, row in mirror.iterrows():
        cell = external.source_html(row)
        assert f'href="{row["url"]}"' in cell.replace("&amp;", "&")
        assert row["outlet"].replace("&", "&amp;") in cell
        assert row["page_date_label"] in cell
    undated = mirror[mirror["page_date"].isna() | (mirror["page_date"] == "")]
    assert (undated["page_date_label"] == "page undated").all()
