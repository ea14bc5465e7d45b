"""The failed-handshake log: one line per client address per window, what was held back counted into
the next line, a bounded memory of addresses, and OpenSSL's words without their noise."""

from __future__ import annotations

import logging
import ssl

import pytest

from webhook.admission.serving.handshakes import OTHERS, HandshakeLog, describe


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def alert(reason: str, text: str) -> ssl.SSLError:
    exc = ssl.SSLError(1, f"[SSL: {reason}] {text} (_ssl.c:1006)")
    exc.reason = reason  # type: ignore[misc]  # set by the ssl module for real errors
    return exc


UNKNOWN_CA = alert("TLSV1_ALERT_UNKNOWN_CA", "tlsv1 alert unknown ca")

# (seconds since the start, client address) of each failure, and the lines logged: (client, suppressed);
# a line for the failures of a forgotten address names the address alone.
SCENARIOS = {
    "a burst from one address is one line": (
        [(0, "10.0.0.1"), (1, "10.0.0.1"), (2, "10.0.0.1"), (9.9, "10.0.0.1")],
        [("10.0.0.1:40000", 0)],
    ),
    "after the window the next line counts those held back": (
        [(0, "10.0.0.1"), (1, "10.0.0.1"), (2, "10.0.0.1"), (10, "10.0.0.1"), (11, "10.0.0.1")],
        [("10.0.0.1:40000", 0), ("10.0.0.1:40000", 2)],
    ),
    "another address gets its own line at once": (
        [(0, "10.0.0.1"), (0.5, "10.0.0.2"), (1, "10.0.0.1")],
        [("10.0.0.1:40000", 0), ("10.0.0.2:40000", 0)],
    ),
    "beyond three addresses the others share one entry": (
        [
            (0, "10.0.0.1"),
            (0, "10.0.0.2"),
            (0, "10.0.0.3"),
            (0, "10.0.0.4"),
            (0, "10.0.0.5"),
            (1, "10.0.0.6"),
        ],
        [("10.0.0.1:40000", 0), ("10.0.0.2:40000", 0), ("10.0.0.3:40000", 0), ("10.0.0.4:40000", 0)],
    ),
    "an address forgotten with failures held back gets a line of its own": (
        [(0, "10.0.0.1"), (1, "10.0.0.1"), (11, "10.0.0.2")],
        [("10.0.0.1:40000", 0), ("10.0.0.1", 1), ("10.0.0.2:40000", 0)],
    ),
    "addresses are forgotten after a window, which frees room": (
        [(0, "10.0.0.1"), (0, "10.0.0.2"), (0, "10.0.0.3"), (10, "10.0.0.4"), (10, "10.0.0.5")],
        [(f"10.0.0.{i}:40000", 0) for i in range(1, 6)],
    ),
}


@pytest.mark.parametrize(("failures", "lines"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_one_line_per_address_per_window(
    caplog: pytest.LogCaptureFixture, failures: list[tuple[float, str]], lines: list[tuple[str, int]]
) -> None:
    caplog.set_level(logging.WARNING, logger="webhook.server")
    clock = Clock()
    handshakes = HandshakeLog(window=10.0, max_peers=3, clock=clock)
    start = clock.now
    for at, address in failures:
        clock.now = start + at
        handshakes.failed((address, 40000), UNKNOWN_CA)
    records = [r for r in caplog.records if r.name == "webhook.server"]
    assert [(r.client, r.suppressed) for r in records] == lines  # type: ignore[attr-defined]
    assert {r.levelname for r in records} <= {"WARNING"}


def test_the_others_entry_is_named_in_the_memory_not_the_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="webhook.server")
    handshakes = HandshakeLog(window=10.0, max_peers=1, clock=Clock())
    handshakes.failed(("10.0.0.1", 1), UNKNOWN_CA)
    handshakes.failed(("10.0.0.2", 2), UNKNOWN_CA)
    handshakes.failed(("10.0.0.3", 3), UNKNOWN_CA)
    assert [r.client for r in caplog.records] == ["10.0.0.1:1", "10.0.0.2:2"]  # type: ignore[attr-defined]
    assert set(handshakes._peers) == {"10.0.0.1", OTHERS}


def verify_error() -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    exc.reason = "CERTIFICATE_VERIFY_FAILED"  # type: ignore[misc]
    exc.verify_message = "unable to get local issuer certificate"
    return exc


DESCRIBED = [
    ("an alert from the client", UNKNOWN_CA, ("TLSV1_ALERT_UNKNOWN_CA", "tlsv1 alert unknown ca")),
    ("plain HTTP", alert("HTTP_REQUEST", "http request"), ("HTTP_REQUEST", "http request")),
    (
        "a client certificate from another CA",
        verify_error(),
        ("CERTIFICATE_VERIFY_FAILED", "unable to get local issuer certificate"),
    ),
    (
        "a stalled handshake",
        ConnectionAbortedError("SSL handshake is taking longer than 2 seconds: aborting the connection"),
        ("timeout", "SSL handshake is taking longer than 2 seconds: aborting the connection"),
    ),
]


@pytest.mark.parametrize(("case", "exc", "described"), DESCRIBED, ids=[d[0] for d in DESCRIBED])
def test_describe(case: str, exc: BaseException, described: tuple[str, str]) -> None:
    assert describe(exc) == described


def test_an_unknown_peer_is_still_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="webhook.server")
    HandshakeLog(clock=Clock()).failed(None, UNKNOWN_CA)
    assert [r.client for r in caplog.records] == ["unknown"]  # type: ignore[attr-defined]
