"""The report of ``validate`` (data/validate.py): grouped by file, one message per root cause,
the summary last; a check is one line to add; a programming error is not swallowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from china_kazakhstan.data.validate import CHECKS, Check, NotChecked, Report, call, validate
from china_kazakhstan.errors import Problem


def test_problems_are_grouped_by_file_and_the_summary_is_last() -> None:
    report = Report()
    first = Problem("data/claims.csv", 3, "C002", "unit", "bad unit")
    report.add([first, Problem("seeds/a.txt", None, None, None, "edited"),
                Problem("data/claims.csv", 9, "C008", "period", "bad period"), first])
    report.not_checked.append("the ledger (the seeds must match their manifest first)")
    lines = report.lines()
    assert lines[0:3] == ["  - data/claims.csv, line 3 (C002), field 'unit': bad unit",
                          "  - data/claims.csv, line 9 (C008), field 'period': bad period",
                          "  - seeds/a.txt: edited"], "grouped by file, a repeated problem once"
    assert lines[-1].startswith("validate: 3 problems in 2 files (data/claims.csv, seeds/a.txt); not checked "
                                "until then: the ledger; fix them and validate again")
    assert len(lines) == 4


def test_a_column_is_shown_with_its_line() -> None:
    assert str(Problem("data/datapackage.json", 7, None, None, "is not valid JSON", 3)) == \
        "data/datapackage.json, line 7, column 3: is not valid JSON"


def test_a_check_is_one_line_to_add(project: Path) -> None:
    extra = Check("the seeds once more", call("seeds", "verify_seeds_of_root"))
    with pytest.raises(AttributeError):  # a programming error surfaces, it is not a refusal
        validate(project, [*CHECKS, extra])

    def outside_files(ctx) -> list[Problem]:
        return [Problem("data/external/x.csv", None, None, None, "sha256 differs from its manifest")]

    report = validate(project, [*CHECKS, Check("the outside files", outside_files)])
    assert not report.ok
    assert report.lines()[-2] == "  - data/external/x.csv: sha256 differs from its manifest"


def test_a_check_that_cannot_run_is_listed_not_passed(project: Path) -> None:
    def blocked(ctx) -> list[Problem]:
        raise NotChecked("its input is broken")

    report = validate(project, [Check("a dependent check", blocked)])
    assert not report.ok, "a check that could not run proves nothing"
    assert report.lines() == ["validate: could not run a dependent check (its input is broken); nothing "
                              "is built until every check runs."]
