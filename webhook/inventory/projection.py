"""From API objects (plain dicts parsed by orjson) to the few facts the engine reads.

Everything the inventory keeps passes through here, so that a full DaemonSet or StorageClass is
dropped as soon as it is read: the caches hold only these small projections. Every function accepts
any JSON (a missing or mistyped field means "unknown", never an exception): the objects come from
the API server or from a user's file, and neither is ours to trust.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from webhook.engine.cluster import NodeAgentDaemonSet, StorageClassInfo
from webhook.engine.versions import Version

# The same two names as webhook.engine.policy.NODE_AGENT_DAEMONSETS; not imported from there
# because the policy module pulls in the whole evaluator, which the inventory has no use for.
NODE_AGENT_NAMES = frozenset({"node-agent", "node-agent-windows"})
CONFIGMAP_FLAG = "--node-agent-configmap"
_CONTAINER = "node-agent"  # the container name in Velero's own manifests and Helm chart
_DIGEST = re.compile(r"@[A-Za-z0-9+._-]+:[0-9a-fA-F]+$")


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _strings(value: Any) -> dict[str, str]:
    """A label or annotation map, keeping only string values (anything else is not a label)."""
    return {k: v for k, v in _dict(value).items() if isinstance(k, str) and isinstance(v, str)}


def metadata(obj: Any) -> Mapping[str, Any]:
    return _dict(_dict(obj).get("metadata"))


def object_name(obj: Any) -> str | None:
    name = metadata(obj).get("name")
    return name if isinstance(name, str) and name else None


def node_labels(obj: Any) -> tuple[str, dict[str, str]] | None:
    """A Node or PartialObjectMetadata -> (name, labels); None when it has no name."""
    name = object_name(obj)
    return None if name is None else (name, _strings(metadata(obj).get("labels")))


def storage_class(obj: Any) -> StorageClassInfo | None:
    name = object_name(obj)
    if name is None:
        return None
    policy = _dict(obj).get("reclaimPolicy")
    return StorageClassInfo(name, policy) if isinstance(policy, str) and policy else StorageClassInfo(name)


def priority_class(obj: Any) -> str | None:
    return object_name(obj)


def daemonset(obj: Any) -> NodeAgentDaemonSet | None:
    """A `node-agent` or `node-agent-windows` DaemonSet -> what the checks need; None for any other."""
    name = object_name(obj)
    if name not in NODE_AGENT_NAMES or name is None:
        return None
    template = _dict(_dict(_dict(obj).get("spec")).get("template"))
    container = _node_agent_container(_containers(template))
    return NodeAgentDaemonSet(
        namespace=str(metadata(obj).get("namespace") or ""),
        name=name,
        configmap=configmap_flag(_tokens(container)),
        velero_version=image_version(str(container.get("image") or "")),
        template_labels=_strings(metadata(template).get("labels")),
        template_annotations=_strings(metadata(template).get("annotations")),
    )


def _containers(template: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    containers = _dict(template.get("spec")).get("containers")
    return [c for c in containers if isinstance(c, Mapping)] if isinstance(containers, list) else []


def _node_agent_container(containers: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The container named node-agent, else the one given the flag, else a velero image, else the first."""
    for wanted in (
        lambda c: c.get("name") == _CONTAINER,
        lambda c: configmap_flag(_tokens(c)) is not None,
        lambda c: _repository(str(c.get("image") or "")).endswith("velero"),
    ):
        found = next((c for c in containers if wanted(c)), None)
        if found is not None:
            return found
    return containers[0] if containers else {}


def _tokens(container: Mapping[str, Any]) -> list[str]:
    tokens = [*_list(container.get("command")), *_list(container.get("args"))]
    return [t for t in tokens if isinstance(t, str)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def configmap_flag(tokens: Sequence[str]) -> str | None:
    """The value of `--node-agent-configmap=NAME` or `--node-agent-configmap NAME`; the last one wins,
    as with pflag. An empty value means Velero reads no ConfigMap, the same as no flag: None."""
    found: str | None = None
    for i, token in enumerate(tokens):
        if token.startswith(CONFIGMAP_FLAG + "="):
            found = token[len(CONFIGMAP_FLAG) + 1 :]
        elif token == CONFIGMAP_FLAG and i + 1 < len(tokens):
            found = tokens[i + 1]
    return found or None


def _repository(image: str) -> str:
    """`registry:5000/velero/velero:v1.17.1@sha256:..` -> `registry:5000/velero/velero`."""
    image = _DIGEST.sub("", image)
    slash = image.rfind("/")
    colon = image.rfind(":")
    return image[:colon] if colon > slash else image


def image_version(image: str) -> str | None:
    """`velero/velero:v1.17.1` -> "1.17.1"; a digest-only, `latest` or non-version tag -> None.

    Only the tag counts: a registry port (`registry:5000/...`) has a colon too, but before a slash.
    """
    image = _DIGEST.sub("", image.strip())
    repository = _repository(image)
    tag = image[len(repository) + 1 :]
    if not tag or Version.parse(tag) is None:
        return None
    return tag[1:] if tag.startswith("v") else tag
