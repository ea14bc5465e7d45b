"""The event loop (uvloop), with deadlines on the TLS handshake and on the TLS close.

uvicorn creates its server without `ssl_handshake_timeout`, so uvloop's default applies: a client that
opens a connection and never completes the handshake holds it for 60 s, out of reach of the header
deadline, which starts once the handshake is done (`deadlines`). Go's net/http gives the handshake
the header deadline (ReadHeaderTimeout); so do we. After the server closes a connection it waits for
the client's close_notify, 30 s by default; a client that never sends one would hold the drain after
SIGTERM that long, so the close gets a few seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import uvloop

TLS_CLOSE_TIMEOUT = 5.0  # seconds to wait for the client's close_notify before dropping the connection


class DeadlineLoop(uvloop.Loop):
    """uvloop, with the TLS deadlines given to every TLS server it creates."""

    handshake_timeout = 10.0  # set per server by `loop_factory`
    close_timeout = TLS_CLOSE_TIMEOUT

    # uvloop's stub says AbstractServer where asyncio's says Server: the override notes the difference
    async def create_server(self, *args: Any, **kwargs: Any) -> asyncio.AbstractServer:  # type: ignore[override]
        if kwargs.get("ssl") is not None:
            kwargs.setdefault("ssl_handshake_timeout", self.handshake_timeout)
            kwargs.setdefault("ssl_shutdown_timeout", self.close_timeout)
        return await super().create_server(*args, **kwargs)


def loop_factory(handshake_timeout: float) -> Callable[[], asyncio.AbstractEventLoop]:
    """A new `DeadlineLoop` class for each server (a Cython base takes no constructor arguments)."""
    loop_class: type[asyncio.AbstractEventLoop] = type(
        "DeadlineLoop", (DeadlineLoop,), {"handshake_timeout": handshake_timeout}
    )
    return loop_class
