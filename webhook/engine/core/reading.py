"""How a reader turns a config document's text into what the decoder walks: a kind's `Reading`.

node-agent reads JSON with encoding/json, which ignores unknown keys; resource policies are read
with yaml.v3 and KnownFields, resource modifiers with sigs.k8s.io/yaml's UnmarshalStrict: for those
an unknown key is a decode error, not an ignore. A reading says which library, what its strictness
costs, and hands the decoder the same shape (webhook.engine.core.gojson's) whatever the text was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from webhook.engine.core import field as f
from webhook.engine.core import gojson
from webhook.engine.core.schema import Schema

if TYPE_CHECKING:
    from webhook.engine.core.yamlread import YamlSource


@dataclass
class Read:
    """What a reader made of a document's text: the value to decode, its own findings, its source."""

    value: Any
    errors: list[f.FieldError] = field(default_factory=list)
    warnings: list[f.FieldWarning] = field(default_factory=list)
    fatal: bool = False  # nothing decodes: a syntax error, or a failure that stops Go outright
    source: YamlSource | None = None  # where each value was written (YAML); None for JSON


@dataclass(frozen=True)
class Reading:
    """A Go library reading a document: `strict` (KnownFields, DisallowUnknownFields) makes an
    unknown field, or one newer than the target release, a decode error; `fold_case` matches keys
    case-insensitively (encoding/json, and so sigs.k8s.io/yaml)."""

    format: str  # "JSON", "YAML": what a data key must hold
    read: Callable[[str, Schema], Read]
    strict: bool = False
    fold_case: bool = True


def read_json(text: str, schema: Schema) -> Read:
    try:
        return Read(gojson.loads(text))
    except gojson.JSONSyntaxError as exc:
        detail = f"invalid JSON: {exc.detail}" + (f" ({exc.hint})" if exc.hint else "")
        return Read(None, [f.FieldError(f.ErrorType.INVALID, f.ROOT, detail, origin="syntax")], fatal=True)


GO_JSON = Reading("JSON", read_json)
