"""Shared fixtures: the real project root, and throw-away copies of it to break."""

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


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's data and seeds that a test may break."""
    copy = copy_project(tmp_path / "project")
    monkeypatch.setenv("CHINA_KZ_ROOT", str(copy))
    return copy
