"""The engine against Velero's own code (the oracle), config by config: see compare.py for the rules.

Inputs: every engine case and fidelity case whose input is one config text, the examples, and
configs drawn by hypothesis (derandomized, no database: every run draws the same ones). Each input
goes through the engine with its target version set to the oracle's release, and through the oracle.
v1.18.2 is the full run; v1.16.2, a smaller one, shows what changes with a release that reads fewer
fields and runs without a config it cannot decode instead of exiting.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from tests.engine.casefile import run
from tests.fidelity.judge import OUTCOMES, TALLIES, Input, Judge, case_inputs, example_inputs
from tests.fidelity.oracle import RELEASES, REPO, Oracle
from tests.fidelity.strategies import config_texts, node_sets

pytestmark = pytest.mark.oracle
ENGINE_CASES = REPO / "tests" / "engine" / "cases"
FIDELITY_CASES = REPO / "tests" / "fidelity" / "cases"
# Examples drawn per release, and the distinct config texts they must hold at least (hypothesis
# draws some configs twice, with other nodes).
DRAWN = {"v1.18.2": (15_000, 10_000), "v1.16.2": (2_500, 1_500)}


FOUND = [
    raw for path in sorted(FIDELITY_CASES.glob("*.yaml")) for raw in yaml.safe_load(path.read_text()) or []
]


@pytest.mark.parametrize("raw", FOUND, ids=[raw["name"] for raw in FOUND])
def test_each_finding_is_a_case_the_engine_passes(raw: dict[str, Any]) -> None:
    """The engine's errors (type, path) and per-node numbers, as in the engine's own case files."""
    outcome = run(raw)
    assert sorted((e.type.value, str(e.path)) for e in outcome.errors) == sorted(map(tuple, raw["errors"]))
    assert {c.node: [c.concurrency, c.rule] for c in outcome.concurrency} == raw["concurrency"]


@pytest.mark.parametrize("release", RELEASES)
def test_every_case_and_example_agrees(release: str) -> None:
    judge = Judge(Oracle(release))
    inputs = [*case_inputs(ENGINE_CASES), *case_inputs(FIDELITY_CASES), *example_inputs()]
    assert judge.all(inputs) == []
    TALLIES[f"{release}, cases and examples"] = judge.tally
    assert judge.tally.compared >= 200


@pytest.mark.parametrize("release", RELEASES)
def test_drawn_configs_agree(release: str) -> None:
    examples, distinct = DRAWN[release]
    inputs = drawn(examples)
    judge = Judge(Oracle(release))
    assert judge.all(inputs) == []
    TALLIES[f"{release}, drawn by hypothesis"] = judge.tally
    assert len({i.config for i in inputs}) >= distinct
    # the strategies reach every outcome, each in fair numbers
    assert set(judge.tally.outcomes) == set(OUTCOMES)
    assert min(judge.tally.outcomes.values()) >= judge.tally.compared // 20, judge.tally.outcomes


def drawn(examples: int) -> list[Input]:
    """The configs and node sets hypothesis draws; the comparison runs after, in one oracle batch."""
    out: list[Input] = []

    @settings(
        derandomize=True,
        database=None,
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(config_texts, node_sets)
    def draw(config: str, nodes: dict[str, dict[str, str]]) -> None:
        out.append(Input(f"drawn #{len(out)}", config, nodes))

    draw()
    return out
