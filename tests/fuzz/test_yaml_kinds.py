"""The YAML kinds never raise, whatever the YAML: every input gets a decision within the API
server's limits, through check_write as the webhook calls it (every role of the kind, both field
validation modes, every known release), and through the bare-file path of the CLI.

Seeded inputs (tests/fuzz/yaml_texts.py: valid documents bent at one line, YAML pieces thrown
together, deep nesting, alias chains) and hypothesis over any text."""

from __future__ import annotations

import random
import traceback

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from tests.engine.casefile import api_resources
from tests.fuzz.properties import check_warnings
from tests.fuzz.tally import TALLY
from tests.fuzz.yaml_texts import MODIFIERS, PIECES, POLICY, draw
from webhook.admission.review.message import MESSAGE_LIMIT
from webhook.admission.review.respond import from_decision
from webhook.engine import (
    ClusterView,
    FieldError,
    FieldValidation,
    Options,
    Request,
    StorageClassInfo,
    Targeting,
    Version,
    check_write,
    evaluate_config,
    kind_named,
)

KINDS = ["resource-policies", "resource-modifiers"]
COUNT = 3_000  # per kind: about 15 s on a loaded 2-core machine
CLUSTER = ClusterView(
    storage_classes={"gp3": StorageClassInfo("gp3")},
    csi_drivers=["ebs.csi.aws.com"],
    api_resources=api_resources("standard"),
)
VERSIONS = [Version(1, 13, 0), Version(1, 16, 2), Version(1, 18, 2), Version(1, 18, 3), Version(1, 19, 0)]


def decide(kind_name: str, text: str, rng: random.Random) -> None:
    """One write of a ConfigMap holding `text`, and its bare file; asserts what must hold."""
    kind = kind_named(kind_name)
    targeting = Targeting(
        names={kind_name: frozenset({"cm"})},
        velero_version=rng.choice(VERSIONS),
        field_validation=rng.choice(list(FieldValidation)),
    )
    request = Request("velero", "cm", {"data": {"config.yaml": text}})
    decision = check_write(request, rng.choice([CLUSTER, ClusterView()]), targeting)
    assert decision.applies and all(isinstance(e, FieldError) for e in decision.errors)
    response = from_decision("uid", "cm", decision)["response"]
    check_warnings(response.get("warnings", []))
    message = response["status"]["message"] if "status" in response else ""
    assert len(message.encode("utf-8", "surrogatepass")) <= MESSAGE_LIMIT
    purposes = frozenset(rng.sample(sorted(kind.purposes), rng.randrange(1, len(kind.purposes) + 1)))
    verdict = evaluate_config(
        text,
        kind,
        CLUSTER,
        Options(velero_version=targeting.velero_version or VERSIONS[0], purposes=purposes),
    )
    assert all(isinstance(str(e), str) for e in verdict.errors)
    tally = TALLY[f"engine, YAML kinds: {kind_name}"]
    tally["inputs"] += 1
    tally["denied" if decision.errors else "allowed"] += 1


def test_the_bases_are_valid() -> None:
    """So the bends start from a config that passes, and reach every check."""
    for name, text in (("resource-policies", POLICY), ("resource-modifiers", MODIFIERS)):
        verdict = evaluate_config(text, kind_named(name), CLUSTER, Options(velero_version=Version(1, 19, 0)))
        assert verdict.allowed, verdict.error_strings


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_every_drawn_yaml_gets_a_decision(kind: str) -> None:
    failures = []
    for seed in range(COUNT):
        text = draw(kind, seed)
        try:
            decide(kind, text, random.Random(seed))
        except Exception as exc:  # any exception, an assertion included, is a finding
            failures.append(f"draw({kind!r}, {seed}): {type(exc).__name__}\n{traceback.format_exc(limit=-4)}")
    assert not failures, f"{len(failures)} inputs failed; the first:\n" + "\n".join(failures[:3])


FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.builds(
        lambda base, cut, piece: base[:cut] + piece + base[cut:],
        st.sampled_from([POLICY, MODIFIERS]),
        st.integers(0, 900),
        st.sampled_from(PIECES),
    ),
)


@pytest.mark.slow
@FUZZ
@given(st.sampled_from(KINDS), texts, st.integers(0, 2**32))
def test_any_text_gets_a_decision(kind: str, text: str, seed: int) -> None:
    decide(kind, text, random.Random(seed))
