"""certificates.mode=chart keeps its CA and serving certificate across upgrades, through `lookup`.

`helm template --dry-run=server` against a fake API (fakekube.py) renders as an install or upgrade
would: the chart looks up `<fullname>-ca` and `<fullname>-tls` there. With nothing in the cluster it
generates both; with both there it renders them unchanged; without the serving Secret, or with one
signed by another CA, it signs a new serving certificate with the kept CA, so the caBundle never moves.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from webhook.certs import generate_ca, generate_serving

from .conftest import FULLNAME, NAMESPACE, Doc, Manifests, helm, template_args
from .fakekube import FakeKube, serving

CA, TLS = f"{FULLNAME}-ca", f"{FULLNAME}-tls"


@pytest.fixture
def kube(tmp_path: Path) -> Iterator[FakeKube]:
    with serving(FakeKube()) as fake:
        fake.kubeconfig(tmp_path / "kubeconfig")
        yield fake


def render_against(kube: FakeKube, tmp_path: Path) -> Manifests:
    server = [
        "--dry-run=server",
        "--disable-openapi-validation",
        "--kubeconfig",
        str(tmp_path / "kubeconfig"),
    ]
    out = helm(*template_args(), *server)
    assert out.returncode == 0, out.stderr
    return Manifests(d for d in yaml.safe_load_all(out.stdout) if d)


def secret(m: Manifests, name: str) -> Doc:
    return m.one("Secret", name)


def ca_bundle(m: Manifests) -> str:
    bundle: str = m.one("ValidatingWebhookConfiguration", FULLNAME)["webhooks"][0]["clientConfig"]["caBundle"]
    return bundle


def leaf_signed_by_ca(m: Manifests) -> bool:
    ca = x509.load_pem_x509_certificate(base64.b64decode(secret(m, CA)["data"]["tls.crt"]))
    leaf = x509.load_pem_x509_certificate(base64.b64decode(secret(m, TLS)["data"]["tls.crt"]))
    try:
        leaf.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@pytest.fixture
def first(kube: FakeKube, tmp_path: Path) -> Manifests:
    """The first install: rendered against an empty cluster, its two Secrets then stored there."""
    m = render_against(kube, tmp_path)
    for name in (CA, TLS):
        kube.put(secret(m, name))
    return m


def test_a_first_install_looks_up_and_generates(kube: FakeKube, tmp_path: Path) -> None:
    m = render_against(kube, tmp_path)
    looked_up = {p.split("?")[0] for p in kube.requests if "/secrets/" in p}
    assert {
        f"/api/v1/namespaces/{NAMESPACE}/secrets/{CA}",
        f"/api/v1/namespaces/{NAMESPACE}/secrets/{TLS}",
    } <= looked_up
    assert leaf_signed_by_ca(m)


def test_an_upgrade_keeps_both(kube: FakeKube, first: Manifests, tmp_path: Path) -> None:
    again = render_against(kube, tmp_path)
    for name in (CA, TLS):
        assert secret(again, name)["data"] == secret(first, name)["data"], name
    assert ca_bundle(again) == ca_bundle(first)


def test_a_deleted_serving_secret_is_renewed_with_the_same_ca(
    kube: FakeKube, first: Manifests, tmp_path: Path
) -> None:
    kube.remove(NAMESPACE, TLS)
    renewed = render_against(kube, tmp_path)
    assert secret(renewed, CA)["data"] == secret(first, CA)["data"]
    assert secret(renewed, TLS)["data"]["tls.crt"] != secret(first, TLS)["data"]["tls.crt"]
    assert leaf_signed_by_ca(renewed)
    assert ca_bundle(renewed) == ca_bundle(first)  # no caBundle change: the pods just reload


def test_a_serving_secret_from_another_ca_is_replaced(
    kube: FakeKube, first: Manifests, tmp_path: Path
) -> None:
    other = generate_ca("another CA")
    stray = generate_serving(other, ["elsewhere"])
    data = {"tls.crt": stray.cert_pem, "tls.key": stray.key_pem, "ca.crt": other.cert_pem}
    kube.put(
        {
            "metadata": {"name": TLS, "namespace": NAMESPACE},
            "type": "kubernetes.io/tls",
            "data": {k: base64.b64encode(v).decode() for k, v in data.items()},
        }
    )
    fixed = render_against(kube, tmp_path)
    assert leaf_signed_by_ca(fixed)
    assert ca_bundle(fixed) == ca_bundle(first)


def test_a_deleted_ca_means_a_new_ca_and_bundle(kube: FakeKube, first: Manifests, tmp_path: Path) -> None:
    kube.remove(NAMESPACE, CA)
    rotated = render_against(kube, tmp_path)
    assert ca_bundle(rotated) != ca_bundle(first)
    assert leaf_signed_by_ca(rotated)  # the old serving certificate is not kept under a new CA
