"""The edition (version, date, address) is written once and every citation agrees with it.

A reader citing a figure must be able to name the edition it came from: the version is
pyproject.toml's, the date CITATION.cff's ``date-released``, the title, authors and address
_config.yml's; CITATION.cff (GitHub's "Cite this repository") repeats some of them and must
agree; it must also be valid Citation File Format 1.2.0.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import china_kazakhstan
from china_kazakhstan.edition import EditionError, edition, format_date

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


check_citation = _tool("check_citation")


def _cff() -> dict:
    return check_citation.load_cff(ROOT / "CITATION.cff")


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def _pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


# --- the edition as the book shows it ----------------------------------------------------

def test_the_edition_takes_each_fact_from_its_one_file() -> None:
    info = edition(ROOT)
    config = _config()
    assert info["version"] == _pyproject_version()
    assert info["date"] == _cff()["date-released"]
    assert info["title"] == config["title"]
    assert info["authors"] == config["author"]
    assert info["url"] == config["html"]["baseurl"]
    assert info["year"] == info["date"][:4]
    assert all(isinstance(value, str) and value for value in info.values()), info


def test_the_citation_line_names_the_edition_its_date_and_the_address() -> None:
    info = edition(ROOT)
    assert info["label"] == f"Edition {info['version']}, {info['date_text']}"
    assert info["citation"] == (f"{info['authors']} ({info['year']}). {info['title']}. "
                                f"{info['label']}. {info['url']}")


def test_dates_are_written_the_same_in_every_locale() -> None:
    import datetime as dt

    assert format_date(dt.date(2026, 12, 1)) == "1 December 2026"
    assert format_date(dt.date(2024, 7, 31)) == "31 July 2024"


def test_the_package_version_is_the_edition() -> None:
    assert china_kazakhstan.__version__ == edition(ROOT)["version"], (
        "the installed package's metadata is older than pyproject.toml: run `make env`")


def test_a_copy_of_the_book_without_pyproject_takes_the_checkouts_edition(tmp_path: Path) -> None:
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "data").mkdir()
    assert edition(tmp_path) == edition(ROOT)


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("CITATION.cff", "date-released: ", "date-released: 1 Dec ",
     r"CITATION.cff, field 'date-released'.*YYYY-MM-DD, got '1 Dec 20"),
    ("_config.yml", "  baseurl: ", "  baseurl: '' #", r"_config.yml, field 'html.baseurl'.*address"),
    ("_config.yml", "\nauthor: ", "\nauthor: '' #", r"_config.yml, field 'author': the book's author is"),
    ("pyproject.toml", '\nversion = "', '\n# version = "', r"pyproject.toml, field 'project.version'"),
])
def test_a_missing_or_malformed_edition_fact_is_refused_by_name(
        tmp_path: Path, file: str, old: str, new: str, expected: str) -> None:
    for name in ("_config.yml", "CITATION.cff", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(EditionError, match=expected):
        edition(tmp_path)


def test_the_edition_module_sits_at_the_bottom_of_the_layering() -> None:
    tree = ast.parse((ROOT / "src" / "china_kazakhstan" / "edition.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    allowed = set(sys.stdlib_module_names) | {"__future__", "yaml", ".paths", ".errors"}
    assert imported <= allowed, f"edition.py imports {sorted(imported - allowed)}"


# --- CITATION.cff --------------------------------------------------------------------------

def test_citation_cff_is_valid_cff_1_2_0() -> None:
    assert check_citation.problems(ROOT / "CITATION.cff") == []


def test_citation_cff_repeats_the_edition() -> None:
    cff, info = _cff(), edition(ROOT)
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == info["version"], (
        f"CITATION.cff has version {cff['version']!r} but pyproject.toml {info['version']!r}: "
        "set both to the new edition")
    assert cff["title"] == info["title"], "CITATION.cff title must be _config.yml's title"
    assert [a.get("name") for a in cff["authors"]] == [info["authors"]], \
        "CITATION.cff authors must be _config.yml's author"
    assert cff["url"] == info["url"], (
        f"CITATION.cff url {cff['url']!r} differs from _config.yml html.baseurl {info['url']!r}")


def test_citation_cff_states_both_licences() -> None:
    assert _cff()["license"] == ["MIT", "CC-BY-4.0"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("cff-version: 1.2.0", "cff-version: 1.2", "cff-version: 1.2 is not of type 'string'"),
    ("date-released: ", "date-released: 2026-02-30 #", "'2026-02-30' is not a 'date'"),
    ("  - CC-BY-4.0", "  - CC BY 4.0", "license: "),
    ("\ntitle: ", "\ntitel: ", "'title' is a required property"),
    ('url: "https://', 'url: "www.', "url: 'www."),
])
def test_the_citation_check_refuses_an_invalid_file(tmp_path: Path, old: str, new: str,
                                                    expected: str) -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert old in text, f"CITATION.cff no longer contains {old!r}: update this test"
    bad = tmp_path / "CITATION.cff"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = check_citation.problems(bad)
    assert any(expected in line for line in found), found
    assert check_citation.main([str(bad)]) == 1


def test_the_citation_check_refuses_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "CITATION.cff"
    bad.write_text("cff-version: [1.2.0\n", encoding="utf-8")
    assert check_citation.problems(bad) == [f"CITATION.cff: not valid YAML: {_yaml_error(bad)}"]


def _yaml_error(path: Path) -> str:
    try:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        return str(error)
    raise AssertionError("expected invalid YAML")


def test_the_vendored_schema_is_the_one_its_readme_names() -> None:
    import hashlib

    schema = ROOT / "tools" / "schemas" / "citation-file-format-1.2.0.schema.json"
    digest = hashlib.sha256(schema.read_bytes()).hexdigest()
    assert digest in (ROOT / "tools" / "schemas" / "README.md").read_text(encoding="utf-8"), \
        f"the vendored CFF schema changed (sha256 {digest}): restore it or record its provenance"


# --- the built book ------------------------------------------------------------------------------

@pytest.mark.build
def test_every_built_page_names_its_edition_and_its_published_address(built_book: Path) -> None:
    info = edition(built_book)
    pages = sorted((built_book / "_build" / "html" / "chapters").glob("*.html"))
    assert pages, "no chapter pages were built"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f'<p class="edition">{info["label"]}</p>' in text, f"{page.name}: no edition in the footer"
        canonical = f'<link rel="canonical" href="{info["url"]}chapters/{page.name}" />'
        assert canonical in text, f"{page.name}: expected {canonical}"
