"""Every file a reader may reuse says under which terms: the code's MIT licence, the project's
data and text under CC BY 4.0, and the articles and outside statistics as their owners'.

The notice must keep up with the repository: a new table in data/ or a new outside file fails
here until NOTICE.md says whose it is; the articles are covered by their folder, so adding one
stays a data change.
"""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTICE = (ROOT / "NOTICE.md").read_text(encoding="utf-8")


def test_the_code_licence_is_the_mit_licence_pyproject_declares() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 The China–Kazakhstan report team\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_notice_names_each_licence_and_its_text() -> None:
    assert "MIT licence in [`LICENSE`](LICENSE)" in NOTICE
    assert "https://creativecommons.org/licenses/by/4.0/" in NOTICE
    assert "(CC BY 4.0)" in NOTICE


def test_every_article_is_covered_as_its_publishers_without_listing_it() -> None:
    """Adding an article is a data change only: the notice covers every file of seeds/ by its folder
    and points at seeds/sources.csv, where each article's outlet and date are."""
    assert "`seeds/*.txt`" in NOTICE and "`seeds/sources.csv`" in NOTICE
    assert "remain their publishers'" in NOTICE
    with (ROOT / "seeds" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle))
    assert sorted(s["file"] for s in sources) == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))


def test_every_table_and_outside_file_in_data_is_named_in_the_notice() -> None:
    unnamed = []
    for path in sorted((ROOT / "data").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(ROOT / "data")
        # A file is covered by its name (a table) or by its folder (outside files kept together).
        names = {f"`{path.name}`", *(f"`data/{parent.as_posix()}/`" for parent in relative.parents
                                     if parent != Path("."))}
        if not any(name in NOTICE for name in names):
            unnamed.append(relative.as_posix())
    assert not unnamed, f"NOTICE.md does not say under which terms these are: {unnamed}"


def test_the_imf_files_carry_the_imf_terms_and_attribution() -> None:
    assert "https://www.imf.org/external/terms.htm" in NOTICE
    assert '"Source: IMF, Direction of Trade Statistics"' in NOTICE


def test_vendored_files_are_named_with_their_licence() -> None:
    for path in sorted((ROOT / "tools" / "schemas").glob("*.json")):
        line = next((line for line in NOTICE.splitlines() if path.name in line), "")
        assert line, f"NOTICE.md does not name the vendored tools/schemas/{path.name}"
    assert re.search(r"citation-file-format-1\.2\.0\.schema\.json`: the Citation File Format 1\.2\.0\s+"
                     r"schema, by the Citation File Format authors, CC BY 4\.0", NOTICE)
