"""The README's CLI examples are what the tool prints: every `$ node-agent-webhook ...` of a plain
code block is run from the repository's root and its output compared line by line (`...` stands for
any lines), and `$ echo $?` after it for its exit code. The "In CI" snippet names the real hook."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

from .conftest import REPO, Cli

README = (REPO / "README.md").read_text(encoding="utf-8")
PROMPT = "$ node-agent-webhook "


@dataclass
class Example:
    command: str
    output: list[str] = field(default_factory=list)
    code: int | None = None


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    for block in re.findall(r"^```\n(.*?)^```", text, re.S | re.M):
        if not block.startswith(PROMPT):
            continue
        for line in block.splitlines():
            if line.startswith(PROMPT):
                found.append(Example(line.removeprefix("$ ")))
            elif line == "$ echo $?":
                found[-1].code = -1  # the next line says it
            elif found[-1].code == -1:
                found[-1].code = int(line)
            else:
                found[-1].output.append(line)
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line `...` (indented or not) matches any number of lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


EXAMPLES = examples(README)


def test_the_readme_has_examples_of_every_command_on_files() -> None:
    commands = {e.command.split()[1] for e in EXAMPLES}
    assert {"validate", "explain", "--version"} <= commands


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.command for e in EXAMPLES])
def test_a_readme_example_prints_what_the_readme_says(
    cli: Cli, example: Example, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    ran = cli(*shlex.split(example.command)[1:])
    assert matches(example.output, ran.out.splitlines()), f"the tool printed:\n{ran.out}"
    if example.code is not None:
        assert ran.code == example.code


def test_the_in_ci_snippet_names_the_repositorys_hook() -> None:
    section = README[README.index("## In CI") :]
    snippet = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S)[1])  # type: ignore[index]
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert snippet["repos"][0]["hooks"][0]["id"] == hook["id"]


def test_the_in_ci_shell_step_runs(tmp_path: Path) -> None:
    """Run as written, in a directory whose manifests/ holds the example config that gets a warning."""
    section = README[README.index("## In CI") :]
    step = re.search(r"```sh\n(.*?)```", section, re.S)[1]  # type: ignore[index]
    (tmp_path / "manifests").mkdir()
    shutil.copy(REPO / "examples" / "warn-config.yaml", tmp_path / "manifests")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", step], cwd=tmp_path, env=env, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 1, "a warning, and --warnings-as-errors: the step fails"
    report = ET.parse(tmp_path / "node-agent-config.xml").getroot()
    [testcase] = report.iter("testcase")
    assert testcase.get("name") == "ConfigMap velero/node-agent-config"
    assert testcase.find("failure") is not None


MATCHING = {
    "equal lines": (["a", "b"], ["a", "b"], True),
    "a line differs": (["a", "b"], ["a", "c"], False),
    "a line too many": (["a"], ["a", "b"], False),
    "... stands for lines": (["a", "...", "d"], ["a", "b", "c", "d"], True),
    "... stands for none too": (["a", "  ...", "b"], ["a", "b"], True),
    "... does not excuse the last line": (["a", "...", "d"], ["a", "b"], False),
}


@pytest.mark.parametrize(("expected", "actual", "result"), MATCHING.values(), ids=list(MATCHING))
def test_how_examples_are_compared(expected: list[str], actual: list[str], result: bool) -> None:
    assert matches(expected, actual) is result
