"""The AdmissionReview `admission.k8s.io/v1` wire format, typed: what the apiserver sends and expects.

Only the wire is typed here (kopf `reviews.py`); the decision works on `policy.Request`. Field names are
the JSON names, hence camelCase. `total=False` marks what the apiserver may omit (`omitempty`).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, Required, TypedDict

API_VERSION = "admission.k8s.io/v1"
KIND = "AdmissionReview"
OPERATIONS = ("CREATE", "UPDATE", "DELETE", "CONNECT")

Operation = Literal["CREATE", "UPDATE", "DELETE", "CONNECT"]


class GroupVersionKind(TypedDict):
    group: str
    version: str
    kind: str


class GroupVersionResource(TypedDict):
    group: str
    version: str
    resource: str


class UserInfo(TypedDict, total=False):
    username: str
    uid: str
    groups: list[str]
    extra: dict[str, list[str]]


class AdmissionRequest(TypedDict, total=False):
    uid: Required[str]
    kind: Required[GroupVersionKind]
    operation: Required[Operation]
    resource: GroupVersionResource
    subResource: str
    requestKind: GroupVersionKind
    requestResource: GroupVersionResource
    requestSubResource: str
    name: str
    namespace: str
    userInfo: UserInfo
    object: dict[str, Any] | None
    oldObject: dict[str, Any] | None
    options: dict[str, Any] | None
    dryRun: bool


class AdmissionReviewRequest(TypedDict):
    apiVersion: str
    kind: str
    request: AdmissionRequest


class Status(TypedDict):
    """The metav1.Status of a denial; code and reason always set (statuserror.go differs by version)."""

    code: int
    reason: str
    message: str


class AdmissionResponse(TypedDict):
    uid: str
    allowed: bool
    status: NotRequired[Status]
    warnings: NotRequired[list[str]]


class AdmissionReviewResponse(TypedDict):
    apiVersion: str
    kind: str
    response: AdmissionResponse
