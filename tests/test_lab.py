"""`make lab` starts JupyterLab on the project, as root too, and opens the introduction.

The server is really started (through make, as a reader would) on a free local port with a
token; the test asks its REST API, checks that it serves the project's notebooks, and stops
it by terminating its process group. Instead of a web browser, the server is given a small
script that records the address it would open, so the test can check that it is the
introduction. Marked ``lab``: ``make check`` deselects it, ``make test`` runs it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _make_lab_command(*variables: str, env: dict | None = None) -> str:
    """The command `make lab` would run (make -n), with ``env`` for make itself."""
    result = subprocess.run(["make", "-s", "-n", "lab", *variables], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if "jupyter lab" in line][-1]


@pytest.fixture
def lab(tmp_path: Path):
    """`make lab` running on a free port; yields (base URL, token, file of opened URLs, log)."""
    port, token = _free_port(), secrets.token_hex(16)
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    env = {**os.environ,
           # Keep the user's Jupyter settings and runtime files out of the test (and vice versa).
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    lab_args = " ".join([
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.browser='{browser} %s'",
    ])
    log = tmp_path / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["make", "lab", f"LAB_ARGS={lab_args}"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}", token, opened, log, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _wait_for_status(base: str, token: str, process: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make lab exited with {process.returncode} before serving:\n"
                        + log.read_text(errors="replace")[-3000:])
        try:
            status, body = _get(f"{base}/api/status", token)
        except OSError:
            time.sleep(0.5)
            continue
        assert status == 200, f"/api/status answered {status}: {body[:300]!r}"
        return json.loads(body)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_SECONDS} s:\n"
                + log.read_text(errors="replace")[-3000:])


@pytest.mark.lab
def test_make_lab_serves_the_project_and_opens_the_introduction(lab) -> None:
    base, token, opened, log, process = lab
    status = _wait_for_status(base, token, process, log)
    assert set(status) >= {"started", "last_activity", "kernels", "connections"}, status

    code, body = _get(f"{base}/api/contents/chapters/introduction.ipynb?content=0", token)
    assert code == 200, f"the server's root is not the project: {code} {body[:300]!r}"
    assert json.loads(body)["type"] == "notebook"

    code, _ = _get(f"{base}/api/status", "not-the-token")
    assert code == 403, f"expected the token to be required, got {code}"

    # The server and its default kernel are .venv's: jupyter_client runs a spec whose argv
    # starts with "python" with the server's own interpreter.
    assert f"JupyterLab extension loaded from {ROOT / '.venv'}" in log.read_text(errors="replace")
    code, body = _get(f"{base}/api/kernelspecs", token)
    specs = json.loads(body)
    assert specs["kernelspecs"][specs["default"]]["spec"]["argv"][0] == "python", specs

    deadline = time.monotonic() + 20
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert opened.exists(), "the server never asked a browser to open a page"
    # The server opens a local redirect page (so the token stays out of the process list);
    # it must lead to the introduction.
    opened_url = opened.read_text(encoding="utf-8").split()[0]
    assert opened_url.startswith("file:"), opened_url
    redirect = Path(urllib.request.url2pathname(opened_url[len("file:"):])).read_text(encoding="utf-8")
    targets = set(re.findall(r'(?:url=|href=")(http[^"]+)"', redirect))
    assert targets, f"no address in the page the server opens:\n{redirect}"
    for url in targets:
        assert url.startswith(f"{base}/lab/tree/chapters/introduction.ipynb"), url
        code, _ = _get(url, token)
        assert code == 200, f"{url} answered {code}"


def test_make_lab_passes_allow_root_only_to_root(tmp_path: Path) -> None:
    as_this_user = _make_lab_command()
    assert ("--allow-root" in as_this_user) == (os.getuid() == 0), as_this_user
    assert as_this_user.rstrip().endswith("chapters/introduction.ipynb"), as_this_user

    fake = tmp_path / "bin"
    fake.mkdir()
    for uid, expected in (("0", True), ("1000", False)):
        (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n", encoding="utf-8")
        (fake / "id").chmod(0o755)
        env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
        command = _make_lab_command(env=env)
        assert ("--allow-root" in command) is expected, f"uid {uid}: {command}"


@pytest.mark.end_to_end
def test_make_kernel_installs_a_kernel_that_finds_the_project(tmp_path: Path) -> None:
    subprocess.run(["make", "-s", "kernel", f"KERNEL_INSTALL=--prefix={tmp_path}"], cwd=ROOT,
                   check=True, capture_output=True)
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "china-kazakhstan" / "kernel.json")
                      .read_text(encoding="utf-8"))
    assert spec["argv"][0] == str(ROOT / ".venv" / "bin" / "python")
    assert spec["env"] == {"CHINA_KZ_ROOT": str(ROOT)}
    assert spec["display_name"] == "Python (china-kazakhstan)"
