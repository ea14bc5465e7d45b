"""The engine's entry points bound to the node-agent kind, as most engine tests call them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook import engine
from webhook.engine import NO_CLUSTER, ClusterView, Options, VeleroWorkload, Verdict
from webhook.engine.nodeagent import NODE_AGENT

DEFAULT_OPTIONS = Options()


def evaluate_config(
    text: str, cluster: ClusterView = NO_CLUSTER, options: Options = DEFAULT_OPTIONS
) -> Verdict:
    return engine.evaluate_config(text, NODE_AGENT, cluster, options)


def evaluate_configmap(
    cm: Mapping[str, Any], cluster: ClusterView = NO_CLUSTER, options: Options = DEFAULT_OPTIONS
) -> Verdict:
    return engine.evaluate_configmap(cm, NODE_AGENT, cluster, options)


def node_agent_daemonset(
    namespace: str = "velero",
    name: str = "node-agent",
    configmap: str | None = "node-agent-config",
    velero_version: str | None = None,
    **template: Any,
) -> VeleroWorkload:
    """A node-agent DaemonSet as the inventory keeps it; `configmap` None: no --node-agent-configmap."""
    flags = {"--node-agent-configmap": configmap} if configmap else {}
    return VeleroWorkload(namespace, name, "DaemonSet", flags, velero_version, **template)
