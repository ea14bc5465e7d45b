"""The core's Go maps with known keys (`x-go: "map"` on an object with `properties`), and numbers
beyond float64 in Go's `any`: what encoding/json does with them, on a schema that belongs to no kind.

encoding/json decodes into a map[string]any without looking at the keys: no case folding, every key
kept, the last of a repeated key wins whole, every JSON value decodes, except a number that
strconv.ParseFloat refuses, which fails the whole Unmarshal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from webhook.engine import ClusterView, ConfigKind, Options, Version, evaluate_config, evaluate_configmap
from webhook.engine.core import gojson
from webhook.engine.core.configmap import EveryKey
from webhook.engine.core.context import Context
from webhook.engine.core.decode import Decoded, Written, decode
from webhook.engine.core.field import ROOT, FieldPath, Key
from webhook.engine.core.findings import Findings
from webhook.engine.core.hints import field_paths
from webhook.engine.core.kind import Wording
from webhook.engine.core.schema import Schema, go_kind

SCHEMA = Schema("tests.engine", "keyed-map.schema.json")
LIMIT, NESTED = ROOT.child("limit"), ROOT.child("nested")


def decoded(text: str) -> Decoded:
    return decode(gojson.loads(text), SCHEMA)


def kind(*checks: Callable[[Context, Findings], None]) -> ConfigKind:
    return ConfigKind(
        name="keyed",
        title="keyed config",
        schema=SCHEMA,
        wording=Wording(reader="the reader", undecodable="the reader cannot decode it"),
        layout=EveryKey(missing="the reader needs a key"),
        readers=(),
        since=Version(1, 0, 0),
        checks=checks,
    )


DECODED = {
    "a key is looked up as written: another case is another key, kept in the map": (
        '{"Limit": 1, "limit": 2}',
        {"Limit": 1, "limit": 2},
    ),
    "the last of a repeated key wins whole, an object is not merged": (
        '{"nested": {"inner": 1}, "nested": {"x": 2}}',
        {"nested": {"x": 2}},
    ),
    "a value whose schema gives no type decodes as any": (
        '{"limit": {"a": [1, 2.5, null]}, "other": {"b": true}}',
        {"limit": {"a": [1, 2.5, None]}, "other": {"b": True}},
    ),
    "null is a value of the map, not a missing key": ('{"limit": null}', {"limit": None}),
    "null for the whole map is a nil map": ("null", None),
    "a number that underflows reads as zero": ('{"limit": 1e-400}', {"limit": 0.0}),
    "a number beyond float64 is dropped with the error it makes": (
        '{"limit": 1e400, "name": "n"}',
        {"name": "n"},
    ),
}


@pytest.mark.parametrize(("text", "doc"), DECODED.values(), ids=DECODED.keys())
def test_what_the_reader_holds(text: str, doc: Any) -> None:
    assert decoded(text).doc == doc


def test_keys_not_named_are_unknown_with_their_parent_and_no_case_folding() -> None:
    out = decoded('{"Limit": 1, "nested": {"Inner": 2, "inner": 3}, "x": {"limit": 4}}')
    assert [(str(p), k) for p, k, _ in out.unknown] == [
        ("<root>", "Limit"),
        ("nested", "Inner"),
        ("<root>", "x"),
    ]
    assert out.case_only == []


def test_a_repeated_key_is_a_duplicate_named_as_a_field() -> None:
    out = decoded('{"limit": 1, "limit": 2, "nested": {"inner": 1, "inner": 1, "inner": 1}}')
    assert [(str(p), keys) for p, keys in out.duplicates] == [
        ("nested.inner", ["inner"] * 3),
        ("limit", ["limit", "limit"]),
    ]


def test_a_key_that_is_no_plain_name_is_a_map_key_in_paths() -> None:
    out = decoded('{"a-b": 1, "a-b": 2}')
    assert out.duplicates == [(FieldPath((Key("a-b"),)), ["a-b", "a-b"])]


def test_a_known_key_with_a_release_is_written_down_for_the_version_checks() -> None:
    assert decoded('{"limit": 5, "name": "n"}').written == [Written(LIMIT, "1.16.0")]


def test_a_known_key_with_a_type_decodes_as_that_type() -> None:
    [error] = decoded('{"name": 5}').type_errors
    assert str(error) == "name: Invalid value: 5: must be a string, not a number"


def test_the_whole_document_must_be_an_object() -> None:
    out = decoded("[1]")
    assert out.doc is None
    assert [str(e) for e in out.type_errors] == ["<root>: Invalid value: must be an object, not a list"]


NUMBERS = {
    "a decimal beyond float64": ('{"limit": 1e400}', "limit: Invalid value: 1e400"),
    "a negative one inside a list": ('{"limit": [1, -1e999]}', "limit[1]: Invalid value: -1e999"),
    "an integer of 310 digits, inside an unknown key": (
        '{"x": {"y": 1%s}}' % ("0" * 309),
        "x[y]: Invalid value: 1000000000000000000000000000000000000...",
    ),
}


@pytest.mark.parametrize(("text", "head"), NUMBERS.values(), ids=NUMBERS.keys())
def test_a_number_beyond_float64_in_any_is_a_decoding_error(text: str, head: str) -> None:
    [error] = decoded(text).type_errors
    assert str(error) == f"{head}: must be a number within float64 range (about ±1.8e308)"


def test_the_largest_float64_still_decodes() -> None:
    out = decoded('{"limit": 1.7976931348623157e308, "name": "n"}')
    assert out.type_errors == [] and out.doc == {"limit": 1.7976931348623157e308, "name": "n"}


def test_a_map_with_keys_is_a_go_map_and_its_keys_are_hints() -> None:
    assert go_kind(SCHEMA.root).name == "map"
    assert go_kind({"type": "object", "properties": {}}).name == "struct"
    assert field_paths(SCHEMA)["inner"] == ("nested.inner",)


def test_an_unknown_key_is_denied_with_the_known_one_it_resembles() -> None:
    verdict = evaluate_config('{"Limit": 1, "nested": {"iner": 2}}', kind())
    assert [str(e) for e in verdict.errors] == [
        "Limit: Unknown field: the reader ignores it; did you mean limit?",
        "nested.iner: Unknown field: the reader ignores it; did you mean inner?",
    ]


def test_a_check_knows_the_data_key_of_its_document() -> None:
    seen: list[str | None] = []

    def record(ctx: Context, out: Findings) -> None:
        seen.append(ctx.key)

    evaluate_configmap({"data": {"b": "{}", "a": "{}"}}, kind(record), ClusterView(), Options())
    evaluate_config("{}", kind(record))
    assert seen == ["a", "b", None]
