"""Shared fixtures: the real project root, throw-away copies of it to break, and one
clean copy built once per test run (HTML and PDF) for every test that reads the book."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What a copy of the project needs to load its data and build its book.
PROJECT_PARTS = ("_config.yml", "_toc.yml", "_static", "data", "seeds", "chapters")


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
