"""One build at a time in a project folder, and nothing recorded as done when interrupted.

Two ``make book`` runs in one folder once both exited 0 and left pages linking different
stylesheet versions, and the next build found the mix "up to date". So every build holds
an exclusive lock on ``_build/.lock`` (``fcntl.flock``: released by the kernel when the
process ends, however it ends, so a crashed build never leaves a stale lock). A second
build says who holds it and waits; after :data:`DEFAULT_TIMEOUT` seconds it stops with a
plain message instead of waiting for ever.

The lock is re-entrant within one thread (``build`` holds it and calls ``jupyter_book``,
which takes it too) and exclusive between threads and processes.

:func:`atomic_write` and :func:`interrupts_as_keyboard_interrupt` are the other half:
state files are replaced whole or not at all, and SIGTERM stops a build the way Ctrl-C does,
so that the code which records a finished step never runs for an unfinished one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = "_build/.lock"
TIMEOUT_ENV = "CHINA_KZ_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 900.0

_local = threading.local()


class LockTimeout(RuntimeError):
    """Another build held the lock for longer than we were willing to wait."""


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _holder(fd: int) -> str:
    """Who holds the lock, as the holder wrote it (``pid N, started …``)."""
    with contextlib.suppress(OSError):
        text = os.pread(fd, 4096, 0).decode("utf-8", errors="replace").strip()
        if text:
            return text
    return "pid unknown"


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


@contextlib.contextmanager
def build_lock(root: Path, *, timeout: float | None = None, poll: float = 0.2,
               say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold ``root/_build/.lock`` for the duration; wait (saying so) while another build has it."""
    root = Path(root).resolve()
    held: dict[Path, int] = _local.__dict__.setdefault("held", {})
    if held.get(root):
        held[root] += 1
        try:
            yield
        finally:
            held[root] -= 1
        return
    path = root / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            limit = _timeout() if timeout is None else timeout
            holder = _holder(fd)
            say(f"another build is running in this folder ({holder}); waiting… "
                f"(at most {limit:.0f} s; {TIMEOUT_ENV} sets it)")
            deadline = time.monotonic() + limit
            while True:
                time.sleep(poll)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(
                            f"another build in this folder ({_holder(fd)}) still holds {LOCK_NAME} "
                            f"after {limit:.0f} s: let it finish, or stop it if it hangs, then build "
                            f"again (set {TIMEOUT_ENV} to wait longer)") from None
            say("the other build has finished; going on")
        info = f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}"
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode(), 0)
        held[root] = 1
        try:
            yield
        finally:
            held.pop(root, None)
    finally:
        os.close(fd)  # releases the lock


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then ``os.replace``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def interrupts_as_keyboard_interrupt() -> Iterator[None]:
    """SIGTERM raises ``KeyboardInterrupt`` too, so that an unfinished step is never stamped.

    Only in the main thread (where Python runs signal handlers), and only when SIGTERM
    still has its default action.
    """
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
