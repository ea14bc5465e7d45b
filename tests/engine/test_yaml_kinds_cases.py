"""The cases of the two YAML kinds (tests/engine/cases/resource-policies, resource-modifiers), run as
test_cases.py runs node-agent's; then: every row of the reference's tables C.6 and D.6 that the
engine can decide from a ConfigMap has a case, and the rows it cannot are named with the reason."""

from __future__ import annotations

import re

import pytest

from tests.engine.casefile import KEYS, Case, load_cases, match_errors, match_warnings, run
from webhook.engine import ConfigKind, kind_named

POLICIES, MODIFIERS = kind_named("resource-policies"), kind_named("resource-modifiers")
# shared/reference/velero-other-configs.md §C.6 and §D.6, and the decisions these cases also show
ROWS = {
    POLICIES: [f"RP{i}" for i in range(1, 13)] + ["D-warn-mode"],
    MODIFIERS: [f"MOD{i}" for i in range(1, 12)] + ["D-warn-mode"],
}
# rows about the Backup, Schedule or Restore, not the ConfigMap: the second webhook entry's
NOT_FROM_A_CONFIGMAP = {
    "RP13": "a Backup's resourcePolicy kind, or the ConfigMap it names missing, is on the Backup",
    "RP14": "which Schedules and running Backups reference the ConfigMap is the inventory's",
    "MOD12": "a Restore's resourceModifier kind is on the Restore",
}
CASES = [(kind, case) for kind in ROWS for case in load_cases(kind)]


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k.name}/{c.id}" for k, c in CASES])
def test_case(kind: ConfigKind, case: Case) -> None:
    outcome = run(case.raw, kind)
    match_errors(outcome.errors, case.raw.get("errors", []))
    assert outcome.allowed == case.allowed
    match_warnings(outcome.warnings, case.raw.get("warnings", []))


@pytest.mark.parametrize(("kind", "ref"), [(k, r) for k, rows in ROWS.items() for r in rows])
def test_every_row_of_the_reference_has_a_case(kind: ConfigKind, ref: str) -> None:
    assert any(ref in c.refs for k, c in CASES if k == kind)


def test_the_rows_without_a_case_are_not_the_engines() -> None:
    rows = {r for k in ROWS for r in ROWS[k]}
    assert not set(NOT_FROM_A_CONFIGMAP) & rows
    assert {f"RP{i}" for i in range(1, 15)} | {f"MOD{i}" for i in range(1, 13)} <= rows | set(
        NOT_FROM_A_CONFIGMAP
    )


def test_cases_name_only_known_rows_and_fields() -> None:
    for kind, case in CASES:
        assert set(case.raw) <= KEYS, (case.id, set(case.raw) - KEYS)
        assert set(case.refs) <= set(ROWS[kind]), (case.id, set(case.refs) - set(ROWS[kind]))
        assert ("config" in case.raw) != ("configmap" in case.raw) or "request" in case.raw, case.id


def test_every_name_is_one_sentence_and_unique() -> None:
    names = [f"{k.name}/{c.id}" for k, c in CASES]
    assert len(names) == len(set(names))
    for _, case in CASES:
        assert re.fullmatch(r"[^\n.]+[^\n]*", case.name) and case.name.count(". ") == 0, case.id
