"""Child processes of the end-to-end tests: started with their output in a log file, stopped by pid.

Every process the suite starts goes through `Child`, so that a failing test can show the tail of its
log and a finished session leaves nothing running: `stop()` signals the process it started (never a
name), waits, and kills it if it does not go; and should pytest itself be killed, the kernel kills
the children (PR_SET_PDEATHSIG). Ports come from the kernel (bind to 0), on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / ".bin"
VENV_BIN = REPO / ".venv" / "bin"
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_prctl = ctypes.CDLL(None).prctl  # looked up here, in the parent: the forked child only calls it


def free_port() -> int:
    """A port nothing listens on right now (the kernel's choice); the caller binds it soon after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def poll(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """True as soon as `condition()` is; False when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class Child:
    """One long-running process, its stdout and stderr in `log`."""

    def __init__(self, name: str, argv: Sequence[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.argv = list(argv)
        self.log = log
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            out.write(f"\n=== start: {' '.join(self.argv)}\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                self.argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 - one prctl call, nothing that locks
            )

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Signal our own process, wait for it, kill it if it stays."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def wait_until(self, check: Callable[[], bool], state: str, timeout: float) -> None:
        """Poll `check` while the process runs; a check that cannot connect yet (OSError) is a no."""

        def attempt() -> bool:
            self.require_running()
            try:
                return check()
            except OSError:
                return False

        if not poll(attempt, timeout, 0.2):
            raise AssertionError(f"{self.name} did not become {state}\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return f"({self.name}: no log)"
        text = self.log.read_text(errors="replace").splitlines()[-lines:]
        return f"--- last lines of {self.log}:\n" + "\n".join(text)

    def require_running(self) -> None:
        if not self.running:
            raise AssertionError(f"{self.name} exited\n{self.tail()}")


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when pytest dies, so a killed run leaves no server behind."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def require_tool(path: Path, make_target: str) -> Path:
    """The built tool, or a failure that says which make target builds it (never a skip)."""
    if not os.access(path, os.X_OK):
        import pytest

        pytest.fail(f"{path.relative_to(REPO)} is missing: run `make {make_target}`", pytrace=False)
    return path
