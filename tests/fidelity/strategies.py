"""Hypothesis strategies for near-valid node-agent configs, written as text with Go's quirks in reach.

A config is built as a tree whose objects are lists of (key, value) pairs, so that keys can be
duplicated, case-changed (also with the two non-ASCII letters Go folds to ASCII: U+017F and U+212A)
or written with \\u escapes, and whose numbers are the literal text (`1.0`, `1e2`, `-0`, 2**63).
Most of each config is valid; each slot is sometimes given a wrong type, an odd number, an invalid
selector or quantity, so that many configs are allowed and the rest are denied for few reasons.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import hypothesis.strategies as st


@dataclass(frozen=True)
class Raw:
    """A token written exactly as given (a number's text)."""

    text: str


@dataclass(frozen=True)
class Obj:
    pairs: tuple[tuple[Any, Any], ...]  # key: str, or Raw for a key written with escapes


def render(value: Any) -> str:
    if isinstance(value, Obj):
        return "{" + ",".join(f"{_key(k)}:{render(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, list):
        return "[" + ",".join(render(v) for v in value) + "]"
    if isinstance(value, Raw):
        return value.text
    return json.dumps(value, ensure_ascii=False)


def _key(key: Any) -> str:
    return key.text if isinstance(key, Raw) else json.dumps(key, ensure_ascii=False)


def escaped(key: str) -> Raw:
    return Raw('"' + "".join(f"\\u{ord(c):04x}" for c in key) + '"')


# -- keys -------------------------------------------------------------------------------------------

GO_FOLDS = {"s": "\u017f", "k": "\u212a", "S": "\u017f", "K": "\u212a"}  # LONG S, KELVIN SIGN


def _spellings(name: str) -> list[Any]:
    typos = [name + "s", name[:-1], name + " ", name.replace("e", "\u00e9"), "_" + name]
    folded = "".join(GO_FOLDS.get(c, c) for c in name)
    return [name.upper(), name[:1].upper() + name[1:], name.swapcase(), folded, escaped(name), *typos]


def spelled(name: str) -> st.SearchStrategy[Any]:
    """A field name as written: mostly exact, sometimes case-changed, Go-folded, escaped or misspelt."""
    return weighted(st.just(name), st.sampled_from(_spellings(name)), odds=25)


@st.composite
def _weighted(draw: st.DrawFn, good: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], odds: int) -> Any:
    return draw(odd if one_in(draw, odds) else good)


def one_in(draw: st.DrawFn, odds: int) -> bool:
    """True once in `odds` draws. The middle value: hypothesis draws a range's ends far more often."""
    return draw(st.integers(0, odds - 1)) == odds // 2


def weighted(good: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], odds: int) -> st.SearchStrategy[Any]:
    """`good`, and once in `odds` draws `odd` (strategies built once: building them per draw is slow)."""
    return _weighted(good, odd, odds)


def obj(members: dict[str, st.SearchStrategy[Any]], min_size: int = 0) -> st.SearchStrategy[Obj]:
    """Some of the members, each spelled its way; sometimes one twice, sometimes an unknown one."""
    order = sorted(members)
    chosen = st.lists(st.sampled_from(order), unique=True, min_size=min_size, max_size=len(order))
    spellings = {n: spelled(n) for n in order}
    return _obj(members, chosen, spellings)


UNKNOWN = st.sampled_from(["foo", "nodeselector", "matchLabel", "thresholdInGB"])


@st.composite
def _obj(
    draw: st.DrawFn,
    members: dict[str, st.SearchStrategy[Any]],
    chosen: st.SearchStrategy[list[str]],
    spellings: dict[str, st.SearchStrategy[Any]],
) -> Obj:
    names = draw(chosen)
    pairs = [(draw(spellings[n]), draw(members[n])) for n in names]
    if pairs and one_in(draw, 30):  # one member written again, once or twice (Go reuses lists)
        name = names[draw(st.integers(0, len(names) - 1))]
        for _ in range(draw(st.integers(1, 2))):
            pairs.insert(draw(st.integers(0, len(pairs))), (draw(spellings[name]), draw(members[name])))
    if one_in(draw, 40):
        pairs.append((draw(UNKNOWN), 1))
    return Obj(tuple(pairs))


# -- scalars ----------------------------------------------------------------------------------------

ODD_NUMBERS = [
    "0",
    "-0",
    "-1",
    "1.0",
    "2.5",
    "1e2",
    "1E0",
    "1e-1",
    "-1.5",
    "0.0",
    "1e400",
    "2147483647",
    "2147483648",
    "-2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "100000000000000000000000",
]
WRONG = st.sampled_from(
    [
        Raw("true"),
        Raw('"1"'),
        Raw('""'),
        Raw("{}"),
        Raw("[]"),
        Raw("[1]"),
        Raw('{"a":1}'),
        Raw("null"),
        Raw("1"),
        Raw('"x"'),
    ]
)


def sometimes_wrong(good: st.SearchStrategy[Any], odds: int = 60) -> st.SearchStrategy[Any]:
    """The good values, and once in `odds` a value of any other type (or null)."""
    return weighted(good, WRONG, odds)


def numbers(low: int = -1, high: int = 5) -> st.SearchStrategy[Any]:
    plain = weighted(st.integers(1, high), st.integers(low, 0), odds=8).map(lambda n: Raw(str(n)))
    return sometimes_wrong(weighted(plain, st.sampled_from(ODD_NUMBERS).map(Raw), odds=10))


GOOD_KEYS = ["zone", "disk", "a", "kubernetes.io/hostname", "node-role.kubernetes.io/worker", "x.io/gpu"]
BAD_KEYS = ["a b", "-a", "x/y/z", "", "k" * 64, "Zone/x", "a_", "/a", "é"]
GOOD_VALUES = ["a", "b", "ssd", "hdd", "", "1", "x" * 63]
BAD_VALUES = ["a b", "-a", "x" * 64, "a/b", "é", "a_"]


def pick(good: list[str], bad: list[str], odds: int = 25) -> st.SearchStrategy[str]:
    return weighted(st.sampled_from(good), st.sampled_from(bad), odds)


label_keys = pick(GOOD_KEYS, BAD_KEYS)
label_values = pick(GOOD_VALUES, BAD_VALUES)
OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"]
ODD_OPERATORS = ["in", "Gt", "Lt", "", "exists", "Equals", "=", "!="]


def string_map(keys: st.SearchStrategy[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pairs = st.lists(st.tuples(keys, values), max_size=3)
    return sometimes_wrong(pairs.map(lambda ps: Obj(tuple(ps))), odds=80)


def string_list(items: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    return sometimes_wrong(st.lists(items, max_size=max_size), odds=80)


# -- sections ---------------------------------------------------------------------------------------

requirement = obj(
    {
        "key": sometimes_wrong(label_keys, odds=100),
        "operator": sometimes_wrong(pick(OPERATORS, ODD_OPERATORS, odds=6), odds=100),
        "values": string_list(
            sometimes_wrong(st.one_of(label_values, st.sampled_from(["1", "10", "-2", "8.5"])), odds=100)
        ),
    }
)
selector = sometimes_wrong(
    obj(
        {
            "matchLabels": string_map(label_keys, sometimes_wrong(label_values, odds=40)),
            "matchExpressions": string_list(requirement, max_size=2),
        },
        min_size=1,
    ),
    odds=60,
)
rule = obj({"nodeSelector": selector, "number": numbers(-1, 4)}, min_size=2)
# a null rule decodes to the zero rule (no selector, number 0): Velero skips it
rule_or_null = weighted(rule, st.just(Raw("null")), odds=50)
load_concurrency = obj(
    {
        "globalConfig": numbers(-1, 6),
        "perNodeConfig": sometimes_wrong(st.lists(rule_or_null, min_size=1, max_size=4), odds=80),
        "prepareQueueLength": numbers(-1, 3),
    },
    min_size=2,
)
storage_classes = st.sampled_from(["", "", "gp3", "standard", "Fast", "a_b"])
affinity = weighted(
    obj({"nodeSelector": selector, "storageClass": storage_classes}, min_size=1), st.none(), 10
)
QUANTITIES = [
    "1",
    "100m",
    "0",
    "0Mi",
    "0.0",
    "+1",
    "-1",
    "1e3",
    "1E3",
    "1Ki",
    "1k",
    "1ki",
    "",
    " 1",
    "1.5Gi",
    "abc",
    "0x1",
    ".5",
    "5.",
    "1e",
    "9223372036854775807",
    "1Ei",
    "0.0001m",
    "1n",
    "500Mi",
    "1Gi",
    "2Gi",
    "2",
    "250m",
    "0m",
    "00",
    "+0",
    "-0",
    "1E",
    "1Mi",
    "1M",
    "1e-3",
]
quantity = sometimes_wrong(st.sampled_from(QUANTITIES), odds=25)
RESOURCE_NAMES = [
    "cpuRequest",
    "cpuLimit",
    "memoryRequest",
    "memoryLimit",
    "ephemeralStorageRequest",
    "ephemeralStorageLimit",
]
pod_resources = obj({name: quantity for name in RESOURCE_NAMES})
names = pick(["gp3", "standard", "high-priority", "creds", "a.b"], ["Bad_Name", "", "-x", "x" * 254])
annotations = string_map(
    pick(GOOD_KEYS, BAD_KEYS), sometimes_wrong(st.sampled_from(["v", "", "a b"]), odds=100)
)
backup_pvc = string_map(
    storage_classes,
    obj(
        {
            "storageClass": names,
            "readOnly": sometimes_wrong(st.booleans()),
            "spcNoRelabeling": sometimes_wrong(st.booleans()),
            "annotations": annotations,
        }
    ),
)
top = {
    "loadConcurrency": load_concurrency,
    "loadAffinity": string_list(affinity, max_size=3),
    "podResources": pod_resources,
    "priorityClassName": sometimes_wrong(names),
    "privilegedFsBackup": sometimes_wrong(st.booleans()),
    "cachePVC": obj({"storageClass": names, "residentThresholdInMB": numbers(-1, 2048)}),
    "podLabels": annotations,
    "podAnnotations": annotations,
    "backupPVC": backup_pvc,
    "restorePVC": obj({"ignoreDelayBinding": sometimes_wrong(st.booleans())}),
}
# The concurrency sections most of the time: they are what the per-node comparison is about.
config_trees = st.one_of(
    obj({"loadConcurrency": load_concurrency}, min_size=1),
    obj({"loadConcurrency": load_concurrency, "loadAffinity": top["loadAffinity"]}, min_size=2),
    obj(top, min_size=3),
)
DOCUMENT_ODDITIES = [
    "",
    "null",
    "[]",
    "{}",
    " {} ",
    "{}x",
    "{} {}",
    '{"loadConcurrency":{}}\n',
    "\ufeff{}",
    '{"a":1,}',
    "1",
    '"{}"',
]
config_texts = weighted(config_trees.map(render), st.sampled_from(DOCUMENT_ODDITIES), odds=50)
node_labels = st.dictionaries(st.sampled_from(GOOD_KEYS), st.sampled_from(GOOD_VALUES[:5]), max_size=3)
node_sets = st.lists(node_labels, min_size=1, max_size=4).map(
    lambda labels: {f"n{i}": dict(ls) for i, ls in enumerate(labels)}
)
