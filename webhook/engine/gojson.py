"""Read a config document the way Go's encoding/json sees it, without losing what Go hides.

Python's json module is close to Go's syntax, but we must keep three things it normally drops:
the order and duplicates of object keys (Go keeps the last one silently), the literal text of
non-integer numbers (Go refuses `2.0` for an int), and a hint for the usual wrong formats (YAML, a
BOM, comments), because node-agent only says "invalid character". Where Python keeps a lone UTF-16
surrogate (`"\\ud800"`), Go reads U+FFFD; so do we, and no string we hand on is unencodable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


class Pairs(tuple[tuple[str, Any], ...]):
    """A JSON object as written: every (key, value) in order, duplicates included."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Float:
    """A JSON number with a fraction or exponent, kept as written: Go refuses it for an int."""

    text: str


class JSONSyntaxError(ValueError):
    """The document is not one JSON value; `hint` says what it looks like instead."""

    def __init__(self, detail: str, hint: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.hint = hint


def _refuse_constant(name: str) -> Any:
    # Python accepts NaN and Infinity; Go's decoder does not
    raise ValueError(f"invalid character {name[0]!r} looking for beginning of value")


_DECODER = json.JSONDecoder(
    object_pairs_hook=Pairs, parse_float=Float, parse_constant=_refuse_constant, strict=True
)
_YAML_KEY = re.compile(r"^\s*[A-Za-z_][\w.-]*\s*:(\s|$)", re.MULTILINE)
_COMMENT = re.compile(r"^\s*(//|/\*|#)", re.MULTILINE)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def loads(text: str) -> Any:
    """Parse one JSON value as Go would accept it; raise JSONSyntaxError with a hint otherwise."""
    if text.startswith("\ufeff"):
        raise JSONSyntaxError(
            "invalid character 'ï' looking for beginning of value", "starts with a UTF-8 byte order mark"
        )
    if not text.strip():
        raise JSONSyntaxError("unexpected end of JSON input", "the value is empty")
    try:
        parsed = _DECODER.decode(text)
    except RecursionError:
        raise JSONSyntaxError("exceeded max depth", "nested too deeply") from None
    except ValueError as exc:
        raise JSONSyntaxError(_describe(exc), hint_for(text)) from None
    return _without_surrogates(parsed) if _may_hold_surrogates(text) else parsed


def _may_hold_surrogates(text: str) -> bool:
    """A surrogate escape, or a surrogate already in the text (two searches: one regex is 3x slower)."""
    escaped = _SURROGATE_ESCAPE.search(text) is not None
    return escaped or (not text.isascii() and _SURROGATE.search(text) is not None)


def _without_surrogates(value: Any) -> Any:
    """Go's decoder replaces each invalid UTF-16 surrogate with U+FFFD; Python's keeps it."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, Pairs):
        return Pairs((_without_surrogates(k), _without_surrogates(v)) for k, v in value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def _describe(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return str(exc)


def hint_for(text: str) -> str:
    """What the text looks like, when it is not JSON."""
    stripped = text.lstrip()
    if _COMMENT.search(text):
        return "has comments: JSON has none"
    if stripped.startswith("---") or (not stripped.startswith(("{", "[")) and _YAML_KEY.search(text)):
        return "looks like YAML: node-agent reads JSON"
    if stripped.startswith(("{", "[")):
        return _hint_for_json_like(stripped)
    return ""


def _hint_for_json_like(text: str) -> str:
    try:
        _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        return ""
    return "has more data after the first JSON value"


def kind_of(value: Any) -> str:
    """The JSON kind of a value, in Go's words ("number", "string", "object", ...)."""
    if isinstance(value, Pairs):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | Float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "null"


def plain(value: Any) -> Any:
    """Turn a parsed document into ordinary dicts and lists (the last duplicate wins)."""
    if isinstance(value, Pairs):
        return {k: plain(v) for k, v in value}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Float):
        return float(value.text)
    return value
