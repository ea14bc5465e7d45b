"""Fast, seeded generators of hostile configs and ConfigMaps, for the bulk of the engine fuzzing.

Hypothesis shrinks and explores cleverly but draws a few hundred inputs a second; these functions draw
thousands, so they carry the 100,000 inputs a CI run must try. Each input comes from its own
`random.Random(seed)`: a failure names the class and the seed, and `draw(CLASS, seed)` gives the same
input again. The classes follow issue 8: random JSON, near-valid configs bent at one spot, invalid
UTF-8, deep nesting, huge strings and numbers, odd keys; and large maps and lists.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import orjson

# A config that sets every field of the schema (webhook/engine/node-agent-config.schema.json) with a
# valid value: the starting point of the near-valid class, so a bend reaches every field's checks.
FULL_CONFIG: dict[str, Any] = {
    "loadConcurrency": {
        "globalConfig": 2,
        "perNodeConfig": [
            {"nodeSelector": {"matchLabels": {"kubernetes.io/os": "linux"}}, "number": 3},
            {
                "nodeSelector": {
                    "matchExpressions": [
                        {"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["eu-west-1a"]}
                    ]
                },
                "number": 1,
            },
        ],
        "prepareQueueLength": 10,
    },
    "loadAffinity": [
        {
            "nodeSelector": {
                "matchLabels": {"kubernetes.io/arch": "amd64"},
                "matchExpressions": [{"key": "cpu-count", "operator": "Gt", "values": ["4"]}],
            },
            "storageClass": "gp3",
        }
    ],
    "backupPVC": {
        "gp3": {
            "storageClass": "gp3-backup",
            "readOnly": True,
            "spcNoRelabeling": True,
            "annotations": {"example.com/owner": "velero"},
            "secretNames": ["s1"],
            "configMapNames": ["c1"],
        }
    },
    "restorePVC": {"ignoreDelayBinding": True, "secretNames": ["s2"], "configMapNames": ["c2"]},
    "podResources": {
        "cpuRequest": "500m",
        "cpuLimit": "2",
        "memoryRequest": "512Mi",
        "memoryLimit": "2Gi",
        "ephemeralStorageRequest": "1Gi",
        "ephemeralStorageLimit": "2Gi",
    },
    "priorityClassName": "velero-critical",
    "privilegedFsBackup": False,
    "cachePVC": {"storageClass": "gp3", "residentThresholdInMB": 1024},
    "podAnnotations": {"example.com/a": "b"},
    "podLabels": {"app": "velero-data-mover"},
    "csiSnapshotMetadataServiceConfigs": {"saName": "csi-sa"},
}
CONFIGMAP_NAME = "node-agent-config"
_FULL = orjson.dumps(FULL_CONFIG)


def full_config() -> dict[str, Any]:
    """A fresh copy of FULL_CONFIG to bend (orjson is ten times faster than copy.deepcopy)."""
    copied: dict[str, Any] = orjson.loads(_FULL)
    return copied


# Numbers and look-alikes that break parsers and converters: past float, past int64, negative zero,
# Go's refusals (NaN, Infinity, leading zeros, hex), and numbers written as strings.
HUGE_NUMBERS = [
    "1e400", "-1e400", "1e-400", str(2**70), str(-(2**70)), str(2**63), str(2**63 - 1), str(-(2**63) - 1),
    "-0", "-0.0", "0.0", "2.0", "1E+2", "9" * 5000, "NaN", "-Infinity", "Infinity", "01", "0x10", "+1",
    ".5", "5.", "1e", "--1", '"NaN"', '"1e400"', '"-0"', '"Infinity"', '""', "1" + "0" * 400 + ".5",
]  # fmt: skip
ODD_KEYS = [
    "", " ", "\u212a", "\u017f", "LOADCONCURRENCY", "loadconcurrency", "loadConcurrenc\u212a", "lo\u0430d",
    "\x00", "a\nb", "\u202e", "\ufeff", "\udc80", "../x", "a/b/c", "[0]", "a" * 10_000, "__proto__",
    "constructor", "$ref", "key\ud83d\ude00", "NUMBER", "Number", "nodeselector", "MATCHLABELS",
]  # fmt: skip
ATOMS: list[Any] = [
    None, True, False, 0, -1, 1, 2**63, -(2**63), 2**70, 0.5, -0.0, 1e308, "", "0", "x", "500m", "2Gi",
    "In", "Gt", "linux", "\x00", "\udcff", "\u212a", "a" * 300, "1" * 30, [], {},
]  # fmt: skip


def random_json(rng: random.Random, depth: int = 4) -> Any:
    """Any JSON value: nesting, every type, odd keys and atoms more often than chance would pick."""
    roll = rng.random()
    if depth <= 0 or roll < 0.35:
        return _atom(rng)
    if roll < 0.65:
        return [random_json(rng, depth - 1) for _ in range(rng.randrange(4))]
    return {_key(rng): random_json(rng, depth - 1) for _ in range(rng.randrange(5))}


def _atom(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(ATOMS)
    if roll < 0.7:
        return rng.randint(-(2**66), 2**66)
    if roll < 0.8:
        return rng.uniform(-1e6, 1e6)
    return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(12)))


def _key(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(FIELD_NAMES)
    if roll < 0.6:
        return rng.choice(ODD_KEYS)
    return "".join(chr(rng.randrange(0x20, 0x250)) for _ in range(rng.randrange(1, 8)))


def _field_names(value: Any) -> list[str]:
    """Every key in a document, at any depth."""
    if isinstance(value, dict):
        return [name for k, v in value.items() for name in (k, *_field_names(v))]
    if isinstance(value, list):
        return [k for v in value for k in _field_names(v)]
    return []


FIELD_NAMES = sorted(set(_field_names(FULL_CONFIG)))


def dumps(value: Any) -> str:
    """JSON text without Python's NaN; lone surrogates survive as \\u escapes (ensure_ascii)."""
    return json.dumps(value, allow_nan=False)


# -- the classes: each returns the text of one config document ------------------------------------


def random_config(rng: random.Random) -> str:
    text = dumps(random_json(rng, rng.randrange(1, 7)))
    return damage(rng, text) if rng.random() < 0.2 else text


def damage(rng: random.Random, text: str) -> str:
    """One damaged spot in a text: a character dropped, doubled, replaced, or the text cut short."""
    if not text:
        return text
    at = rng.randrange(len(text))
    return rng.choice(
        [
            text[:at] + text[at + 1 :],
            text[:at] + text[at] * 2 + text[at:],
            text[:at] + rng.choice('{}[]":,\\ \x00\ufeffe-') + text[at + 1 :],
            text[:at],
        ]
    )


def bent_config(rng: random.Random) -> str:
    """FULL_CONFIG (or a part of it) with exactly one spot changed."""
    return bend(rng, full_config())


def bend(rng: random.Random, full: dict[str, Any]) -> str:
    """A fresh `full` config (or a part of it) with exactly one spot changed, as text."""
    config = _part_of(rng, full)
    spots = list(_spots(config))
    parent, key = rng.choice(spots) if spots else (config, None)
    if key is None:
        return dumps(rng.choice([random_json(rng), None, [], "", 0]))
    return rng.choice(_BENDS)(rng, parent, key, config)


def _part_of(rng: random.Random, config: dict[str, Any]) -> dict[str, Any]:
    """Either the whole config or 1-3 of its sections, so both full and sparse configs are bent."""
    if rng.random() < 0.5:
        return config
    keys = rng.sample(sorted(config), rng.randrange(1, 4))
    return {k: config[k] for k in keys}


def _spots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key or index) pair in a document, the container's own first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in list(items):
        yield value, key
        yield from _spots(item)


def _set(rng: random.Random, parent: Any, key: Any, config: Any, value: Any) -> str:
    parent[key] = value
    return dumps(config)


def _wrong_type(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    return _set(rng, parent, key, config, rng.choice([*ATOMS, random_json(rng, 2)]))


def _huge_number(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    marker = "\x01HUGE\x01"
    return _set(rng, parent, key, config, marker).replace(json.dumps(marker), rng.choice(HUGE_NUMBERS))


def _huge_string(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    size = rng.choice([254, 318, 1000, 70_000, 300_000])
    return _set(rng, parent, key, config, rng.choice("a-.Z9\u212a") * size)


def _drop(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    del parent[key]
    return dumps(config)


def _rename(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    if not isinstance(key, str):
        return _wrong_type(rng, parent, key, config)
    parent[odd_spelling(rng, key)] = parent.pop(key)
    return dumps(config)


def odd_spelling(rng: random.Random, key: str) -> str:
    """The same key as Go would fold it (case, KELVIN SIGN, long s), or a near miss."""
    spellings = [
        key.upper(),
        key.lower(),
        key.swapcase(),
        key.replace("k", "\u212a").replace("K", "\u212a"),
        key.replace("s", "\u017f").replace("S", "\u017f"),
        key + " ",
        key[:-1],
        rng.choice(ODD_KEYS),
    ]
    return rng.choice(spellings)


def _duplicate(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    """The key written twice (the text has both; a dict cannot), maybe in another spelling."""
    if not isinstance(key, str):
        return _wrong_type(rng, parent, key, config)
    marker = "\x01DUP\x01"
    other = rng.choice([key, odd_spelling(rng, key)])
    parent[marker] = random_json(rng, 2) if rng.random() < 0.5 else parent[key]
    return dumps(config).replace(json.dumps(marker), json.dumps(other))


def _deepen(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    marker = "\x01DEEP\x01"
    depth = rng.choice([30, 99, 101, 500, 990, 3000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return _set(rng, parent, key, config, marker).replace(json.dumps(marker), opener * depth + closer * depth)


def _surrogate(rng: random.Random, parent: Any, key: Any, config: Any) -> str:
    return _set(rng, parent, key, config, rng.choice(["\udc80", "a\ud800", "\udfff\ud800", "\ud83d"]))


_BENDS: list[Callable[[random.Random, Any, Any, Any], str]] = [
    _wrong_type, _huge_number, _huge_string, _drop, _rename, _duplicate, _deepen, _surrogate,
]  # fmt: skip


def deep_config(rng: random.Random) -> str:
    """Nesting from a few levels to far past Python's recursion limit, where a field is expected."""
    depth = rng.choice([10, 50, 99, 100, 101, 200, 900, 1100, 5000, 20_000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}"), ('{"loadConcurrency":', "}"), ("[{", "}]")])
    inner = rng.choice(["1", "{}", "[]", "null", '"x"'])
    body = opener * depth + inner + closer * depth
    where = rng.choice(["%s", '{"loadConcurrency": {"perNodeConfig": %s}}', '{"podLabels": {"a": %s}}'])
    text = where.replace("%s", body)
    return text[: rng.randrange(len(text))] if rng.random() < 0.1 else text


def huge_config(rng: random.Random) -> str:
    """Huge numbers and strings where the schema wants small ones, and keys of every size."""
    field = rng.choice(
        [
            '{"loadConcurrency": {"globalConfig": %s}}',
            '{"loadConcurrency": {"prepareQueueLength": %s}}',
            '{"loadConcurrency": {"perNodeConfig": [{"number": %s}]}}',
            '{"cachePVC": {"storageClass": "gp3", "residentThresholdInMB": %s}}',
            '{"podResources": {"cpuRequest": %s, "cpuLimit": "1", "memoryRequest": "1", "memoryLimit": "1"}}',
            '{"priorityClassName": %s}',
            '{"loadAffinity": [{"nodeSelector": {"matchExpressions": '
            '[{"key": "k", "operator": "Gt", "values": [%s]}]}}]}',
        ]
    )
    return field.replace("%s", _huge_value(rng))


def _huge_value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(HUGE_NUMBERS)
    if roll < 0.8:
        return json.dumps(
            rng.choice(["9", "1e3", "500m", "1Ei", "a"]) * rng.choice([1, 100, 10_000, 200_000])
        )
    return json.dumps(rng.choice(["1e400", "99999999999999999999Ki", "1e-400", "0.000000001m", "-0"]))


def odd_key_config(rng: random.Random) -> str:
    """FULL_CONFIG written with its keys spelled oddly, duplicated or replaced, at several spots."""
    config = full_config()
    for _ in range(rng.randrange(1, 4)):
        spots = [(p, k) for p, k in _spots(config) if isinstance(k, str)]
        parent, key = rng.choice(spots)
        bend = rng.choice([_rename, _duplicate]) if key in parent else _rename
        text = bend(rng, parent, key, config)
        config = json.loads(text, object_pairs_hook=dict)  # duplicates collapse; the last bend stays
    return text


def large_config(rng: random.Random) -> str:
    """Maps and lists of 60 to 400 entries, some bad: past 64 keys the reference validator runs."""
    n = rng.randrange(60, 400)
    key = rng.choice(["k{i}", "K_{i}!", "example.com/a{i}", "{i}", "a" * 70 + "{i}"])
    value = rng.choice(["v", "v!", "", "x" * 70])
    labels = {key.format(i=i): value for i in range(n)}
    rule = {"nodeSelector": {"matchLabels": {"kubernetes.io/os": "linux"}}, "number": 1}
    section = rng.choice(
        [
            {"podLabels": labels},
            {"podAnnotations": labels},
            {"backupPVC": {k: {"readOnly": True} for k in labels}},
            {"loadConcurrency": {"perNodeConfig": [{**rule, "number": 1 + i % 3} for i in range(n)]}},
            {"restorePVC": {"secretNames": [rng.choice(["a", "b", "C!"]) for _ in range(n)]}},
        ]
    )
    return damage(rng, dumps(section)) if rng.random() < 0.1 else dumps(section)


# -- whole ConfigMaps ------------------------------------------------------------------------------


def configmap_of(rng: random.Random, text: str) -> dict[str, Any]:
    """A ConfigMap carrying `text`, sometimes with a second data key or a binaryData beside it."""
    data: dict[str, Any] = {rng.choice(["config.json", "node-agent-config", "x"]): text}
    cm: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "data": data}
    cm["metadata"] = {"name": CONFIGMAP_NAME, "namespace": rng.choice(["velero", "other"])}
    if rng.random() < 0.1:
        data["second.json"] = rng.choice([text, "{}", ""])
    if rng.random() < 0.1:
        cm["binaryData"] = {"b": base64.b64encode(rng.randbytes(8)).decode()}
    return cm


def odd_configmap(rng: random.Random) -> dict[str, Any]:
    """ConfigMaps the admission decoder would refuse, or that only direct engine callers build."""
    undecodable = rng.randbytes(rng.randrange(1, 40)) + b"\xff\xfe\xc0\x80\xed\xa0\x80"
    text = undecodable.decode("utf-8", "surrogateescape")  # invalid UTF-8, as Python reads it
    data = rng.choice(
        [
            None, {}, [], "x", 0, {"k": None}, {"k": 1}, {"k": ["a"]}, {"k": {"a": 1}}, {"k": undecodable},
            {"k": text}, {"k": '{"podLabels": {"a": "' + text + '"}}'}, {text: "{}"}, {"": "{}"},
            {"k": "{}", "l": "[]", "m": "{"}, {"\x00": "null"},
        ]
    )  # fmt: skip
    cm: dict[str, Any] = {"metadata": rng.choice([{}, None, {"namespace": None}, {"namespace": "velero"}])}
    if rng.random() < 0.8:
        cm["data"] = data
    if rng.random() < 0.5:
        cm["binaryData"] = rng.choice([{"b": text}, {"b": undecodable}, {"b": "not base64!"}, "x", {}, [1]])
    return cm


TEXT_CLASSES: dict[str, Callable[[random.Random], str]] = {
    "random JSON": random_config,
    "near-valid bent at one spot": bent_config,
    "deep nesting": deep_config,
    "huge strings and numbers": huge_config,
    "odd keys": odd_key_config,
    "large maps and lists": large_config,
}


def draw(kind: str, seed: int) -> dict[str, Any]:
    """The ConfigMap number `seed` of a class: the same one on every run and every machine."""
    rng = random.Random(f"{kind}/{seed}")
    if kind == "invalid UTF-8 and odd ConfigMaps":
        return odd_configmap(rng)
    return configmap_of(rng, TEXT_CLASSES[kind](rng))


CLASSES = [*TEXT_CLASSES, "invalid UTF-8 and odd ConfigMaps"]
