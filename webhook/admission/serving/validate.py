"""POST /validate: gate, decode, decide, answer; one log line and the metrics for each request.

Nothing here waits on anything but the request body: the decision reads the inventory's in-memory
view, on the event loop, or in a worker thread for a body over `LARGE_BODY` (webhook.admission.offload).
The log line names the request (uid, operation, namespace/name) and the outcome, never the
ConfigMap's data or the review itself, which can carry user information (style.md anti-pattern 4).
"""

from __future__ import annotations

import logging
import time
from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from webhook.admission.review.admit import Answer, Decide, admit, skipped
from webhook.admission.review.parse import MalformedReviewError, parse_review
from webhook.admission.review.wire import AdmissionRequest, AdmissionReviewRequest
from webhook.admission.serving.body import RequestError, check_content_type, read_body
from webhook.admission.serving.lifecycle import Lifecycle
from webhook.admission.serving.metrics import Metrics
from webhook.admission.serving.offload import LARGE_BODY, Offload, detached
from webhook.admission.serving.ports import InventoryLike
from webhook.admission.serving.responses import error_response, json_response
from webhook.admission.serving.settings import Settings
from webhook.engine import ClusterView

log = logging.getLogger("webhook.admission")
HEADER_SHOWN = 64  # characters of a client's header in a log line


class ValidateEndpoint:
    def __init__(
        self,
        settings: Settings,
        inventory: InventoryLike,
        metrics: Metrics,
        lifecycle: Lifecycle,
        decide: Decide,
        offload: Offload,
    ) -> None:
        self.settings = settings
        self.inventory = inventory
        self.metrics = metrics
        self.lifecycle = lifecycle
        self.decide = decide
        self.offload = offload

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        try:
            check_content_type(request.headers)
            body = await read_body(request, self.settings.max_body_bytes, self.settings.body_timeout)
            if len(body) > LARGE_BODY:
                view = self._view(detach=self.inventory.changing)  # on the loop, where it is written
                doc, answer = await self.offload.run(partial(self._decide, body, view), len(body))
            else:
                doc, answer = self._decide(body, self._view())
        except RequestError as problem:
            return self._refuse(request, problem.status, problem.message, started, problem.headers)
        except MalformedReviewError as malformed:
            return self._refuse(request, 400, f"not an AdmissionReview: {malformed}", started)
        elapsed = time.perf_counter() - started
        self.metrics.observe(doc["request"]["operation"], answer.outcome, elapsed)
        _log_answer(doc["request"], answer, elapsed, request.query_params.get("timeout"))
        return json_response(answer.review, headers=self.lifecycle.headers())

    def _view(self, detach: bool = False) -> ClusterView | Exception:
        """The inventory's view, or the fault reading it raised, answered as an engine fault would be."""
        try:
            view = self.inventory.view()
            return detached(view) if detach else view
        except Exception as fault:
            return fault

    def _decide(self, body: bytes, view: ClusterView | Exception) -> tuple[AdmissionReviewRequest, Answer]:
        """Parse and decide: on the loop, or for a large body in the worker (serving.offload)."""
        parsed = parse_review(body, self.settings.max_depth)
        request = parsed.doc["request"]
        if not parsed.configmap:
            return parsed.doc, skipped(request)
        return parsed.doc, admit(request, view, self.settings.targeting, self.decide)

    def _refuse(
        self,
        request: Request,
        status: int,
        message: str,
        started: float,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """A 4xx before any review: one line saying who and why (the message names at most a field,
        never a value), and the answer."""
        self.metrics.reject(status)
        extra = {
            "status": status,
            "reason": message,
            "client": _client(request),
            "content_type": _media_type(request),  # what was sent instead of JSON, for a 415
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        }
        log.warning("request refused", extra=extra)
        return error_response(status, message, headers or self.lifecycle.headers())


def _media_type(request: Request) -> str:
    """The media type a client declared, without its parameters, cut short: a header, not a payload."""
    return request.headers.get("content-type", "").partition(";")[0].strip()[:HEADER_SHOWN]


def _client(request: Request) -> str:
    client = request.client
    return f"{client.host}:{client.port}" if client else ""


def _log_answer(request: AdmissionRequest, answer: Answer, elapsed: float, timeout: str | None) -> None:
    decision = answer.decision
    log.info(
        "admission review",
        extra={
            "uid": request["uid"],
            "operation": request["operation"],
            "namespace": request.get("namespace", ""),
            "object_name": request.get("name", ""),  # `name` belongs to the LogRecord
            "kind": request["kind"]["kind"],
            "dry_run": request.get("dryRun", False),
            "decision": answer.outcome.value,
            "errors": len(decision.errors) if decision else 0,
            "warnings": len(decision.warnings) if decision else 0,
            "duration_ms": round(elapsed * 1000, 3),
            "timeout": timeout,  # the apiserver's deadline for this call, e.g. "10s"
        },
    )
