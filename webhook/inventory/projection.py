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

from webhook.engine import (
    KINDS,
    BackupRepositoryInfo,
    StorageClassInfo,
    VeleroWorkload,
    Version,
    reader_flags,
)

# (workload kind, name) of every Velero workload some config kind's reader names
WORKLOADS = frozenset((r.workload, name) for kind in KINDS for r in kind.readers for name in r.names)
FLAGS = reader_flags()
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


def storage_location(obj: Any) -> tuple[str, str] | None:
    """A BackupStorageLocation (or its metadata) -> (namespace, name)."""
    name = object_name(obj)
    return None if name is None else (str(metadata(obj).get("namespace") or ""), name)


def repository(obj: Any) -> BackupRepositoryInfo | None:
    """A BackupRepository -> the repository it names: volume namespace, location, type, config."""
    name = object_name(obj)
    if name is None:
        return None
    spec = _dict(_dict(obj).get("spec"))
    return BackupRepositoryInfo(
        namespace=str(metadata(obj).get("namespace") or ""),
        name=name,
        volume_namespace=_text(spec.get("volumeNamespace")),
        storage_location=_text(spec.get("backupStorageLocation")),
        repository_type=_text(spec.get("repositoryType")),
        config=_strings(spec.get("repositoryConfig")),
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def workload(obj: Any, kind: str) -> VeleroWorkload | None:
    """A Velero `velero` Deployment or `node-agent` DaemonSet (`kind`) -> what the checks need;
    None for any other object."""
    name = object_name(obj)
    if name is None or (kind, name) not in WORKLOADS:
        return None
    template = _dict(_dict(_dict(obj).get("spec")).get("template"))
    container = _velero_container(_containers(template), name.removesuffix("-windows"))
    return VeleroWorkload(
        namespace=str(metadata(obj).get("namespace") or ""),
        name=name,
        workload=kind,
        flags=flags(_tokens(container)),
        velero_version=image_version(str(container.get("image") or "")),
        template_labels=_strings(metadata(template).get("labels")),
        template_annotations=_strings(metadata(template).get("annotations")),
    )


def _containers(template: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    containers = _dict(template.get("spec")).get("containers")
    return [c for c in containers if isinstance(c, Mapping)] if isinstance(containers, list) else []


def _velero_container(containers: Sequence[Mapping[str, Any]], named: str) -> Mapping[str, Any]:
    """The container named like its workload (Velero's manifests and Helm chart: `velero`,
    `node-agent`), else the one given a ConfigMap flag, else a velero image, else the first."""
    for wanted in (
        lambda c: c.get("name") == named,
        lambda c: bool(flags(_tokens(c))),
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


def flags(tokens: Sequence[str]) -> dict[str, str]:
    """The values of the ConfigMap flags (`--node-agent-configmap=NAME` or `--node-agent-configmap
    NAME`); the last one wins, as with pflag. An empty value means Velero reads no ConfigMap, the
    same as no flag: left out."""
    found: dict[str, str] = {}
    for i, token in enumerate(tokens):
        name, equals, value = token.partition("=")
        if name not in FLAGS:
            continue
        if not equals:
            value = tokens[i + 1] if i + 1 < len(tokens) else ""
        found[name] = value
    return {name: value for name, value in found.items() if value}


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
