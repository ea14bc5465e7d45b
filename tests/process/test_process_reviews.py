"""The real server over real TLS: denials and warnings, and what its log says (and never says)."""

from __future__ import annotations

import json

import pytest
from process_support import review_body, wait_for_entry
from tls_process import WebhookProcess, client_context, once

pytestmark = pytest.mark.timeout(120)

SECRET = "S3cr3t_7f1d9c2e_DO_NOT_LOG"  # not a valid name either: denials quote it back


def post(server: WebhookProcess, body: bytes) -> tuple[int, object]:
    reply = once(server.port, client_context(server.pki.ca_file), "POST", "/validate", body)
    return reply.status, reply.body


def test_a_bad_config_is_denied_over_https(server: WebhookProcess) -> None:
    status, body = post(server, review_body("deny", "uid-deny-1"))
    assert status == 200
    response = body["response"]  # type: ignore[index]
    assert response["uid"] == "uid-deny-1"
    assert response["allowed"] is False
    assert (response["status"]["code"], response["status"]["reason"]) == (422, "Invalid")
    assert "loadConcurrency.globalConfig" in response["status"]["message"]


def test_a_questionable_config_is_allowed_with_warnings_over_https(server: WebhookProcess) -> None:
    status, body = post(server, review_body("warn", "uid-warn-1"))
    assert status == 200
    response = body["response"]  # type: ignore[index]
    assert (response["uid"], response["allowed"]) == ("uid-warn-1", True)
    assert any("matches none of the" in w for w in response["warnings"])


def test_each_review_is_one_structured_log_line_carrying_its_uid(server: WebhookProcess) -> None:
    post(server, review_body("deny", "uid-logged-1"))
    line = wait_for_entry(server, lambda e: e.get("uid") == "uid-logged-1")
    assert {"time", "level", "logger", "message"} <= line.keys()
    assert (line["message"], line["level"], line["decision"]) == ("admission review", "info", "denied")
    assert len([e for e in server.lines if e.get("uid") == "uid-logged-1"]) == 1
    assert len(server.lines) == len(server.raw_stderr), "a log line that is not JSON"


def config_with(value: str) -> str:
    return json.dumps({"loadConcurrency": {"globalConfig": 1}, "priorityClassName": value})


def cm(data: dict[str, str], **metadata: object) -> dict[str, object]:
    meta = {"name": "node-agent-config", "namespace": "velero", **metadata}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


# Where a ConfigMap's data (here, a secret) can sit in a request, and the HTTP status it gets; none of it
# may reach the log.
SECRET_CARRIERS = [
    (
        "an invalid value, quoted back in the denial",
        200,
        {"object": cm({"node-agent-config.json": config_with(SECRET)})},
    ),
    (
        "an unknown field name, named in the denial",
        200,
        {"object": cm({"node-agent-config.json": json.dumps({SECRET: 1})})},
    ),
    ("another key of the ConfigMap", 200, {"object": cm({"node-agent-config.json": "{}", "notes": SECRET})}),
    ("a config that is not JSON", 200, {"object": cm({"node-agent-config.json": "{" + SECRET})}),
    ("an annotation", 200, {"object": cm({"node-agent-config.json": "{}"}, annotations={"a": SECRET})}),
    (
        "the old object of an UPDATE",
        200,
        {"operation": "UPDATE", "oldObject": cm({"node-agent-config.json": SECRET})},
    ),
    ("a DELETE's old object", 200, {"operation": "DELETE", "object": None, "oldObject": cm({"x": SECRET})}),
    ("an object of the wrong type", 400, {"object": SECRET}),
    ("data of the wrong type", 400, {"object": {**cm({}), "data": [SECRET]}}),
]


def test_the_log_never_carries_configmap_data(server: WebhookProcess) -> None:
    answers = [
        post(server, review_body("warn", f"uid-secret-{i}", **changes))
        for i, (_w, _s, changes) in enumerate(SECRET_CARRIERS)
    ]
    truncated = post(server, b'{"apiVersion": "admission.k8s.io/v1", "request": "' + SECRET.encode())
    assert [status for status, _ in answers] == [status for _w, status, _c in SECRET_CARRIERS]
    assert truncated[0] == 400
    # the control: the secret went where it could leak (the denials quote it back to the user)
    assert SECRET in json.dumps(answers[0][1]) and SECRET in json.dumps(answers[1][1])
    # each line is written before its answer is sent: once the marker's line is read, all of them are
    post(server, review_body("warn", "uid-secret-end"))
    wait_for_entry(server, lambda e: e.get("uid") == "uid-secret-end")
    reviewed = [e for e in server.lines if str(e.get("uid", "")).startswith("uid-secret-")]
    assert len(reviewed) == sum(1 for _w, status, _c in SECRET_CARRIERS if status == 200) + 1
    assert not [raw for raw in server.raw_stderr if SECRET in raw]
