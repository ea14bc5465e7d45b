"""Kubernetes' naming rules, with apimachinery's own messages (pkg/util/validation, v0.36).

Path-free predicates: each returns the list of reasons a value fails, empty when it is valid, so that
callers wrap them into field errors at the right path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

_QNAME_CHAR = "[A-Za-z0-9]"
_QNAME_EXT = "[-A-Za-z0-9_.]"
QUALIFIED_NAME_FMT = f"({_QNAME_CHAR}{_QNAME_EXT}*)?{_QNAME_CHAR}"
QUALIFIED_NAME_MAX = 63
_QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
LABEL_VALUE_FMT = f"({QUALIFIED_NAME_FMT})?"
LABEL_VALUE_MAX = 63
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = f"{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*"
DNS1123_SUBDOMAIN_MAX = 253
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)

_QNAME_RE = re.compile(f"^{QUALIFIED_NAME_FMT}$")
_LABEL_VALUE_RE = re.compile(f"^{LABEL_VALUE_FMT}$")
_DNS1123_SUBDOMAIN_RE = re.compile(f"^{DNS1123_SUBDOMAIN_FMT}$")
_INTEGER_RE = re.compile(r"^[+-]?[0-9]+$")


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """apimachinery's RegexError, double spaces included (kubectl users grep for these texts)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len_error(n: int, unit: str = "characters") -> str:
    """pkg/util/validation (object names) counts characters; pkg/api/validate/content (label keys,
    values, and a key's prefix) counts bytes, in apimachinery v0.36."""
    return f"must be no more than {n} {unit}"


EMPTY_ERROR = "must be non-empty"


def _blen(value: str) -> int:
    """Go's len(): bytes, not characters (non-ASCII text counts several)."""
    return len(value.encode("utf-8", "surrogatepass"))


def _fullmatch(pattern: re.Pattern[str], value: str) -> bool:
    # `$` also matches before a final newline; Go's regexp anchors do not
    return "\n" not in value and pattern.match(value) is not None


REMEMBERED_MAX = 320  # longer than any valid key or value: longer texts are checked, not remembered


def _remembered(check: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """The same few dozen label keys, values and names come back in every config and every
    request: each short text is checked once (bounded; long, hostile texts are never kept), and
    each caller gets its own list."""
    known = functools.lru_cache(maxsize=4096)(lambda value: tuple(check(value)))

    @functools.wraps(check)
    def checked(value: str) -> list[str]:
        return list(known(value)) if len(value) <= REMEMBERED_MAX else check(value)

    return checked


@_remembered
def is_dns1123_subdomain(value: str) -> list[str]:
    return _dns1123_errors(value, "characters")


def _dns1123_errors(value: str, unit: str) -> list[str]:
    errs = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX, unit))
    if not _fullmatch(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


@_remembered
def is_qualified_name(value: str) -> list[str]:
    """content.IsLabelKey (IsQualifiedName): `[prefix/]name`, label keys and annotation keys."""
    parts = value.split("/")
    if len(parts) > 2:
        return [
            "a valid label key "
            + regex_error(_QNAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    errs: list[str] = []
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part " + EMPTY_ERROR)
        else:
            errs += ["prefix part " + m for m in _dns1123_errors(prefix, "bytes")]
    return errs + _name_part_errors(parts[-1])


def _name_part_errors(name: str) -> list[str]:
    errs = []
    if not name:
        errs.append("name part " + EMPTY_ERROR)  # and, as in Go, the pattern's message too
    elif _blen(name) > QUALIFIED_NAME_MAX:
        errs.append("name part " + max_len_error(QUALIFIED_NAME_MAX, "bytes"))
    if not _fullmatch(_QNAME_RE, name):
        errs.append(
            "name part " + regex_error(_QNAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


is_label_key = is_qualified_name


@_remembered
def is_label_value(value: str) -> list[str]:
    errs = []
    if _blen(value) > LABEL_VALUE_MAX:
        errs.append(max_len_error(LABEL_VALUE_MAX, "bytes"))
    if not _fullmatch(_LABEL_VALUE_RE, value):
        errs.append(regex_error(_LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_annotation_key(key: str) -> list[str]:
    """ValidateAnnotations checks keys lowercased: upper case passes, as the API server allows it."""
    return is_qualified_name(key.lower())


TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024  # apimachinery TotalAnnotationSizeLimitB


def annotations_too_long(annotations: Mapping[str, str]) -> bool:
    """ValidateAnnotationsSize: the keys and values of one object's annotations, in bytes."""
    return sum(_blen(k) + _blen(v) for k, v in annotations.items()) > TOTAL_ANNOTATION_SIZE_LIMIT


def is_integer_text(value: str) -> bool:
    return _fullmatch(_INTEGER_RE, value)
