"""Every case of the backup repository kind (tests/engine/cases/backup-repository/), compared as the
node-agent cases are; then: every rule of the reference's table (velero-other-configs.md §B.6) has a
case, and the cases name only those rules."""

from __future__ import annotations

import pytest

from tests.engine.casefile import KEYS, Case, checked, load_cases
from webhook.engine.backuprepository import BACKUP_REPOSITORY

CASES = load_cases(BACKUP_REPOSITORY)
RULES = [f"BR{i}" for i in range(1, 10)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    checked(case)


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_has_a_case(rule: str) -> None:
    assert any(rule in c.refs for c in CASES)


def test_cases_name_only_known_rules_and_fields() -> None:
    for case in CASES:
        assert set(case.raw) <= KEYS, (case.id, set(case.raw) - KEYS)
        assert set(case.refs) <= set(RULES), (case.id, set(case.refs) - set(RULES))
    assert len({c.id for c in CASES}) == len(CASES)
