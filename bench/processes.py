"""Child processes of the benchmark: started with a timeout on every wait, always ended by their pid.

The server and the floor run as `serve` does in production (their own process, TLS on 127.0.0.1);
on a machine with two or more cores they are pinned to core 0 and the load generators to core 1, so
that generator and server never take turns on one core.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import resource
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNNING = re.compile(rb"running on https://127\.0\.0\.1:(\d+)")
SERVER_CPU, LOAD_CPU = "0", "1"


def pinned(command: list[str], cpu: str) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", cpu, *command]
    return command


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (from /proc)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def server(command: list[str], log: Path, ca: Path) -> Iterator[Server]:
    with log.open("wb") as err:
        proc = subprocess.Popen(pinned(command, SERVER_CPU), stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
    try:
        port = _wait_port(proc, log)
        _wait_ready(port, ca)
        yield Server(proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _wait_port(proc: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = RUNNING.search(log.read_bytes())
        if found:
            return int(found.group(1))
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        time.sleep(0.05)
    raise RuntimeError(f"{proc.args} did not start listening within {timeout} s")


def _wait_ready(port: int, ca: Path, timeout: float = 120) -> None:
    context = ssl.create_default_context(cafile=str(ca))
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
        try:
            conn.request("GET", "/readyz")
            response = conn.getresponse()
            if response.status == 200:
                return
            last = f"{response.status} {response.read()[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            last = repr(exc)
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} was not ready within {timeout} s; last: {last}")


@dataclass
class Finished:
    stdout: str
    wall: float
    cpu: float  # user + system seconds of the child


def run_load(command: list[str], timeout: float) -> Finished:
    """Run a load generator pinned to its core; its own CPU time shows whether it was saturated."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(
        pinned(command, LOAD_CPU), capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Finished(done.stdout, wall, cpu)


def python() -> str:
    return sys.executable
