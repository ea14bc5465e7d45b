"""The oracle as a person runs it: one config on stdin with `--nodes FILE`, and batch mode's lines."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.fidelity.oracle import RELEASES, REPO, require

pytestmark = pytest.mark.oracle
NODES_FILE = REPO / "examples" / "nodes.json"
KEYS = {
    "decodeError",
    "concurrency",
    "globalConcurrency",
    "podResourcesDropped",
    "podResourcesError",
    "loadAffinityUsed",
    "loadAffinityPanic",
    "loadAffinityUnused",
    "prepareQueueLength",
    "cachePVCIgnored",
    "rulesSkipped",
}


def oracle(release: str, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    binary = require(release)
    return subprocess.run([str(binary), *args], input=stdin, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("release", RELEASES)
def test_one_config_with_a_nodes_file_gives_one_answer_naming_every_node(release: str) -> None:
    config = (REPO / "examples" / "config.json").read_text(encoding="utf-8")
    done = oracle(release, "--nodes", str(NODES_FILE), stdin=config)
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    answer = json.loads(line)
    assert set(answer) == KEYS
    names = {n["metadata"]["name"] for n in json.loads(NODES_FILE.read_text(encoding="utf-8"))["items"]}
    assert set(answer["concurrency"]) == names


def test_batch_lines_take_the_nodes_file_unless_they_bring_their_own() -> None:
    lines = [
        {"config": '{"loadConcurrency": {"globalConfig": 2}}'},
        {"config": '{"loadConcurrency": {"globalConfig": 2}}', "nodes": {"only": {}}},
        {"config": "{"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    done = oracle("v1.18.2", "--batch", "--nodes", str(NODES_FILE), stdin=stdin)
    first, second, third = (json.loads(line) for line in done.stdout.splitlines())
    assert len(first["concurrency"]) == 6 and set(first["concurrency"].values()) == {2}
    assert second["concurrency"] == {"only": 2}
    assert third["decodeError"] == "unexpected end of JSON input"


def test_a_batch_line_that_is_not_a_request_stops_the_oracle_with_its_line_number() -> None:
    done = oracle("v1.18.2", "--batch", stdin='{"config": "{}"}\n{"conf": 1}\n')
    assert done.returncode == 2
    assert "stdin line 2" in done.stderr
    assert len(done.stdout.splitlines()) == 1
