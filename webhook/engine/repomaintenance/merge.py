"""How a repository's key and `global` combine into the config its maintenance job is built with.

getJobConfig (pkg/repository/maintenance/maintenance.go v1.16.2 to v1.18.2; v1.15's
GetMaintenanceJobConfig is the same for its two fields): the repository's own value first; then,
from `global`, podResources and keepLatestMaintenanceJobs where the repository's are nil, and
loadAffinity where its list is empty. priorityClassName (1.17) and podLabels, podAnnotations (1.18)
go the other way: a non-empty `global` value replaces the repository's, which is used only when
`global` leaves it empty ("only read from the global configuration", say the struct comments: half
true). Either key failing to decode makes the whole config nil: defaults.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webhook.engine.core.cluster import ClusterView
from webhook.engine.core.findings import Findings
from webhook.engine.core.kind import Document
from webhook.engine.core.schema import Node
from webhook.engine.core.versions import Version
from webhook.engine.repomaintenance.repository_keys import GLOBAL
from webhook.engine.repomaintenance.schema import SCHEMA

FROM_GLOBAL_IF_NIL = ("podResources", "keepLatestMaintenanceJobs")
GLOBAL_WINS = ("priorityClassName", "podLabels", "podAnnotations")


def readable(config: Mapping[str, Any], version: Version, node: Node | None = None) -> dict[str, Any]:
    """The config as `version` decodes it: the fields it does not read yet are unknown keys to Go."""
    node = SCHEMA.root if node is None else node
    out = {}
    for name, value in config.items():
        sub = SCHEMA.child(node, name) or {}
        added = Version.parse(sub.get("x-added", ""))
        if added is not None and added > version:
            continue
        struct = isinstance(value, dict) and "properties" in sub
        out[name] = readable(value, version, sub) if struct else value
    return out


def merged(own: Document | None, common: Document | None, version: Version) -> dict[str, Any] | None:
    """What buildJob gets for a repository whose key holds `own` (None: no such key); None: defaults."""
    documents = [d for d in (own, common) if d is not None]
    if not documents or any(d.config is None for d in documents):
        return None
    result = readable(own.config or {}, version) if own is not None else {}
    if common is not None:
        _take_global(result, readable(common.config or {}, version))
    return result


def _take_global(result: dict[str, Any], common: dict[str, Any]) -> None:
    for name in FROM_GLOBAL_IF_NIL:
        if result.get(name) is None and common.get(name) is not None:
            result[name] = common[name]
    if not result.get("loadAffinity") and common.get("loadAffinity") is not None:
        result["loadAffinity"] = common["loadAffinity"]
    for name in GLOBAL_WINS:
        if common.get(name):
            result[name] = common[name]


def global_document(documents: Sequence[Document]) -> Document | None:
    return next((d for d in documents if d.key == GLOBAL), None)


def check_overrides(
    documents: Sequence[Document], version: Version, cluster: ClusterView, out: Findings
) -> None:
    """A repository's own priorityClassName, podLabels or podAnnotations that `global` replaces."""
    common = global_document(documents)
    if common is None or common.config is None:
        return
    shared = readable(common.config, version)
    for doc in documents:
        if doc is common or doc.config is None:
            continue
        own = readable(doc.config, version)
        for name in GLOBAL_WINS:
            if own.get(name) and shared.get(name):
                out.warn(doc.where.child(name), _replaced(name))


def _replaced(name: str) -> str:
    whole = " (the whole map: no merge)" if name != "priorityClassName" else ""
    return f"not used: \"global\" sets {name} too, and Velero takes global's over a repository's{whole}"
