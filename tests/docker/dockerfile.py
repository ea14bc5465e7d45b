"""The Dockerfile and requirements.lock as data, for tests that cannot build the image.

There is no container engine on these machines, so the tests read the Dockerfile's instructions (and
replay its build stage's RUN lines in a virtualenv, see imagevenv.py) instead of running `docker build`.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
LOCK = REPO / "requirements.lock"
PYPROJECT = REPO / "pyproject.toml"
LOCK_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    args: str  # the rest of the (joined) line
    stage: int  # 0 for the first FROM's stage, 1 for the next, ...

    def exec_form(self) -> list[str]:
        """The JSON (exec) form of ENTRYPOINT / CMD."""
        value = json.loads(self.args)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), self.args
        return value


def instructions(text: str | None = None) -> list[Instruction]:
    """Continuation lines joined, comments and parser directives dropped, each tagged with its stage."""
    found: list[Instruction] = []
    stage = -1
    for line in _logical_lines(DOCKERFILE.read_text() if text is None else text):
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        stage += keyword == "FROM"
        found.append(Instruction(keyword, args.strip(), stage))
    return found


def _logical_lines(text: str) -> list[str]:
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue  # comments may sit between continuation lines too
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(" ".join((pending + stripped).split()))
        pending = ""
    return lines


def of(keyword: str, stage: int | None = None) -> list[Instruction]:
    return [i for i in instructions() if i.keyword == keyword and (stage is None or i.stage == stage)]


def build_args() -> dict[str, str]:
    """ARG defaults declared before the first FROM."""
    return dict(i.args.split("=", 1) for i in instructions() if i.keyword == "ARG" and i.stage == -1)


def env_of(stage: int) -> dict[str, str]:
    """The ENV of a stage (KEY=VALUE pairs, several per instruction)."""
    env: dict[str, str] = {}
    for i in of("ENV", stage):
        for pair in i.args.split():
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def lock_pins() -> dict[str, str]:
    """requirements.lock as {normalised name: version}."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        match = LOCK_LINE.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def lock_entries() -> dict[str, list[str]]:
    """requirements.lock as {normalised name: its --hash options}."""
    entries: dict[str, list[str]] = {}
    current = ""
    for line in LOCK.read_text().splitlines():
        match = LOCK_LINE.match(line)
        if match:
            current = normalise(match.group(1))
            entries[current] = []
        hashes = re.findall(r"--hash=(sha256:[0-9a-f]{64})", line)
        if current and hashes:
            entries[current] += hashes
    return entries


def pyproject() -> dict[str, object]:
    with PYPROJECT.open("rb") as f:
        return tomllib.load(f)


def normalise(name: str) -> str:
    """PEP 503 names: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()
