"""The engine's entry points bound to the node-agent kind, as most engine tests call them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook import engine
from webhook.engine import NO_CLUSTER, ClusterView, Options, Verdict
from webhook.engine.nodeagent import NODE_AGENT

DEFAULT_OPTIONS = Options()


def evaluate_config(text: str, cluster: ClusterView = NO_CLUSTER, options: Options = DEFAULT_OPTIONS) -> Verdict:
    return engine.evaluate_config(text, NODE_AGENT, cluster, options)


def evaluate_configmap(
    cm: Mapping[str, Any], cluster: ClusterView = NO_CLUSTER, options: Options = DEFAULT_OPTIONS
) -> Verdict:
    return engine.evaluate_configmap(cm, NODE_AGENT, cluster, options)
