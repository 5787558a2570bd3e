"""CI runs the README's test command once, where it was written, and publishes that run's book.

actionlint (in `make check` and `make test`) checks that the workflow is valid; these tests
check that it is the workflow the README describes: the Debian bookworm container with
Python 3.11, one `make test`, the uv cache keyed on the lock, the built book kept from the
same run (tests/conftest.py copies it), and GitHub Pages from the default branch only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import KEEP_BUILD_ENV, keep_build

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
DEFAULT_BRANCH_ONLY = ("github.event_name != 'pull_request' && "
                       "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)")


@pytest.fixture(scope="module")
def workflow() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); keep it as written.
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:bool"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=loader)  # a SafeLoader


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def _step(job: dict, uses: str) -> dict:
    return next(step for step in job["steps"] if step.get("uses", "").startswith(uses + "@"))


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make test +# run every test", readme, re.M), "the README's test command moved"
    lines = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[-1] == "make test", lines


def test_the_test_job_runs_in_debian_bookworm_with_python_3_11(workflow: dict) -> None:
    job = workflow["jobs"]["test"]
    assert job["container"]["image"] == "python:3.11-bookworm"
    assert "--shm-size" in job["container"].get("options", ""), "Chromium needs more than 64 MB of /dev/shm"
    assert job["env"]["CI"] == "true"


def test_the_test_command_runs_once_and_nothing_builds_the_book_again(workflow: dict) -> None:
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert sum("bash .ci/run" in run for run in runs) == 1, runs
    for run in runs:
        assert not re.search(r"\bmake (book|html|test)\b|china_kazakhstan build|jupyter-book", run), run
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "../shared" not in text and "/work/" not in text, "CI must not need files beside the checkout"


def test_uv_downloads_are_cached_on_the_lock_file(workflow: dict) -> None:
    cache = _step(workflow["jobs"]["test"], "actions/cache")
    assert "~/.cache/uv" in cache["with"]["path"].split()
    assert "hashFiles('requirements.lock')" in cache["with"]["key"]


def test_the_artifact_is_the_book_the_tests_built(workflow: dict) -> None:
    job = workflow["jobs"]["test"]
    kept = job["env"][KEEP_BUILD_ENV]
    upload = _step(job, "actions/upload-artifact")
    assert upload["if"] == "always()", "keep the book (and the test report) of a failed run too"
    assert f"{kept}/" in upload["with"]["path"].split()
    pages_upload = _step(job, "actions/upload-pages-artifact")
    assert pages_upload["with"]["path"] == f"{kept}/html"
    assert pages_upload["if"] == DEFAULT_BRANCH_ONLY


def test_pages_are_deployed_from_the_default_branch_with_the_official_actions(workflow: dict) -> None:
    pages = workflow["jobs"]["pages"]
    assert pages["needs"] == "test", "publish only a book whose tests passed"
    assert pages["if"] == DEFAULT_BRANCH_ONLY
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert _uses(pages) == ["actions/configure-pages", "actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}, "the other jobs need only to read"


def test_pages_refuse_a_book_whose_address_is_not_where_it_is_served(workflow: dict) -> None:
    pages = workflow["jobs"]["pages"]
    check = next(step for step in pages["steps"] if "run" in step)
    assert check["env"]["BOOK_URL"] == "${{ needs.test.outputs.book-url }}"
    assert check["env"]["PAGES_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert "exit 1" in check["run"]
    address = next(step for step in workflow["jobs"]["test"]["steps"] if step.get("id") == "address")
    assert "china_kazakhstan.edition url" in address["run"]


# --- tests/conftest.py copies the built book for CI -------------------------------------------

def _fake_build(project: Path, stamp: str) -> Path:
    for part, name in (("html", "index.html"), ("pdf", "china-kazakhstan.pdf"), ("jupyter_execute", "x")):
        (project / "_build" / part).mkdir(parents=True, exist_ok=True)
        (project / "_build" / part / name).write_text(stamp, encoding="utf-8")
    return project


def test_the_built_book_is_kept_where_ci_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _fake_build(tmp_path / "project", "first")
    target = tmp_path / "kept"
    monkeypatch.setenv(KEEP_BUILD_ENV, str(target))
    assert keep_build(project) == target
    assert sorted(p.name for p in target.iterdir()) == ["html", "pdf"]
    assert (target / "html" / "index.html").read_text(encoding="utf-8") == "first"
    assert (target / "pdf" / "china-kazakhstan.pdf").read_text(encoding="utf-8") == "first"

    _fake_build(project, "second")
    keep_build(project)
    assert (target / "html" / "index.html").read_text(encoding="utf-8") == "second", "a stale copy was kept"


def test_nothing_is_kept_unless_ci_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEEP_BUILD_ENV, raising=False)
    assert keep_build(_fake_build(tmp_path / "project", "x")) is None


def test_a_folder_holding_anything_else_is_never_replaced(tmp_path: Path) -> None:
    project = _fake_build(tmp_path / "project", "x")
    other = tmp_path / "precious"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"holds \['notes.txt'\]"):
        keep_build(project, str(other))
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(RuntimeError, match="holds"):
        keep_build(project, str(ROOT))
