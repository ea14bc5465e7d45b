"""Slow senders (slowloris) are cut off by the header and body deadlines while everyone else is served."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from process_support import Load, Trickled, request_head, review_body, stall, trickle, wait_for_entry
from tls_process import Pki, WebhookProcess, client_context, once

pytestmark = pytest.mark.timeout(120)

BODY = review_body("deny", "slow-1")
HEAD = request_head(BODY)

# A slow client: what it sends at once, what it then sends a byte every 0.1 s, and how the server
# (2 s for the headers, 2 s for the body) ends it: HTTP status (None: closed without an answer) and
# whether that comes before the client has sent everything.
SLOW_SENDERS = [
    ("connects and never sends a byte", b"", b"", None, False),
    ("trickles the request line and headers", b"", HEAD, None, True),
    ("trickles the last header line", HEAD[:40], HEAD[40:], None, True),
    ("sends its headers, then nothing", HEAD, b"", 408, False),
    ("trickles the body", HEAD, BODY, 408, True),
]

# Clients that never finish the TLS handshake: the handshake gets the header deadline.
TLS_STALLS = [
    ("opens a TCP connection and never starts TLS", b""),
    ("sends half a ClientHello", bytes.fromhex("16030102000100 01fc 0303")),
]


@pytest.fixture(scope="module")
def strict_server(pki: Pki) -> Iterator[WebhookProcess]:
    with WebhookProcess(pki, "--header-timeout", "2", "--body-timeout", "2") as process:
        yield process


@pytest.fixture(scope="module")
def outcomes(strict_server: WebhookProcess) -> tuple[dict[str, list[Trickled | bool]], Load]:
    """Every slow sender at once, three of each, while four clients send reviews back to back."""
    ctx = client_context(strict_server.pki.ca_file)
    with (
        Load(strict_server.port, ctx, clients=4) as load,
        ThreadPoolExecutor((len(SLOW_SENDERS) + len(TLS_STALLS)) * 3) as pool,
    ):
        load.wait_for(20)
        futures = {
            (name, i): pool.submit(trickle, strict_server.port, ctx, at_once, dribble)
            for name, at_once, dribble, _status, _cut in SLOW_SENDERS
            for i in range(3)
        }
        futures |= {
            (name, i): pool.submit(stall, strict_server.port, data)
            for name, data in TLS_STALLS
            for i in range(3)
        }
        results = {key: future.result(timeout=90) for key, future in futures.items()}
        load.wait_for(20, since=time.monotonic())
    by_sender: dict[str, list[Trickled | bool]] = {}
    for (name, _i), result in results.items():
        by_sender.setdefault(name, []).append(result)
    return by_sender, load


@pytest.mark.parametrize(
    ("sender", "at_once", "dribble", "status", "cut_off"), SLOW_SENDERS, ids=[s[0] for s in SLOW_SENDERS]
)
def test_a_slow_sender_is_ended_by_the_server(
    outcomes: tuple[dict[str, list[Trickled | bool]], Load],
    sender: str,
    at_once: bytes,
    dribble: bytes,
    status: int | None,
    cut_off: bool,
) -> None:
    for ended in outcomes[0][sender]:
        assert isinstance(ended, Trickled)
        assert ended.ended_by_server, f"the server still waited 30 s after the last byte: {ended}"
        assert (ended.status, ended.cut_off) == (status, cut_off)


@pytest.mark.parametrize(("sender", "data"), TLS_STALLS, ids=[s[0] for s in TLS_STALLS])
def test_a_stalled_handshake_is_closed(
    outcomes: tuple[dict[str, list[Trickled | bool]], Load], sender: str, data: bytes
) -> None:
    assert outcomes[0][sender] == [True] * 3, "the server still held a connection 30 s later"


def test_everyone_else_is_served_meanwhile(
    outcomes: tuple[dict[str, list[Trickled | bool]], Load], strict_server: WebhookProcess
) -> None:
    load = outcomes[1]
    assert load.failures == []
    assert len(load.sent) >= 40
    assert (
        once(strict_server.port, client_context(strict_server.pki.ca_file), "GET", "/healthz").status == 200
    )


def test_the_log_says_why_a_connection_was_cut(
    outcomes: tuple[dict[str, list[Trickled | bool]], Load], strict_server: WebhookProcess
) -> None:
    header = wait_for_entry(
        strict_server, lambda e: e["message"].startswith("closed a connection: request headers")
    )
    body = wait_for_entry(strict_server, lambda e: e.get("status") == 408)
    assert (header["level"], header["header_timeout"]) == ("warning", 2.0)
    handshake = wait_for_entry(strict_server, lambda e: e["message"] == "TLS handshake failed")
    assert (handshake["reason"], handshake["client"].split(":")[0]) == ("timeout", "127.0.0.1")
    assert body["reason"] == "request body not received within 2 s"
