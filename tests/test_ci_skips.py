"""Under CI=true a skipped test fails with its reason; xfail keeps its meaning (tests/ci_skips.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SYNTHETIC = '''
import pytest

def test_skips():
    pytest.skip("the originals are not here")

@pytest.mark.skipif(True, reason="a condition")
def test_skipif():
    pass

def test_missing_pinned_dependency():
    pytest.importorskip("no_such_module_pinned")

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False

def test_passes():
    pass
'''


def _pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_synthetic.py").write_text(SYNTHETIC, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = str(TESTS)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the rule alone; no nbval, no playwright
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                           "-p", "ci_skips", "test_synthetic.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_under_ci_every_skip_fails_with_its_reason(tmp_path: Path) -> None:
    result = _pytest(tmp_path, "true")
    out = result.stdout
    assert result.returncode == 1, out
    assert "FAILED test_synthetic.py::test_skips - skipped under CI=true" in out, out
    assert "the originals are not here" in out
    assert "ERROR test_synthetic.py::test_skipif - skipped under CI=true" in out, out
    assert "FAILED test_synthetic.py::test_missing_pinned_dependency" in out
    assert "no_such_module_pinned" in out
    assert "XFAIL test_synthetic.py::test_expected_failure" in out, "xfail keeps its meaning"
    assert "PASSED test_synthetic.py::test_passes" in out
    assert "skipped" not in out.splitlines()[-1], out.splitlines()[-1]


def test_outside_ci_skips_stay_skips(tmp_path: Path) -> None:
    result = _pytest(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "3 skipped" in result.stdout.splitlines()[-1], result.stdout
