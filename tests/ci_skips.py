"""Under CI, a test that does not run fails: a skip is never counted as a pass there.

A provenance test that cannot find what it compares against, or a test whose pinned
dependency is missing, would otherwise skip quietly and the run would look green. With
``CI=true`` (GitHub Actions and most CI services set it), every skip becomes a failure
that carries the skip's reason: at collection (``pytest.importorskip`` at module level),
at setup (``skipif``) and in the test (``pytest.skip``). Expected failures keep their
meaning (``xfail`` is reported as xfailed or xpassed, as usual).

Registered by ``conftest.py``; a test of this rule runs pytest on a synthetic file with
``-p ci_skips``.
"""

from __future__ import annotations

import os

import pytest

CI_ENV = "CI"


def strict() -> bool:
    """True under CI (``CI=true``): skips fail."""
    return os.environ.get(CI_ENV, "").strip().lower() == "true"


def _reason(longrepr) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _fail(report) -> None:
    report.outcome = "failed"
    report.longrepr = (f"skipped under {CI_ENV}=true, which counts as a failure here: "
                       f"{_reason(report.longrepr)}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if strict() and report.skipped and not hasattr(report, "wasxfail"):
        _fail(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if strict() and report.skipped:
        _fail(report)


# --- extras that need the originals beside the checkout -------------------------------------
#: Tests that compare the project's copies with the originals in ../shared carry this marker.
#: They are extras: the project's own manifests protect the evidence in every environment.
#: Where ../shared is not beside the checkout (GitHub), they are *deselected*, which pytest
#: reports ("N deselected"), never skipped and never counted as passed.
SHARED_MARKER = "shared_originals"


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", f"{SHARED_MARKER}: compares a copy with the original in ../shared; "
                                       "deselected where ../shared is absent")


def pytest_collection_modifyitems(config, items) -> None:
    from pathlib import Path

    shared = Path(__file__).resolve().parents[2] / "shared"
    if shared.is_dir():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(SHARED_MARKER) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
