"""Field paths, field errors and field warnings in the style of apimachinery's `field` package.

Users of kubectl know `spec.x[0].y: Invalid value: "v": must be ...`; every finding of the engine,
error or warning, is built from these constructors and stays structured until it is shown: a path
is a tuple of typed steps (a field name, a list index, a map key), so a map key that looks like a
number stays a key, and nothing is ever parsed back out of a rendered string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import Enum
from typing import Any


@dataclass(frozen=True, slots=True)
class Key:
    """A map key as a path step: rendered `[key]`, as label keys hold dots and slashes."""

    name: str


Step = str | int | Key  # a struct field, a list index, a map key


def _is_identifier(name: str) -> bool:
    return name.isascii() and name.replace("_", "a").isalnum()  # in C: the decoder asks it per key


def _render(step: Step, first: bool) -> str:
    if isinstance(step, Key):
        return f"[{step.name}]"
    if isinstance(step, int):
        return f"[{step}]"
    return step if first else f".{step}"


@dataclass(frozen=True, slots=True)
class FieldPath:
    """An immutable path such as `loadConcurrency.perNodeConfig[1].nodeSelector.matchLabels[a/b]`."""

    steps: tuple[Step, ...] = ()

    def child(self, name: str) -> FieldPath:
        return FieldPath((*self.steps, name))

    def index(self, i: int) -> FieldPath:
        return FieldPath((*self.steps, i))

    def key(self, k: str) -> FieldPath:
        """Map keys (label keys, StorageClass names) go in brackets: they hold dots and slashes."""
        return FieldPath((*self.steps, Key(k)))

    def member(self, name: str) -> FieldPath:
        """An object member named as written: a child when it is a plain name, else a key."""
        return self.child(name) if _is_identifier(name) else self.key(name)

    def join(self, other: FieldPath) -> FieldPath:
        """`other`, a path inside the document this path names, seen from outside it."""
        return FieldPath(self.steps + other.steps) if self.steps else other

    def within(self, paths: AbstractSet[FieldPath]) -> bool:
        """Whether this path or one of its parents is in `paths`: a set lookup per level."""
        return bool(paths) and any(FieldPath(self.steps[:n]) in paths for n in range(1, len(self.steps) + 1))

    @property
    def table(self) -> str:
        """The path as the field tables write it: indices as `[]`, map keys as `.<name>`."""
        parts = [
            "[]" if isinstance(s, int) else ".<name>" if isinstance(s, Key) else f".{s}" for s in self.steps
        ]
        return "".join(parts).removeprefix(".")

    @property
    def last(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def __str__(self) -> str:
        return "".join(_render(s, n == 0) for n, s in enumerate(self.steps)) or "<root>"


ROOT = FieldPath()


class ErrorType(Enum):
    """The apimachinery `field.ErrorType` strings, as kubectl shows them."""

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
    line: int | None = None  # where the document wrote it, when its reader knows (YAML)

    @property
    def has_value(self) -> bool:
        return self.value is not _NO_VALUE

    @property
    def shown_value(self) -> str:
        return render_value(self.value) if self.has_value else ""

    def moved(self, where: FieldPath) -> FieldError:
        """This error of a document, seen from the ConfigMap key `where` that holds it."""
        return FieldError(self.type, where.join(self.path), self.detail, self.value, self.origin, self.line)

    @property
    def message(self) -> str:
        """The error without its line."""
        head = f"{self.path}: {self.type.value}"
        if self.has_value:
            head += f": {self.shown_value}"
        return f"{head}: {self.detail}" if self.detail else head

    def __str__(self) -> str:
        return self.message + at_line(self.line)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def one_line(text: str) -> str:
    """Control characters (newlines, tabs, escapes) become single spaces: the apiserver drops a
    warning holding one, and a terminal would break the line."""
    return _CONTROL.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class FieldWarning:
    """What Velero ignores, or what the cluster contradicts: a path (ROOT for the whole) and a detail."""

    path: FieldPath
    detail: str
    line: int | None = None  # where the document wrote it, when its reader knows (YAML)

    @staticmethod
    def of(err: FieldError, reason: str = "") -> FieldWarning:
        """An error that field validation `Warn` reports as a warning, worded as the error would be;
        `reason` says why it is only a warning, when that is not field validation."""
        text = err.message[len(str(err.path)) + 2 :]
        return FieldWarning(err.path, f"{reason}: {text}" if reason else text, err.line)

    def moved(self, where: FieldPath) -> FieldWarning:
        return FieldWarning(where.join(self.path), self.detail, self.line)

    def __str__(self) -> str:
        text = self.detail if self.path == ROOT else f"{self.path}: {self.detail}"
        return one_line(text) + at_line(self.line)


def at_line(line: int | None) -> str:
    """The suffix naming a finding's line in the document, when it is known."""
    return f" (line {line})" if line else ""


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


def too_many(path: FieldPath, value: Any, detail: str, origin: str = "") -> FieldError:
    return FieldError(ErrorType.TOO_MANY, path, detail, value, origin)


def unknown_field(path: FieldPath, detail: str, origin: str = "unknown") -> FieldError:
    return FieldError(ErrorType.UNKNOWN_FIELD, path, detail, origin=origin)


def internal_error(path: FieldPath, detail: str, origin: str = "") -> FieldError:
    return FieldError(ErrorType.INTERNAL, path, detail, origin=origin)
