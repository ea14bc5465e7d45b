"""NodeIndex: the forward and reverse indexes stay exact under every kind of write."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from webhook.engine import NodeIndexView
from webhook.inventory import NodeIndex, direct

ZONE = "topology.kubernetes.io/zone"
TYPE = "node.kubernetes.io/instance-type"


def rebuilt(index: NodeIndex) -> NodeIndex:
    """The same nodes indexed from scratch: what every write must be indistinguishable from."""
    return NodeIndex.build((name, index.labels(name)) for name in index.names())


def postings(index: NodeIndex) -> dict[tuple[str, str], set[str]]:
    return {(k, v): set(names) for k, values in index._by_label.items() for v, names in values.items()}


def assert_consistent(index: NodeIndex) -> None:
    fresh = rebuilt(index)
    assert postings(index) == postings(fresh)
    for key in {*index._by_label, *fresh._by_label, "absent"}:
        assert set(index.with_key(key)) == set(fresh.with_key(key)), key
    assert all(names for names in postings(index).values()), "an empty posting was left behind"
    assert all(index._by_label.values()), "a key without values was left behind"


def indexed(nodes: Mapping[str, Mapping[str, str]]) -> NodeIndex:
    return NodeIndex.build(nodes.items())


def test_it_is_a_node_index_view() -> None:
    view: NodeIndexView = NodeIndex()
    assert len(view) == 0


@pytest.mark.parametrize(
    ("nodes", "key", "value", "expected"),
    [
        ({"a": {ZONE: "z1"}, "b": {ZONE: "z2"}}, ZONE, "z1", {"a"}),
        ({"a": {ZONE: "z1"}, "b": {ZONE: "z1"}}, ZONE, "z1", {"a", "b"}),
        ({"a": {ZONE: "z1"}}, ZONE, "z9", set()),
        ({"a": {ZONE: "z1"}}, "missing", "z1", set()),
        ({"a": {ZONE: ""}}, ZONE, "", {"a"}),
        ({}, ZONE, "z1", set()),
    ],
)
def test_with_label(nodes: dict[str, dict[str, str]], key: str, value: str, expected: set[str]) -> None:
    assert set(indexed(nodes).with_label(key, value)) == expected


@pytest.mark.parametrize(
    ("nodes", "key", "expected"),
    [
        ({"a": {ZONE: "z1"}, "b": {ZONE: "z2"}, "c": {}}, ZONE, {"a", "b"}),
        ({"a": {TYPE: "m5"}}, ZONE, set()),
    ],
)
def test_with_key(nodes: dict[str, dict[str, str]], key: str, expected: set[str]) -> None:
    assert set(indexed(nodes).with_key(key)) == expected


# Each write, as (operation, name, labels), applied in order to two zoned nodes.
WRITES = [
    pytest.param([("upsert", "c", {ZONE: "z1"})], {"a", "c"}, {"b"}, id="a new node joins its zone"),
    pytest.param([("upsert", "a", {ZONE: "z2"})], set(), {"a", "b"}, id="a node moves zone"),
    pytest.param([("upsert", "a", {TYPE: "m5"})], set(), {"b"}, id="a label removed"),
    pytest.param([("upsert", "a", {ZONE: "z1"})], {"a"}, {"b"}, id="an unchanged upsert"),
    pytest.param([("delete", "a", {})], set(), {"b"}, id="a node deleted"),
    pytest.param([("delete", "x", {})], {"a"}, {"b"}, id="an unknown node deleted"),
    pytest.param(
        [("delete", "a", {}), ("upsert", "a", {ZONE: "z2"})], set(), {"a", "b"}, id="deleted then back"
    ),
]


@pytest.mark.parametrize(("writes", "zone1", "zone2"), WRITES)
def test_writes_keep_both_indexes_exact(
    writes: list[tuple[str, str, dict[str, str]]], zone1: set[str], zone2: set[str]
) -> None:
    index = indexed({"a": {ZONE: "z1", "os": "linux"}, "b": {ZONE: "z2", "os": "linux"}})
    for operation, name, labels in writes:
        index.upsert(name, labels) if operation == "upsert" else index.delete(name)
    assert set(index.with_label(ZONE, "z1")) == zone1
    assert set(index.with_label(ZONE, "z2")) == zone2
    assert_consistent(index)


def test_names_are_sorted_and_follow_additions_and_deletions() -> None:
    index = indexed({"b": {}, "a": {}})
    assert list(index.names()) == ["a", "b"]
    index.upsert("0", {})
    index.delete("b")
    assert list(index.names()) == ["0", "a"]
    assert len(index) == 2


def test_labels_of_an_unknown_node_are_empty_and_read_only() -> None:
    index = indexed({"a": {ZONE: "z1"}})
    assert index.labels("nope") == {}
    with pytest.raises(TypeError):
        index.labels("a")[ZONE] = "z2"  # type: ignore[index]


def test_replace_forgets_everything_before() -> None:
    index = indexed({"a": {ZONE: "z1"}})
    index.replace([("b", {ZONE: "z2"})])
    assert list(index.names()) == ["b"]
    assert set(index.with_key(ZONE)) == {"b"}
    assert_consistent(index)


def test_a_later_duplicate_in_a_list_wins() -> None:
    index = NodeIndex.build([("a", {ZONE: "z1"}), ("a", {ZONE: "z2"})])
    assert dict(index.labels("a")) == {ZONE: "z2"}
    assert_consistent(index)


def test_the_caller_keeps_its_own_labels_dict() -> None:
    labels = {ZONE: "z1"}
    index = NodeIndex.build([("a", labels)])
    labels[ZONE] = "changed behind the index's back"
    assert set(index.with_label(ZONE, "z1")) == {"a"}


def test_many_random_writes_stay_consistent() -> None:
    import random

    rng = random.Random(7)
    index = NodeIndex()
    for step in range(3000):
        if step % 100 == 0:
            assert_consistent(index)  # also fills the with_key cache that the next writes must update
        name = f"n{rng.randrange(40)}"
        if rng.random() < 0.2:
            index.delete(name)
        else:
            index.upsert(
                name, {f"k{rng.randrange(6)}": f"v{rng.randrange(3)}" for _ in range(rng.randrange(5))}
            )
    assert_consistent(index)


def test_direct_dispatch_runs_now() -> None:
    ran: list[int] = []
    direct(lambda: ran.append(1))
    assert ran == [1]
