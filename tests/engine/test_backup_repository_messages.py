"""The backup repository kind's messages, character for character: one test per family, and each row
of the reference's %v table (velero-other-configs.md §B.2) as Velero 1.17 and 1.18 read it.

The `%v` texts and the node-agent readings below are what Go printed for these JSON values
(json.Unmarshal into map[string]any, fmt.Sprintf("%v"), strconv.ParseInt, int64(v.(float64)))."""

from __future__ import annotations

import pytest

from tests.engine.casefile import cluster_of, run
from webhook.engine import Options, Version, evaluate_configmap
from webhook.engine.backuprepository import BACKUP_REPOSITORY
from webhook.engine.backuprepository.gotext import float_text, go_text, parse_int
from webhook.engine.backuprepository.schema import SCHEMA
from webhook.engine.core import gojson
from webhook.engine.core.decode import decode

V17, V18 = Version(1, 17, 2), Version(1, 18, 2)
RANGE = "must be an integer from 1 to 999999"


def findings(kopia: str, version: Version = V18, **cluster: object) -> list[str]:
    cm = {"metadata": {"namespace": "velero"}, "data": {"kopia": kopia}}
    verdict = evaluate_configmap(cm, BACKUP_REPOSITORY, cluster_of(cluster), Options(velero_version=version))
    return [str(e) for e in verdict.errors] + verdict.warning_strings


# value as written -> (its %v text, what 1.17 says, what 1.18 says); None: no finding
TABLE = {
    "5000": ("5000", None, None),
    "2048.0": ("2048", None, None),
    "1.5": (
        "1.5",
        f'Invalid value: 1.5: {RANGE}: Velero reads "1.5" and uses 5000 MiB',
        f'Invalid value: 1.5: {RANGE}: Velero reads "1.5" and uses 5000 MiB, node-agent 1 MiB',
    ),
    "1000000": (
        "1e+06",
        f'Invalid value: 1000000: {RANGE}: Velero reads "1e+06" and uses 5000 MiB',
        f'Invalid value: 1000000: {RANGE}: Velero reads "1e+06" and uses 5000 MiB, node-agent 1000000 MiB',
    ),
    "1234567": (
        "1.234567e+06",
        f'Invalid value: 1234567: {RANGE}: Velero reads "1.234567e+06" and uses 5000 MiB',
        f'Invalid value: 1234567: {RANGE}: Velero reads "1.234567e+06" and uses 5000 MiB, '
        "node-agent 1234567 MiB",
    ),
    '"100"': (
        "100",
        None,
        'Invalid value: "100": must be a number, not a string: node-agent ignores it and uses 5000 MiB',
    ),
    "true": ("true", *[f'Invalid value: true: {RANGE}: Velero reads "true" and uses 5000 MiB'] * 2),
    '{"a":1}': (
        "map[a:1]",
        *[f'Invalid value: {{"a":1}}: {RANGE}: Velero reads "map[a:1]" and uses 5000 MiB'] * 2,
    ),
    "[1,2]": ("[1 2]", *[f'Invalid value: [1,2]: {RANGE}: Velero reads "[1 2]" and uses 5000 MiB'] * 2),
    "null": ("<nil>", *[f'Invalid value: null: {RANGE}: Velero reads "<nil>" and uses 5000 MiB'] * 2),
    "-1": ("-1", *["-1 MiB: kopia keeps no cache"] * 2),
    "0": ("0", *["0 MiB: kopia keeps no cache"] * 2),
}


@pytest.mark.parametrize("written", TABLE)
@pytest.mark.parametrize("version", [V17, V18], ids=["1.17", "1.18"])
def test_each_row_of_the_percent_v_table(written: str, version: Version) -> None:
    text, on17, on18 = TABLE[written]
    value = decode(gojson.loads(f'{{"cacheLimitMB": {written}}}'), SCHEMA).doc["cacheLimitMB"]
    assert go_text(value) == text
    said = on17 if version == V17 else on18
    got = findings(f'{{"cacheLimitMB": {written}}}', version)
    assert got == ([] if said is None else [f"data[kopia].cacheLimitMB: {said}"])


# fmt's %v of float64 as Go printed it: shortest digits, exponent from 1e+06 and below 1e-04
FLOATS = [
    (1.5, "1.5"),
    (999999.0, "999999"),
    (1e6, "1e+06"),
    (123456.7, "123456.7"),
    (999999.5, "999999.5"),
    (1e-5, "1e-05"),
    (0.0001, "0.0001"),
    (0.1, "0.1"),
    (5e-324, "5e-324"),
    (1e20, "1e+20"),
    (1e21, "1e+21"),
    (1.2345678901234568e23, "1.2345678901234569e+23"),
    (-1e6, "-1e+06"),
    (-0.0, "-0"),
    (0.0, "0"),
    (100000.0, "100000"),
]


@pytest.mark.parametrize(("number", "text"), FLOATS, ids=[t for _, t in FLOATS])
def test_a_float64_prints_as_fmt_prints_it(number: float, text: str) -> None:
    assert float_text(number) == text


def test_nested_values_print_as_fmt_prints_them() -> None:
    value = decode(gojson.loads('{"c": {"b": [1, "x", null, {"z": 2.50, "a": true}]}}'), SCHEMA).doc["c"]
    assert go_text(value) == "map[b:[1 x <nil> map[a:true z:2.5]]]"


PARSE_INT = {"100": 100, "+100": 100, "0100": 100, "-0": 0, " 100": None, "": None, "1_000": None}
PARSE_INT |= {"1e+06": None, "9223372036854775807": 2**63 - 1, "9223372036854775808": None, "١٢": None}


@pytest.mark.parametrize(("text", "number"), PARSE_INT.items(), ids=[repr(t) for t in PARSE_INT])
def test_strconv_parse_int(text: str, number: int | None) -> None:
    assert parse_int(text) == number


MESSAGES = {
    "a fraction on 1.18: both readings": (
        '{"cacheLimitMB": 0.1}',
        V18,
        f'data[kopia].cacheLimitMB: Invalid value: 0.1: {RANGE}: Velero reads "0.1" and uses 5000 MiB, '
        "node-agent 0 MiB",
    ),
    "a number node-agent cannot hold": (
        '{"cacheLimitMB": 1e20}',
        V18,
        f'data[kopia].cacheLimitMB: Invalid value: 1e+20: {RANGE}: Velero reads "1e+20" '
        "and uses 5000 MiB, node-agent overflows an int64",
    ),
    "a string whose bytes overflow": (
        '{"cacheLimitMB": "8796093022208"}',
        V17,
        f'data[kopia].cacheLimitMB: Invalid value: "8796093022208": {RANGE}: in bytes it overflows an int64',
    ),
    "an unsupported interval": (
        '{"fullMaintenanceInterval": "weekly"}',
        V17,
        'data[kopia].fullMaintenanceInterval: Unsupported value: "weekly": supported values: "normalGC", '
        '"fastGC", "eagerGC": a new repository fails to initialise (NotReady)',
    ),
    "an interval in another case": (
        '{"fullMaintenanceInterval": "EAGERGC"}',
        V18,
        'data[kopia].fullMaintenanceInterval: Unsupported value: "EAGERGC": supported values: "normalGC", '
        '"fastGC", "eagerGC": a new repository fails to initialise (NotReady); did you mean "eagerGC"?',
    ),
    "an interval on 1.15": (
        '{"fullMaintenanceInterval": "fastGC"}',
        Version(1, 15, 2),
        "data[kopia].fullMaintenanceInterval: ignored by Velero 1.15.2; added in 1.16",
    ),
    "a key in another case": (
        '{"cachelimitMB": 2048}',
        V18,
        "data[kopia].cachelimitMB: Unknown field: Velero ignores it; did you mean cacheLimitMB?",
    ),
    "a repeated key": (
        '{"cacheLimitMB": 1, "cacheLimitMB": 2}',
        V18,
        'data[kopia].cacheLimitMB: Duplicate value: "cacheLimitMB": written 2 times: Velero keeps the last',
    ),
    "a value that is no object": (
        '"cacheLimitMB=2048"',
        V18,
        'data[kopia]: Invalid value: "cacheLimitMB=2048": must be an object, not a string: '
        "Velero cannot decode it: 1.17+ exits at start, new repositories get no config",
    ),
    "a number beyond float64": (
        '{"cacheLimitMB": 1e309}',
        V18,
        "data[kopia].cacheLimitMB: Invalid value: 1e309: "
        "must be a number within float64 range (about ±1.8e308): "
        "Velero cannot decode it: 1.17+ exits at start, new repositories get no config",
    ),
}


@pytest.mark.parametrize(("kopia", "version", "message"), MESSAGES.values(), ids=MESSAGES.keys())
def test_message(kopia: str, version: Version, message: str) -> None:
    assert findings(kopia, version) == [message]


def _keys(data: dict[str, str], version: Version) -> list[str]:
    cm = {"data": data}
    return evaluate_configmap(cm, BACKUP_REPOSITORY, options=Options(velero_version=version)).warning_strings


KEYS = {
    "restic up to 1.18": (
        "restic",
        V18,
        "data[restic]: restic repositories never read it: only kopia ones do",
    ),
    "restic on main": (
        "restic",
        Version(1, 19, 0),
        "data[restic]: Velero 1.19 (unreleased) has no restic repositories: never read",
    ),
    "a file name": (
        "config.json",
        V18,
        'data[config.json]: not a repository type: Velero reads only "kopia"',
    ),
    "kopia in another case": (
        "KOPIA",
        V18,
        'data[KOPIA]: not a repository type: Velero reads only "kopia" (keys are case-sensitive)',
    ),
}


@pytest.mark.parametrize(("key", "version", "message"), KEYS.values(), ids=KEYS.keys())
def test_a_key_no_repository_reads(key: str, version: Version, message: str) -> None:
    assert _keys({key: "{}"}, version) == [message]


def test_no_data() -> None:
    verdict = evaluate_configmap({}, BACKUP_REPOSITORY)
    assert [str(e) for e in verdict.errors] == [
        "data: Required value: Velero 1.17+ exits at start without it: one key per repository type (kopia)"
    ]


REPOSITORIES = {
    "some differ": (
        [{"name": n} for n in ("d", "c", "b", "a")] + [{"name": "e", "config": {"cacheLimitMB": "2048"}}],
        "data[kopia]: only new BackupRepositories get it, existing kopia ones keep theirs; "
        "differing: a, b, c and 1 more (4 of 5)",
    ),
    "none differs": (
        [{"name": "a", "config": {"cacheLimitMB": "2048"}}],
        "data[kopia]: only new BackupRepositories get it, existing kopia ones keep theirs; "
        "none of the 1 differs",
    ),
}


@pytest.mark.parametrize(("repositories", "message"), REPOSITORIES.values(), ids=REPOSITORIES.keys())
def test_existing_repositories(repositories: list[dict[str, object]], message: str) -> None:
    assert findings('{"cacheLimitMB": 2048}', V18, repositories=repositories) == [message]


def _readers(operation: str) -> list[str]:
    flags = {"--backup-repository-configmap": "backup-repo"}
    raw = {
        "request": {"operation": operation, "name": "backup-repo", "old": {"data": {"kopia": "{}"}}},
        "cluster": {"deployments": [{"version": "1.18.2", "flags": flags}], "daemonsets": [{"flags": flags}]},
    }
    if operation != "DELETE":
        raw["configmap"] = {"data": {"kopia": '{"cacheLimitMB": 2048}'}}
    return run(raw, BACKUP_REPOSITORY).warnings


def test_a_change_node_agent_reads_at_start() -> None:
    assert _readers("UPDATE") == [
        "Velero reads this ConfigMap only at start: kubectl -n velero rollout restart daemonset/node-agent"
    ]


def test_a_deletion() -> None:
    assert _readers("DELETE") == [
        "deployment/velero reads this ConfigMap: Velero 1.17 and later will not start without it, "
        "new repositories get no config meanwhile",
        "daemonset/node-agent reads this ConfigMap: Velero 1.18 and later will not start without it, "
        "a running one keeps what it read",
    ]
