"""The image's command, from a clean virtualenv built the way the Dockerfile builds it, serves.

The build stage is replayed (imagevenv.py): `pip install --require-hashes --no-deps -r requirements.lock`,
then the package without dependencies, then the build backend removed. Then the runtime stage's
ENTRYPOINT, with its ENV, starts on development certificates made by the same virtualenv's `certs`
command, and answers /healthz and /readyz to a client that verifies it against the development CA.
Needs the package index (or a warm .cache/pip); about 30 to 60 seconds from a cold cache.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import queue
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.admission.tls_process import NODES_FILE, RUNNING, client_context, once

from . import imagevenv
from .dockerfile import lock_pins, normalise

PACKAGE = "velero-node-agent-webhook"
BUILD_ONLY = {"setuptools"}  # locked for the build, uninstalled from the runtime virtualenv
START_TIMEOUT = 60


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return imagevenv.build(tmp_path_factory.mktemp("image"))


def test_the_entrypoint_is_the_virtualenvs_serve_command(venv: Path) -> None:
    program, *args = imagevenv.entrypoint(venv)
    assert Path(program) == venv / "bin" / "node-agent-webhook"
    assert args == ["serve"]


def test_the_entrypoint_serves_with_development_certificates(venv: Path, tmp_path: Path) -> None:
    env = imagevenv.runtime_env(venv)
    certs = tmp_path / "certs"
    made = subprocess.run(
        [str(venv / "bin" / "node-agent-webhook"), "certs", "--out-dir", str(certs)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    before = snapshot(venv)
    command = [*imagevenv.entrypoint(venv), *dev_args(certs)]
    with serving(command, env) as (process, port):
        ctx = client_context(certs / "ca.crt")  # verifies the chain and the name 127.0.0.1
        assert once(port, ctx, "GET", "/healthz").status == 200
        assert once(port, ctx, "GET", "/readyz").status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    # a read-only root filesystem would have refused any of these writes
    assert snapshot(venv) == before


def test_the_lock_is_exactly_the_runtime_closure(venv: Path) -> None:
    """Nothing missing (extras such as uvicorn[standard] included) and nothing stale."""
    dists = installed(venv)
    assert BUILD_ONLY & dists.keys() == set(), "the build backend must not stay in the image"
    needed = closure(dists, PACKAGE)
    assert dists.keys() == needed
    assert lock_pins().keys() == (needed - {PACKAGE}) | BUILD_ONLY
    for name, version in lock_pins().items():
        if name not in BUILD_ONLY:
            assert dists[name].version == version, name


def dev_args(certs: Path) -> list[str]:
    """What the chart passes, on loopback and with the nodes from a file instead of a cluster."""
    return [
        f"--tls-cert={certs / 'tls.crt'}",
        f"--tls-key={certs / 'tls.key'}",
        "--host=127.0.0.1",
        "--port=0",
        f"--nodes-file={NODES_FILE}",
        "--shutdown-delay=0",
        "--log-format=json",
    ]


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], int]]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    pump = threading.Thread(target=_pump, args=(process, lines), daemon=True)
    pump.start()
    try:
        yield process, _port(lines)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        pump.join(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


def _pump(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        lines.put(line)
    lines.put(None)


def _port(lines: queue.Queue[str | None]) -> int:
    seen: list[str] = []
    while (line := lines.get(timeout=START_TIMEOUT)) is not None:
        seen.append(line)
        if match := RUNNING.search(line):
            return int(match.group(1))
    raise AssertionError("the server exited before listening:\n" + "".join(seen))


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def installed(venv: Path) -> dict[str, importlib.metadata.Distribution]:
    [site] = venv.glob("lib/python*/site-packages")
    found = importlib.metadata.distributions(path=[str(site)])
    return {normalise(d.metadata["Name"]): d for d in found}


def closure(dists: dict[str, importlib.metadata.Distribution], root: str) -> set[str]:
    """Every distribution `root` needs on this platform, following the extras it asks for."""
    todo, seen = [(root, frozenset[str]())], set[tuple[str, frozenset[str]]]()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for req in map(Requirement, dists[name].requires or []):
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
                todo.append(_check(dists, name, req))
    return {name for name, _ in seen}


def _check(
    dists: dict[str, importlib.metadata.Distribution], name: str, req: Requirement
) -> tuple[str, frozenset[str]]:
    needed = normalise(req.name)
    assert needed in dists, f"{name} needs {req}, which requirements.lock does not have"
    assert req.specifier.contains(dists[needed].version, prereleases=True), f"{name} needs {req}"
    return needed, frozenset(req.extras)
