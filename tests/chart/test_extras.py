"""The opt-in NetworkPolicy and ServiceMonitor.

The NetworkPolicy lets in only the webhook port (the API server is not a pod: CIDRs, not selectors) and
lets out only the API server and DNS. The ServiceMonitor scrapes /metrics over HTTPS and verifies the
server against the CA in the serving Secret and the Service's name.
"""

from __future__ import annotations

import pytest

from .conftest import FULLNAME, NAMESPACE, Manifests, ci_file, render

SELECTOR = {"app.kubernetes.io/name": "node-agent-webhook", "app.kubernetes.io/instance": "r"}
DNS = {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}


@pytest.fixture(scope="module")
def extras() -> Manifests:
    return render([ci_file("networkpolicy-servicemonitor")])


def test_both_are_off_by_default(default: Manifests) -> None:
    assert not default.has("NetworkPolicy") and not default.has("ServiceMonitor")


def test_network_policy_selects_the_webhook_pods_both_ways(extras: Manifests) -> None:
    spec = extras.one("NetworkPolicy", FULLNAME)["spec"]
    assert spec["podSelector"] == {"matchLabels": SELECTOR}
    assert spec["policyTypes"] == ["Ingress", "Egress"]


def test_network_policy_ingress_only_on_the_pod_port_from_the_given_peers(extras: Manifests) -> None:
    [rule] = extras.one("NetworkPolicy", FULLNAME)["spec"]["ingress"]
    # the pod port, as seen after the Service's 443 -> 8443 translation
    assert rule["ports"] == [{"port": 8443, "protocol": "TCP"}]
    assert rule["from"] == [
        {"ipBlock": {"cidr": "10.0.0.0/8"}},
        {"ipBlock": {"cidr": "172.16.0.0/12"}},
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}},
    ]


def test_network_policy_egress_only_to_the_api_server_and_dns(extras: Manifests) -> None:
    api, dns = extras.one("NetworkPolicy", FULLNAME)["spec"]["egress"]
    assert api == {
        "ports": [{"port": 443, "protocol": "TCP"}, {"port": 6443, "protocol": "TCP"}],
        "to": [{"ipBlock": {"cidr": "10.96.0.1/32"}}, {"ipBlock": {"cidr": "172.18.0.2/32"}}],
    }
    assert dns == DNS


def test_network_policy_without_addresses_still_limits_ports() -> None:
    spec = render(sets=["networkPolicy.enabled=true", "server.port=9443"]).one("NetworkPolicy", FULLNAME)[
        "spec"
    ]
    assert spec["ingress"] == [{"ports": [{"port": 9443, "protocol": "TCP"}]}]
    assert spec["egress"] == [
        {"ports": [{"port": 443, "protocol": "TCP"}, {"port": 6443, "protocol": "TCP"}]},
        DNS,
    ]


def test_service_monitor_scrapes_metrics_over_verified_https(extras: Manifests) -> None:
    monitor = extras.one("ServiceMonitor", FULLNAME)
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "prometheus"
    spec = monitor["spec"]
    assert spec["selector"] == {"matchLabels": SELECTOR}
    assert spec["namespaceSelector"] == {"matchNames": [NAMESPACE]}
    [endpoint] = spec["endpoints"]
    assert endpoint == {
        "port": "https",
        "path": "/metrics",
        "scheme": "https",
        "interval": "30s",
        "scrapeTimeout": "10s",
        "tlsConfig": {
            "serverName": f"{FULLNAME}.{NAMESPACE}.svc",
            "ca": {"secret": {"name": f"{FULLNAME}-tls", "key": "ca.crt"}},
        },
    }
    assert "insecureSkipVerify" not in str(monitor)


def test_service_monitor_finds_the_service(extras: Manifests) -> None:
    service = extras.one("Service", FULLNAME)
    selector = extras.one("ServiceMonitor", FULLNAME)["spec"]["selector"]["matchLabels"]
    assert selector.items() <= service["metadata"]["labels"].items()
    assert [p["name"] for p in service["spec"]["ports"]] == ["https"]


def test_service_monitor_tls_config_can_be_replaced() -> None:
    m = render(sets=["serviceMonitor.enabled=true", "serviceMonitor.tlsConfig.insecureSkipVerify=true"])
    [endpoint] = m.one("ServiceMonitor", FULLNAME)["spec"]["endpoints"]
    assert endpoint["tlsConfig"] == {"insecureSkipVerify": True}


def test_neither_without_a_server() -> None:
    m = render([ci_file("url")], sets=["networkPolicy.enabled=true", "serviceMonitor.enabled=true"])
    assert not m.has("NetworkPolicy") and not m.has("ServiceMonitor")
