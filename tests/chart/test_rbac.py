"""RBAC, least privilege: the server reads nodes, storageclasses and priorityclasses cluster-wide and
Velero's workloads (daemonsets, deployments), BackupStorageLocations and BackupRepositories only in the
Velero namespaces (a Role per namespace), and nothing else; no wildcard anywhere.
The hooks' own accounts get exactly what their one job needs.
"""

from __future__ import annotations

import pytest

from .conftest import FULLNAME, NAMESPACE, Doc, Manifests, ci_file, is_hook, render

READ = ["get", "list", "watch"]
CLUSTER_RULES = [
    {"apiGroups": [""], "resources": ["nodes"], "verbs": READ},
    {"apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"], "verbs": READ},
    {"apiGroups": ["scheduling.k8s.io"], "resources": ["priorityclasses"], "verbs": READ},
]
WORKLOADS = [
    {"apiGroups": ["apps"], "resources": ["daemonsets", "deployments"], "verbs": READ},
    {
        "apiGroups": ["velero.io"],
        "resources": ["backupstoragelocations", "backuprepositories"],
        "verbs": READ,
    },
]
SUBJECT = [{"kind": "ServiceAccount", "name": FULLNAME, "namespace": NAMESPACE}]
RBAC_KINDS = ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")


def server_rbac(m: Manifests, kind: str) -> list[Doc]:
    return m.all(kind, hooks=False)


def role_ref(kind: str, name: str) -> Doc:
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name}


def test_cluster_wide_only_reads_nodes_storageclasses_priorityclasses(default: Manifests) -> None:
    [role] = server_rbac(default, "ClusterRole")
    assert role["metadata"]["name"] == FULLNAME
    assert role["rules"] == CLUSTER_RULES
    [binding] = server_rbac(default, "ClusterRoleBinding")
    assert binding["roleRef"] == role_ref("ClusterRole", FULLNAME)
    assert binding["subjects"] == SUBJECT


def test_workloads_are_read_only_in_each_velero_namespace() -> None:
    m = render([ci_file("chart-certs")])  # velero and velero-dr
    roles = {r["metadata"]["namespace"]: r for r in server_rbac(m, "Role")}
    bindings = {b["metadata"]["namespace"]: b for b in server_rbac(m, "RoleBinding")}
    assert set(roles) == set(bindings) == {"velero", "velero-dr"}
    for namespace, role in roles.items():
        assert role["rules"] == WORKLOADS, namespace
        assert bindings[namespace]["roleRef"] == role_ref("Role", role["metadata"]["name"])
        # the ServiceAccount lives in the release namespace, whichever namespace the Role is in
        assert bindings[namespace]["subjects"] == SUBJECT


def test_the_release_namespace_is_the_default_velero_namespace(default: Manifests) -> None:
    assert [r["metadata"]["namespace"] for r in server_rbac(default, "Role")] == [NAMESPACE]


def test_no_wildcard_and_no_secret_or_configmap_access(ci: tuple[str, Manifests]) -> None:
    name, m = ci
    for kind in ("ClusterRole", "Role"):
        for role in m.all(kind):
            for rule in role["rules"]:
                for field in ("apiGroups", "resources", "verbs", "resourceNames"):
                    assert "*" not in rule.get(field, []), (name, role["metadata"]["name"], rule)
                if not is_hook(role):
                    assert rule["verbs"] == READ, (name, rule)
                    assert not {"secrets", "configmaps"} & set(rule["resources"]), (name, rule)


def test_no_rbac_when_not_asked_for() -> None:
    m = render(sets=["rbac.create=false", "tests.enabled=false"])
    assert not any(m.has(kind) for kind in RBAC_KINDS)


def test_an_existing_service_account() -> None:
    m = render(sets=["serviceAccount.create=false", "serviceAccount.name=velero-naw"])
    assert m.all("ServiceAccount", hooks=False) == []
    assert m.one("Deployment", FULLNAME)["spec"]["template"]["spec"]["serviceAccountName"] == "velero-naw"
    [binding] = server_rbac(m, "ClusterRoleBinding")
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "velero-naw", "namespace": NAMESPACE}]


def test_helm_test_account_may_only_dry_run_the_node_agent_configmap(default: Manifests) -> None:
    [role] = default.all("Role", hooks=True)
    assert role["metadata"]["namespace"] == NAMESPACE
    assert role["rules"] == [
        # create cannot be limited by name (the object does not exist yet); the test only dry-runs
        {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["create"]},
        {
            "apiGroups": [""],
            "resources": ["configmaps"],
            "resourceNames": ["node-agent-config"],
            "verbs": ["get", "update"],
        },
    ]
    assert default.all("ClusterRole", hooks=True) == []


def test_cleanup_account_may_only_delete_this_webhook_configuration() -> None:
    m = render([ci_file("networkpolicy-servicemonitor")])
    [role] = m.all("ClusterRole", hooks=True)
    assert role["rules"] == [
        {
            "apiGroups": ["admissionregistration.k8s.io"],
            "resources": ["validatingwebhookconfigurations"],
            "resourceNames": [FULLNAME],
            "verbs": ["get", "delete"],
        }
    ]
    [binding] = m.all("ClusterRoleBinding", hooks=True)
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": f"{FULLNAME}-cleanup", "namespace": NAMESPACE}
    ]


@pytest.mark.parametrize("kind", RBAC_KINDS)
def test_every_rbac_object_is_labelled_for_the_release(ci: tuple[str, Manifests], kind: str) -> None:
    _, m = ci
    for doc in m.all(kind):
        assert doc["metadata"]["labels"]["app.kubernetes.io/instance"] == "r"
