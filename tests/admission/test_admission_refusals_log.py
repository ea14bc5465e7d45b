"""A request refused before any review is parsed leaves one log line: status, reason, client, and
never the body it carried."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from admission_support import AppClient, admission_review, client, configmap

from webhook.admission.serving.logs import JsonFormatter

SECRET = "S3cr3t-9d1e-never-logged"
REVIEW = json.dumps(admission_review("CREATE", configmap({"priorityClassName": SECRET}))).encode()
JSON = {"Content-Type": "application/json"}


async def trickled() -> AsyncIterator[bytes]:
    yield REVIEW[:100]
    await asyncio.sleep(1)
    yield REVIEW[100:]


def send(**kwargs: Any) -> Callable[[AppClient], Any]:
    return lambda c: c.post("/validate", **kwargs)


# What the client sends, the settings it meets, and the status and the start of the reason logged.
REFUSALS = {
    "not JSON": (
        send(content=b"{" + REVIEW, headers=JSON),
        {},
        400,
        "not an AdmissionReview: not valid JSON",
    ),
    "not an AdmissionReview": (
        send(content=REVIEW.replace(b"admission.k8s.io/v1", b"v1"), headers=JSON),
        {},
        400,
        "not an AdmissionReview: must be apiVersion",
    ),
    "a wrong Content-Type": (
        send(content=REVIEW, headers={"Content-Type": f"text/plain; note={SECRET}"}),
        {},
        415,
        "Content-Type must be application/json",
    ),
    "a declared length over the limit": (
        send(content=REVIEW, headers=JSON),
        {"max_body_bytes": 100},
        413,
        "request body larger than 100 bytes",
    ),
    "a chunked body over the limit": (
        send(content=trickled(), headers=JSON),
        {"max_body_bytes": 100},
        413,
        "request body larger than 100 bytes",
    ),
    "a body too slow": (
        send(content=trickled(), headers=JSON),
        {"body_timeout": 0.2},
        408,
        "request body not received within 0.2 s",
    ),
}


@pytest.mark.parametrize(
    ("request_", "overrides", "status", "reason"), REFUSALS.values(), ids=REFUSALS.keys()
)
def test_a_refused_request_is_one_line_with_status_reason_and_client(
    caplog: pytest.LogCaptureFixture,
    request_: Callable[[AppClient], Any],
    overrides: dict[str, Any],
    status: int,
    reason: str,
) -> None:
    caplog.set_level(logging.INFO, logger="webhook.admission")
    with client(**overrides) as c:
        assert request_(c).status_code == status
    lines = [r for r in caplog.records if r.name == "webhook.admission"]
    assert [r.getMessage() for r in lines] == ["request refused"]
    fields = vars(lines[0])
    assert (fields["status"], fields["client"], lines[0].levelname) == (status, "127.0.0.1:123", "WARNING")
    assert fields["reason"].startswith(reason)
    assert SECRET not in JsonFormatter().format(lines[0]), "no byte of the body, no long header"
