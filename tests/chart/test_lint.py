"""The pinned helm, and `helm lint --strict` with the default values and every ci/ values file."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHART, CI_FILES, CI_IDS, HELM_VERSION, helm


def test_helm_is_the_pinned_version() -> None:
    out = helm("version", "--template", "{{.Version}}")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == HELM_VERSION, "run make helm"


def test_ci_files_cover_every_certificate_mode_and_the_extras() -> None:
    assert set(CI_IDS) == {
        "cert-manager",
        "chart-certs",
        "existing-secret",
        "networkpolicy-servicemonitor",
        "url",
    }


@pytest.mark.parametrize("values", [None, *CI_FILES], ids=["default", *CI_IDS])
def test_lint_strict(values: Path | None) -> None:
    args = ["lint", "--strict", str(CHART), "--namespace", "velero"]
    if values is not None:
        args += ["--values", str(values)]
    out = helm(*args)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[WARNING]" not in out.stdout and "[ERROR]" not in out.stdout, out.stdout
    assert "1 chart(s) linted, 0 chart(s) failed" in out.stdout
