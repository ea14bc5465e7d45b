"""Inputs the fuzzers once crashed on, kept as permanent cases: each must now give a verdict.

Each row: what the input is and what crashed, the config text (the value of the ConfigMap's one data
key), and a fragment the denial message must hold, to show the engine judged the input rather than
gave up. They run against a cluster with nodes, so the cluster checks and selectors run too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.properties import check_decision, decide

ROOT = Path(__file__).resolve().parents[2]
GT_SEVEN = (
    '{"loadAffinity": [{"nodeSelector": {"matchExpressions": '
    '[{"key": "k", "operator": "Gt", "values": [7]}]}}]}'
)
FOUND = [
    (
        "a lone surrogate escape in a key and a value (jsonschema-rs could not encode it; Go reads U+FFFD)",
        '{"a\\ud800": 1, "priorityClassName": "\\udfff"}',
        'priorityClassName: Invalid value: "\ufffd"',
    ),
    (
        "a perNodeConfig match expression that is a number (the selector builder read it as an object)",
        '{"loadConcurrency": {"perNodeConfig": [{"number": 1, "nodeSelector": {"matchExpressions": [1]}}]}}',
        "matchExpressions[0]: Invalid value: 1: must be an object, not a number",
    ),
    (
        "a loadAffinity match expression that is a number (the kubernetes.io/os check read its key)",
        '{"loadAffinity": [{"nodeSelector": {"matchExpressions": [1]}}]}',
        "matchExpressions[0]: Invalid value: 1: must be an object, not a number",
    ),
    (
        "a Gt value that is a number (the integer check and the node matcher took it for a string)",
        GT_SEVEN,
        "values[0]: Invalid value: 7: must be a string, not a number",
    ),
    (
        "a quantity of 5,000 digits (int() refuses more than 4,300; 300,000 digits took seconds)",
        '{"podResources": {"cpuRequest": "' + "9" * 5000 + '", "cpuLimit": "1", "memoryRequest": "1",'
        ' "memoryLimit": "1"}}',
        "podResources.cpuRequest: Invalid value:",
    ),
]


@pytest.mark.parametrize(("what", "text", "expected"), FOUND, ids=[row[0][:40] for row in FOUND])
def test_a_found_input_gets_a_verdict(what: str, text: str, expected: str) -> None:
    decision = decide({"metadata": {"name": "node-agent-config"}, "data": {"config.json": text}})
    check_decision(decision)
    assert any(expected in str(e) for e in decision.errors)


# Run in a child process with its address space capped: an engine that is quadratic in memory on
# these inputs dies there instead of passing slowly. Each config is Python building the JSON.
CAPPED_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
from tests.fuzz.properties import check_decision, decide
config = json.dumps(eval(sys.argv[1]))
decision = decide({"metadata": {"name": "node-agent-config"}, "data": {"c": config}})
check_decision(decision)
print(len(decision.errors), len(decision.warnings))
"""
HUGE = [
    (
        "5,000 bad label keys and values (jsonschema-rs: 2.6 GB for 3,000)",
        '{"podLabels": {f"K_{i}!": "v!" for i in range(5000)}}',
        lambda errors, warnings: errors == 1000,  # 999 named, then how many more (the cap)
    ),
    (
        "10,000 perNodeConfig rules of two numbers (every pair listed: 1.8 GB)",
        '{"loadConcurrency": {"globalConfig": 1, "perNodeConfig": [{"nodeSelector": {"matchLabels":'
        ' {"kubernetes.io/os": "linux"}}, "number": 1 + i % 2} for i in range(10000)]}}',
        lambda errors, warnings: errors == 0 and warnings > 0,  # allowed, overlaps warned
    ),
    (
        "50,000 unknown keys (a did-you-mean hint each: 9 s on the event loop, a 2.8 MB denial)",
        '{f"unknownField{i}": i for i in range(50000)}',
        lambda errors, warnings: errors == 1000,
    ),
    (
        "100,000 list items of the wrong type (200,000 errors: 6 s and a 23 MB denial)",
        '{"loadAffinity": [1] * 100000}',
        lambda errors, warnings: errors == 1000,
    ),
    (
        "100,000 perNodeConfig rules that are strings (100,000 errors: 9 s, a 13 MB denial)",
        '{"loadConcurrency": {"perNodeConfig": ["x"] * 100000}}',
        lambda errors, warnings: errors == 1000,
    ),
    (
        "15,000 rules with a negative number, 1 MB (jsonschema-rs built every violation first)",
        '{"loadConcurrency": {"globalConfig": 1, "perNodeConfig": [{"nodeSelector": {"matchLabels":'
        ' {"a": "b"}}, "number": -1}] * 15000}}',
        lambda errors, warnings: errors == 1000,
    ),
    (
        "50,000 bad label keys (each its own error: 50,000 messages of 300 bytes)",
        '{"podLabels": {f"K_{i}!": "v" for i in range(50000)}}',
        lambda errors, warnings: errors == 1000,
    ),
]


@pytest.mark.parametrize(("what", "config", "judged"), HUGE, ids=[row[0][:40] for row in HUGE])
def test_a_huge_config_is_judged_within_1_5_gib(what: str, config: str, judged: Any) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CAPPED_CHILD, config],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    errors, warnings = map(int, child.stdout.split())
    assert judged(errors, warnings)
