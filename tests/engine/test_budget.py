"""The caps on findings (webhook.engine.budget) and on the denial message (policy.MESSAGE_LIMIT).

A hostile config may hold 100,000 mistakes; what it gets is at most 1,000 errors, the last of which
says how many more there were, and a denial of at most 32 KiB that stays a list of field errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.engine.nodeagent import evaluate_config, evaluate_configmap
from tests.engine.test_schema_backends import assert_same
from webhook.admission.review.message import MESSAGE_LIMIT, denial_message
from webhook.engine import FieldValidation, Options, Version
from webhook.engine.core import field as f
from webhook.engine.core.findings import MAX_ERRORS, MAX_WARNINGS, Findings
from webhook.engine.core.schema_check import LONG_LIST

UNKNOWN = {f"unknownField{i}": i for i in range(5000)}
WARN = Options(field_validation=FieldValidation.WARN)
RULE = {"nodeSelector": {"matchLabels": {"a": "b"}}, "number": 1}


def text(config: Any) -> str:
    return json.dumps(config)


# (what, config, the last error as it must read)
CAPPED = [
    (
        "5,000 unknown keys give 999 errors and one that counts the 4,001 others exactly",
        UNKNOWN,
        "<config>: Too many: must have at most 1000 errors: 999 listed, at least 4001 more not listed",
    ),
    (
        "100,000 list items of the wrong type give 999 errors and one that counts the others",
        {"loadAffinity": [1] * 100_000},
        "<config>: Too many: must have at most 1000 errors: 999 listed, at least",
    ),
    (
        "5,000 bad label keys give 999 errors and one that says there are more",
        {"podLabels": {f"K_{i}!": "v" for i in range(5000)}},
        "<config>: Too many: must have at most 1000 errors: 999 listed, at least",
    ),
]


@pytest.mark.parametrize(("what", "config", "last"), CAPPED, ids=[row[0][:40] for row in CAPPED])
def test_errors_past_the_cap_are_counted_in_one_last_error(what: str, config: Any, last: str) -> None:
    errors = evaluate_config(text(config)).errors
    assert len(errors) == MAX_ERRORS
    assert str(errors[-1]).startswith(last)
    assert errors[-1].type is f.ErrorType.TOO_MANY


def test_a_config_with_as_many_errors_as_the_cap_has_each_of_them() -> None:
    config = {f"unknownField{i}": i for i in range(MAX_ERRORS)}
    errors = evaluate_config(text(config)).errors
    assert len(errors) == MAX_ERRORS
    assert all(e.type is f.ErrorType.UNKNOWN_FIELD for e in errors)


def test_warnings_past_the_cap_are_counted_in_one_last_warning() -> None:
    warnings = evaluate_config(text(UNKNOWN), options=WARN).warning_strings
    assert len(warnings) == MAX_WARNINGS + 1
    assert warnings[-1] == "at least 4000 more warnings not listed"


def test_several_data_keys_stop_being_read_once_their_errors_reach_the_cap() -> None:
    data = {f"k{i:05}": "{" for i in range(5000)}
    errors = evaluate_configmap({"data": data}).errors
    assert len(errors) == MAX_ERRORS
    assert str(errors[-1]).startswith("data: Too many: must have at most 1000 errors: 999 listed")
    assert str(errors[-1]).endswith("more data keys not checked")


def test_a_long_denial_names_what_fits_in_32_kib_then_how_many_more() -> None:
    errors = evaluate_config(text(UNKNOWN)).errors
    message = denial_message("node-agent-config", errors)
    assert len(message.encode()) <= MESSAGE_LIMIT
    assert message.startswith('ConfigMap "node-agent-config" is invalid: [unknownField0: Unknown field: ')
    listed = sum(str(e) in message for e in errors)
    assert message.endswith(
        f"data: Too many: 1000: {1000 - listed} more errors not listed here (the message stays under "
        "32 KiB); node-agent-webhook validate lists them]"
    )


def test_an_error_with_a_huge_value_shows_the_start_of_the_value() -> None:
    errors = evaluate_config(text({"priorityClassName": "A" * 500_000})).errors
    message = denial_message("node-agent-config", errors)
    assert len(message) < 1000
    assert 'priorityClassName: Invalid value: "AAAA' in message
    assert "... (500002 characters): must be no more than 253 characters" in message


def test_short_denials_are_unchanged() -> None:
    errors = evaluate_config(text({"podLabels": {"a b": "c"}, "x": 1})).errors
    assert denial_message("n", errors) == 'ConfigMap "n" is invalid: [' + ", ".join(map(str, errors)) + "]"


def test_findings_stop_taking_from_a_lazy_source_once_full() -> None:
    def source() -> Iterator[f.FieldError]:
        for i in range(MAX_ERRORS + 1):
            yield f.required(f.ROOT.index(i))
        raise AssertionError("walked past the cap")

    out = Findings()
    out.add_errors(source())
    assert (len(out.errors), out.more_errors) == (MAX_ERRORS, 1)


# Long lists are validated item by item (jsonschema-rs builds every violation at once): the same
# violations as the reference validator, at the same paths, wherever the bad items are.
LONG = [
    {"loadConcurrency": {"perNodeConfig": [RULE] * LONG_LIST + [{"number": -1}, "x", RULE]}},
    {"loadAffinity": [{"nodeSelector": {"matchExpressions": [{"key": "a b", "operator": "In"}] * 300}}]},
    {"loadAffinity": [None, *[{"storageClass": "A_B"}] * 300], "priorityClassName": "a b"},
]


@pytest.mark.parametrize("doc", LONG, ids=["bad rules last", "long nested list", "beside other sections"])
def test_long_lists_give_the_same_violations_item_by_item(doc: Any) -> None:
    assert_same(doc)


def test_fields_newer_than_the_target_in_20_000_entries_give_capped_warnings() -> None:
    """Each entry was compared with every one reported before: 38 s for these."""
    config = {"loadAffinity": [{"storageClass": f"sc{i}"} for i in range(20_000)]}
    options = Options(velero_version=Version(1, 16, 0))
    warnings = evaluate_config(text(config), options=options).warning_strings
    assert len(warnings) == MAX_WARNINGS + 1
    assert warnings[0] == "loadAffinity[0].storageClass: ignored by Velero 1.16; added in 1.17"
    assert warnings[-1] == "at least 38999 more warnings not listed"


def test_type_errors_in_20_000_fields_the_target_does_not_read_are_capped_and_said_so() -> None:
    """Each was tried against 60,000 prefixes, and compared with each other: 2.6 s for these."""
    config = {"loadAffinity": [{"storageClass": 1} for _ in range(20_000)]}
    errors = evaluate_config(text(config), options=Options(velero_version=Version(1, 16, 0))).errors
    assert len(errors) == MAX_ERRORS
    assert all(e.origin == "typeAhead" for e in errors[:-1])
    assert str(errors[-1]).endswith("999 listed, at least 19001 more not listed")
