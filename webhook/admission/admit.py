"""One checked AdmissionRequest in, one AdmissionReview response out: the bridge to the engine.

The request becomes a `policy.Request`, the engine decides on the inventory's in-memory view (no I/O,
no waiting), and the `Decision` becomes the response. The three kinds of failure stay apart: findings
are a denial (422 Invalid), a malformed review never gets here (HTTP 400), and an exception from the
engine is a bug, answered with a generic code 500 denial while the traceback goes to the log with
the request's uid (style.md practice 8).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from webhook.admission.decode import is_configmap
from webhook.admission.metrics import Outcome
from webhook.admission.ports import InventoryLike
from webhook.admission.respond import from_decision, internal_error, review
from webhook.admission.wire import AdmissionRequest, AdmissionReviewResponse
from webhook.engine.cluster import ClusterView
from webhook.engine.policy import Decision, Request, Targeting

Decide = Callable[[Request, ClusterView, Targeting], Decision]
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    review: AdmissionReviewResponse
    outcome: Outcome
    decision: Decision | None = None


def admit(
    request: AdmissionRequest, inventory: InventoryLike, targeting: Targeting, decide: Decide
) -> Answer:
    uid = request["uid"]
    if not is_configmap(request):
        return Answer(review(uid, True), Outcome.SKIPPED)
    try:
        decision = decide(to_policy_request(request), inventory.view(), targeting)
        response = from_decision(uid, decision)
    except Exception:
        log.exception("internal error while deciding", extra={"uid": uid})
        return Answer(internal_error(uid), Outcome.ERROR)
    return Answer(response, outcome_of(decision), decision)


def to_policy_request(request: AdmissionRequest) -> Request:
    obj, old = request.get("object"), request.get("oldObject")
    # The request's own name and namespace are authoritative; the object's metadata fills in the
    # name of a DELETE from older apiservers and of a CREATE that only names itself in the object.
    metadata = (obj or old or {}).get("metadata") or {}
    return Request(
        operation=request["operation"],
        namespace=request.get("namespace") or metadata.get("namespace") or "",
        name=request.get("name") or metadata.get("name") or "",
        object=obj,
        old_object=old,
        dry_run=request.get("dryRun", False),
    )


def outcome_of(decision: Decision) -> Outcome:
    if not decision.applies:
        return Outcome.SKIPPED
    return Outcome.ALLOWED if decision.allowed else Outcome.DENIED
