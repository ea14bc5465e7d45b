"""One-shot API calls for the CLI (`validate -n NS NAME`): read once, answer, close.

Unlike the server's Inventory these run in the caller's thread and return when done; every call has
a client-side timeout so that a dead API server costs seconds, not a hung terminal.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import quote

from webhook.engine import ClusterView
from webhook.inventory.client import JSON, KubeClient
from webhook.inventory.errors import ApiError
from webhook.inventory.inventory import Inventory
from webhook.inventory.reflector import ReflectorSettings


def fetch_configmap(
    kubeconfig: str | None, namespace: str, name: str, timeout: float = 10.0
) -> dict[str, Any]:
    """GET one ConfigMap as a plain dict. Raises KubeConfigError, or ApiError / ApiUnreachableError whose
    message names the ConfigMap (`configmap velero/node-agent-config: HTTP 404: ... not found`)."""
    client = KubeClient.from_kubeconfig(kubeconfig, connect_timeout=min(timeout, 5.0))
    path = f"/api/v1/namespaces/{quote(namespace, safe='')}/configmaps/{quote(name, safe='')}"
    try:
        body = client.get(path, (), JSON, timeout)
    except ApiError as exc:
        raise exc.about(f"configmap {namespace}/{name}") from exc
    finally:
        client.close()
    if not isinstance(body, dict):
        raise ApiError(200, "the answer is not a JSON object", f"configmap {namespace}/{name}")
    return body


def live_cluster_view(
    kubeconfig: str | None, namespaces: Collection[str] = (), settings: ReflectorSettings | None = None
) -> ClusterView:
    """List every kind once (no watch) and return what was found.

    Never raises for API failures: a kind that could not be listed is None in the view (its checks
    are skipped) and `unavailable` says why, as the live inventory would. Raises KubeConfigError
    when there is no configuration to start from.
    """
    inventory = Inventory.from_kubeconfig(kubeconfig, namespaces=namespaces, settings=settings)
    try:
        inventory.list_once()
        return inventory.view()
    finally:
        inventory.stop(timeout=0)
