"""The repository maintenance kind's cases (tests/engine/cases/repo-maintenance/), compared as the
node-agent cases are; then: every row of the reference's rule table (velero-other-configs.md §A.7,
RM1-RM16) has a case, and cases name only those rows."""

from __future__ import annotations

import pytest

from tests.engine.casefile import KEYS, Case, checked, load_cases
from webhook.engine.repomaintenance import REPO_MAINTENANCE

CASES = load_cases(REPO_MAINTENANCE)
RULES = [f"RM{i}" for i in range(1, 17)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    outcome = checked(case)
    if "effect" in case.raw:
        assert outcome.effect == case.raw["effect"]


@pytest.mark.parametrize("ref", RULES)
def test_every_rule_has_a_case(ref: str) -> None:
    assert any(ref in c.refs for c in CASES)


def test_cases_name_only_known_rules_and_fields() -> None:
    for case in CASES:
        assert set(case.raw) <= KEYS, (case.id, set(case.raw) - KEYS)
        assert set(case.refs) <= set(RULES), (case.id, set(case.refs) - set(RULES))
        assert ("config" in case.raw) != ("configmap" in case.raw) or "request" in case.raw, case.id


def test_every_name_is_unique() -> None:
    names = [c.id for c in CASES]
    assert len(names) == len(set(names))
