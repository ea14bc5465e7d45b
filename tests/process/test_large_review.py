"""While a 1 MiB hostile review is decided, /healthz and small reviews are still answered (the worker thread).

The order is read from the server's own log, written on its event loop: the line saying the large
review went to the worker, then one line per review as it is answered. Small reviews, sent one after
another once the first line is seen and each after a /healthz that was answered, are logged before
the large one. (Until the body is all in, the loop answers others anyway: hence that first line.)
"""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Any

import pytest
from process_support import REVIEWS, review_body, wait_for_entry, wrong_answer
from tls_process import Reply, WebhookProcess, client_context, connect, request, tls_connection

from webhook.admission.serving.offload import HANDED_OVER

pytestmark = pytest.mark.timeout(120)

RULES = 10_000
# Small reviews answered before the large one, each after a /healthz. With the engine on the loop
# there would be none: the hand-over line is logged right before the decision starts.
AHEAD = 2
ROUNDS = 500  # at most this many (small review, /healthz) rounds while waiting for the large one


def hostile_review(uid: str) -> bytes:
    """A review carrying 10,000 valid perNodeConfig rules and one bad globalConfig: about 1 MiB.

    Valid rules, so that the engine's cap on findings cannot cut the decision short: every rule is
    decoded and matched, which keeps the worker busy long enough to be seen."""
    rules = [
        {"nodeSelector": {"matchLabels": {"topology.kubernetes.io/zone": f"z{i % 9}"}}, "number": i % 7 + 1}
        for i in range(RULES)
    ]
    doc: dict[str, Any] = json.loads(json.dumps(REVIEWS["deny"]))
    data = {
        "node-agent-config.json": json.dumps({"loadConcurrency": {"globalConfig": 0, "perNodeConfig": rules}})
    }
    doc["request"]["object"]["data"] = data
    doc["request"]["uid"] = uid
    return json.dumps(doc).encode()


def raw_request(body: bytes) -> bytes:
    head = (
        "POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def read_reply(tls: Any) -> Reply:
    """The answer to a `Connection: close` request: everything until the server closes."""
    chunks = []
    with contextlib.suppress(OSError):
        while chunk := tls.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return Reply(int(head.split(b" ", 2)[1]), json.loads(body), {})


def logged_uids(server: WebhookProcess) -> list[str]:
    return [e["uid"] for e in list(server.lines) if e.get("message") == "admission review"]


def test_probes_and_small_reviews_are_answered_while_a_large_review_is_decided(
    server: WebhookProcess,
) -> None:
    ctx = client_context(server.pki.ca_file)
    body = hostile_review("offload-large")
    replies: list[Reply] = []
    probes = connect(server.port, ctx)
    with tls_connection(server.port, ctx) as tls, contextlib.closing(probes):
        tls.settimeout(60)
        tls.sendall(raw_request(body))
        reader = threading.Thread(target=lambda: replies.append(read_reply(tls)))
        reader.start()
        wait_for_entry(server, lambda e: e.get("message") == HANDED_OVER and e["bytes"] == len(body))
        smalls = probe_while(reader, probes)
        reader.join(60)
    order = logged_uids(server)
    assert "offload-large" in order, "the large review was not answered"
    before = [uid for uid in order[: order.index("offload-large")] if uid in smalls]
    assert len(before) >= AHEAD, f"only {before} answered before the large review, of {len(smalls)}"
    assert replies[0].status == 200
    assert replies[0].body["response"]["uid"] == "offload-large"
    assert replies[0].body["response"]["allowed"] is False
    print(f"\nlarge review ({len(body)} bytes): {len(before)} small reviews and /healthz answered meanwhile")


def probe_while(reader: threading.Thread, probes: Any) -> list[str]:
    """A small review then /healthz, again and again until the large answer is in; the uids sent."""
    sent: list[str] = []
    while reader.is_alive() and len(sent) < ROUNDS:
        uid = f"offload-small-{len(sent)}"
        sent.append(uid)
        assert (
            wrong_answer("warn", uid, request(probes, "POST", "/validate", review_body("warn", uid))) is None
        )
        assert request(probes, "GET", "/healthz").status == 200
    return sent
