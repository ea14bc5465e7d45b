"""The event loop (uvloop): deadlines on the TLS handshake and on the TLS close, and a log line when
a handshake fails.

uvicorn creates its server without `ssl_handshake_timeout`, so uvloop's default applies: a client that
opens a connection and never completes the handshake holds it for 60 s, out of reach of the header
deadline, which starts once the handshake is done (`deadlines`). Go's net/http gives the handshake
the header deadline (ReadHeaderTimeout); so do we. After the server closes a connection it waits for
the client's close_notify, 30 s by default; a client that never sends one would hold the drain after
SIGTERM that long, so the close gets a few seconds.

uvloop also drops a failed handshake without a word (an SSLError is an OSError, logged only in debug
mode), so a wrong `--client-ca` or an apiserver that distrusts our certificate would be invisible
here. So the server builds each connection's TLS layer itself, as uvloop would (its `SSLProtocol`,
the same arguments), with a waiter of its own that reports a failed handshake with the client's
address (`handshakes`). `SSLProtocol` is not in uvloop's documented API: uvloop is pinned in
requirements.lock, and the process tests would see any change (every request goes through it).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from functools import partial
from typing import Any

import uvloop
from uvloop.loop import SSLProtocol  # type: ignore[attr-defined]  # not in uvloop's stub

from webhook.admission.serving.handshakes import HandshakeLog

TLS_CLOSE_TIMEOUT = 5.0  # seconds to wait for the client's close_notify before dropping the connection


class DeadlineLoop(uvloop.Loop):
    """uvloop, whose TLS servers have deadlines and report failed handshakes."""

    handshake_timeout = 10.0  # set per server by `loop_factory`
    close_timeout = TLS_CLOSE_TIMEOUT
    handshakes = HandshakeLog()  # a new one per server by `loop_factory`

    # uvloop's stub says AbstractServer where asyncio's says Server: the override notes the difference
    async def create_server(  # type: ignore[override]
        self, protocol_factory: Callable[[], asyncio.BaseProtocol], *args: Any, **kwargs: Any
    ) -> asyncio.AbstractServer:
        context = kwargs.pop("ssl", None)
        factory = (
            protocol_factory if context is None else partial(self._tls_protocol, protocol_factory, context)
        )
        return await super().create_server(factory, *args, **kwargs)

    def _tls_protocol(
        self, app_factory: Callable[[], asyncio.BaseProtocol], context: ssl.SSLContext
    ) -> ReportingTLS:
        """What uvloop's server makes of each connection when given `ssl=`, with our own waiter."""
        waiter = self.create_future()
        tls = ReportingTLS(
            self,
            app_factory(),
            context,
            waiter,
            server_side=True,
            ssl_handshake_timeout=self.handshake_timeout,
            ssl_shutdown_timeout=self.close_timeout,
        )
        waiter.add_done_callback(partial(self._handshake_done, tls))
        return tls

    def _handshake_done(self, tls: ReportingTLS, waiter: asyncio.Future[None]) -> None:
        # the transport is closed already (uvloop's `_fatal_error`); a client that left before the
        # handshake began ends the waiter without an exception, and is not a failure worth a line
        exc = None if waiter.cancelled() else waiter.exception()
        if isinstance(exc, ssl.SSLError | TimeoutError | ConnectionAbortedError):
            self.handshakes.failed(tls.peer, exc)


class ReportingTLS(SSLProtocol):  # type: ignore[misc]
    """uvloop's TLS layer, remembering the client's address for the report of a failed handshake."""

    peer: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.peer = transport.get_extra_info("peername")
        super().connection_made(transport)


def loop_factory(handshake_timeout: float) -> Callable[[], asyncio.AbstractEventLoop]:
    """A new `DeadlineLoop` class for each server (a Cython base takes no constructor arguments)."""
    loop_class: type[asyncio.AbstractEventLoop] = type(
        "DeadlineLoop",
        (DeadlineLoop,),
        {"handshake_timeout": handshake_timeout, "handshakes": HandshakeLog()},
    )
    return loop_class
