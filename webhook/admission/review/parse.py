"""Bytes to a checked AdmissionReview, or `MalformedReviewError` saying which field is wrong.

Every field the apiserver defines is type-checked, not only the ones we read: a body that is not what
the apiserver sends is not an AdmissionReview, and the answer is an HTTP 400 (the webhook's
failurePolicy then decides), never a guess and never a crash further in. For ConfigMaps the objects
are checked too, as far as the apiserver guarantees their shape (string maps in `data` and in
labels), so the engine is only ever handed a well-formed ConfigMap. Unknown fields are allowed:
newer apiservers may add some.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import orjson

from webhook.admission.review.depth import nesting_depth
from webhook.admission.review.wire import API_VERSION, KIND, OPERATIONS, AdmissionReviewRequest

Check = Callable[[Any, str], None]
CONFIGMAP_KIND = {"group": "", "version": "v1", "kind": "ConfigMap"}


class MalformedReviewError(ValueError):
    """Not a well-formed AdmissionReview; the message names the field and is safe to return."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """A checked review, and whether it is about a ConfigMap itself (the engine's only subject)."""

    doc: AdmissionReviewRequest
    configmap: bool


def parse_review(body: bytes, max_depth: int) -> Parsed:
    if nesting_depth(body) > max_depth:
        raise MalformedReviewError(f"JSON nested more than {max_depth} levels deep")
    try:
        doc = orjson.loads(body)  # also refuses invalid UTF-8, lone surrogates, NaN and a BOM
    except orjson.JSONDecodeError as e:
        raise MalformedReviewError(f"not valid JSON: {e}") from None
    return check_review(doc)


def check_review(doc: Any) -> Parsed:
    _check_fields(
        doc, "", {"apiVersion": _string, "kind": _string, "request": _object}, required=("request",)
    )
    if doc.get("apiVersion") != API_VERSION or doc.get("kind") != KIND:
        raise MalformedReviewError(f"must be apiVersion {API_VERSION}, kind {KIND}")
    request = doc["request"]
    _check_fields(request, "request", _REQUEST, required=("uid", "kind", "operation"))
    configmap = is_configmap(request)
    if configmap:
        for key in ("object", "oldObject"):
            _nullable(_configmap)(request.get(key), f"request.{key}")
    return Parsed(cast(AdmissionReviewRequest, doc), configmap)


def is_configmap(request: Mapping[str, Any]) -> bool:
    """A core/v1 ConfigMap itself (no subresource); everything else is allowed untouched."""
    return bool(request["kind"] == CONFIGMAP_KIND and not request.get("subResource"))


def _fail(path: str, what: str) -> MalformedReviewError:
    return MalformedReviewError(f"{path or '<root>'}: {what}")


def _check_fields(value: Any, path: str, fields: Mapping[str, Check], required: tuple[str, ...] = ()) -> None:
    _object(value, path)
    for name in required:
        if name not in value:
            raise _fail(_join(path, name), "required")
    for name, check in fields.items():
        if name in value:
            check(value[name], _join(path, name))


def _short(key: str) -> str:
    """Map keys are user input: keep the error message short whatever they hold."""
    return key if len(key) <= 64 else key[:61] + "..."


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _object(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise _fail(path, "must be an object")


def _string(value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise _fail(path, "must be a string")


def _boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise _fail(path, "must be a boolean")


def _operation(value: Any, path: str) -> None:
    if value not in OPERATIONS:
        raise _fail(path, "must be one of " + ", ".join(OPERATIONS))


def _string_list(value: Any, path: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, "must be a list of strings")


def _map_of(check: Check) -> Check:
    def check_map(value: Any, path: str) -> None:
        _object(value, path)
        for key, item in value.items():
            check(item, f"{path}[{_short(key)}]")

    return check_map


def _nullable(check: Check) -> Check:
    def check_or_null(value: Any, path: str) -> None:
        if value is not None:
            check(value, path)

    return check_or_null


def _fields(fields: Mapping[str, Check], required: tuple[str, ...] = ()) -> Check:
    def check_fields(value: Any, path: str) -> None:
        _check_fields(value, path, fields, required)

    return check_fields


_string_map = _map_of(_string)
_gvk = _fields({"group": _string, "version": _string, "kind": _string}, ("group", "version", "kind"))
_gvr = _fields({"group": _string, "version": _string, "resource": _string}, ("group", "version", "resource"))
_user_info = _fields(
    {"username": _string, "uid": _string, "groups": _string_list, "extra": _map_of(_string_list)}
)
_REQUEST: Mapping[str, Check] = {
    "uid": _string,
    "kind": _gvk,
    "operation": _operation,
    "resource": _gvr,
    "subResource": _string,
    "requestKind": _gvk,
    "requestResource": _gvr,
    "requestSubResource": _string,
    "name": _string,
    "namespace": _string,
    "userInfo": _user_info,
    "object": _nullable(_object),
    "oldObject": _nullable(_object),
    "options": _nullable(_object),
    "dryRun": _boolean,
}
_metadata = _fields(
    {
        "name": _string,
        "generateName": _string,
        "namespace": _string,
        "labels": _string_map,
        "annotations": _string_map,
    }
)
_configmap = _fields(
    {
        "apiVersion": _string,
        "kind": _string,
        "metadata": _metadata,
        "data": _string_map,
        "binaryData": _string_map,
        "immutable": _boolean,
    }
)
