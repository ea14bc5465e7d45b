"""A read deadline for request headers, which uvicorn does not have.

uvicorn times out an idle kept-alive connection, but once a byte of a request has arrived, or on a
fresh connection before any byte, it waits for the rest of the headers forever: a client that trickles
them (slowloris) holds a connection and its memory for as long as it likes. Go's `ReadHeaderTimeout`
is the model: the request line and headers must be in within `header_timeout` of the connection
opening or of the first byte of the next request; otherwise the connection is closed without an
answer. The body has its own deadline, in `body.read_body`, because the app reads it.

Nor does httptools limit the size of the headers: within the deadline one client could send hundreds
of megabytes of them, all kept in memory (570 MB in 6 s, measured). Past `max_header_bytes` (64 KiB
of request line and headers, far above the few hundred bytes the apiserver sends) the answer is a
431 and the connection closes.
"""

from __future__ import annotations

import asyncio
import logging

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("webhook.server")


class HeadersTooLargeError(Exception):
    """Raised inside the parser's callbacks to stop it reading more headers."""


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections whose request headers come in too slowly."""

    header_timeout = 10.0  # set per server by `with_header_timeout`
    max_header_bytes = 64 * 1024
    _header_timer: asyncio.TimerHandle | None = None
    _header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a byte is not idle keep-alive: uvicorn waits forever

    def on_message_begin(self) -> None:
        self._header_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.max_header_bytes:
            # httptools stops parsing at a callback's exception; uvicorn then calls send_400_response
            raise HeadersTooLargeError

    def send_400_response(self, msg: str) -> None:
        if self._header_bytes > self.max_header_bytes:
            self._headers_too_large()
        else:
            super().send_400_response(msg)
        if self._header_timer is None:
            self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            log.warning(
                "closed a connection: request headers not complete in time",
                extra={"client": _address(self.client), "header_timeout": self.header_timeout},
            )
            self.transport.close()

    def _headers_too_large(self) -> None:
        self._disarm()
        log.warning(
            "closed a connection: request headers too large",
            extra={"client": _address(self.client), "max_header_bytes": self.max_header_bytes},
        )
        msg = b"request headers larger than %d bytes" % self.max_header_bytes
        head = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
        self.transport.write(head + b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(msg), msg))
        self.transport.close()


def with_header_timeout(seconds: float) -> type[HeaderDeadlineProtocol]:
    """The protocol class for uvicorn's `http=`, with this server's header deadline."""
    return type("HeaderDeadlineProtocol", (HeaderDeadlineProtocol,), {"header_timeout": seconds})


def _address(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else ""
