"""One exact-format test per message family: what a kubectl user reads, character for character.

The cases (test_cases.py) compare errors by type and path only, as apimachinery's own tests do; the
words are pinned here, once per family, so that a change of wording is a deliberate one.
"""

from __future__ import annotations

import pytest

from tests.engine.casefile import cluster_of
from tests.engine.nodeagent import evaluate_config, evaluate_configmap
from webhook.admission.review.message import denial_message
from webhook.admission.review.warnings import ITEM_LIMIT, TOTAL_LIMIT, limit_warnings
from webhook.engine import ClusterView, FieldValidation, Options, Version

QUANTITY_RE = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
DNS1123 = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
    "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
RULES = '{"loadConcurrency": {"globalConfig": 2, "perNodeConfig": [%s]}}'
RESTORES = '"restorePVC": {"ignoreDelayBinding": true}'


def rule(selector: str, number: int = 1) -> str:
    return RULES % f'{{"nodeSelector": {selector}, "number": {number}}}'


def expression(expr: str) -> str:
    return rule(f'{{"matchExpressions": [{expr}]}}')


def affinity(expr: str) -> str:
    return f'{{"loadAffinity": [{{"nodeSelector": {{"matchExpressions": [{expr}]}}}}], {RESTORES}}}'


def resources(
    cpu: str = '"1"', cpu_limit: str = '"1"', memory: str = '"1Gi"', memory_limit: str = '"1Gi"'
) -> str:
    return (
        f'{{"podResources": {{"cpuRequest": {cpu}, "cpuLimit": {cpu_limit}, '
        f'"memoryRequest": {memory}, "memoryLimit": {memory_limit}}}}}'
    )


ERRORS = {
    "a number below its minimum": (
        RULES % '{"nodeSelector": {"matchLabels": {"a": "b"}}, "number": 1}, {"number": 0}',
        "loadConcurrency.perNodeConfig[1].number: Invalid value: 0: must be greater than or equal to 1",
    ),
    "a key at the wrong level, with the place it belongs": (
        '{"prepareQueueLength": 10}',
        "prepareQueueLength: Unknown field: node-agent ignores it; "
        "did you mean loadConcurrency.prepareQueueLength?",
    ),
    "a key the docs teach wrongly, with the real one": (
        '{"cachePVC": {"storageClass": "sc", "thresholdInGB": 1}}',
        "cachePVC.thresholdInGB: Unknown field: node-agent ignores it; "
        "did you mean residentThresholdInMB (in MiB)?",
    ),
    "a typo, with the sibling within edit distance two": (
        rule('{"matchLabel": {"a": "b"}}'),
        "loadConcurrency.perNodeConfig[0].nodeSelector.matchLabel: Unknown field: node-agent ignores it; "
        "did you mean matchLabels?",
    ),
    "a typo under a map key of digits, which is a key, not a list index (issue 11, finding 8)": (
        '{"backupPVC": {"123": {"storageClas": "gp3"}}}',
        "backupPVC[123].storageClas: Unknown field: node-agent ignores it; did you mean storageClass?",
    ),
    "a quantity written with a byte unit, with the two it may mean (issue 11, finding 8)": (
        resources(memory='"1GB"', memory_limit='"2Gi"'),
        'podResources.memoryRequest: Invalid value: "1GB": quantities must match the regular expression '
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'; did you mean 1G or 1Gi?: "
        "node-agent ignores the whole podResources section",
    ),
    "a quantity with a lower-case binary unit (issue 11, finding 8)": (
        resources(memory='"1Gi"', memory_limit='"2gi"'),
        'podResources.memoryLimit: Invalid value: "2gi": quantities must match the regular expression '
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'; did you mean 2Gi?: "
        "node-agent ignores the whole podResources section",
    ),
    "an unknown key with nothing close": (
        '{"totallyUnrelated": 1}',
        "totallyUnrelated: Unknown field: node-agent ignores it",
    ),
    "a key written twice": (
        '{"loadConcurrency": {"globalConfig": 2, "globalConfig": 3}}',
        'loadConcurrency.globalConfig: Duplicate value: "globalConfig": written 2 times: '
        "node-agent keeps the last",
    ),
    "a string where Go wants an integer": (
        '{"loadConcurrency": {"globalConfig": "2"}}',
        'loadConcurrency.globalConfig: Invalid value: "2": must be an integer, not a string: '
        "node-agent cannot decode the config",
    ),
    "a decimal number where Go wants an integer, shown as written": (
        '{"loadConcurrency": {"globalConfig": 1e3}}',
        "loadConcurrency.globalConfig: Invalid value: 1e3: must be an integer, not a decimal number: "
        "node-agent cannot decode the config",
    ),
    "an integer beyond int64": (
        '{"loadConcurrency": {"globalConfig": 99999999999999999999}}',
        "loadConcurrency.globalConfig: Invalid value: 99999999999999999999: must be an integer from "
        "-9223372036854775808 to 9223372036854775807: node-agent cannot decode the config",
    ),
    "an object where Go wants a list, without the object": (
        '{"loadAffinity": {"nodeSelector": {}}}',
        "loadAffinity: Invalid value: must be a list, not an object: node-agent cannot decode the config",
    ),
    "a boolean in a map of strings": (
        '{"podLabels": {"a": true}}',
        "podLabels[a]: Invalid value: true: must be a string, not a boolean: "
        "node-agent cannot decode the config",
    ),
    "a top-level array": (
        "[]",
        "<config>: Invalid value: must be an object, not a list: node-agent cannot decode the config",
    ),
    "an empty value": (
        "",
        "<config>: Invalid value: invalid JSON: unexpected end of JSON input (the value is empty)",
    ),
    "YAML": (
        "loadConcurrency:\n  globalConfig: 2\n",
        "<config>: Invalid value: invalid JSON: invalid character 'l' looking for beginning of value "
        "at line 1 column 1 (looks like YAML: this config is JSON)",
    ),
    "a byte order mark": (
        "\ufeff{}",
        "<config>: Invalid value: invalid JSON: invalid character 'ï' looking for beginning of value "
        "(starts with a UTF-8 byte order mark)",
    ),
    "comments": (
        "// two per node\n{}",
        "<config>: Invalid value: invalid JSON: invalid character '/' looking for beginning of value "
        "at line 1 column 1 (has comments: JSON has none)",
    ),
    "trailing data": (
        "{} {}",
        "<config>: Invalid value: invalid JSON: invalid character '{' after top-level value "
        "at line 1 column 4 (has more data after the first JSON value)",
    ),
    "a quantity that does not parse": (
        resources(cpu='"1 core"'),
        f'podResources.cpuRequest: Invalid value: "1 core": quantities must match the regular expression '
        f"{QUANTITY_RE}: node-agent ignores the whole podResources section",
    ),
    "a request above its limit": (
        resources(cpu='"2"'),
        'podResources.cpuRequest: Invalid value: "2": must be less than or equal to cpuLimit "1" '
        '("0" means no limit): node-agent ignores the whole podResources section',
    ),
    "a negative quantity": (
        resources(cpu='"-1"', cpu_limit='"0"'),
        'podResources.cpuRequest: Invalid value: "-1": must be greater than or equal to 0',
    ),
    "a missing quantity": (
        '{"podResources": {"cpuRequest": "1", "cpuLimit": "1", "memoryLimit": "1Gi"}}',
        "podResources.memoryRequest: Required value: node-agent ignores the whole podResources section "
        'unless cpuRequest, cpuLimit, memoryRequest and memoryLimit are all set ("0" means no limit)',
    ),
    "a label-selector operator": (
        expression('{"key": "zone", "operator": "in", "values": ["a"]}'),
        "loadConcurrency.perNodeConfig[0].nodeSelector.matchExpressions[0].operator: Unsupported value: "
        '"in": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    ),
    "a node-affinity operator": (
        affinity('{"key": "zone", "operator": "in", "values": ["a"]}'),
        'loadAffinity[0].nodeSelector.matchExpressions[0].operator: Unsupported value: "in": '
        'supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    ),
    "In without values": (
        expression('{"key": "zone", "operator": "In"}'),
        "loadConcurrency.perNodeConfig[0].nodeSelector.matchExpressions[0].values: Required value: "
        "must be specified when `operator` is 'In' or 'NotIn'",
    ),
    "Exists with values": (
        expression('{"key": "zone", "operator": "Exists", "values": ["a"]}'),
        "loadConcurrency.perNodeConfig[0].nodeSelector.matchExpressions[0].values: Forbidden: "
        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ),
    "Gt with two values": (
        affinity('{"key": "cpus", "operator": "Gt", "values": ["1", "2"]}'),
        "loadAffinity[0].nodeSelector.matchExpressions[0].values: Required value: "
        "must be specified single value when `operator` is 'Lt' or 'Gt'",
    ),
    "a label key": (
        '{"podLabels": {"bad key": "v"}}',
        f'podLabels: Invalid value: "bad key": {NAME_PART}',
    ),
    "a label key of 64 characters (apimachinery's content package counts bytes)": (
        '{"podLabels": {"%s": "v"}}' % ("k" * 64),
        f'podLabels: Invalid value: "{"k" * 64}": name part must be no more than 63 bytes',
    ),
    "a label key with two slashes": (
        '{"podLabels": {"a/b/c": "v"}}',
        'podLabels: Invalid value: "a/b/c": a valid label key '
        + NAME_PART.removeprefix("name part ")
        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ),
    "a label value": (
        '{"podLabels": {"k": "bad value"}}',
        f'podLabels[k]: Invalid value: "bad value": {LABEL_VALUE}',
    ),
    "an object name": (
        '{"priorityClassName": "High"}',
        f'priorityClassName: Invalid value: "High": {DNS1123}',
    ),
    "a duplicated name in a list": (
        '{"restorePVC": {"secretNames": ["a", "a"]}}',
        'restorePVC.secretNames[1]: Duplicate value: "a"',
    ),
    "a reserved label": (
        '{"podLabels": {"velero.io/data-upload": "x"}}',
        "podLabels[velero.io/data-upload]: Forbidden: Velero finds the DataUpload of a data-mover pod "
        "by this label; setting it breaks that",
    ),
    "annotations over their budget": (
        '{"podAnnotations": {"big": "%s"}}' % ("A" * 262142),
        "podAnnotations: Too long: may not be more than 262144 bytes",
    ),
    "a null loadAffinity element": (
        f'{{"loadAffinity": [null], {RESTORES}}}',
        "loadAffinity[0]: Invalid value: null: must be an object: "
        "Velero dereferences it and every data-mover reconcile fails",
    ),
    "a cache without a StorageClass": (
        '{"cachePVC": {"storageClass": ""}}',
        "cachePVC.storageClass: Required value: node-agent disables the cache without a StorageClass",
    ),
}


# Go's scanner messages, as node-agent logs them after "error to unmarshall configs from X: ".
SYNTAX = {
    "a trailing comma": ('{"a": 1,}', "invalid character '}' looking for beginning of object key string", 9),
    "a missing colon": ('{"a" 1}', "invalid character '1' after object key", 6),
    "a missing comma in an object": (
        '{"a": 1 "b": 2}',
        "invalid character '\"' after object key:value pair",
        9,
    ),
    "a missing comma in a list": ('{"a": [1 2]}', "invalid character '2' after array element", 10),
    "single quotes": ("{'a': 1}", "invalid character '\\'' looking for beginning of object key string", 2),
    "a misspelt literal": ('{"a": tru}', "invalid character '}' in literal true (expecting 'e')", 7),
    "a number cut after its point": (
        '{"a": 1.}',
        "invalid character '}' after decimal point in numeric literal",
        8,
    ),
    "a newline in a string": ('{"a": "x\ny"}', "invalid character '\\n' in string literal", 9),
    "an unknown escape": ('{"a": "\\q"}', "invalid character 'q' in string escape code", 8),
    "a non-ASCII character as its first byte": (
        "é",
        "invalid character 'Ã' looking for beginning of value",
        1,
    ),
    "a text cut short": ('{"a": "x', "unexpected end of JSON input", None),
    "a literal cut short, as Go's scanner ends it with a space": (
        '{"a": nul',
        "invalid character ' ' in literal null (expecting 'l')",
        7,
    ),
}


@pytest.mark.parametrize(("config", "expected", "column"), SYNTAX.values(), ids=SYNTAX.keys())
def test_syntax_errors_read_as_go_writes_them(config: str, expected: str, column: int | None) -> None:
    where = f" at line 1 column {column}" if column else ""
    assert evaluate_config(config).error_strings == [
        f"<config>: Invalid value: invalid JSON: {expected}{where}"
    ]


@pytest.mark.parametrize(("config", "expected"), ERRORS.values(), ids=ERRORS.keys())
def test_error_message(config: str, expected: str) -> None:
    assert evaluate_config(config).error_strings == [expected]


CONFIGMAP_ERRORS = {
    "only binaryData": (
        {"binaryData": {"config": "e30K"}},
        "data: Required value: node-agent reads only data; binaryData is never read "
        "(kubectl create configmap --from-file puts non-UTF-8 files there)",
    ),
    "no data": ({}, "data: Required value: node-agent needs exactly one key holding the JSON config"),
    "several data keys": (
        {"data": {"a": "{}", "b": "{}"}},
        "data: Too many: 2: must have exactly one key: node-agent 1.18 and later exit, "
        "older ones read one at random",
    ),
    "a data value that is not a string": (
        {"data": {"config": 5}},
        "data[config]: Invalid value: 5: must be a string holding the JSON config",
    ),
}


def test_an_empty_label_name_gets_both_of_apimachinerys_messages() -> None:
    assert evaluate_config('{"podLabels": {"example.com/": "v"}}').error_strings == [
        'podLabels: Invalid value: "example.com/": name part must be non-empty',
        f'podLabels: Invalid value: "example.com/": {NAME_PART}',
    ]


@pytest.mark.parametrize(("configmap", "expected"), CONFIGMAP_ERRORS.values(), ids=CONFIGMAP_ERRORS.keys())
def test_configmap_error_message(configmap: dict[str, object], expected: str) -> None:
    assert evaluate_configmap(configmap).error_strings == [expected]


NODES = cluster_of({"nodes": {"n1": {"zone": "a", "gpu": "1"}, "n2": {}}})
WARNINGS = {
    "a field the target version does not read": (
        '{"cachePVC": {"storageClass": "sc"}}',
        Options(velero_version=Version(1, 16, 0)),
        ClusterView(),
        "cachePVC: ignored by Velero 1.16; added in 1.18",
    ),
    "a field only an unreleased version reads": (
        '{"backupPVC": {"sc": {"secretNames": ["a"]}}}',
        Options(velero_version=Version(1, 18, 2)),
        ClusterView(),
        "backupPVC[sc].secretNames: ignored by Velero 1.18.2; added in 1.18.3 (unreleased)",
    ),
    "a key matched only case-insensitively": (
        '{"LoadConcurrency": {"globalConfig": 2}}',
        Options(),
        ClusterView(),
        'LoadConcurrency: read as "loadConcurrency": node-agent matches keys case-insensitively, '
        "other tools do not",
    ),
    "an unknown key in Warn mode": (
        '{"foo": 1}',
        Options(field_validation=FieldValidation.WARN),
        ClusterView(),
        "foo: Unknown field: node-agent ignores it",
    ),
    "a rule that matches no node": (
        rule('{"matchLabels": {"zone": "q"}}'),
        Options(),
        NODES,
        "loadConcurrency.perNodeConfig[0]: nodeSelector matches none of the 2 nodes: the rule has no effect",
    ),
    "two rules that overlap with different numbers": (
        RULES % '{"nodeSelector": {"matchLabels": {"zone": "a"}}, "number": 3}, '
        '{"nodeSelector": {"matchLabels": {"gpu": "1"}}, "number": 1}',
        Options(),
        NODES,
        'loadConcurrency.perNodeConfig[1]: overlaps perNodeConfig[0] on node "n1" (maybe more): '
        "it gets 1, the smaller of 3 and 1",
    ),
    "an affinity that matches no node": (
        f'{{"loadAffinity": [{{"nodeSelector": {{"matchLabels": {{"zone": "q"}}}}}}], {RESTORES}}}',
        Options(),
        NODES,
        "loadAffinity[0]: nodeSelector matches none of the 2 nodes: data-mover pods using it cannot run",
    ),
    "a PriorityClass that does not exist": (
        '{"priorityClassName": "p"}',
        Options(),
        cluster_of({"priorityClasses": []}),
        'priorityClassName: PriorityClass "p" does not exist: '
        "node-agent drops it at start (default priority)",
    ),
}


@pytest.mark.parametrize(("config", "options", "cluster", "expected"), WARNINGS.values(), ids=WARNINGS.keys())
def test_warning_message(config: str, options: Options, cluster: ClusterView, expected: str) -> None:
    verdict = evaluate_config(config, cluster, options)
    assert verdict.errors == []
    assert verdict.warning_strings == [expected]


def test_the_denial_message_names_the_configmap_and_shows_one_error_bare() -> None:
    errors = evaluate_config('{"loadConcurrency": {"globalConfig": 0}}').errors
    assert denial_message("node-agent-config", errors) == (
        'ConfigMap "node-agent-config" is invalid: '
        "loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1"
    )


def test_the_denial_message_lists_several_errors_in_brackets_as_apimachinery_does() -> None:
    errors = evaluate_config('{"loadConcurrency": {"globalConfig": 0, "prepareQueueLength": -1}}').errors
    assert denial_message("nac", errors) == (
        'ConfigMap "nac" is invalid: ['
        "loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1, "
        "loadConcurrency.prepareQueueLength: Invalid value: -1: must be greater than or equal to 0]"
    )


def test_an_allowed_config_has_no_denial_message() -> None:
    assert denial_message("node-agent-config", []) == ""


def test_a_long_warning_is_cut_to_256_characters_with_an_ellipsis() -> None:
    [cut] = limit_warnings(["x" * 300])
    assert cut == "x" * (ITEM_LIMIT - 3) + "..."
    assert len(cut) == ITEM_LIMIT == 256


def test_a_warning_with_control_characters_becomes_one_line() -> None:
    assert limit_warnings(["first line\nsecond\tpart\x1b[0m"]) == ["first line second part [0m"]


def test_the_same_warning_twice_is_sent_once() -> None:
    assert limit_warnings(["a: b", "c: d", "a: b"]) == ["a: b", "c: d"]


def test_warnings_stay_under_4096_characters_and_say_how_many_were_left_out() -> None:
    warnings = [f"warning {i:03}: " + "w" * 186 for i in range(40)]  # 200 characters each
    sent = limit_warnings(warnings)
    assert sum(len(w) for w in sent) < TOTAL_LIMIT == 4096
    assert sent[:-1] == warnings[: len(sent) - 1]
    left_out = len(warnings) - (len(sent) - 1)
    assert sent[-1] == f"{left_out} more warnings not shown; run node-agent-webhook validate for all of them"
