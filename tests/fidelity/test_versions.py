"""What changes between node-agent 1.16.2 and 1.18.2, shown by Velero's own code (the two oracles).

Each row: a config, and what each release does with it (a part of the oracle's answer). The engine,
targeted at each release in turn, must agree with that release (compare.py's rules).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.judge import Input, Judge
from tests.fidelity.oracle import RELEASES, Oracle

pytestmark = pytest.mark.oracle
NODES = {"n1": {"zone": "a"}, "n2": {"zone": "b", "disk": "ssd"}}
UNDECODABLE: dict[str, Any] = {"decodeError": True}
OK: dict[str, Any] = {"decodeError": False}

ROWS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "priorityClassName (1.17) of the wrong type: 1.18 exits, 1.16 skips the field it does not know",
        '{"priorityClassName": 7}',
        UNDECODABLE | {"concurrency": None},
        OK | {"concurrency": {"n1": 1, "n2": 1}},
    ),
    (
        "a type error in a field both read: 1.18 exits, 1.16 runs as if there were no config",
        '{"loadConcurrency": {"globalConfig": "2"}}',
        UNDECODABLE | {"concurrency": None},
        UNDECODABLE | {"concurrency": {"n1": 1, "n2": 1}},
    ),
    (
        "prepareQueueLength (1.17): a queue of 5 for 1.18, no queue for 1.16",
        '{"loadConcurrency": {"globalConfig": 3, "prepareQueueLength": 5}}',
        OK | {"prepareQueueLength": 5, "concurrency": {"n1": 3, "n2": 3}},
        OK | {"prepareQueueLength": 0, "concurrency": {"n1": 3, "n2": 3}},
    ),
    (
        "loadAffinity per storageClass (1.17): 1.18 picks by class, 1.16 uses element 0 for everything",
        '{"loadAffinity": [{"nodeSelector": {"matchLabels": {"zone": "a"}}},'
        ' {"storageClass": "gp3", "nodeSelector": {"matchLabels": {"disk": "ssd"}}}]}',
        OK | {"loadAffinityUsed": {"": 0, "gp3": 1}},
        OK | {"loadAffinityUsed": {"": 0}},
    ),
    (
        "ephemeral storage (1.18.1): an unparsable limit drops podResources in 1.18.2, 1.16 never reads it",
        '{"podResources": {"cpuRequest": "1", "cpuLimit": "1", "memoryRequest": "1Gi",'
        ' "memoryLimit": "1Gi", "ephemeralStorageLimit": "ten"}}',
        OK | {"podResourcesDropped": True},
        OK | {"podResourcesDropped": False},
    ),
    (
        "cachePVC (1.18) without a storageClass: 1.18 ignores the cache, 1.16 has no cache",
        '{"cachePVC": {"residentThresholdInMB": 100}}',
        OK | {"cachePVCIgnored": "storage class is absent"},
        OK | {"cachePVCIgnored": None},
    ),
    (
        "a zero limit written 0Mi is a limit in both, not 'no limit': podResources dropped in both",
        '{"podResources": {"cpuRequest": "1", "cpuLimit": "0Mi",'
        ' "memoryRequest": "1Gi", "memoryLimit": "1Gi"}}',
        OK | {"podResourcesDropped": True},
        OK | {"podResourcesDropped": True},
    ),
    (
        "the same per-node rules give the same numbers in both",
        '{"loadConcurrency": {"globalConfig": 4, "perNodeConfig": ['
        '{"nodeSelector": {"matchLabels": {"zone": "a"}}, "number": 2},'
        ' {"nodeSelector": {"matchExpressions": [{"key": "disk", "operator": "Exists"}]}, "number": 9}]}}',
        OK | {"concurrency": {"n1": 2, "n2": 9}},
        OK | {"concurrency": {"n1": 2, "n2": 9}},
    ),
]


def _shown(answer: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    got = {k: answer[k] for k in want}
    if "decodeError" in want:
        got["decodeError"] = answer["decodeError"] is not None
    return got


@pytest.mark.parametrize("release", RELEASES)
def test_each_release_does_what_the_table_says_and_the_engine_agrees(release: str) -> None:
    column = RELEASES.index(release)
    oracle = Oracle(release)
    answers = oracle.ask_all([(config, NODES) for _, config, *_ in ROWS])
    for (sentence, _, *wants), answer in zip(ROWS, answers, strict=True):
        assert _shown(answer, wants[column]) == wants[column], sentence
    assert Judge(oracle).all([Input(s, config, NODES) for s, config, *_ in ROWS]) == []


def test_every_row_differs_but_the_two_controls() -> None:
    """The table is about differences: each row shows one, but the last two (the same in both)."""
    assert all(v18 != v16 for _, _, v18, v16 in ROWS[:-2])
