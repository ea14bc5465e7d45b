"""`validate`, `explain` and `--help` start without the server's libraries (issue 11, finding 10).

They took 0.65-1.3 s, most of it importing FastAPI, uvicorn and the kubernetes client (~0.95 s,
`python -X importtime`). What each command imports is read from `python -X importtime` of a fresh
interpreter; how fast that is belongs to `make bench` (cli_validate_ms), never to a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.inventory.fakeapi import FakeApiServer

from .conftest import REPO, case

# the top-level packages a run on files must not import
HEAVY = {
    "fastapi",
    "starlette",
    "uvicorn",
    "kubernetes",
    "urllib3",
    "cryptography",
    "prometheus_client",
    "jsonschema",
}


def imported(*argv: str | Path) -> set[str]:
    """The top-level packages `node-agent-webhook ARGV` imports, from -X importtime on stderr."""
    command = [sys.executable, "-X", "importtime", "-m", "webhook", *map(str, argv)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    lines = [line.split("|")[-1] for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {name.strip().split(".")[0] for name in lines[1:]}


COMMANDS = {
    "validate a manifest": ["validate", "examples/node-agent-config.yaml"],
    "validate a bare config, as SARIF": ["validate", "-o", "sarif", "examples/config.json"],
    "validate against a nodes file, as JUnit": [
        "validate",
        "-o",
        "junit",
        "--nodes",
        "examples/nodes.json",
        "examples/",
    ],
    "explain against a nodes file": [
        "explain",
        "--nodes",
        "examples/nodes.json",
        "examples/node-agent-config.yaml",
    ],
    "--help": ["--help"],
    "validate --help": ["validate", "--help"],
    "serve --help": ["serve", "--help"],
    "--version": ["--version"],
}


@pytest.mark.parametrize("argv", COMMANDS.values(), ids=list(COMMANDS))
def test_commands_on_files_import_none_of_the_servers_libraries(argv: list[str]) -> None:
    found = imported(*argv)
    assert "webhook" in found, "the measure sees the package's own imports"
    assert not found & HEAVY, sorted(found & HEAVY)
    if "--nodes" not in argv:  # orjson imports uuid and platform: only cluster files need it
        assert "orjson" not in found


def test_a_cluster_asked_for_brings_the_kubernetes_client(tmp_path: Path) -> None:
    """The other side of the line: the client is imported when, and because, a cluster is asked for."""
    fake = FakeApiServer().start()
    try:
        kubeconfig = fake.kubeconfig(tmp_path / "kubeconfig")
        found = imported("validate", "--kubeconfig", kubeconfig, case("good.yaml"))
    finally:
        fake.stop()
    assert {"kubernetes", "urllib3"} <= found
    assert not found & {"fastapi", "uvicorn", "starlette"}
