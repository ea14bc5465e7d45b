"""The bulk of the engine fuzzing: 103,000 seeded inputs, seven classes, every one must get a verdict.

Each input is `generate.draw(class, seed)`, the same on every run; a failure names both, so
`check_decision(decide(draw(kind, seed), random.Random(seed)))` replays it in a shell. The counts are
chosen so that the whole file runs in about two minutes on a loaded 2-core machine (the expensive
classes evaluate a full config against a cluster: a few milliseconds each).
"""

from __future__ import annotations

import random
import traceback

import pytest

from tests.fuzz.generate import CLASSES, draw
from tests.fuzz.properties import check_decision, decide, wire_safe
from tests.fuzz.tally import TALLY

COUNTS = {
    "random JSON": 40_000,
    "near-valid bent at one spot": 12_000,
    "deep nesting": 8_000,
    "huge strings and numbers": 6_000,
    "odd keys": 6_000,
    "invalid UTF-8 and odd ConfigMaps": 30_000,
    "large maps and lists": 1_000,
}
SHOWN = 3  # failures described in full; the rest only counted


def test_every_class_has_a_count() -> None:
    assert sorted(COUNTS) == sorted(CLASSES)
    assert sum(COUNTS.values()) >= 100_000


@pytest.mark.slow
@pytest.mark.parametrize("kind", CLASSES)
def test_every_input_gets_a_verdict_within_the_limits(kind: str) -> None:
    tally, failures = TALLY[f"engine, {kind}"], []
    for seed in range(COUNTS[kind]):
        cm = draw(kind, seed)
        try:
            decision = decide(cm, random.Random(seed))
            check_decision(decision, wire=wire_safe(cm))
        except Exception as exc:  # any exception, an assertion included, is a finding
            failures.append(f"draw({kind!r}, {seed}): {type(exc).__name__}\n{traceback.format_exc(limit=-4)}")
            continue
        tally["inputs"] += 1
        tally["denied" if decision.errors else "allowed"] += 1
    assert not failures, f"{len(failures)} inputs failed; the first:\n" + "\n".join(failures[:SHOWN])
