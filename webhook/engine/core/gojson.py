"""Read a config document the way Go's encoding/json sees it, without losing what Go hides.

Python's json module is close to Go's syntax, but we must keep three things it normally drops:
the order and duplicates of object keys (Go keeps the last one silently), the literal text of
non-integer numbers (Go refuses `2.0` for an int), and a hint for the usual wrong formats (YAML, a
BOM, comments), because Velero only says "invalid character". Where Python keeps a lone UTF-16
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


# Python's words for a syntax error -> Go's (encoding/json scanner.go), which node-agent logs.
_GO_CONTEXT = {
    "Expecting value": "looking for beginning of value",
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Expecting ':' delimiter": "after object key",
    "Extra data": "after top-level value",
    "Invalid control character at": "in string literal",
}
_GO_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\a": "\\a"}


def _describe(exc: ValueError) -> str:
    """Go's message for the same mistake, and where it is (Go keeps the offset out of the text)."""
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    if exc.pos >= len(exc.doc) or exc.msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    inside = _inside_token(exc.doc, exc.pos, exc.msg)
    found = inside or _between_tokens(exc.doc, exc.pos, exc.msg)
    where = f"at line {exc.lineno} column {exc.colno}"
    if found is None:
        return f"{exc.msg} {where}"
    pos, context = found
    if pos < len(exc.doc):
        return f"invalid character {_go_char(exc.doc[pos])} {context} {where}"
    # at the end Go's scanner is fed a space: a literal or number cut short reads as ' '
    return f"invalid character ' ' {context} {where}" if inside else "unexpected end of JSON input"


def _between_tokens(doc: str, pos: int, msg: str) -> tuple[int, str] | None:
    context = _GO_CONTEXT.get(msg) or (_after_element(doc, pos) if "','" in msg else None)
    return None if context is None else (pos, context)


_LITERALS = ("true", "false", "null")


def _inside_token(doc: str, pos: int, msg: str) -> tuple[int, str] | None:
    """Where Go stops inside a token that Python refuses as a whole: a literal, a number, an escape."""
    if msg == "Expecting value" and doc[pos] in "tfn":
        word = next(w for w in _LITERALS if w[0] == doc[pos])
        bad = next((i for i, c in enumerate(word) if doc[pos + i : pos + i + 1] != c), len(word))
        return pos + bad, f"in literal {word} (expecting {_go_char(word[bad])})"
    if msg == "Expecting value" and doc[pos] == "-":
        return pos + 1, "in numeric literal"
    if "','" in msg and doc[pos] == "." and doc[pos - 1].isdigit():
        return pos + 1, "after decimal point in numeric literal"
    if "','" in msg and doc[pos] in "eE" and doc[pos - 1].isdigit():
        return pos + 1 + (doc[pos + 1 : pos + 2] in ("+", "-")), "in exponent of numeric literal"
    if msg == "Invalid \\escape":
        return pos + 1, "in string escape code"
    if msg.startswith("Invalid \\uXXXX"):
        bad = next((i for i in range(1, 5) if doc[pos + i : pos + i + 1] not in _HEX), 4)
        return pos + bad, "in \\u hexadecimal character escape"
    return None


_HEX = frozenset("0123456789abcdefABCDEF")


def _after_element(doc: str, pos: int) -> str:
    """Go says which container a missing comma is in: the innermost one open at `pos`."""
    opened: list[str] = []
    in_string = escaped = False
    for c in doc[:pos]:
        if in_string:
            in_string, escaped = (c != '"' or escaped), (c == "\\" and not escaped)
        elif c == '"':
            in_string = True
        elif c in "[{":
            opened.append(c)
        elif c in "]}" and opened:
            opened.pop()
    return "after array element" if opened and opened[-1] == "[" else "after object key:value pair"


def _go_char(c: str) -> str:
    """encoding/json's quoteChar: Go reads bytes, so a non-ASCII character shows as its first byte."""
    if ord(c) >= 0x80:
        c = chr(c.encode("utf-8", "surrogatepass")[0])
    if c == "'":
        return "'\\''"
    shown = _GO_ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
    return f"'{shown}'"


def hint_for(text: str) -> str:
    """What the text looks like, when it is not JSON."""
    stripped = text.lstrip()
    if _COMMENT.search(text):
        return "has comments: JSON has none"
    if stripped.startswith("---") or (not stripped.startswith(("{", "[")) and _YAML_KEY.search(text)):
        return "looks like YAML: this config is JSON"
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
