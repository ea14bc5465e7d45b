"""Every engine case under tests/engine/cases/: errors compared by (type, path), as apimachinery's
ErrorMatcher does, and by value where a case names one; warnings by one distinctive phrase each, and
their number exactly; the per-node concurrency where a case states it. Then: the cases cover every
row of the reference they claim to."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.engine.casefile import KEYS, Case, load_cases, run
from webhook.engine import FieldError

CASES = load_cases()
# The rows of shared/reference/velero-node-agent-config.md that need a case: the Reject and Warn
# tables, the worked examples of Appendix B, the Decisions and the documentation bugs of its §8.
REJECT = [f"R{i}" for i in range(1, 14)]
WARN = [f"W{i}" for i in range(1, 21)]
APPENDIX_B = [f"B{i}" for i in range(1, 13)]
DECISIONS = [
    "D-global-below-1",
    "D-number",
    "D-prepare-negative",
    "D-several-keys",
    "D-strict-unknown",
    "D-strict-duplicate",
    "D-warn-mode",
    "D-case-only",
    "D-global-absent",
    "D-no-node",
    "D-overlap",
    "D-version-field",
    "D-restart",
    "D-delete",
    "D-which-configmaps",
    "D-version-from-daemonset",
    "D-newer-version",
]
DOC_BUGS = [
    "doc-thresholdInGB",
    "doc-prepare-queue-top-level",
    "doc-annotation-boolean",
    "doc-string-selector",
    "doc-priority-class-dropped",
    "doc-restore-affinity",
    "doc-podresources-omitted",
    "doc-first-affinity-only",
]
ALL_REFS = REJECT + WARN + APPENDIX_B + DECISIONS + DOC_BUGS


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    raw = case.raw
    outcome = run(raw)
    match_errors(outcome.errors, raw.get("errors", []))
    assert outcome.allowed == case.allowed
    match_warnings(outcome.warnings, raw.get("warnings", []))
    if "concurrency" in raw:
        got = {r.node: [r.concurrency, r.rule] for r in outcome.concurrency}
        assert got == raw["concurrency"]


def match_errors(got: list[FieldError], want: list[list[Any]]) -> None:
    """Each expected [type, path] or [type, path, value] takes one error; the ones naming a value
    first, as several bad keys of one map share its path and differ only by the value."""
    remaining = [(e.type.value, str(e.path), e.value if e.has_value else None) for e in got]
    for expected in sorted(want, key=len, reverse=True):
        hit = next((g for g in remaining if g[: len(expected)] == tuple(expected)), None)
        assert hit is not None, f"{expected} should match one of {[str(e) for e in got]}"
        remaining.remove(hit)
    assert not remaining, f"unexpected errors: {[str(e) for e in got]}"


def match_warnings(got: list[str], want: list[str]) -> None:
    remaining = list(got)
    for phrase in want:
        hits = [w for w in remaining if phrase in w]
        assert len(hits) == 1, f"{phrase!r} should match exactly one of {remaining}"
        remaining.remove(hits[0])
    assert not remaining, f"unexpected warnings: {remaining}"


def test_there_are_many_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("ref", ALL_REFS)
def test_every_row_of_the_reference_has_a_case(ref: str) -> None:
    assert any(ref in c.refs for c in CASES)


def test_cases_name_only_known_rows_and_fields() -> None:
    for case in CASES:
        assert set(case.raw) <= KEYS, (case.id, set(case.raw) - KEYS)
        assert set(case.refs) <= set(ALL_REFS), (case.id, set(case.refs) - set(ALL_REFS))
        assert ("config" in case.raw) != ("configmap" in case.raw) or "request" in case.raw, case.id


def test_every_name_is_one_sentence_and_unique() -> None:
    names = [c.id for c in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert re.fullmatch(r"[^\n.]+[^\n]*", case.name) and case.name.count(". ") == 0, case.id
