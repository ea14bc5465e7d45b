"""SIGTERM under load: not ready at once, every request answered through the delay, then exit 0.

The clients play the apiserver: they keep sending for a while after the signal (the endpoint removal
takes that long in a cluster) and stop before the delay is over, as the apiserver does once the pod
has left the endpoints. One more request is in flight across the whole drain: its headers and half its
body go before the signal, the rest only once the server has begun closing its connections.
"""

from __future__ import annotations

import json
import ssl
import time
from contextlib import ExitStack

import pytest
from process_support import Load, request_head, review_body, wait_until, wrong_answer
from tls_process import Pki, Reply, WebhookProcess, client_context, once, tls_connection

pytestmark = pytest.mark.timeout(120)

DELAY = 5.0  # --shutdown-delay
SENDING_AFTER_SIGTERM = 2.5  # the clients stop sending this long after the signal, well inside DELAY
EXIT_MARGIN = 20.0  # after the delay, for the in-flight request and the process's own shutdown


def readyz(server: WebhookProcess) -> Reply:
    return once(server.port, client_context(server.pki.ca_file), "GET", "/readyz")


def parse(raw: bytes) -> Reply:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return Reply(int(lines[0].split()[1]), json.loads(body), headers)


def test_sigterm_under_load_loses_no_request(pki: Pki) -> None:
    body = review_body("deny", "in-flight-1")
    head = request_head(body)
    ctx = client_context(pki.ca_file)
    draining = WebhookProcess(pki, "--shutdown-delay", str(DELAY), "--body-timeout", "60")
    with draining as server, ExitStack() as stack:
        with Load(server.port, ctx, clients=4) as load:
            load.wait_for(40)
            in_flight = stack.enter_context(tls_connection(server.port, ctx))
            in_flight.sendall(head + body[: len(body) // 2])
            signalled = time.monotonic()
            server.terminate()
            wait_until(lambda: readyz(server).status == 503, DELAY, "/readyz to turn not ready")
            not_ready, draining = readyz(server), time.monotonic()
            wait_until(
                lambda: load.count(signalled) >= 40 or time.monotonic() - signalled > SENDING_AFTER_SIGTERM,
                DELAY,
                "requests after the signal",
            )
        # the delay is over once the server closes its connections; the in-flight request completes
        server.wait_for_log(lambda m: m == "Shutting down", timeout=DELAY + EXIT_MARGIN)
        in_flight.sendall(body[len(body) // 2 :])
        in_flight.settimeout(EXIT_MARGIN)
        answer = parse(read_to_close(in_flight))
        stack.close()  # as a client does after `Connection: close`; the server waits for that
        code = server.wait_exit(timeout=DELAY + EXIT_MARGIN)
        exited_after = time.monotonic() - signalled

    assert code == 0
    assert (not_ready.status, not_ready.body["reason"]) == (503, "shutting down")
    assert wrong_answer("deny", "in-flight-1", answer) is None
    assert answer.headers["connection"] == "close"
    assert load.failures == []
    after_signal = load.count(signalled)
    assert after_signal > 0, "no request was sent during the delay"
    # once not ready, every answer closes its connection, so no kept-alive one is left to cut
    assert all(s.closed for s in load.sent if s.started >= draining)
    assert any(e["message"] == "stopped" for e in server.lines)
    print(
        f"\nSIGTERM: {len(load.sent)} requests, {after_signal} after the signal, 0 failed; "
        f"in-flight request answered {answer.status}; exit {code} {exited_after:.1f} s after the signal "
        f"(delay {DELAY} s)"
    )


def read_to_close(tls: ssl.SSLSocket) -> bytes:
    chunks = []
    while chunk := tls.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)
