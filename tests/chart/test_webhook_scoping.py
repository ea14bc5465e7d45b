"""The ValidatingWebhookConfiguration is scoped so tightly that failurePolicy Fail cannot hurt the cluster.

ConfigMaps only, in the Velero namespaces only, with the node-agent ConfigMap names only, decided by the
API server itself (namespaceSelector + matchConditions) before it ever calls the webhook.
The CEL expressions are compared as exact text: their meaning is pinned by reading them here.
"""

from __future__ import annotations

import re

import pytest

from .conftest import FULLNAME, NAMESPACE, Doc, Manifests, ci_file, render, render_error

# On DELETE `object` is null: the name must come from oldObject (request.name is empty on a CREATE with
# generateName, so the object is the reliable source).
NAME_EXPR = "(object != null ? object.metadata.name : oldObject.metadata.name)"
EXCLUDE_ROOT_CA = f"{NAME_EXPR} != 'kube-root-ca.crt'"


def names_expr(*names: str) -> str:
    return f"{NAME_EXPR} in [{', '.join(repr(n) for n in names)}]"


def webhook(m: Manifests) -> Doc:
    vwc = m.one("ValidatingWebhookConfiguration", FULLNAME)
    assert len(vwc["webhooks"]) == 1
    hook: Doc = vwc["webhooks"][0]
    return hook


def test_every_field_of_the_default_webhook(default: Manifests) -> None:
    hook = webhook(default)
    assert hook == {
        "name": "node-agent-config.velero.io",
        "admissionReviewVersions": ["v1"],
        "sideEffects": "None",
        "failurePolicy": "Fail",
        "matchPolicy": "Equivalent",
        "timeoutSeconds": 5,
        "clientConfig": {
            "service": {"name": FULLNAME, "namespace": NAMESPACE, "path": "/validate", "port": 443},
            "caBundle": hook["clientConfig"]["caBundle"],  # tests/chart/test_certificates.py
        },
        "rules": [
            {
                "apiGroups": [""],
                "apiVersions": ["v1"],
                "resources": ["configmaps"],
                "operations": ["CREATE", "UPDATE", "DELETE"],
                "scope": "Namespaced",
            }
        ],
        "namespaceSelector": {
            "matchExpressions": [
                {"key": "kubernetes.io/metadata.name", "operator": "In", "values": [NAMESPACE]}
            ]
        },
        "matchConditions": [
            {"name": "exclude-kube-root-ca", "expression": EXCLUDE_ROOT_CA},
            {"name": "node-agent-configmap-names", "expression": names_expr("node-agent-config")},
        ],
    }
    # no objectSelector: labels are the user's to set, so one could opt out by labelling the ConfigMap
    assert "objectSelector" not in hook


def test_the_exact_cel_text() -> None:
    assert names_expr("node-agent-config", "x") == (
        "(object != null ? object.metadata.name : oldObject.metadata.name) in ['node-agent-config', 'x']"
    )
    assert EXCLUDE_ROOT_CA == (
        "(object != null ? object.metadata.name : oldObject.metadata.name) != 'kube-root-ca.crt'"
    )


def test_every_ci_file_keeps_the_scoping(ci: tuple[str, Manifests]) -> None:
    name, m = ci
    hook = webhook(m)
    assert hook["rules"] == [
        {
            "apiGroups": [""],
            "apiVersions": ["v1"],
            "resources": ["configmaps"],
            "operations": ["CREATE", "UPDATE", "DELETE"],
            "scope": "Namespaced",
        }
    ], name
    assert hook["sideEffects"] == "None"
    assert hook["admissionReviewVersions"] == ["v1"]
    assert hook["matchPolicy"] == "Equivalent"
    assert hook["failurePolicy"] == "Fail"
    assert hook["timeoutSeconds"] == 5
    selector = hook["namespaceSelector"]
    assert list(selector) == ["matchExpressions"]
    [expr] = selector["matchExpressions"]
    assert expr["key"] == "kubernetes.io/metadata.name" and expr["operator"] == "In"
    assert "kube-system" not in expr["values"] and expr["values"]
    conditions = hook["matchConditions"]
    assert conditions[0] == {"name": "exclude-kube-root-ca", "expression": EXCLUDE_ROOT_CA}
    assert conditions[1]["name"] == "node-agent-configmap-names"
    assert re.fullmatch(
        re.escape(NAME_EXPR) + r" in \['[a-z0-9.-]+'(, '[a-z0-9.-]+')*\]", conditions[1]["expression"]
    )
    assert "kube-root-ca.crt" not in conditions[1]["expression"]
    assert len(conditions) == 2


def test_namespaces_and_names_from_values() -> None:
    hook = webhook(render([ci_file("chart-certs")]))
    assert hook["namespaceSelector"]["matchExpressions"][0]["values"] == ["velero", "velero-dr"]
    # configured names first, then the names the node-agent DaemonSets pass in --node-agent-configmap=
    assert hook["matchConditions"][1]["expression"] == names_expr(
        "node-agent-config", "node-agent-config-custom"
    )


def test_names_are_deduplicated() -> None:
    hook = webhook(render(sets=["velero.configMapNames={a,b}", "velero.extraConfigMapNames={b,c}"]))
    assert hook["matchConditions"][1]["expression"] == names_expr("a", "b", "c")


def test_failure_policy_and_timeout_are_values() -> None:
    hook = webhook(render(sets=["webhook.failurePolicy=Ignore", "webhook.timeoutSeconds=3"]))
    assert (hook["failurePolicy"], hook["timeoutSeconds"]) == ("Ignore", 3)


@pytest.mark.parametrize(
    "setting",
    [
        "velero.configMapNames={kube-root-ca.crt}",
        "velero.extraConfigMapNames={kube-root-ca.crt}",
        "velero.configMapNames={node-agent-config,kube-root-ca.crt}",
    ],
)
def test_kube_root_ca_can_never_be_listed(setting: str) -> None:
    # the schema refuses it...
    err = render_error(sets=[setting])
    assert "onfigMapNames/" in err and "'not' failed" in err, err
    # ...and so does the template when the schema is skipped
    err = render_error(sets=[setting], extra=["--skip-schema-validation"])
    assert "kube-root-ca.crt may not be a checked ConfigMap name" in err, err


def test_url_mode_points_at_the_url() -> None:
    hook = webhook(render([ci_file("url")]))
    assert hook["clientConfig"]["url"] == "https://127.0.0.1:8443/validate"
    assert "service" not in hook["clientConfig"]
    # the scoping does not depend on where the server runs
    assert hook["matchConditions"][0]["expression"] == EXCLUDE_ROOT_CA


def test_operations_match_policy_and_side_effects_are_values() -> None:
    hook = webhook(
        render(
            sets=[
                "webhook.operations={CREATE,UPDATE}",
                "webhook.matchPolicy=Exact",
                "webhook.sideEffects=NoneOnDryRun",
            ]
        )
    )
    assert hook["rules"][0]["operations"] == ["CREATE", "UPDATE"]
    assert (hook["matchPolicy"], hook["sideEffects"]) == ("Exact", "NoneOnDryRun")
    assert hook["admissionReviewVersions"] == ["v1"]


@pytest.mark.parametrize(
    "setting",
    [
        "webhook.operations={CREATE,CONNECT}",
        "webhook.operations={*}",
        "webhook.operations={}",
        "webhook.sideEffects=Some",
        "webhook.sideEffects=Unknown",
        "webhook.admissionReviewVersions={v1,v1beta1}",
        "webhook.admissionReviewVersions={v1beta1}",
        "webhook.matchPolicy=Loose",
    ],
)
def test_the_schema_keeps_the_scoping_values_safe(setting: str) -> None:
    name = setting.split("=", maxsplit=1)[0].split(".")[1]
    assert f"/webhook/{name}" in render_error(sets=[setting])
