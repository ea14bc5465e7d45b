"""The repository's pre-commit hook, run by the real pre-commit (a pinned dev dependency) the way a
user tries it: `pre-commit try-repo` on this checkout, in a fresh git repository holding one good and
one bad manifest and a values file. pre-commit builds its own virtualenv and pip-installs this
repository into it (from PyPI's packages: about a minute the first time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, case

pytestmark = pytest.mark.timeout(900)
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("user-repo")
    (root / "good.yaml").write_text(case("good.yaml").read_text())
    (root / "bad.yaml").write_text(case("bad.yaml").read_text())
    (root / "values.yaml").write_text("replicas: 2\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    return root


def environment(home: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {**clean, "PRE_COMMIT_HOME": str(home)}


def git(where: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=where, check=True, capture_output=True, timeout=60)


def try_repo(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(PRE_COMMIT), "try-repo", str(REPO), "node-agent-config", *args]
    env = environment(project.parent / "pre-commit-home")
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=800, check=False
    )


def test_the_hook_is_the_one_the_readme_names() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["language"]) == (
        "node-agent-config",
        "node-agent-webhook validate",
        "python",
    )


def test_a_bad_manifest_fails_the_commit_and_says_why(project: Path) -> None:
    done = try_repo(project, "--all-files")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "Velero node-agent config" in out and "Failed" in out
    assert "bad.yaml: ConfigMap velero/node-agent-config: denied" in out
    assert (
        "  error: loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1" in out
    )
    assert "good.yaml: ConfigMap velero/node-agent-config: allowed" in out
    assert "values.yaml: skipped: not a Kubernetes manifest" in out


def test_good_manifests_pass(project: Path) -> None:
    done = try_repo(project, "--files", "good.yaml", "values.yaml")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Velero node-agent config" in done.stdout and "Passed" in done.stdout
