"""uvicorn, configured for a webhook, with a drain on SIGTERM.

On SIGTERM the pod is first reported not ready while it keeps answering for `shutdown_delay` seconds:
the endpoint controller and the apiserver need that long to stop sending (kubernetes#127335,
Gatekeeper's --shutdown-delay). Then uvicorn's own graceful shutdown runs: stop accepting, close idle
kept-alive connections, let in-flight requests finish, run the lifespan shutdown (the inventory
stops), and the process exits 0. SIGINT (Ctrl+C) skips the delay; a second signal ends the drain.

uvicorn re-raises the signal it caught once it has shut down, which would end the process with
"terminated" instead of 0; this server handles the signals itself and does not.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import ssl
import time
from types import FrameType

import uvicorn
from fastapi import FastAPI

from webhook.admission.serving.deadlines import with_header_timeout
from webhook.admission.serving.lifecycle import Lifecycle
from webhook.admission.serving.settings import Settings
from webhook.admission.serving.tls_loop import loop_factory

log = logging.getLogger("webhook.server")


class DrainingServer(uvicorn.Server):
    def __init__(
        self, config: uvicorn.Config, lifecycle: Lifecycle, delay: float, handshake_timeout: float = 10.0
    ) -> None:
        super().__init__(config)
        self.lifecycle = lifecycle
        self.delay = delay
        self.handshake_timeout = handshake_timeout
        self.drain_since: float | None = None
        self._announced = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Runs inside a signal handler: set flags only, log from on_tick.
        if self.drain_since is not None or sig == signal.SIGINT:
            self.force_exit = self.should_exit and sig == signal.SIGINT
            self.should_exit = True
        else:
            self.drain_since = time.monotonic()
        self.lifecycle.begin_shutdown()

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn's own run, with our loop: the TLS handshake and close get deadlines (tls_loop)
        with asyncio.Runner(loop_factory=loop_factory(self.handshake_timeout)) as runner:
            runner.run(self.serve(sockets=sockets))

    async def on_tick(self, counter: int) -> bool:
        if self.drain_since is not None:
            self._announce()
            if time.monotonic() - self.drain_since >= self.delay:
                self.should_exit = True
        return await super().on_tick(counter)

    def _announce(self) -> None:
        if not self._announced:
            self._announced = True
            log.info("SIGTERM: not ready, draining", extra={"shutdown_delay": self.delay})


def build_config(app: FastAPI, settings: Settings, context: ssl.SSLContext) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",  # what uvicorn would use; DrainingServer.run makes it a tls_loop.DeadlineLoop
        http=with_header_timeout(settings.header_timeout),  # httptools, with a deadline for headers
        ws="none",
        lifespan="on",
        workers=1,
        # our context: strong TLS settings, and the certificate reloads into it (webhook.certs.tls)
        ssl_context_factory=lambda _config, _default: context,
        timeout_keep_alive=settings.keep_alive_timeout,
        timeout_graceful_shutdown=settings.graceful_timeout,
        log_config=None,  # the process's logging (json or text) is set up by the CLI
        access_log=False,  # the app writes one line per review, with what matters
        server_header=False,
        proxy_headers=False,
    )


def serve(app: FastAPI, settings: Settings, context: ssl.SSLContext, lifecycle: Lifecycle) -> None:
    """Run until SIGTERM or SIGINT and the drain are over; returns normally (exit 0)."""
    config = build_config(app, settings, context)
    # the handshake gets the header deadline, as in Go's net/http
    DrainingServer(config, lifecycle, settings.shutdown_delay, settings.header_timeout).run()
