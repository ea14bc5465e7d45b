"""Hostile and malformed requests: always a deliberate 4xx with a JSON error body, never a 5xx."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import hypothesis.strategies as st
import pytest
from admission_support import AppClient, admission_review, client, configmap, example, post
from hypothesis import HealthCheck, given, settings

VALID = admission_review("CREATE", configmap({"loadConcurrency": {"globalConfig": 2}}))


def mutated(change: Callable[[dict[str, Any]], None]) -> bytes:
    doc = copy.deepcopy(VALID)
    change(doc)
    return json.dumps(doc).encode()


def set_at(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for part in parents:
            doc = doc[part]
        doc[last] = value

    return change


def drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for part in parents:
            doc = doc[part]
        del doc[last]

    return change


def nested(depth: int) -> bytes:
    """A valid review whose object holds an array nested `depth` levels below the review's own 3."""
    inner = "[" * depth + "]" * depth
    return mutated(set_at("request.object", {"deep": "X"})).replace(b'"X"', inner.encode())


BAD_REQUESTS = {
    "an empty body": b"",
    "not JSON": b"{apiVersion: admission.k8s.io/v1}",
    "JSON with trailing garbage": json.dumps(VALID).encode() + b"}",
    "bytes that are not UTF-8": json.dumps(VALID).encode().replace(b"kubernetes-admin", b"kub\xff\xfe"),
    "a lone surrogate escape": json.dumps(VALID).encode().replace(b"kubernetes-admin", b"\\ud800"),
    "a UTF-8 byte order mark": b"\xef\xbb\xbf" + json.dumps(VALID).encode(),
    "NaN": json.dumps(VALID).encode().replace(b'"dryRun": false', b'"dryRun": NaN'),
    "a number too large for a double": json.dumps(VALID).encode().replace(b'"dryRun": false', b'"x": 1e400'),
    "a top-level array": b"[]",
    "a top-level string": b'"AdmissionReview"',
    "null": b"null",
    "another apiVersion": mutated(set_at("apiVersion", "admission.k8s.io/v1beta1")),
    "another kind": mutated(set_at("kind", "TokenReview")),
    "no apiVersion": mutated(drop("apiVersion")),
    "no request": mutated(drop("request")),
    "a null request": mutated(set_at("request", None)),
    "a request that is a list": mutated(set_at("request", [])),
    "no uid": mutated(drop("request.uid")),
    "a numeric uid": mutated(set_at("request.uid", 42)),
    "no kind": mutated(drop("request.kind")),
    "a kind that is a string": mutated(set_at("request.kind", "ConfigMap")),
    "a kind without a group": mutated(drop("request.kind.group")),
    "a numeric kind.version": mutated(set_at("request.kind.version", 1)),
    "no operation": mutated(drop("request.operation")),
    "an unknown operation": mutated(set_at("request.operation", "PATCH")),
    "a lowercase operation": mutated(set_at("request.operation", "create")),
    "a numeric name": mutated(set_at("request.name", 1)),
    "a null namespace": mutated(set_at("request.namespace", None)),
    "a string dryRun": mutated(set_at("request.dryRun", "true")),
    "userInfo.groups not a list": mutated(set_at("request.userInfo.groups", "system:masters")),
    "userInfo.extra values not lists": mutated(set_at("request.userInfo.extra", {"scopes": "x"})),
    "a resource without its name": mutated(drop("request.resource.resource")),
    "an object that is a list": mutated(set_at("request.object", [])),
    "an object that is a string": mutated(set_at("request.object", "{}")),
    "a ConfigMap whose data is a string": mutated(set_at("request.object.data", "{}")),
    "a ConfigMap whose data value is a number": mutated(set_at("request.object.data", {"k": 1})),
    "a ConfigMap whose data is null": mutated(set_at("request.object.data", None)),
    "a ConfigMap whose metadata is a list": mutated(set_at("request.object.metadata", [])),
    "a ConfigMap whose labels hold a number": mutated(set_at("request.object.metadata.labels", {"a": 1})),
    "a ConfigMap whose name is a number": mutated(set_at("request.object.metadata.name", 5)),
    "a ConfigMap whose binaryData is a list": mutated(set_at("request.object.binaryData", [])),
    "a ConfigMap whose immutable is a string": mutated(set_at("request.object.immutable", "yes")),
    "an oldObject ConfigMap with bad data": mutated(set_at("request.oldObject", {"data": {"k": None}})),
    "nesting just over the limit": nested(98),
    "nesting far over the limit": nested(5000),
    "nesting beyond orjson's own limit": nested(2000),
}


@pytest.fixture(scope="module")
def app() -> Any:
    with client() as c:
        yield c


@pytest.mark.parametrize("body", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_a_malformed_review_is_a_400_with_a_json_error(app: AppClient, body: bytes) -> None:
    http = post(app, body)
    assert http.status_code == 400, http.text
    assert http.headers["content-type"] == "application/json"
    error = http.json()["error"]
    assert isinstance(error, str) and error


def test_nesting_up_to_the_limit_is_accepted(app: AppClient) -> None:
    assert post(app, nested(97)).status_code == 200


def test_a_long_map_key_is_cut_short_in_the_error(app: AppClient) -> None:
    body = mutated(set_at("request.object.data", {"k" * 10_000: 1}))
    http = post(app, body)
    assert http.status_code == 400
    assert len(http.json()["error"]) < 300


CONTENT_TYPES = {
    "no Content-Type": None,
    "text/plain": "text/plain",
    "form data": "application/x-www-form-urlencoded",
    "application/jsonx": "application/jsonx",
    "JSON in UTF-16": "application/json; charset=utf-16",
    "YAML": "application/yaml",
}


@pytest.mark.parametrize("content_type", CONTENT_TYPES.values(), ids=CONTENT_TYPES.keys())
def test_a_body_that_is_not_declared_json_is_a_415(app: AppClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    http = app.post("/validate", content=json.dumps(VALID), headers=headers)
    assert http.status_code == 415
    assert http.json() == {"error": "Content-Type must be application/json"}


ACCEPTED_TYPES = [
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    'application/json;charset="UTF-8"',
]


@pytest.mark.parametrize("content_type", ACCEPTED_TYPES)
def test_json_with_or_without_a_utf8_charset_is_accepted(app: AppClient, content_type: str) -> None:
    http = app.post("/validate", content=json.dumps(VALID), headers={"Content-Type": content_type})
    assert http.status_code == 200


def test_a_declared_length_over_the_limit_is_a_413_before_reading() -> None:
    body = json.dumps(VALID).encode()
    with client(max_body_bytes=len(body) - 1) as c:
        http = post(c, body)
    assert http.status_code == 413
    assert http.headers["connection"] == "close"
    assert "larger than" in http.json()["error"]


def test_a_chunked_body_over_the_limit_is_a_413_while_streaming() -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(1000):
            sent.append(1)
            yield b" " * 1024

    with client(max_body_bytes=10 * 1024) as c:
        http = c.post("/validate", content=chunks(), headers={"Content-Type": "application/json"})
    assert http.status_code == 413
    assert len(sent) < 1000  # it stopped reading


def test_a_body_just_at_the_limit_is_read() -> None:
    body = json.dumps(VALID).encode()
    with client(max_body_bytes=len(body)) as c:
        assert post(c, body).status_code == 200


@pytest.mark.parametrize("value", [b"abc", b"-1", b"1e3", "９".encode()])
def test_a_content_length_that_is_not_a_number_is_a_400(app: AppClient, value: bytes) -> None:
    http = app.post(
        "/validate", content=b"{}", headers={"Content-Type": "application/json", "Content-Length": value}
    )
    assert http.status_code == 400


def test_other_methods_and_paths_are_4xx(app: AppClient) -> None:
    assert app.get("/validate").status_code == 405
    assert app.post("/mutate", json=VALID).status_code == 404


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
PATHS = [
    "request.uid",
    "request.kind",
    "request.kind.kind",
    "request.operation",
    "request.name",
    "request.namespace",
    "request.object",
    "request.object.data",
    "request.object.metadata",
    "request.object.metadata.name",
    "request.oldObject",
    "request.userInfo",
    "request.dryRun",
    "request.options",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=json_values)
def test_any_value_anywhere_gives_a_review_or_a_400_never_a_fault(
    app: AppClient, path: str, value: Any
) -> None:
    http = post(app, mutated(set_at(path, value)))
    assert http.status_code in (200, 400), http.text
    if http.status_code == 200:
        response = http.json()["response"]
        assert response.get("status", {}).get("code") != 500, "the engine failed on a well-formed review"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=json_values | st.text())
def test_any_config_text_is_decided_without_a_fault(app: AppClient, config: Any) -> None:
    text = config if isinstance(config, str) else json.dumps(config)
    http = post(app, admission_review("CREATE", configmap(text)))
    assert http.status_code == 200
    assert http.json()["response"].get("status", {}).get("code") != 500


def test_the_examples_are_well_formed(app: AppClient) -> None:
    for name in ("review-deny.json", "review-warn.json"):
        assert post(app, example(name)).status_code == 200
