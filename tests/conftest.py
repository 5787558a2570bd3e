"""Shared fixtures: the real project root, throw-away copies of it to break, and one
clean copy built once per test run (HTML and PDF) for every test that reads the book."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# nbformat and frictionless validate with jsonschema, which imports rfc3987_syntax, if installed,
# for the "iri" format; that module builds its grammar at import, about 2.5 s in every test
# process. No schema the tests use has "iri" (tests/test_repo_lint.py reads them to be sure).
# Under `make test` the nbval plugin has loaded it before this file, and nothing changes.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]  # import -> ImportError

import pytest  # noqa: E402

#: Under CI=true a skipped test fails (tests/ci_skips.py).
pytest_plugins = ["ci_skips"]

ROOT = Path(__file__).resolve().parents[1]
#: What a copy of the project needs to load its data and build its book.
PROJECT_PARTS = ("_config.yml", "_toc.yml", "_static", "data", "seeds", "chapters", "pyproject.toml",
                 "CITATION.cff")


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    return destination


#: Tests that change the shared built book (its notebooks, data or _build) carry this
#: marker; they run after every other test, so that those see the book as built.
MUTATES_BUILT_BOOK = "mutates_built_book"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MUTATES_BUILT_BOOK}: changes the shared built book; runs last")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker(MUTATES_BUILT_BOOK) is not None)  # stable


# --- CI: keep the book this run built (infra) ------------------------------------------------
#: When set (the workflow sets ``_build/ci-book``), the built book's HTML and PDF are copied
#: there, relative to the checkout, so that CI publishes the very book the tests read,
#: without executing the notebooks a second time.
KEEP_BUILD_ENV = "CHINA_KZ_KEEP_BUILD"
KEPT_PARTS = ("html", "pdf")


def keep_build(project: Path, destination: str | None = None) -> Path | None:
    """Copy ``project/_build/{html,pdf}`` to ``destination`` (default: ``$CHINA_KZ_KEEP_BUILD``).

    Returns the folder, or None when no destination is set. Replaces an earlier copy, and
    refuses a destination that holds anything else (it would be deleted).
    """
    destination = os.environ.get(KEEP_BUILD_ENV, "") if destination is None else destination
    if not destination:
        return None
    target = (ROOT / destination).resolve()
    if target.exists():
        others = sorted(p.name for p in target.iterdir() if p.name not in KEPT_PARTS)
        if others or target == ROOT or target in ROOT.parents:
            raise RuntimeError(f"{KEEP_BUILD_ENV}={destination!r}: {target} holds {others or 'the project'}; "
                               "point it at an empty folder or an earlier kept build")
        shutil.rmtree(target)
    for part in KEPT_PARTS:
        shutil.copytree(project / "_build" / part, target / part)
    return target
# --- end CI -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy of the project, built once per run (HTML and PDF; about a minute).

    Read it, do not change it; a test that must change it is marked ``mutates_built_book``.
    """
    from china_kazakhstan.build.pipeline import build

    project = copy_project(tmp_path_factory.mktemp("book") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHINA_KZ_ROOT", str(project))
        build(project, pdf=True)
    keep_build(project)  # CI only (CHINA_KZ_KEEP_BUILD): the artifact and Pages come from this build
    return project


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's data and seeds that a test may break."""
    copy = copy_project(tmp_path / "project")
    monkeypatch.setenv("CHINA_KZ_ROOT", str(copy))
    return copy
