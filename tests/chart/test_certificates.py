"""The three certificate modes, and the URL mode: what each renders, and that the halves agree.

Whatever the mode, the serving certificate must name `svc`, `svc.ns` and `svc.ns.svc`, the pods must
mount it whole, and the VWC's caBundle must be the CA that signed it (or be injected from it).
"""

from __future__ import annotations

import base64
import datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from .conftest import FULLNAME, NAMESPACE, Doc, Manifests, ci_file, render, render_error

SERVICE_NAMES = [FULLNAME, f"{FULLNAME}.{NAMESPACE}", f"{FULLNAME}.{NAMESPACE}.svc"]
TLS_SECRET = f"{FULLNAME}-tls"
CA_SECRET = f"{FULLNAME}-ca"


def client_config(m: Manifests) -> Doc:
    config: Doc = m.one("ValidatingWebhookConfiguration", FULLNAME)["webhooks"][0]["clientConfig"]
    return config


def mounted_secrets(m: Manifests) -> list[str]:
    volumes = m.one("Deployment", FULLNAME)["spec"]["template"]["spec"]["volumes"]
    return [v["secret"]["secretName"] for v in volumes if "secret" in v]


def pem(secret: Doc, key: str) -> bytes:
    return base64.b64decode(secret["data"][key])


def cert(secret: Doc, key: str = "tls.crt") -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem(secret, key))


def sans(c: x509.Certificate) -> list[str]:
    return c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    )


def days(c: x509.Certificate) -> float:
    lifetime: datetime.timedelta = c.not_valid_after_utc - c.not_valid_before_utc
    return lifetime.total_seconds() / 86400


# ---- chart: generated here, CA kept apart --------------------------------------------------------


@pytest.fixture(scope="module")
def chart() -> Manifests:
    return render()  # the default mode


def test_chart_mode_renders_a_ca_and_a_serving_secret(chart: Manifests) -> None:
    secrets = {s["metadata"]["name"]: s for s in chart.all("Secret", hooks=False)}
    assert set(secrets) == {CA_SECRET, TLS_SECRET}
    assert {s["type"] for s in secrets.values()} == {"kubernetes.io/tls"}
    assert set(secrets[CA_SECRET]["data"]) == {"tls.crt", "tls.key"}
    assert set(secrets[TLS_SECRET]["data"]) == {"tls.crt", "tls.key", "ca.crt"}
    assert not chart.has("Certificate") and not chart.has("Issuer")


def test_chart_mode_serving_certificate_names_the_service(chart: Manifests) -> None:
    leaf = cert(chart.one("Secret", TLS_SECRET))
    assert sans(leaf) == SERVICE_NAMES
    usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usages
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert days(leaf) == pytest.approx(365, abs=1)


def test_chart_mode_ca_signs_the_leaf_and_is_the_ca_bundle(chart: Manifests) -> None:
    ca_secret, tls_secret = chart.one("Secret", CA_SECRET), chart.one("Secret", TLS_SECRET)
    ca = cert(ca_secret)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert days(ca) == pytest.approx(3650, abs=1)
    cert(tls_secret).verify_directly_issued_by(ca)  # raises if not
    assert pem(tls_secret, "ca.crt") == pem(ca_secret, "tls.crt")
    assert base64.b64decode(client_config(chart)["caBundle"]) == pem(ca_secret, "tls.crt")


def test_chart_mode_mounts_the_serving_secret_never_the_ca(chart: Manifests) -> None:
    assert mounted_secrets(chart) == [TLS_SECRET]


def test_chart_mode_lifetimes_and_extra_names_are_values() -> None:
    m = render(
        [ci_file("chart-certs")],
        sets=["certificates.chart.validityDays=30", "certificates.chart.caValidityDays=400"],
    )
    assert sans(cert(m.one("Secret", TLS_SECRET))) == [*SERVICE_NAMES, "node-agent-webhook.example.internal"]
    assert days(cert(m.one("Secret", TLS_SECRET))) == pytest.approx(30, abs=1)
    assert days(cert(m.one("Secret", CA_SECRET))) == pytest.approx(400, abs=1)


# ---- cert-manager: Issuers, Certificates, cainjector ----------------------------------------------


@pytest.fixture(scope="module")
def cm() -> Manifests:
    return render([ci_file("cert-manager")])


def by_name(m: Manifests, kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in m.all(kind)}


def test_cert_manager_chain_selfsigned_then_ca_then_serving(cm: Manifests) -> None:
    issuers, certs = by_name(cm, "Issuer"), by_name(cm, "Certificate")
    assert set(issuers) == {f"{FULLNAME}-selfsigned", f"{FULLNAME}-ca"}
    assert set(certs) == {f"{FULLNAME}-ca", f"{FULLNAME}-serving"}
    assert issuers[f"{FULLNAME}-selfsigned"]["spec"] == {"selfSigned": {}}
    ca = certs[f"{FULLNAME}-ca"]["spec"]
    assert ca["isCA"] is True and ca["duration"] == "87600h"
    assert ca["issuerRef"] == {"name": f"{FULLNAME}-selfsigned", "kind": "Issuer", "group": "cert-manager.io"}
    assert issuers[f"{FULLNAME}-ca"]["spec"] == {"ca": {"secretName": ca["secretName"]}}


def test_cert_manager_serving_certificate(cm: Manifests) -> None:
    spec = by_name(cm, "Certificate")[f"{FULLNAME}-serving"]["spec"]
    assert spec["secretName"] == TLS_SECRET
    assert spec["dnsNames"] == SERVICE_NAMES
    assert spec["issuerRef"] == {"name": f"{FULLNAME}-ca", "kind": "Issuer", "group": "cert-manager.io"}
    assert (spec["duration"], spec["renewBefore"]) == ("2160h", "360h")
    assert "server auth" in spec["usages"]
    assert spec["privateKey"]["rotationPolicy"] == "Always"
    assert "isCA" not in spec


def test_cert_manager_injects_the_ca_and_the_chart_sets_none(cm: Manifests) -> None:
    vwc = cm.one("ValidatingWebhookConfiguration", FULLNAME)
    assert vwc["metadata"]["annotations"] == {
        "cert-manager.io/inject-ca-from": f"{NAMESPACE}/{FULLNAME}-serving"
    }
    assert "caBundle" not in client_config(cm)  # cainjector owns it
    assert cm.all("Secret") == []
    assert mounted_secrets(cm) == [TLS_SECRET]


def test_cert_manager_extra_names_and_annotations_are_kept() -> None:
    m = render(
        [ci_file("cert-manager")],
        sets=["certificates.extraDNSNames={naw.example}", "webhook.annotations.team=backup"],
    )
    assert by_name(m, "Certificate")[f"{FULLNAME}-serving"]["spec"]["dnsNames"] == [
        *SERVICE_NAMES,
        "naw.example",
    ]
    annotations = m.one("ValidatingWebhookConfiguration", FULLNAME)["metadata"]["annotations"]
    assert annotations == {
        "team": "backup",
        "cert-manager.io/inject-ca-from": f"{NAMESPACE}/{FULLNAME}-serving",
    }


# ---- existing Secret ------------------------------------------------------------------------------


def test_existing_secret_is_mounted_and_its_ca_is_the_bundle() -> None:
    path = ci_file("existing-secret")
    m = render([path])
    assert m.all("Secret") == [] and not m.has("Certificate")
    assert mounted_secrets(m) == ["node-agent-webhook-serving-cert"]
    bundle = base64.b64decode(client_config(m)["caBundle"])
    ca = x509.load_pem_x509_certificate(bundle)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert bundle.decode() in path.read_text().replace("      ", "")


def test_existing_secret_needs_its_name() -> None:
    err = render_error([ci_file("existing-secret")], sets=["certificates.existingSecret.name="])
    assert "certificates.mode=existingSecret needs certificates.existingSecret.name" in err


def test_existing_secret_needs_its_ca() -> None:
    err = render_error(sets=["certificates.mode=existingSecret", "certificates.existingSecret.name=s"])
    assert "certificates.mode=existingSecret needs certificates.existingSecret.caBundle" in err


# ---- URL: no server, no certificates --------------------------------------------------------------


def test_url_mode_has_only_the_configuration_and_rbac() -> None:
    m = render([ci_file("url")])
    assert m.kinds() == sorted(
        [
            "ValidatingWebhookConfiguration",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
        ]
    )
    config = client_config(m)
    assert config["url"] == "https://127.0.0.1:8443/validate"
    assert x509.load_pem_x509_certificate(base64.b64decode(config["caBundle"]))


def test_url_mode_without_a_bundle_uses_the_system_roots() -> None:
    m = render(
        sets=["server.enabled=false", "tests.enabled=false", "webhook.url=https://naw.example/validate"]
    )
    assert client_config(m) == {"url": "https://naw.example/validate"}


def test_no_server_needs_a_url() -> None:
    err = render_error(sets=["server.enabled=false"])
    assert "server.enabled=false needs webhook.url" in err


def test_unknown_mode_is_refused_by_the_schema() -> None:
    assert "certificates/mode" in render_error(sets=["certificates.mode=selfSigned"])
