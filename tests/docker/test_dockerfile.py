"""The Dockerfile lints clean with the pinned hadolint, and says what the issue asks of the image.

Multi-stage; a slim Python base pinned by tag and digest; locked, hashed dependencies; a numeric
non-root user; nothing written at run time; port 8443; `ENTRYPOINT ["node-agent-webhook", "serve"]`;
and a build context that is an allowlist.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from .dockerfile import DOCKERIGNORE, REPO, Instruction, build_args, env_of, instructions, of

HADOLINT = REPO / ".bin" / "hadolint"
HADOLINT_VERSION = "2.15.1"  # mk/docker.mk pins the same
BASE = re.compile(r"^python:3\.11\.\d+-slim-[a-z]+@sha256:[0-9a-f]{64}$")
UNSAFE_CONTEXT = [".git", ".venv", ".bin", "certs", "charts", "tests", ".e2e", "bench"]


def hadolint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    if not os.access(HADOLINT, os.X_OK):
        pytest.fail(".bin/hadolint is missing: run make hadolint", pytrace=False)
    return subprocess.run(
        [str(HADOLINT), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False, cwd=REPO
    )


def test_hadolint_is_the_pinned_version() -> None:
    assert hadolint("--version").stdout.strip() == f"Haskell Dockerfile Linter {HADOLINT_VERSION}"


def test_hadolint_finds_nothing() -> None:
    # every level, style and info included: the output must be empty, not just under the threshold
    out = hadolint("--failure-threshold", "style", "Dockerfile")
    assert (out.returncode, out.stdout + out.stderr) == (0, "")


def test_hadolint_does_flag_a_bad_dockerfile() -> None:
    """The control: the same invocation reports an unpinned base, an unpinned pip install, a cache."""
    bad = "FROM python:latest\nRUN pip install flask\nCMD python app.py\n"
    out = hadolint("--failure-threshold", "style", "-", stdin=bad)
    assert out.returncode != 0
    for rule in ("DL3007", "DL3013", "DL3042", "DL3025"):
        assert rule in out.stdout, out.stdout


def test_two_stages_on_the_same_pinned_slim_base() -> None:
    froms = of("FROM")
    assert len(froms) == 2
    assert froms[0].args == "${PYTHON_IMAGE} AS build" and froms[1].args == "${PYTHON_IMAGE}"
    assert BASE.match(build_args()["PYTHON_IMAGE"]), "pin the base by exact tag and digest"


def test_dependencies_only_from_the_lock_with_hashes() -> None:
    installs = [i.args for i in of("RUN", 0) if "pip" in i.args and " install " in i.args]
    assert len(installs) == 2
    locked, package = installs
    assert "--require-hashes" in locked and "--no-deps" in locked and "-r requirements.lock" in locked
    # our own package: no dependency resolution, no isolated build env (no unpinned download)
    assert "--no-deps" in package and "--no-build-isolation" in package
    assert "uninstall --yes setuptools" in package


def test_runtime_stage_runs_as_a_numeric_non_root_user() -> None:
    [user] = of("USER", 1)
    uid, _, gid = user.args.partition(":")
    assert uid.isdigit() and gid.isdigit() and int(uid) > 0 and int(gid) > 0
    # the chart's runAsUser / runAsGroup default to the same ids
    assert (int(uid), int(gid)) == (65532, 65532)
    assert last(instructions(), "USER").stage == 1  # nothing after it switches back to root


def test_nothing_is_written_at_run_time() -> None:
    env = env_of(1)
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PATH"].startswith("/opt/venv/bin:")
    # no VOLUME: nothing the server needs is writable; the chart mounts its certificates read-only
    assert of("VOLUME") == []


def test_port_and_entrypoint() -> None:
    assert [i.args for i in of("EXPOSE")] == ["8443"]
    [entrypoint] = of("ENTRYPOINT")
    assert entrypoint.stage == 1
    assert entrypoint.exec_form() == ["node-agent-webhook", "serve"]
    # the chart passes the flags as args; a CMD would be appended to them by nobody
    assert of("CMD") == []


def test_runtime_stage_gets_only_the_virtualenv() -> None:
    copies = [i.args for i in of("COPY", 1)]
    assert copies == ["--from=build /opt/venv /opt/venv"]


def test_build_context_is_an_allowlist() -> None:
    lines = [ln for ln in DOCKERIGNORE.read_text().splitlines() if ln and not ln.startswith("#")]
    assert lines[0] == "*"
    allowed = {ln[1:].rstrip("/") for ln in lines if ln.startswith("!")}
    copied = {src for i in of("COPY", 0) for src in i.args.split()[:-1]}
    assert copied <= allowed, "every file the build COPYs must be let into the context"
    assert not allowed & set(UNSAFE_CONTEXT)


def last(found: list[Instruction], keyword: str) -> Instruction:
    return [i for i in found if i.keyword == keyword][-1]
