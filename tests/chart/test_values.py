"""values.yaml documents every value, and values.schema.json knows every value and refuses bad ones.

"Documented" is checked mechanically: every key in values.yaml has a comment directly above it, at its
own indentation (section headers included). Whether the comment gives the reason is for review.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from .conftest import CHART, render_error

VALUES = CHART / "values.yaml"
SCHEMA = json.loads((CHART / "values.schema.json").read_text())
KEY = re.compile(r"^(\s*)([A-Za-z][A-Za-z0-9_.-]*):(\s|$)")


def keys_with_their_comment() -> Iterator[tuple[str, str | None]]:
    """(dotted key, the comment line right above it at the same indentation, or None)."""
    lines = VALUES.read_text().splitlines()
    path: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        match = KEY.match(line)
        if not match:
            continue
        indent = len(match.group(1))
        path = [p for p in path if p[0] < indent] + [(indent, match.group(2))]
        above = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        documented = above.lstrip().startswith("#") and len(above) - len(above.lstrip()) == indent
        yield ".".join(name for _, name in path), above.strip() if documented else None


def leaf_paths(value: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from leaf_paths(child, (*prefix, key))
    else:
        yield prefix


def schema_at(path: tuple[str, ...]) -> dict[str, Any] | None:
    node: dict[str, Any] = SCHEMA
    for key in path:
        properties, extra = node.get("properties", {}), node.get("additionalProperties")
        if key in properties:
            node = properties[key]
        elif isinstance(extra, dict):  # a map of free keys, e.g. resources.requests
            node = extra
        else:
            return None
    return node


def test_every_value_has_a_comment_above_it() -> None:
    found = list(keys_with_their_comment())
    assert len(found) > 80  # the parser sees the whole file
    assert [key for key, comment in found if comment is None] == []


def test_the_parser_spots_an_undocumented_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("# -- documented\na: 1\nsection:\n  # -- documented\n  b: 2\n  c: 3\n")
    monkeypatch.setattr(f"{__name__}.VALUES", values)
    assert [key for key, comment in keys_with_their_comment() if comment is None] == ["section", "section.c"]


def test_every_value_is_in_the_schema() -> None:
    values = yaml.safe_load(VALUES.read_text())
    assert [".".join(p) for p in leaf_paths(values) if schema_at(p) is None] == []


def test_the_defaults_meet_the_schema() -> None:
    values = yaml.safe_load(VALUES.read_text())
    jsonschema.validators.validator_for(SCHEMA)(SCHEMA).validate(values)


def test_the_schema_closes_every_section_of_ours() -> None:
    """additionalProperties false wherever the chart owns the keys, so a typo fails the install."""
    open_objects = {"affinity", "tlsConfig"}  # Kubernetes / Prometheus objects, passed through whole
    values = yaml.safe_load(VALUES.read_text())
    for path in sorted({p[:i] for p in leaf_paths(values) for i in range(len(p))}):
        node = schema_at(path)
        assert node is not None
        if (
            node.get("type") == "object"
            and "properties" in node
            and path[-1:] not in [(o,) for o in open_objects]
        ):
            assert node.get("additionalProperties") is False, ".".join(path) or "(top)"


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("webhook.failurePolicy=Maybe", "at '/webhook/failurePolicy': value must be one of 'Fail', 'Ignore'"),
        ("webhook.timeoutSeconds=31", "at '/webhook/timeoutSeconds': maximum: got 31, want 30"),
        ("webhook.timeoutSeconds=0", "at '/webhook/timeoutSeconds': minimum: got 0, want 1"),
        ("webhook.url=http://x/validate", "at '/webhook/url'"),
        ("webhook.url=https://user:pw@x/validate", "at '/webhook/url'"),
        ("webhook.url=https://x/validate?a=b", "at '/webhook/url'"),
        ("webhook.name=short", "at '/webhook/name'"),
        ("server.runAsUser=0", "at '/server/runAsUser': minimum: got 0, want 1"),
        ("server.replicas=0", "at '/server/replicas': minimum: got 0, want 1"),
        ("server.tlsMinVersion=1.1", "at '/server/tlsMinVersion'"),
        ("server.podAntiAffinity=maybe", "at '/server/podAntiAffinity'"),
        ("velero.namespaces={Bad_NS}", "at '/velero/namespaces/0'"),
        ("image.digest=abc", "at '/image/digest'"),
        ("certificates.mode=selfSigned", "at '/certificates/mode'"),
        ("failurepolicy=Ignore", "additional properties 'failurepolicy' not allowed"),
        ("webhook.failurepolicy=Ignore", "additional properties 'failurepolicy' not allowed"),
    ],
)
def test_the_schema_refuses(setting: str, complaint: str) -> None:
    assert complaint in render_error(sets=[setting])
