"""AdmissionReview responses: allowed, denied with every finding, or an internal error.

The apiserver checks a v1 response strictly (`VerifyAdmissionResponse`): same apiVersion and kind,
the request's uid, a boolean `allowed`, and no `patch`/`patchType` from a validating webhook. A denial
always carries `code` and `reason` (statuserror.go fills in different defaults across versions), so
kubectl 1.37 prints `The request is invalid: error when creating "<file>": admission webhook "..." denied
the request: <message>` (tests/e2e/test_denials.py, against a real kube-apiserver).
"""

from __future__ import annotations

from collections.abc import Sequence

from webhook.admission.review.message import denial_message
from webhook.admission.review.warnings import limit_warnings
from webhook.admission.review.wire import (
    API_VERSION,
    KIND,
    AdmissionResponse,
    AdmissionReviewResponse,
    Status,
)
from webhook.engine import Decision

INVALID = Status(code=422, reason="Invalid", message="")
INTERNAL_ERROR = Status(code=500, reason="InternalError", message="internal error")  # details: the log only


def review(
    uid: str, allowed: bool, status: Status | None = None, warnings: Sequence[str] = ()
) -> AdmissionReviewResponse:
    response = AdmissionResponse(uid=uid, allowed=allowed)
    if status is not None:
        response["status"] = status
    if warnings:
        response["warnings"] = list(warnings)
    return AdmissionReviewResponse(apiVersion=API_VERSION, kind=KIND, response=response)


def from_decision(uid: str, name: str, decision: Decision) -> AdmissionReviewResponse:
    """The decision's findings rendered for the apiserver: warnings within its header limits, the
    errors as one message within kubectl's reading limit."""
    warnings = limit_warnings(str(w) for w in decision.warnings)
    if decision.allowed:
        return review(uid, True, warnings=warnings)
    message = denial_message(name, decision.errors)
    status = Status(code=INVALID["code"], reason=INVALID["reason"], message=message)
    return review(uid, False, status, warnings)


def internal_error(uid: str) -> AdmissionReviewResponse:
    return review(uid, False, INTERNAL_ERROR)
