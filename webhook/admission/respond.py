"""AdmissionReview responses and HTTP error bodies.

The apiserver checks a v1 response strictly (`VerifyAdmissionResponse`): same apiVersion and kind,
the request's uid, a boolean `allowed`, and no `patch`/`patchType` from a validating webhook. A denial
always carries `code` and `reason` (statuserror.go fills in different defaults across versions), so
kubectl 1.37 prints `The request is invalid: error when creating "<file>": admission webhook "..." denied
the request: <message>` (tests/e2e/test_denials.py, against a real kube-apiserver).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from starlette.responses import Response

from webhook.admission.wire import API_VERSION, KIND, AdmissionResponse, AdmissionReviewResponse, Status
from webhook.engine.policy import Decision

INVALID = Status(code=422, reason="Invalid", message="")
INTERNAL_ERROR = Status(code=500, reason="InternalError", message="internal error")  # details: the log only
JSON = "application/json"


def review(
    uid: str, allowed: bool, status: Status | None = None, warnings: Sequence[str] = ()
) -> AdmissionReviewResponse:
    response = AdmissionResponse(uid=uid, allowed=allowed)
    if status is not None:
        response["status"] = status
    if warnings:
        response["warnings"] = list(warnings)
    return AdmissionReviewResponse(apiVersion=API_VERSION, kind=KIND, response=response)


def from_decision(uid: str, decision: Decision) -> AdmissionReviewResponse:
    if decision.allowed:
        return review(uid, True, warnings=decision.warnings)
    status = Status(code=INVALID["code"], reason=INVALID["reason"], message=decision.message or "denied")
    return review(uid, False, status, decision.warnings)


def internal_error(uid: str) -> AdmissionReviewResponse:
    return review(uid, False, INTERNAL_ERROR)


def json_response(
    content: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type=JSON, headers=headers)


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A request that is not an AdmissionReview gets an HTTP error, not a review: `{"error": ...}`."""
    return json_response({"error": message}, status, headers)
