"""Hostile requests for the running server, class by class, each with the answer it must get.

A `Shot` is the bytes to send and what must come back: `REVIEW` (200 and a well-formed
AdmissionReview echoing the uid), a 4xx (`expect` names the allowed codes), or `HANG_UP` (the client
breaks off mid-request; nothing to read, the server must simply survive). Whether a bent review is
still well-formed is decided by the server's own field checks (`check_review`), imported here as the
oracle: the process must agree with it byte for byte, over TLS, on a kept-alive connection.
Every class draws from `random.Random(f"{class}/{seed}")`, so a failure names its input.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from tests.fuzz import generate
from tests.fuzz.rawhttp import chunked, request_bytes
from webhook.admission.review.depth import nesting_depth
from webhook.admission.review.parse import MalformedReviewError, check_review

REVIEW = frozenset({200})
BAD = frozenset({400})
MAX_DEPTH = 100  # Settings.max_depth, the server's default
MAX_BODY = 3 * 1024 * 1024  # Settings.max_body_bytes
MAX_HEADER_BYTES = 64 * 1024  # deadlines.HeaderDeadlineProtocol.max_header_bytes
HANG_UP = frozenset()


@dataclass(frozen=True)
class Shot:
    data: bytes
    expect: frozenset[int]
    uid: str = ""
    violation: bool = False  # breaks HTTP itself: the server may close after answering
    hang_up: bool = False
    pipelined: tuple[str, ...] = ()  # several reviews in one write: their uids, answered in order


def review_doc(rng: random.Random, config: str | None = None) -> dict[str, Any]:
    uid = rng.choice(["5f1c2a4e-0d1b-4c59-9a2e-1f7d3c8b6a01", "", "\u212a\u00e9\U0001f600", "x" * 300])
    uid += str(rng.randrange(10**9))
    cm = generate.configmap_of(rng, config if config is not None else generate.random_config(rng))
    operation = rng.choice(["CREATE", "UPDATE", "DELETE", "CONNECT"])
    request: dict[str, Any] = {
        "uid": uid,
        "kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
        "resource": {"group": "", "version": "v1", "resource": "configmaps"},
        "name": generate.CONFIGMAP_NAME,
        "namespace": cm["metadata"]["namespace"],
        "operation": operation,
        "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters"], "extra": {"a": ["b"]}},
        "object": None if operation == "DELETE" else cm,
        "oldObject": cm if operation in ("UPDATE", "DELETE") else None,
        "dryRun": rng.random() < 0.1,
        "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
    }
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}


def judged(doc: Any, body: bytes | None = None) -> Shot:
    """The shot for a document: a review when the server's field checks accept it, else a 400."""
    body = json.dumps(doc).encode() if body is None else body
    try:
        orjson.loads(body)  # JSON as the server reads it: no lone surrogates, no NaN, UTF-8 only
        check_review(doc)
    except (orjson.JSONDecodeError, MalformedReviewError):
        return Shot(request_bytes(body=body), BAD)
    if nesting_depth(body) > MAX_DEPTH:
        return Shot(request_bytes(body=body), BAD)
    return Shot(request_bytes(body=body), REVIEW, doc["request"]["uid"])


def well_formed(rng: random.Random) -> Shot:
    cls = rng.choice(list(generate.TEXT_CLASSES))
    doc = review_doc(rng, generate.TEXT_CLASSES[cls](rng))
    return judged(doc)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in [(*path, k), *_paths(v, (*path, k))]]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in [(*path, i), *_paths(v, (*path, i))]]
    return []


WRONG: list[Any] = [None, 0, -1, 1.5, True, False, "", "x", [], ["x"], {}, {"a": 1}, 2**70, "\u212a"]


def _at(doc: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    return parent, path[-1]


def wrong_type(rng: random.Random) -> Shot:
    doc = review_doc(rng, "{}")
    parent, key = _at(doc, rng.choice(_paths(doc)))
    parent[key] = rng.choice(WRONG)
    return judged(doc)


def _update_review() -> dict[str, Any]:
    """A review with every field the server checks (UPDATE: object and oldObject both set)."""
    for seed in range(100):
        doc = review_doc(random.Random(seed), '{"loadConcurrency": {"globalConfig": 2}}')
        if doc["request"]["operation"] == "UPDATE":
            return doc
    raise AssertionError("no UPDATE among the first 100 reviews")


FIELDS = _paths(_update_review())
EVERY_WRONG_TYPE = [(path, value) for path in FIELDS for value in WRONG]


def every_wrong_type(seed: int) -> Shot:
    """Enumerated, not drawn: field number seed // len(WRONG) gets wrong value seed % len(WRONG)."""
    path, value = EVERY_WRONG_TYPE[seed % len(EVERY_WRONG_TYPE)]
    doc = _update_review()
    parent, key = _at(doc, path)
    parent[key] = value
    return judged(doc)


def every_missing_field(seed: int) -> Shot:
    doc = _update_review()
    parent, key = _at(doc, FIELDS[seed % len(FIELDS)])
    del parent[key]
    return judged(doc)


def missing_field(rng: random.Random) -> Shot:
    doc = review_doc(rng, "{}")
    parent, key = _at(doc, rng.choice(_paths(doc)))
    del parent[key]
    return judged(doc)


def damaged_bytes(rng: random.Random) -> Shot:
    body = bytearray(json.dumps(review_doc(rng, '{"loadConcurrency": {"globalConfig": 2}}')).encode())
    for _ in range(rng.randrange(1, 4)):
        at = rng.randrange(len(body))
        roll = rng.random()
        if roll < 0.4:
            body[at] = rng.randrange(256)
        elif roll < 0.7:
            del body[at]
        else:
            body[at:at] = bytes([rng.randrange(256)])
    try:
        doc = json.loads(bytes(body))
    except ValueError:  # not JSON (or not UTF-8): the server must say 400
        return Shot(request_bytes(body=bytes(body)), BAD)
    return judged(doc, bytes(body))  # still JSON: maybe even still a review


CONTENT_TYPES = [
    None, "", "text/plain", "application/jsonx", "application/json; charset=utf-16", "application/yaml",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "json", "application/*",
    "application/json; charset=latin-1", "\u00e9/json",
]  # fmt: skip


def wrong_content_type(rng: random.Random) -> Shot:
    body = json.dumps(review_doc(rng, "{}")).encode()
    return Shot(request_bytes(body=body, content_type=rng.choice(CONTENT_TYPES)), frozenset({415}))


def oversized(rng: random.Random) -> Shot:
    """Declared too large (answered before the body), or streamed too large without a length."""
    if rng.random() < 0.7:
        declared = rng.choice([MAX_BODY + 1, 10 * MAX_BODY, 10**30])
        # past 2**64 the HTTP parser refuses the length itself, before the app sees it
        expect = frozenset({413}) if declared < 2**64 else frozenset({400})
        return Shot(request_bytes(body=b"", length=declared), expect, violation=True)
    padding = b" " * (MAX_BODY + 1)
    return Shot(chunked("POST", "/validate", b"{" + padding + b"}"), frozenset({413}), violation=True)


def deeply_nested(rng: random.Random) -> Shot:
    depth = rng.choice([95, 96, 97, 98, 101, 150, 1000, 5000, 50_000])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    doc = review_doc(rng, "{}")
    doc["request"]["object"] = doc["request"]["object"] or {}
    doc["request"]["object"]["deep"] = "\x01X\x01"
    body = json.dumps(doc).replace(json.dumps("\x01X\x01"), opener * depth + "1" + closer * depth).encode()
    if nesting_depth(body) > MAX_DEPTH:
        return Shot(request_bytes(body=body), BAD)
    return judged(json.loads(body), body)


def truncated(rng: random.Random) -> Shot:
    body = json.dumps(review_doc(rng, "{}")).encode()
    cut = rng.randrange(len(body))
    if rng.random() < 0.6:  # cut JSON, honestly declared
        return Shot(request_bytes(body=body[:cut]), BAD)
    return Shot(request_bytes(body=body[:cut], length=len(body)), HANG_UP, hang_up=True)


METHODS = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO", "get", "P\x00ST", "POST\t"]
PATHS = [
    "/", "/validate/", "/VALIDATE", "/validate/../validate", "/../../etc/passwd", "/validate?x=%zz",
    "/%00", "/" + "a" * 8000, "*", "/metrics/../validate", "//validate", "/validate%2f",
]  # fmt: skip
STILL_VALIDATE = [
    "/validat%65",
    "/validate?x=%zz",
    "/validate?timeout=10s",
    "http://evil.example/validate",
    "/validate#x",
]
BAD_PATH = frozenset({400, 404, 405, 414, 431})


def garbage_method_or_path(rng: random.Random) -> Shot:
    body = json.dumps(review_doc(rng, "{}")).encode()
    if rng.random() < 0.5:
        method = rng.choice(METHODS)
        violation = not method.isalpha() or not method.isupper()
        return Shot(request_bytes(method=method, body=body), BAD_PATH, violation=violation)
    path = rng.choice([*PATHS, *STILL_VALIDATE])
    if path in STILL_VALIDATE:  # odd but valid ways to name /validate: the review is answered
        return Shot(request_bytes(path=path, body=body), REVIEW, judged(json.loads(body)).uid)
    return Shot(request_bytes(path=path, body=body), BAD_PATH, violation=True)


def broken_http(rng: random.Random) -> Shot:
    """Not HTTP at all, or HTTP with lying headers: the server answers 4xx and may close."""
    body = json.dumps(review_doc(rng, "{}")).encode()
    variants = [
        b"\x16\x03\x01garbage\r\n\r\n",
        b"POST /validate HTTP/9.9\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
        request_bytes(body=body, extra=[("Content-Length", "5")]),
        request_bytes(body=body, length=-1),
        b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST /validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /validate HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * rng.choice([100, 70_000]) + b"\r\n\r\n",
        b"POST /validate HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    ]
    data = rng.choice(variants)
    return Shot(data, frozenset(range(400, 500)), violation=True)


def header_flood(rng: random.Random) -> Shot:
    """Header sections near and past the limit (64 KiB): past it a 431, and the connection closes."""
    count = rng.choice([2, 20, 200])
    size = rng.choice([40_000, 65_536, 200_000]) // count
    data = request_bytes(body=b"{}", extra=[(f"X-{i}", "a" * size) for i in range(count)])
    if len(data) - 2 <= MAX_HEADER_BYTES:
        return Shot(data, BAD)  # within the limit: read, and refused as no AdmissionReview
    return Shot(data, frozenset({431}), violation=True)


def pipelined_reviews(rng: random.Random) -> Shot:
    """Two to four well-formed reviews in one write, before any answer is read (HTTP/1.1 pipelining)."""
    docs = [review_doc(rng, '{"loadConcurrency": {"globalConfig": 2}}') for _ in range(rng.randrange(2, 5))]
    data = b"".join(request_bytes(body=json.dumps(doc).encode()) for doc in docs)
    return Shot(data, REVIEW, pipelined=tuple(doc["request"]["uid"] for doc in docs))


def chunked_review(rng: random.Random) -> Shot:
    doc = review_doc(rng)
    shot = judged(doc)
    body = json.dumps(doc).encode()
    return Shot(chunked("POST", "/validate", body, rng.choice([1, 7, 1000, 65536])), shot.expect, shot.uid)


CLASSES: dict[str, tuple[Callable[[random.Random], Shot], int]] = {
    "well-formed review": (well_formed, 3000),
    "well-formed review, chunked": (chunked_review, 400),
    "a field of the wrong type": (wrong_type, 1500),
    "a missing field": (missing_field, 600),
    "damaged bytes": (damaged_bytes, 2000),
    "wrong content type": (wrong_content_type, 300),
    "oversized body": (oversized, 40),
    "deeply nested body": (deeply_nested, 300),
    "truncated body": (truncated, 300),
    "garbage method or path": (garbage_method_or_path, 800),
    "broken HTTP": (broken_http, 300),
    "header flood": (header_flood, 60),
    "pipelined reviews": (pipelined_reviews, 150),
}


# every field of a review once with each wrong value, and once missing: enumerated by the seed
ENUMERATED: dict[str, tuple[Callable[[int], Shot], int]] = {
    "every field, every wrong type": (every_wrong_type, len(EVERY_WRONG_TYPE)),
    "every field missing": (every_missing_field, len(FIELDS)),
}
COUNTS = {kind: count for kind, (_, count) in [*CLASSES.items(), *ENUMERATED.items()]}


def draw(kind: str, seed: int) -> Shot:
    if kind in ENUMERATED:
        return ENUMERATED[kind][0](seed)
    return CLASSES[kind][0](random.Random(f"{kind}/{seed}"))
