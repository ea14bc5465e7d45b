"""The image's virtualenv, built here by replaying the Dockerfile's build stage.

No container engine: instead the build stage's COPY and RUN instructions are carried out as written,
with two substitutions: /opt/venv becomes a temporary directory, and `python` is this test run's
interpreter (which has pip, as the base image's has). WORKDIR is a copy of the build context. The one
liberty taken is where the wheels come from: the locked files are downloaded once into .cache/
(git-ignored; again only when requirements.lock changes) and the RUN lines install from there with
the index turned off. The same --require-hashes check applies to them, and the index's answers here
forbid pip's own HTTP cache, so without this every run would download everything again.

The runtime stage's ENV and ENTRYPOINT are read from the Dockerfile as well (see `runtime_env`).
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .dockerfile import LOCK, REPO, env_of, of

IMAGE_VENV = "/opt/venv"
WHEELS = REPO / ".cache" / "image-wheels"
STEP_TIMEOUT = 300


def build(root: Path) -> Path:
    """Carry out the build stage under `root`; returns the virtualenv's directory."""
    venv, context, shim = root / "opt-venv", root / "src", root / "shim"
    context.mkdir(parents=True)
    _python_shim(shim)
    env = _build_env(shim)
    _wheelhouse()
    for step in of("COPY", 0):
        _copy(step.args.split(), context)
    for step in of("RUN", 0):
        command = step.args.replace(IMAGE_VENV, str(venv)).replace("--no-cache-dir", "")
        _run(command, context, env)
    return venv


def runtime_env(venv: Path) -> dict[str, str]:
    """The runtime stage's ENV over this environment, /opt/venv replaced by the built one."""
    env = dict(os.environ)
    for key, value in env_of(1).items():
        env[key] = value.replace(IMAGE_VENV, str(venv)).replace("$PATH", os.environ["PATH"])
    return env


def entrypoint(venv: Path) -> list[str]:
    """ENTRYPOINT (+ CMD), its program resolved on the runtime PATH, as the container runtime does."""
    [ep] = of("ENTRYPOINT", 1)
    command = ep.exec_form() + [arg for cmd in of("CMD", 1) for arg in cmd.exec_form()]
    program = shutil.which(command[0], path=runtime_env(venv)["PATH"])
    assert program is not None, f"{command[0]} is not on the image's PATH"
    return [program, *command[1:]]


def _python_shim(shim: Path) -> None:
    shim.mkdir()
    (shim / "python").symlink_to(sys.executable)


def _build_env(shim: Path) -> dict[str, str]:
    env = {**os.environ, **env_of(0)}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELS))
    env["PATH"] = f"{shim}:{os.environ['PATH']}"
    env.pop("VIRTUAL_ENV", None)  # the shim's pip must install where --python says, nowhere else
    return env


def _wheelhouse() -> None:
    """The locked files for this platform in WHEELS, downloaded when requirements.lock changed."""
    stamp = WHEELS / "requirements.lock.sha256"
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == digest:
        return
    download = [sys.executable, "-m", "pip", "download", "--require-hashes", "--no-deps"]
    _run(shlex.join([*download, "-r", str(LOCK), "-d", str(WHEELS)]), REPO, dict(os.environ))
    stamp.write_text(digest)


def _copy(args: list[str], context: Path) -> None:
    *sources, destination = args
    target = context / destination
    for source in sources:
        src = REPO / source
        if src.is_dir():  # as in Docker: the directory's contents, not the directory itself
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")
            shutil.copytree(src, target, ignore=ignore, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / src.name)


def _run(command: str, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"RUN {command}\n{done.stdout}\n{done.stderr}"
