"""The benchmark's synthetic cluster: EKS-like nodes whose labels the sample ConfigMap's rules select.

The sample's two rules (instance type m5.2xlarge, zone us-east-1a) each match a share of the nodes and
overlap on some, as in a real cluster: the checks find a match instead of proving there is none. The
`disjoint` variant gives m5.2xlarge only to other zones, so that "do these two rules overlap?" has to
rule out every candidate: the engine's worst case for this config.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.inventory import fakeapi

ZONES = ("us-east-1a", "us-east-1b", "us-east-1c")
TYPES = ("m5.xlarge", "m5.2xlarge", "c5.4xlarge", "r5.2xlarge", "g5.xlarge")
ZONE_KEYS = (
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
    "topology.ebs.csi.aws.com/zone",
)
TYPE_KEYS = ("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type")
REGION_KEYS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")
Labels = dict[str, str]


def node_name(i: int) -> str:
    return f"ip-10-{i // 65536 % 256}-{i // 256 % 256}-{i % 256}.us-east-1.compute.internal"


def node_labels(i: int, *, disjoint: bool = False) -> Labels:
    """The 16 labels of the inventory tests' EKS-shaped node, moved to us-east-1 and the types above."""
    zone, itype = ZONES[i % 3], TYPES[i % 5]
    if disjoint and itype == "m5.2xlarge" and zone == ZONES[0]:
        zone = ZONES[1]
    labels: Labels = fakeapi.realistic_node(i)["metadata"]["labels"]
    moved = {key: zone for key in ZONE_KEYS} | {key: itype for key in TYPE_KEYS}
    region = {key: "us-east-1" for key in REGION_KEYS}
    return labels | moved | region | {"kubernetes.io/hostname": node_name(i)}


def nodes(count: int, *, disjoint: bool = False) -> Iterator[tuple[str, Labels]]:
    return ((node_name(i), node_labels(i, disjoint=disjoint)) for i in range(count))


def node_list(count: int) -> dict[str, Any]:
    """What `kubectl get nodes -o json` prints, for the server's --nodes-file."""
    items = [
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}}
        for name, labels in nodes(count)
    ]
    return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}
