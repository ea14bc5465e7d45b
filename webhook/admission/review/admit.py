"""One checked AdmissionRequest in, one AdmissionReview response out: the bridge to the engine.

Each operation maps to one of the engine's answers (a table, not branches): CREATE and UPDATE are
checked, DELETE gets warnings only, CONNECT is none of ours. The engine decides on the view of the
cluster it is handed (no I/O, no waiting), and the `Decision` becomes the response. The three kinds
of failure stay apart: findings are a denial (422 Invalid), a malformed review never gets here
(HTTP 400), and an exception from the engine is a bug, answered with a generic code 500 denial
while the traceback goes to the log with the request's uid (style.md practice 8).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from webhook.admission.review.outcome import Outcome
from webhook.admission.review.respond import from_decision, internal_error, review
from webhook.admission.review.wire import AdmissionRequest, AdmissionReviewResponse
from webhook.engine import (
    ALLOW_UNTOUCHED,
    ClusterView,
    Decision,
    Request,
    Targeting,
    check_delete,
    check_write,
)

Check = Callable[[Request, ClusterView, Targeting], Decision]
OPERATIONS: Mapping[str, Check] = {"CREATE": check_write, "UPDATE": check_write, "DELETE": check_delete}
Decide = Callable[[str, Request, ClusterView, Targeting], Decision]
log = logging.getLogger(__name__)


def by_operation(operation: str, request: Request, view: ClusterView, targeting: Targeting) -> Decision:
    check = OPERATIONS.get(operation)
    return ALLOW_UNTOUCHED if check is None else check(request, view, targeting)


@dataclass(frozen=True, slots=True)
class Answer:
    review: AdmissionReviewResponse
    outcome: Outcome
    decision: Decision | None = None


def admit(
    request: AdmissionRequest,
    view: ClusterView | Exception,
    targeting: Targeting,
    engine: Decide = by_operation,
) -> Answer:
    """`request` is a ConfigMap's (webhook.admission.review.parse says which reviews are); `view` is
    the cluster as the inventory showed it, or the fault that showing it raised (a bug as well)."""
    uid = request["uid"]
    engine_request = to_engine_request(request)
    try:
        if isinstance(view, Exception):
            raise view
        decision = engine(request["operation"], engine_request, view, targeting)
        response = from_decision(uid, engine_request.name, decision)
    except Exception:
        log.exception("internal error while deciding", extra={"uid": uid})
        return Answer(internal_error(uid), Outcome.ERROR)
    return Answer(response, outcome_of(decision), decision)


def skipped(request: AdmissionRequest) -> Answer:
    """A review of anything but a ConfigMap: allowed untouched."""
    return Answer(review(request["uid"], True), Outcome.SKIPPED)


def to_engine_request(request: AdmissionRequest) -> Request:
    obj, old = request.get("object"), request.get("oldObject")
    # The request's own name and namespace are authoritative; the object's metadata fills in the
    # name of a DELETE from older apiservers and of a CREATE that only names itself in the object.
    metadata = (obj or old or {}).get("metadata") or {}
    return Request(
        namespace=request.get("namespace") or metadata.get("namespace") or "",
        name=request.get("name") or metadata.get("name") or "",
        object=obj,
        old_object=old,
    )


def outcome_of(decision: Decision) -> Outcome:
    if not decision.applies:
        return Outcome.SKIPPED
    return Outcome.ALLOWED if decision.allowed else Outcome.DENIED
