"""Field paths and field errors in the style of apimachinery's `field` package.

Users of kubectl know `spec.x[0].y: Invalid value: "v": must be ...`; every finding of the engine,
error or warning, is built from these constructors so that it reads the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any


def _is_identifier(name: str) -> bool:
    return name != "" and all(c.isalnum() or c == "_" for c in name) and name.isascii()


@dataclass(frozen=True, slots=True)
class FieldPath:
    """An immutable path such as `loadConcurrency.perNodeConfig[1].nodeSelector.matchLabels[a/b]`."""

    parts: tuple[str, ...] = ()

    def child(self, name: str) -> FieldPath:
        return FieldPath((*self.parts, f".{name}" if self.parts else name))

    def index(self, i: int) -> FieldPath:
        return FieldPath((*self.parts, f"[{i}]"))

    def key(self, k: str) -> FieldPath:
        """Map keys (label keys, StorageClass names) go in brackets: they hold dots and slashes."""
        return FieldPath((*self.parts, f"[{k}]"))

    def member(self, name: str) -> FieldPath:
        """An object member named as written: a child when it is a plain name, else a key."""
        return self.child(name) if _is_identifier(name) else self.key(name)

    def __str__(self) -> str:
        return "".join(self.parts) or "<root>"


ROOT = FieldPath()


class ErrorType(Enum):
    """The apimachinery `field.ErrorType` strings, as kubectl shows them."""

    NOT_FOUND = "Not found"
    REQUIRED = "Required value"
    DUPLICATE = "Duplicate value"
    INVALID = "Invalid value"
    NOT_SUPPORTED = "Unsupported value"
    FORBIDDEN = "Forbidden"
    TOO_LONG = "Too long"
    TOO_MANY = "Too many"
    INTERNAL = "Internal error"
    UNKNOWN_FIELD = "Unknown field"  # not in apimachinery: strict decoding's "unknown field", per path
    TYPE_INVALID = "Invalid value"  # apimachinery's TypeInvalid also prints "Invalid value"


_NO_VALUE = object()


class Literal(str):
    """A value shown as written, unquoted: a JSON number such as 2.0 or 1e3."""

    __slots__ = ()


def render_value(value: Any) -> str:
    """Render a bad value as apimachinery does: strings quoted, numbers bare, others as JSON."""
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "null"
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True, slots=True)
class FieldError:
    """One finding: where, what kind, the offending value (if any), and why."""

    type: ErrorType
    path: FieldPath
    detail: str = ""
    value: Any = _NO_VALUE
    origin: str = ""  # which rule produced it (schema keyword or check name); for tests, not users

    @property
    def has_value(self) -> bool:
        return self.value is not _NO_VALUE

    def __str__(self) -> str:
        head = f"{self.path}: {self.type.value}"
        if self.has_value:
            head += f": {render_value(self.value)}"
        return f"{head}: {self.detail}" if self.detail else head


def required(path: FieldPath, detail: str = "", origin: str = "") -> FieldError:
    return FieldError(ErrorType.REQUIRED, path, detail, origin=origin)


def invalid(path: FieldPath, value: Any, detail: str, origin: str = "") -> FieldError:
    return FieldError(ErrorType.INVALID, path, detail, value, origin)


def type_invalid(path: FieldPath, value: Any, detail: str, origin: str = "type") -> FieldError:
    return FieldError(ErrorType.TYPE_INVALID, path, detail, value, origin)


def not_supported(path: FieldPath, value: Any, supported: list[str], origin: str = "") -> FieldError:
    detail = "supported values: " + ", ".join(json.dumps(s) for s in supported)
    return FieldError(ErrorType.NOT_SUPPORTED, path, detail, value, origin)


def duplicate(path: FieldPath, value: Any, detail: str = "", origin: str = "") -> FieldError:
    return FieldError(ErrorType.DUPLICATE, path, detail, value, origin)


def forbidden(path: FieldPath, detail: str, origin: str = "") -> FieldError:
    return FieldError(ErrorType.FORBIDDEN, path, detail, origin=origin)


def too_long(path: FieldPath, limit: int, origin: str = "") -> FieldError:
    return FieldError(ErrorType.TOO_LONG, path, f"may not be more than {limit} bytes", origin=origin)


def not_found(path: FieldPath, value: Any, detail: str = "", origin: str = "") -> FieldError:
    return FieldError(ErrorType.NOT_FOUND, path, detail, value, origin)


def unknown_field(path: FieldPath, detail: str, origin: str = "unknown") -> FieldError:
    return FieldError(ErrorType.UNKNOWN_FIELD, path, detail, origin=origin)


def internal_error(path: FieldPath, detail: str, origin: str = "") -> FieldError:
    return FieldError(ErrorType.INTERNAL, path, detail, origin=origin)
