"""The server's Deployment, Service and PodDisruptionBudget: HA, Pod Security "restricted", probes, args."""

from __future__ import annotations

import pytest

from .conftest import FULLNAME, Doc, Manifests, ci_file, render, render_error

RESTRICTED_CONTAINER = {
    "runAsNonRoot": True,
    "runAsUser": 65532,
    "runAsGroup": 65532,
    "allowPrivilegeEscalation": False,
    "privileged": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}
RESTRICTED_POD = {
    "runAsNonRoot": True,
    "runAsUser": 65532,
    "runAsGroup": 65532,
    "fsGroup": 65532,
    "seccompProfile": {"type": "RuntimeDefault"},
}
SELECTOR = {"app.kubernetes.io/name": "node-agent-webhook", "app.kubernetes.io/instance": "r"}


def pod_spec(m: Manifests) -> Doc:
    spec: Doc = m.one("Deployment", FULLNAME)["spec"]["template"]["spec"]
    return spec


def container(m: Manifests) -> Doc:
    [c] = pod_spec(m)["containers"]
    return c


def flag(args: list[str], name: str) -> list[str]:
    return [a.split("=", 1)[1] for a in args if a.startswith(f"--{name}=")]


def test_two_replicas_that_never_all_go_away(default: Manifests) -> None:
    spec = default.one("Deployment", FULLNAME)["spec"]
    assert spec["replicas"] == 2
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    assert spec["selector"]["matchLabels"] == SELECTOR
    assert spec["template"]["metadata"]["labels"] == SELECTOR


def test_replicas_spread_over_nodes(default: Manifests) -> None:
    spec = pod_spec(default)
    [term] = spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert term["podAffinityTerm"] == {
        "topologyKey": "kubernetes.io/hostname",
        "labelSelector": {"matchLabels": SELECTOR},
    }
    assert spec["topologySpreadConstraints"] == [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": SELECTOR},
        }
    ]


def test_hard_anti_affinity() -> None:
    spec = pod_spec(render([ci_file("cert-manager")]))
    [term] = spec["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert term == {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": SELECTOR}}


def test_pod_security_restricted(ci: tuple[str, Manifests]) -> None:
    _, m = ci
    for deployment in m.all("Deployment"):
        spec = deployment["spec"]["template"]["spec"]
        assert spec["securityContext"] == RESTRICTED_POD
        for c in spec["containers"]:
            assert c["securityContext"] == RESTRICTED_CONTAINER
        assert "hostNetwork" not in spec and "hostPID" not in spec and "initContainers" not in spec


def test_hook_pods_are_restricted_too() -> None:
    m = render([ci_file("networkpolicy-servicemonitor")])  # helm test Pod and the cleanup Job
    pods = [d["spec"] for d in m.all("Pod")] + [d["spec"]["template"]["spec"] for d in m.all("Job")]
    assert len(pods) == 2
    for spec in pods:
        assert spec["securityContext"] == RESTRICTED_POD
        for c in spec["containers"]:
            assert c["securityContext"] == RESTRICTED_CONTAINER


def test_probes_over_https(default: Manifests) -> None:
    c = container(default)
    assert c["ports"] == [{"name": "https", "containerPort": 8443, "protocol": "TCP"}]
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "https", "scheme": "HTTPS"}
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "https", "scheme": "HTTPS"}
    assert c["readinessProbe"]["periodSeconds"] <= c["livenessProbe"]["periodSeconds"]
    assert c["livenessProbe"]["initialDelaySeconds"] >= 1


def test_resources_have_requests_and_no_cpu_limit(default: Manifests) -> None:
    resources = container(default)["resources"]
    assert set(resources["requests"]) == {"cpu", "memory"}
    assert "cpu" not in resources["limits"]  # throttling a webhook becomes admission timeouts


def test_args_from_values(default: Manifests) -> None:
    c = container(default)
    assert "command" not in c  # the image's ENTRYPOINT is `node-agent-webhook serve`
    args = c["args"]
    assert flag(args, "tls-cert") == ["/etc/node-agent-webhook/tls/tls.crt"]
    assert flag(args, "tls-key") == ["/etc/node-agent-webhook/tls/tls.key"]
    assert flag(args, "port") == ["8443"]
    assert flag(args, "configmap-name") == ["node-agent-config"]
    assert flag(args, "namespace") == ["velero"]
    assert flag(args, "field-validation") == ["Strict"]
    assert flag(args, "tls-min-version") == ["1.3"]
    assert flag(args, "shutdown-delay") == ["10"]
    assert flag(args, "log-format") == ["json"]
    assert flag(args, "velero-version") == [] and flag(args, "client-ca") == []
    # neither --nodes-file nor --kubeconfig: the in-cluster ServiceAccount
    assert flag(args, "nodes-file") == [] and flag(args, "kubeconfig") == []


def test_args_with_every_option() -> None:
    m = render(
        [ci_file("chart-certs")],
        sets=[
            "server.clientCA.configMapName=apiserver-client-ca",
            "server.extraArgs={--cert-poll-interval=2}",
        ],
    )
    c = container(m)
    args = c["args"]
    assert flag(args, "namespace") == ["velero", "velero-dr"]
    # every name the webhook configuration sends, extraConfigMapNames too (test_configmap_names.py)
    assert flag(args, "configmap-name") == ["node-agent-config", "node-agent-config-custom"]
    assert flag(args, "velero-version") == ["1.17.1"]
    assert flag(args, "client-ca") == ["/etc/node-agent-webhook/client-ca/ca.crt"]
    assert args[-1] == "--cert-poll-interval=2"
    mounts = {v["name"]: v for v in c["volumeMounts"]}
    assert mounts["client-ca"]["mountPath"] == "/etc/node-agent-webhook/client-ca"
    volumes = {v["name"]: v for v in pod_spec(m)["volumes"]}
    assert volumes["client-ca"]["configMap"] == {"name": "apiserver-client-ca"}
    assert pod_spec(m)["priorityClassName"] == "system-cluster-critical"


def test_server_accepts_the_chart_args(ci: tuple[str, Manifests]) -> None:
    """The contract with `node-agent-webhook serve`: its own parser takes every flag the chart passes."""
    from webhook.cli.main import build_parser

    _, m = ci
    for deployment in m.all("Deployment"):
        [c] = deployment["spec"]["template"]["spec"]["containers"]
        try:
            args = build_parser().parse_args(["serve", *c["args"]])
        except SystemExit:
            pytest.fail(f"node-agent-webhook serve refuses the chart's args: {c['args']}")
        assert str(args.tls_cert) == "/etc/node-agent-webhook/tls/tls.crt"
        assert args.nodes_file is None and args.kubeconfig is None


def test_read_only_root_with_mounts_only_where_needed(default: Manifests) -> None:
    mounts = {v["name"]: v for v in container(default)["volumeMounts"]}
    assert mounts["tls"] == {"name": "tls", "mountPath": "/etc/node-agent-webhook/tls", "readOnly": True}
    assert "subPath" not in mounts["tls"]  # subPath mounts never see a renewed certificate
    assert mounts["tmp"]["mountPath"] == "/tmp"
    volumes = {v["name"]: v for v in pod_spec(default)["volumes"]}
    assert volumes["tls"]["secret"] == {"secretName": f"{FULLNAME}-tls", "defaultMode": 0o440}
    assert volumes["tmp"]["emptyDir"]["sizeLimit"] == "16Mi"


def test_grace_period_outlasts_the_shutdown_delay(ci: tuple[str, Manifests]) -> None:
    _, m = ci
    for deployment in m.all("Deployment"):
        spec = deployment["spec"]["template"]["spec"]
        [delay] = flag(spec["containers"][0]["args"], "shutdown-delay")
        assert spec["terminationGracePeriodSeconds"] > float(delay)


def test_grace_period_not_longer_than_the_delay_is_refused() -> None:
    err = render_error(sets=["server.shutdownDelaySeconds=30", "server.terminationGracePeriodSeconds=30"])
    assert "terminationGracePeriodSeconds must be larger than server.shutdownDelaySeconds" in err


def test_service_443_to_the_pod_port(default: Manifests) -> None:
    svc = default.one("Service", FULLNAME)["spec"]
    assert svc["type"] == "ClusterIP"
    assert svc["selector"] == SELECTOR
    assert svc["ports"] == [
        {"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP", "appProtocol": "https"}
    ]


def test_pdb_keeps_one_up(default: Manifests) -> None:
    pdb = default.one("PodDisruptionBudget", FULLNAME)
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"] == {"minAvailable": 1, "selector": {"matchLabels": SELECTOR}}


def test_no_pdb_for_a_single_replica() -> None:
    # minAvailable 1 of 1 would block every node drain
    assert not render(sets=["server.replicas=1"]).has("PodDisruptionBudget")


def test_image_tag_and_digest() -> None:
    assert container(render())["image"] == "node-agent-webhook:0.1.0"  # the appVersion
    digest = "sha256:" + "a" * 64
    m = render(sets=["image.repository=registry.example/naw", f"image.digest={digest}"])
    assert container(m)["image"] == f"registry.example/naw@{digest}"


def test_service_account_token_for_the_inventory(default: Manifests) -> None:
    spec = pod_spec(default)
    assert spec["serviceAccountName"] == FULLNAME
    assert spec["automountServiceAccountToken"] is True
    default.one("ServiceAccount", FULLNAME)
