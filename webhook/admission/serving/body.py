"""The HTTP gate in front of the decoder: the right media type, and a body no larger than the limit.

The size is checked twice: the declared Content-Length before a byte of the body is read, and the
running count while streaming, since a chunked body declares nothing. Either way the request ends
with a 413 before the body is parsed, and the connection is closed instead of draining the rest.
The whole body must also arrive within a deadline: a client trickling it gets a 408 and the
connection is closed (the headers' deadline is in `deadlines`).
"""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request

from webhook.admission.serving.lifecycle import CLOSE


class RequestError(Exception):
    """The request cannot be taken as an AdmissionReview at all; answered with `status`, not a review."""

    def __init__(self, status: int, message: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = CLOSE if close else None


def check_content_type(headers: Headers) -> None:
    """`application/json`, optionally with `charset=utf-8` (JSON is UTF-8: RFC 8259 §8.1)."""
    media_type, _, params = headers.get("content-type", "").partition(";")
    if media_type.strip().lower() != "application/json" or _charset(params) not in ("utf-8", "utf8"):
        raise RequestError(415, "Content-Type must be application/json")


def _charset(params: str) -> str:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return "utf-8"


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body, whole within `timeout` seconds of the headers and no larger than `limit` bytes."""
    _check_declared_length(request.headers, limit)
    try:
        async with asyncio.timeout(timeout):
            return await _stream(request, limit)
    except TimeoutError:
        raise RequestError(408, f"request body not received within {timeout:g} s", close=True) from None
    except ClientDisconnect:
        raise RequestError(400, "the client disconnected before the body was complete", close=True) from None


async def _stream(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_declared_length(headers: Headers, limit: int) -> None:
    declared = headers.get("content-length")
    if declared is None:
        return
    if not (declared.isascii() and declared.isdigit()):
        raise RequestError(400, "Content-Length must be a number", close=True)
    # the length check first: int() refuses strings of more than 4300 digits
    digits = declared.lstrip("0") or "0"
    if len(digits) > len(str(limit)) or int(digits) > limit:
        raise _too_large(limit)


def _too_large(limit: int) -> RequestError:
    return RequestError(413, f"request body larger than {limit} bytes", close=True)
