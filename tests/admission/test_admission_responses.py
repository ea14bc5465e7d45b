"""The exact AdmissionReview answers, the internal-error path, what reaches the engine, the log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from admission_support import FakeInventory, admission_review, client, configmap, example, post

from webhook.admission.serving.logs import JsonFormatter
from webhook.engine import (
    DEFAULT_KIND,
    ROOT,
    ClusterView,
    Decision,
    FieldWarning,
    Request,
    Role,
    Targeting,
    Version,
)
from webhook.engine.core import field as f

UID = "0f3c8e0a-5b7e-4d1c-9a61-6c2f9b1d2e40"
REVIEW = admission_review("CREATE", configmap({"loadConcurrency": {"globalConfig": 2}}), uid=UID)
ROLE = Role(DEFAULT_KIND, Version(1, 18, 2), ())
ERROR = f.invalid(ROOT.child("a"), 0, "must be 1")


def warned(*texts: str) -> list[FieldWarning]:
    return [FieldWarning(ROOT, t) for t in texts]


def deciding(decision: Decision) -> Any:
    def decide(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
        return decision

    return decide


def answer(decision: Decision) -> dict[str, Any]:
    with client(decide=deciding(decision)) as c:
        http = post(c, REVIEW)
    assert http.status_code == 200
    assert http.headers["content-type"] == "application/json"
    body: dict[str, Any] = http.json()
    return body


def envelope(response: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}


SHAPES = {
    "a denial carries code 422, reason Invalid, the message and the warnings": (
        Decision((ROLE,), [ERROR], warned("w1", "w2")),
        {
            "uid": UID,
            "allowed": False,
            "status": {
                "code": 422,
                "reason": "Invalid",
                "message": 'ConfigMap "node-agent-config" is invalid: a: Invalid value: 0: must be 1',
            },
            "warnings": ["w1", "w2"],
        },
    ),
    "a denial without warnings has no warnings field": (
        Decision((ROLE,), [ERROR]),
        {
            "uid": UID,
            "allowed": False,
            "status": {
                "code": 422,
                "reason": "Invalid",
                "message": 'ConfigMap "node-agent-config" is invalid: a: Invalid value: 0: must be 1',
            },
        },
    ),
    "an allowed config with warnings has no status": (
        Decision((ROLE,), [], warned("w")),
        {"uid": UID, "allowed": True, "warnings": ["w"]},
    ),
    "an allowed config without warnings is the bare minimum": (
        Decision((ROLE,)),
        {"uid": UID, "allowed": True},
    ),
    "a ConfigMap the engine does not check is allowed untouched": (
        Decision(),
        {"uid": UID, "allowed": True},
    ),
}


@pytest.mark.parametrize(("decision", "response"), SHAPES.values(), ids=SHAPES.keys())
def test_response_shape(decision: Decision, response: dict[str, Any]) -> None:
    assert answer(decision) == envelope(response)


def failing(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    raise RuntimeError("secret internals")


class BrokenInventory(FakeInventory):
    def view(self) -> ClusterView:
        raise KeyError("no view")


@pytest.mark.parametrize(
    ("inventory", "decide"),
    [(FakeInventory(), failing), (BrokenInventory(), deciding(Decision((ROLE,))))],
    ids=["the engine raises", "the inventory raises"],
)
def test_an_internal_fault_is_a_generic_code_500_denial_and_a_logged_traceback(
    inventory: FakeInventory, decide: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with client(inventory, decide=decide) as c:
        http = post(c, REVIEW)
    assert http.status_code == 200
    assert http.json() == envelope(
        {
            "uid": UID,
            "allowed": False,
            "status": {"code": 500, "reason": "InternalError", "message": "internal error"},
        }
    )
    assert "secret internals" not in http.text
    faults = [r for r in caplog.records if r.exc_info and getattr(r, "uid", None) == UID]
    assert len(faults) == 1


def captured(review: dict[str, Any]) -> tuple[str, Request]:
    seen: list[tuple[str, Request]] = []

    def decide(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
        seen.append((operation, request))
        return Decision((ROLE,))

    with client(decide=decide) as c:
        assert post(c, review).status_code == 200
    assert len(seen) == 1
    return seen[0]


def test_the_engine_gets_operation_names_and_objects_and_a_dry_run_is_decided_alike() -> None:
    new, old = configmap({"a": 1}), configmap({"b": 2})
    operation, request = captured(admission_review("UPDATE", new, old, dry_run=True))
    assert (operation, request) == ("UPDATE", Request("velero", "node-agent-config", new, old))


def test_a_delete_from_an_apiserver_that_leaves_out_the_name_takes_it_from_old_object() -> None:
    old = configmap({"b": 2})
    operation, request = captured(admission_review("DELETE", None, old, name="", namespace=""))
    assert (operation, request.namespace, request.name, request.object) == (
        "DELETE",
        "velero",
        "node-agent-config",
        None,
    )


def test_one_log_line_per_review_names_it_and_never_holds_the_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    review = example("review-deny.json")
    secret_text = review["request"]["object"]["data"]["node-agent-config.json"]
    with client() as c:
        post(c, review, params={"timeout": "10s"})
    lines = [r for r in caplog.records if r.name == "webhook.admission"]
    assert len(lines) == 1
    fields = vars(lines[0])
    assert fields["uid"] == review["request"]["uid"]
    assert (fields["operation"], fields["namespace"], fields["object_name"]) == (
        "CREATE",
        "velero",
        "node-agent-config",
    )
    assert (fields["decision"], fields["timeout"]) == ("denied", "10s")
    assert fields["errors"] > 0
    assert fields["duration_ms"] >= 0
    text = JsonFormatter().format(lines[0])
    assert "Velero Critical" not in text and secret_text not in text
