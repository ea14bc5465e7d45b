"""10,685 hostile requests against the real server process, over TLS, on kept-alive connections.

One `serve` process (tests/admission/tls_process.py) takes every class of hostile.py in turn on one
connection at a time, reopened only when the server says `Connection: close` or the test broke HTTP
on purpose. For every request: a well-formed review gets 200 and a well-formed AdmissionReview with
its uid; anything else the 4xx its class allows; never a 5xx, never a connection dropped without an
answer (except after a protocol violation). At the end the process is alive, healthy and ready, and
logged no error. The figures (requests per class, status codes) go to the terminal summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.admission.tls_process import WebhookProcess, client_context, make_pki, once
from tests.fuzz.hostile import COUNTS, REVIEW, Shot, draw
from tests.fuzz.rawhttp import Answer, Connection, DroppedError
from tests.fuzz.tally import TALLY
from webhook.admission.review.warnings import ITEM_LIMIT

SHOWN = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebhookProcess]:
    pki = make_pki(Path(tmp_path_factory.mktemp("pki")))
    with WebhookProcess(pki) as process:
        yield process
    _close_stderr(process)


def _close_stderr(process: WebhookProcess) -> None:
    """The helper leaves the killed process's stderr pipe open; close it once its reader is done."""
    with process._changed:
        process._changed.wait_for(lambda: process._eof, timeout=10)
    if process.proc is not None and process.proc.stderr is not None:
        process.proc.stderr.close()


def test_the_classes_add_up_to_ten_thousand_requests() -> None:
    assert sum(COUNTS.values()) >= 10_000


def review_problems(answer: Answer, uid: str) -> list[str]:
    """What is wrong with an answer to a well-formed review (nothing, for a good one)."""
    if answer.status != 200 or answer.headers.get("content-type") != "application/json":
        return [f"status {answer.status}, content type {answer.headers.get('content-type')}"]
    doc: Any = orjson.loads(answer.body)
    response = doc.get("response") or {}
    checks = {
        "apiVersion and kind": (doc.get("apiVersion"), doc.get("kind"))
        == ("admission.k8s.io/v1", "AdmissionReview"),
        "the request's uid": response.get("uid") == uid,
        "a boolean allowed": isinstance(response.get("allowed"), bool),
        "a denial with code 422": response.get("allowed") is not False
        or (response.get("status") or {}).get("code") == 422,
        "warnings within 256 characters": all(len(w) <= ITEM_LIMIT for w in response.get("warnings", [])),
    }
    return [f"not {name}" for name, ok in checks.items() if not ok]


def fire(conn: Connection, shot: Shot, tally: Counter[str]) -> list[str]:
    """Send one shot and say what was wrong with the answer, if anything."""
    if shot.hang_up:
        conn.send_and_hang_up(shot.data)
        tally["hung up mid-body"] += 1
        return []
    if shot.pipelined:
        return fire_pipelined(conn, shot, tally)
    try:
        answer = conn.send(shot.data)
    except DroppedError as dropped:
        if shot.violation:
            tally["closed after a protocol violation"] += 1
            return []
        return [f"dropped: {dropped}"]
    finally:
        if shot.violation:
            conn.close()  # after a lie about lengths the stream is out of step: start afresh
    tally[f"status {answer.status}"] += 1
    if answer.status not in shot.expect:
        return [f"status {answer.status}, expected one of {sorted(shot.expect)}: {answer.body[:200]!r}"]
    return review_problems(answer, shot.uid) if shot.expect == REVIEW else []


def fire_pipelined(conn: Connection, shot: Shot, tally: Counter[str]) -> list[str]:
    try:
        answers = conn.send_many(shot.data, len(shot.pipelined))
    except DroppedError as dropped:
        return [f"dropped: {dropped}"]
    tally.update(f"status {a.status}" for a in answers)
    return [p for a, uid in zip(answers, shot.pipelined, strict=True) for p in review_problems(a, uid)]


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(COUNTS))
def test_every_hostile_request_gets_the_answer_its_class_allows(server: WebhookProcess, kind: str) -> None:
    conn, tally, failures = (
        Connection(server.port, client_context(server.pki.ca_file)),
        TALLY[f"server, {kind}"],
        [],
    )
    for seed in range(COUNTS[kind]):
        shot = draw(kind, seed)
        tally["requests"] += max(1, len(shot.pipelined))
        tally["expected a review" if shot.expect == REVIEW else "expected a refusal"] += 1
        failures += [f"draw({kind!r}, {seed}): {p}" for p in fire(conn, shot, tally)]
    tally["connections"] += conn.opened
    conn.close()
    assert not failures, f"{len(failures)} failures; the first:\n" + "\n".join(failures[:SHOWN])


@pytest.mark.slow
def test_the_process_is_healthy_after_it_all(server: WebhookProcess) -> None:
    """Runs last in this module: alive, /healthz and /readyz 200, and no error or traceback logged."""
    assert server.proc is not None and server.proc.poll() is None
    ctx = client_context(server.pki.ca_file)
    assert once(server.port, ctx, "GET", "/healthz").status == 200
    assert once(server.port, ctx, "GET", "/readyz").status == 200
    errors = [line for line in server.lines if line.get("level") in ("error", "critical")]
    assert not errors, errors[:3]
