"""Where the project's files live, wherever a notebook or command is started from.

A notebook opened in JupyterLab runs in ``chapters/``; the book build runs it in
place; tests build throw-away copies of the project. All of them must read the
data of *their* project, so the root is found in this order:

1. the ``CHINA_KZ_ROOT`` environment variable (tests and the Makefile set it);
2. the nearest parent of the current directory holding ``_config.yml`` and ``data/``;
3. the checkout this package was installed from (editable install).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV_VAR = "CHINA_KZ_ROOT"


def _is_root(path: Path) -> bool:
    return (path / "_config.yml").is_file() and (path / "data").is_dir()


def project_root(start: Path | None = None) -> Path:
    """Return the project root (the folder with ``_config.yml``, ``data/`` and ``seeds/``)."""
    env = os.environ.get(ROOT_ENV_VAR)
    if env:
        root = Path(env).resolve()
        if not _is_root(root):
            raise FileNotFoundError(
                f"{ROOT_ENV_VAR}={env!r} is not a project root: "
                "expected a folder with _config.yml and data/ in it."
            )
        return root
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate
    installed = Path(__file__).resolve().parents[2]
    if _is_root(installed):
        return installed
    raise FileNotFoundError(
        f"Could not find the project root from {here}: no parent folder holds "
        f"_config.yml and data/. Start from inside the project or set {ROOT_ENV_VAR}."
    )


def data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data"


def seeds_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "seeds"
