"""Every pod the chart can create, the server's and the hooks', passes Pod Security "restricted".

The rules of the restricted profile that a rendered pod spec can break, checked on each ci/ values file
(the hooks are on in some of them): no host namespaces, ports or paths; only the volume types the profile
allows; non-root; no privilege escalation; all capabilities dropped; seccomp RuntimeDefault.
"""

from __future__ import annotations

from collections.abc import Iterator

from .conftest import Doc, Manifests, render

ALLOWED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


def pod_specs(m: Manifests) -> Iterator[tuple[str, Doc]]:
    for doc in m:
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        if doc["kind"] == "Pod":
            yield name, doc["spec"]
        elif doc["kind"] in ("Deployment", "Job"):
            yield name, doc["spec"]["template"]["spec"]


def test_there_are_pods_to_check(ci: tuple[str, Manifests]) -> None:
    name, m = ci
    expected = {"url": 0, "networkpolicy-servicemonitor": 3}.get(name, 2)  # server, helm test, cleanup
    assert len(list(pod_specs(m))) == expected, name


def test_no_host_access(ci: tuple[str, Manifests]) -> None:
    _, m = ci
    for name, spec in pod_specs(m):
        for field in ("hostNetwork", "hostPID", "hostIPC", "hostUsers"):
            assert field not in spec, (name, field)
        for container in spec["containers"]:
            for port in container.get("ports", []):
                assert "hostPort" not in port, name


def test_only_allowed_volume_types(ci: tuple[str, Manifests]) -> None:
    _, m = ci
    for name, spec in pod_specs(m):
        for volume in spec.get("volumes", []):
            kinds = set(volume) - {"name"}
            assert kinds <= ALLOWED_VOLUMES, (name, volume)


def test_every_container_is_locked_down(ci: tuple[str, Manifests]) -> None:
    _, m = ci
    for name, spec in pod_specs(m):
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for container in [*spec["containers"], *spec.get("initContainers", [])]:
            sc = container["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"] == {"drop": ["ALL"]}, name
            assert sc["runAsNonRoot"] is True and sc["runAsUser"] > 0, name
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc.get("privileged", False) is False, name


def test_a_chosen_user_id_is_used_everywhere() -> None:
    m = render([], sets=["server.runAsUser=1001", "server.runAsGroup=1001"])
    for name, spec in pod_specs(m):
        assert spec["securityContext"]["runAsUser"] == 1001, name
        assert {c["securityContext"]["runAsUser"] for c in spec["containers"]} == {1001}, name
