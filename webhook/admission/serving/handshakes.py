"""Failed TLS handshakes, in the log: rate-limited per client address, so a scan cannot flood it.

A failed handshake never reaches the app, yet it is what a wrong `--client-ca`, an apiserver whose
`caBundle` does not hold our CA (it answers `unknown ca`), or a client speaking plain HTTP to the
TLS port looks like from here; uvloop drops them silently. Each gets one structured line:

    {"message": "TLS handshake failed", "client": "10.0.0.7:51234", "reason": "TLSV1_ALERT_UNKNOWN_CA",
     "detail": "tlsv1 alert unknown ca", "suppressed": 0}

At most one line per client address (the IP: a scan changes ports) per `window` seconds; the
failures held back meanwhile are counted into that address's next line (`suppressed`), or into a
line of their own ("TLS handshakes failed") when the address is forgotten. Addresses are remembered
for about one window, and only `max_peers` of them: beyond that, new addresses share one entry
("other addresses"), so neither the log nor the memory grows with a scan's width.
"""

from __future__ import annotations

import logging
import re
import ssl
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("webhook.server")

OTHERS = "other addresses"
# "[SSL: REASON] " and " (_ssl.c:1006)" around OpenSSL's words: the reason has its own field
_NOISE = re.compile(r"^\[SSL(: [A-Z0-9_]+)?\] |\s*\(_ssl\.c:\d+\)$")


class HandshakeLog:
    def __init__(
        self, window: float = 10.0, max_peers: int = 1024, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self.max_peers = max_peers
        self._clock = clock
        self._peers: dict[str, tuple[float, int]] = {}  # address -> (last line at, failures held back)

    def failed(self, peer: Any, exc: BaseException) -> None:
        """One failed handshake from `peer` (a socket address, or None when unknown)."""
        now = self._clock()
        host = _host(peer)
        self._forget(now, keep=host)
        address = self._entry(host)
        logged_at, held = self._peers.get(address, (None, 0))
        if logged_at is not None and now - logged_at < self.window:
            self._peers[address] = (logged_at, held + 1)  # an existing key keeps its place
            return
        self._peers.pop(address, None)  # re-inserted last: the dict stays ordered by time of line
        self._peers[address] = (now, 0)
        reason, detail = describe(exc)
        extra = {"client": _client(peer), "reason": reason, "detail": detail, "suppressed": held}
        log.warning("TLS handshake failed", extra=extra)

    def _forget(self, now: float, keep: str) -> None:
        """Drop the addresses whose window is over, oldest first, saying what each held back."""
        while self._peers:
            address, (logged_at, held) = next(iter(self._peers.items()))
            if address == keep or now - logged_at < self.window:
                return
            del self._peers[address]
            if held:
                log.warning("TLS handshakes failed", extra={"client": address, "suppressed": held})

    def _entry(self, host: str) -> str:
        full = len(self._peers) >= self.max_peers
        return OTHERS if full and host not in self._peers else host


def describe(exc: BaseException) -> tuple[str, str]:
    """(a short reason, what OpenSSL or the loop said), for a handshake that did not complete."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return str(exc.reason or "CERTIFICATE_VERIFY_FAILED"), str(exc.verify_message)
    if isinstance(exc, ssl.SSLError):
        text = _NOISE.sub("", str(exc.args[1]) if len(exc.args) > 1 else str(exc))
        return str(exc.reason or type(exc).__name__), text
    if isinstance(exc, TimeoutError | ConnectionAbortedError):
        return "timeout", str(exc)
    return type(exc).__name__, str(exc)


def _host(peer: Any) -> str:
    return str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"


def _client(peer: Any) -> str:
    return f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) and len(peer) >= 2 else "unknown"
