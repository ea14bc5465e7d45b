"""What a YAML scalar is to go-yaml: yaml.v3 (YAML 1.2-ish) or yaml.v2 (YAML 1.1), as Go values.

The two libraries resolve plain scalars differently: to yaml.v2 `yes`, `on` and `y` are booleans,
to yaml.v3 they are strings; both read `0x10` as 16, `010` as 8, `1_000` as 1000 and `2024-01-02`
as a timestamp (yaml.v2 hands `interface{}` the text back). Quoted and block scalars are strings;
an explicit tag decides, or fails as Go fails (`!!int abc`). The rules are those of resolve.go and
decode.go's `scalar` in gopkg.in/yaml.v3 v3.0.1 and sigs.k8s.io/yaml v1.4.0's goyaml.v2, which
Velero 1.13-1.18 use (go.yaml.in/yaml/v3 v3.0.4 on r1.18 and main resolves the same way).

Go values are Python ones: None (nil), bool, int (Go's int, or uint64 past int64), float
(float64), str, and `Timestamp` (time.Time).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from enum import Enum
from typing import Any

from webhook.engine.core.gonumbers import (
    INT64_MAX,
    GoSyntaxError,
    Timestamp,
    format_g,
    parse_float,
    parse_int,
    parse_timestamp,
    parse_uint,
)
from webhook.engine.core.yamlnodes import Node


class Dialect(Enum):
    V3 = "gopkg.in/yaml.v3"
    V2 = "yaml.v2 (sigs.k8s.io/yaml)"


class GoYAMLError(ValueError):
    """A failure that stops go-yaml's decoding outright (its `failf`), not a collected type error."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_TRUE_V3, _FALSE_V3 = ("true", "True", "TRUE"), ("false", "False", "FALSE")
_TRUE_V2 = (*_TRUE_V3, "y", "Y", "yes", "Yes", "YES", "on", "On", "ON")
_FALSE_V2 = (*_FALSE_V3, "n", "N", "no", "No", "NO", "off", "Off", "OFF")
_COMMON: dict[str, tuple[str, Any]] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), ("!!null", None)),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), ("!!float", math.nan)),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), ("!!float", math.inf)),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), ("!!float", -math.inf)),
    "<<": ("!!merge", "<<"),
}
_MAPS = {
    Dialect.V3: {
        **_COMMON,
        **dict.fromkeys(_TRUE_V3, ("!!bool", True)),
        **dict.fromkeys(_FALSE_V3, ("!!bool", False)),
    },
    Dialect.V2: {
        **_COMMON,
        **dict.fromkeys(_TRUE_V2, ("!!bool", True)),
        **dict.fromkeys(_FALSE_V2, ("!!bool", False)),
    },
}
_RESOLVABLE = frozenset({"", "!!str", "!!bool", "!!int", "!!float", "!!null", "!!timestamp"})
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _hint(text: str) -> str:
    if not text:
        return "N"
    c = text[0]
    if c in "+-":
        return "S"
    if "0" <= c <= "9":
        return "D"
    if c in "yYnNtTfFoO~":
        return "M"
    return "." if c == "." else ""


def resolve(tag: str, text: str, dialect: Dialect) -> tuple[str, Any]:
    """resolve.go's `resolve(tag, in)`: the tag a scalar resolves to and its Go value."""
    if tag not in _RESOLVABLE:
        return tag, text
    found = _resolve_plain(text, dialect, tag) if tag != "!!str" else ("!!str", text)
    if tag in ("", found[0], "!!str"):
        return found
    if tag == "!!float" and found[0] == "!!int" and isinstance(found[1], int) and found[1] <= INT64_MAX:
        return "!!float", float(found[1])
    raise GoYAMLError(f"cannot decode {found[0]} `{text}` as a {tag}")


def _resolve_plain(text: str, dialect: Dialect, tag: str) -> tuple[str, Any]:
    hint = _hint(text)
    if not hint:
        return "!!str", text
    known = _MAPS[dialect].get(text)
    if known is not None:
        return known
    if hint == ".":
        try:
            return "!!float", parse_float(text)
        except GoSyntaxError:
            return "!!str", text
    if hint in "DS":
        return _number(text, tag)
    return "!!str", text


def _number(text: str, tag: str) -> tuple[str, Any]:
    """An int, a float or a timestamp (only untagged or !!timestamp), as resolve.go tries them."""
    stamp = parse_timestamp(text) if tag in ("", "!!timestamp") else None
    if stamp is not None:
        return "!!timestamp", stamp
    plain = text.replace("_", "")
    for parse in (parse_int, parse_uint):
        try:
            return "!!int", parse(plain)
        except GoSyntaxError:
            pass
    if _YAML_FLOAT.fullmatch(plain):
        try:
            return "!!float", parse_float(plain)
        except GoSyntaxError:
            pass
    return _binary_or_octal(plain) or ("!!str", text)


def _binary_or_octal(plain: str) -> tuple[str, Any] | None:
    """resolve.go's own `0b`/`0o` prefixes (explicit base: what ParseInt(s, 0, 64) refused, such as
    an int64 overflow that fits uint64)."""
    for prefix, base in (("0b", 2), ("0o", 8)):
        for sign in ("", "-"):
            if plain.startswith(sign + prefix):
                digits = sign + plain[len(sign) + 2 :]
                for parse in (parse_int, parse_uint):
                    try:
                        return "!!int", parse(digits, base)
                    except GoSyntaxError:
                        pass
    return None


def scalar_tag(node: Node, dialect: Dialect) -> str:
    """The tag go-yaml resolves a scalar with: "!!str" for a quoted or block one (no tag, or `!`),
    the written tag, or "" to resolve a plain one by its text."""
    tag = node.tag
    if dialect is Dialect.V3:
        if tag in ("", "!"):
            return "" if node.plain else "!!str"
        return tag
    if tag == "" and not node.plain:
        return "!!str"
    return tag


def go_value(node: Node, dialect: Dialect) -> tuple[str, Any]:
    """A scalar node's resolved tag and Go value. yaml.v2 decodes only into `interface{}` here
    (sigs.k8s.io/yaml's first step), which it hands a timestamp's text."""
    try:
        tag, value = resolve(scalar_tag(node, dialect), node.value, dialect)
    except GoYAMLError as exc:
        raise GoYAMLError(exc.message, node.line) from None
    if tag == "!!binary":
        value = _binary(node)
    if dialect is Dialect.V2 and isinstance(value, Timestamp):
        return "!!str", node.value
    return tag, value


def _binary(node: Node) -> str:
    try:
        data = base64.b64decode(node.value, validate=True)
    except (binascii.Error, ValueError):
        raise GoYAMLError("!!binary value contains invalid base64 data", node.line) from None
    return data.decode("utf-8", "replace")


def is_merge(node: Node, dialect: Dialect) -> bool:
    """A `<<` key: plain, or tagged !!merge (yaml.v3 also takes the non-specific `!`)."""
    if node.kind != "scalar" or node.value != "<<":
        return False
    if dialect is Dialect.V3:
        return node.tag in ("", "!", "!!merge") and (node.plain or node.tag == "!!merge")
    return (node.plain and node.tag == "") or node.tag == "!!merge"


def is_null(node: Node, dialect: Dialect) -> bool:
    node = node.resolved()
    return (
        node.kind == "scalar"
        and scalar_tag(node, dialect) in ("", "!!null")
        and go_value(node, dialect)[1] is None
    )


def go_type(value: Any) -> str:
    """Go's %T of a decoded value (what Velero's own type checks print)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if value <= INT64_MAX else "uint64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, Timestamp):
        return "time.Time"
    return "string" if isinstance(value, str) else type(value).__name__


def encoded(value: Any) -> str | None:
    """The text yaml.v3's encoder writes for a Go value, as a string field decodes it back (None:
    null, which leaves the field as it was)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(format_g(value), format_g(value))
    if isinstance(value, Timestamp):
        return value.rfc3339nano()
    return str(value)


def string_of(value: Any) -> Any:
    """sigs.k8s.io/yaml's coercion of a number or boolean for a Go string field (32-bit floats);
    a string stays, and so does null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_g(value, 32)
    return value
