"""The engine's YAML reading against what Go's libraries did with the same text (goyaml_facts.yaml):
each scalar as yaml.v3 and yaml.v2 resolve it, floats as strconv and encoding/json print them,
whole documents as Velero decodes resource policies and resource modifiers, and the errors of
gobwas/glob and Go's regexp; then, by hand, what only the engine adds: lines, documents, Go types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from webhook.engine import kind_named
from webhook.engine.core.decode import decode
from webhook.engine.core.globs import glob_error, glob_matches
from webhook.engine.core.gonumbers import Timestamp, format_g, format_json
from webhook.engine.core.goregexp import regexp_error
from webhook.engine.core.goyaml import Dialect, GoYAMLError, go_type, go_value
from webhook.engine.core.yamlnodes import YAMLSyntaxError, compose
from webhook.engine.core.yamlread import any_type, read_yaml

FACTS = yaml.safe_load((Path(__file__).parent / "goyaml_facts.yaml").read_text(encoding="utf-8"))
POLICIES, MODIFIERS = kind_named("resource-policies"), kind_named("resource-modifiers")
DIALECTS = {"v3": Dialect.V3, "v2": Dialect.V2}


def _shown(value: Any) -> list[Any]:
    """A Go value as the facts print it: %T and the value's text (floats as 'g', 64 bits)."""
    if isinstance(value, float):
        return [go_type(value), format_g(value)]
    if isinstance(value, Timestamp):
        return [go_type(value), value.rfc3339nano()]
    if isinstance(value, bool):
        return [go_type(value), "true" if value else "false"]
    return [go_type(value), None if value is None else str(value)]


SCALARS = [(row["yaml"], name, row[name]) for row in FACTS["scalars"] for name in DIALECTS]


@pytest.mark.parametrize(("text", "dialect", "want"), SCALARS, ids=[f"{d} {t!r}" for t, d, _ in SCALARS])
def test_a_scalar_resolves_as_go_yaml_resolves_it(text: str, dialect: str, want: Any) -> None:
    try:
        node = compose(f"- {text}\n").root.children[0]  # type: ignore[union-attr]
        got: Any = _shown(go_value(node, DIALECTS[dialect])[1])
    except (GoYAMLError, YAMLSyntaxError) as exc:
        got = {"error": str(exc)}
    if isinstance(want, dict):
        assert isinstance(got, dict), f"Go failed ({want['error']}), the engine read {got}"
    else:
        assert got == [want[0], None if want[0] == "<nil>" else want[1]]


@pytest.mark.parametrize("row", FACTS["floats"], ids=[r["value"] for r in FACTS["floats"]])
def test_floats_print_as_go_prints_them(row: dict[str, str]) -> None:
    value = float(row["value"])
    assert (format_g(value, 32), format_g(value, 64), format_json(value)) == (
        row["g32"],
        row["g64"],
        row["json"],
    )


def _fails(text: str, kind: Any) -> tuple[bool, Any]:
    """Whether the engine finds a decode error where Go's decoder would stop, and what it decoded."""
    read = read_yaml(text, kind.schema, Dialect.V2 if kind is MODIFIERS else Dialect.V3)
    if read.fatal:
        return True, None
    decoded = decode(read.value, kind.schema, kind.reading.fold_case, True)
    stopped = [e for e in read.errors if e.origin != "documents"] + decoded.type_errors
    return bool(stopped or decoded.unknown), decoded.doc


_GO_NAMES = {"Capacity": "capacity", "StorageClass": "storageClass", "NFS": "nfs", "CSI": "csi"}
_GO_NAMES |= {"VolumeTypes": "volumeTypes", "PVCLabels": "pvcLabels", "PVCPhase": "pvcPhase"}
_GO_NAMES |= {"Driver": "driver", "VolumeAttributes": "volumeAttributes", "Server": "server", "Path": "path"}


def _go_struct(value: Any) -> Any:
    """A Go struct printed by encoding/json (field names, zero values) as the decoded config reads."""
    if isinstance(value, dict):
        return {_GO_NAMES.get(k, k): _go_struct(v) for k, v in value.items() if v not in (None, "", [])}
    return [_go_struct(v) for v in value] if isinstance(value, list) else value


def _pruned(value: Any) -> Any:
    """omitempty's view: no empty strings, lists or nulls."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, "", [], {})}
    return [_pruned(v) for v in value] if isinstance(value, list) else value


@pytest.mark.parametrize("row", FACTS["policies"], ids=[r["name"] for r in FACTS["policies"]])
def test_policies_decode_as_velero_decodes_them(row: dict[str, Any]) -> None:
    fails, doc = _fails(row["yaml"], POLICIES)
    assert fails == (row["fails"] or any(row.get("conditionsFail", ()))), doc
    if row["fails"] or any(row["conditionsFail"]):
        return
    assert (doc or {}).get("version", "") == row.get("version", (doc or {}).get("version", ""))
    conditions = [p.get("conditions") or {} for p in (doc or {}).get("volumePolicies", [])]
    assert [_pruned(c) for c in conditions] == [_pruned(_go_struct(c)) for c in row["conditions"]]


@pytest.mark.parametrize("row", FACTS["modifiers"], ids=[r["name"] for r in FACTS["modifiers"]])
def test_modifiers_decode_as_velero_decodes_them(row: dict[str, Any]) -> None:
    fails, doc = _fails(row["yaml"], MODIFIERS)
    assert fails == row["fails"], doc
    if not row["fails"]:
        assert _pruned(doc or {}) == _pruned(row["decoded"])


@pytest.mark.parametrize("row", FACTS["globs"], ids=[repr(r["pattern"]) for r in FACTS["globs"]])
def test_globs_compile_as_gobwas_compiles_them(row: dict[str, str]) -> None:
    assert (glob_error(row["pattern"]) or "") == row["error"]


@pytest.mark.parametrize("row", FACTS["regexps"], ids=[repr(r["pattern"]) for r in FACTS["regexps"]])
def test_regexps_compile_as_go_compiles_them(row: dict[str, str]) -> None:
    assert (regexp_error(row["pattern"]) or "") == row["error"]


GLOB_MATCHES = [
    ("*", "pods", "."),
    ("*.apps", "deployments.apps", "."),
    ("*.*", "deployments.apps", "."),
    ("**", "ingresses.networking.k8s.io", "."),
    ("{pods,services}", "services", "."),
    ("ap*", "app-prod", ""),
    ("[!a]*", "backups", ""),
]
GLOB_MISSES = [
    ("*", "deployments.apps", "."),
    ("*.*", "ingresses.networking.k8s.io", "."),
    ("pod", "pods", "."),
]


@pytest.mark.parametrize(("pattern", "text", "separators"), GLOB_MATCHES)
def test_a_glob_matches_what_gobwas_matches(pattern: str, text: str, separators: str) -> None:
    assert glob_matches(pattern, text, separators)


@pytest.mark.parametrize(("pattern", "text", "separators"), GLOB_MISSES)
def test_a_glob_does_not_match_across_its_separator(pattern: str, text: str, separators: str) -> None:
    assert not glob_matches(pattern, text, separators)


LINES = [
    ("the line of a value in a nested list", "version: v1\nvolumePolicies:\n- action:\n    type: Skip\n", 4),
    (
        "the line of a key's value in a flow mapping",
        "version: v1\nvolumePolicies: [{action: {type: Skip}}]\n",
        2,
    ),
    ("a missing member takes its mapping's line", "version: v1\nvolumePolicies:\n-\n  action: {}\n", 4),
    ("after a block scalar", "version: v1\n# note\nvolumePolicies:\n- action:\n    type: |\n      skip\n", 5),
]


@pytest.mark.parametrize(("text", "line"), [(t, n) for _, t, n in LINES], ids=[n for n, _, _ in LINES])
def test_a_finding_carries_the_line_the_value_is_written_on(text: str, line: int) -> None:
    from webhook.engine import evaluate_config

    [error] = evaluate_config(text, POLICIES).errors
    assert error.line == line


def test_a_syntax_error_carries_libyamls_line() -> None:
    read = read_yaml("version: v1\nvolumePolicies:\n  - a\n - b\n", POLICIES.schema, Dialect.V3)
    assert read.fatal and read.errors[0].line == 4


def test_a_second_document_is_counted_from_its_marker_line() -> None:
    read = read_yaml("version: v1\n# a comment\n---\nversion: v2\n---\n", POLICIES.schema, Dialect.V3)
    [error] = read.errors
    assert (error.origin, error.value, error.line) == ("documents", "3", 3)


def test_an_anchor_defined_again_names_the_later_node() -> None:
    root = compose("a: &x 1\nb: &x 2\nc: *x\n").root
    assert root is not None and root.children[5].resolved().value == "2"


def test_an_alias_to_an_undefined_anchor_is_a_syntax_error() -> None:
    with pytest.raises(YAMLSyntaxError, match="unknown anchor 'y' referenced"):
        compose("a: *y\n")


def test_nesting_past_the_engines_limit_is_refused_not_a_crash() -> None:
    read = read_yaml("a: " + "[" * 150 + "]" * 150 + "\n", POLICIES.schema, Dialect.V3)
    assert read.fatal and "nested more than" in read.errors[0].detail


def test_excessive_aliasing_stops_as_go_stops_it() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(6)]
    read = read_yaml("\n".join(lines) + "\n", MODIFIERS.schema, Dialect.V2)
    assert read.fatal and "excessive aliasing" in read.errors[0].detail


GO_TYPES = [
    ("{a: 1}", Dialect.V3, "map[string]interface {}"),
    ("{1: a}", Dialect.V3, "map[interface {}]interface {}"),
    ("{a: 1}", Dialect.V2, "map[interface {}]interface {}"),
    ("[a]", Dialect.V3, "[]interface {}"),
    ("~", Dialect.V3, "<nil>"),
    ("2024-01-02", Dialect.V3, "time.Time"),
    ("2024-01-02", Dialect.V2, "string"),
    ("18446744073709551615", Dialect.V3, "uint64"),
    ("!!binary aGk=", Dialect.V3, "string"),
]


@pytest.mark.parametrize(("text", "dialect", "go"), GO_TYPES)
def test_a_node_has_the_go_type_interface_gets(text: str, dialect: Dialect, go: str) -> None:
    root = compose(f"v: {text}\n").root
    assert root is not None and any_type(root.children[1], dialect) == go


def test_nan_is_text_for_a_string_field_and_no_json_value_elsewhere() -> None:
    read = read_yaml(
        "resourceModifierRules: [{conditions: {namespaces: [.nan]}}]\n", MODIFIERS.schema, Dialect.V2
    )
    assert not read.fatal
    read = read_yaml("resourceModifierRules: [.nan]\n", MODIFIERS.schema, Dialect.V2)
    assert read.fatal and "json: unsupported value: NaN" in read.errors[0].detail
