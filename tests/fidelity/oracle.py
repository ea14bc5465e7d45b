"""Talks to the Velero oracle (tools/velero-oracle, built by `make velero-oracle` into .bin/).

One process answers a whole run in batch mode: one JSON line in per config ({"config": text,
"nodes": {name: labels}}), one answer line out (thousands of configs cost one process). Without the
binary a developer's run skips the oracle tests with the command that builds it; CI (CI=true) fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
RELEASES = ("v1.18.2", "v1.16.2")  # mk/oracle.mk builds the same


def binary(release: str) -> Path:
    return REPO / ".bin" / f"velero-oracle-{release}"


def require(release: str) -> Path:
    path = binary(release)
    if not os.access(path, os.X_OK):
        message = f"{path} is missing: run `make velero-oracle`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


Nodes = Mapping[str, Mapping[str, str]]


class Oracle:
    """`velero-oracle-<release> --batch`: `ask_all` sends every config at once and reads the answers."""

    def __init__(self, release: str) -> None:
        self.release = release
        self.asked = 0

    def ask_all(self, inputs: Sequence[tuple[str, Nodes]]) -> list[dict[str, Any]]:
        lines = "".join(json.dumps({"config": c, "nodes": n}, ensure_ascii=True) + "\n" for c, n in inputs)
        done = subprocess.run(
            [str(require(self.release)), "--batch"], input=lines, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"velero-oracle-{self.release} exited {done.returncode}: {done.stderr}")
        answers = [json.loads(line) for line in done.stdout.splitlines()]
        assert len(answers) == len(inputs), (len(answers), len(inputs))
        self.asked += len(answers)
        return answers

    def ask(self, config: str, nodes: Nodes) -> dict[str, Any]:
        return self.ask_all([(config, nodes)])[0]
