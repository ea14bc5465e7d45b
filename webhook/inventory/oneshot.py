"""The CLI's cluster: read once, answer, close (`validate --kubeconfig`, `-n NS NAME`, `explain`).

Unlike the server's Inventory these calls run in the caller's thread and return when done; every call
has a client-side timeout so that a dead API server costs seconds, not a hung terminal. A cluster that
was asked for and cannot be reached at all is an error naming the address tried, never an empty view
that would let every check pass; one that answers but refuses a kind (RBAC) gives a view without that
kind, as the live inventory would.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import quote

from webhook.engine import ClusterView
from webhook.inventory.client import JSON, KubeClient, load_configuration
from webhook.inventory.errors import ApiError, ApiUnreachableError
from webhook.inventory.inventory import Inventory
from webhook.inventory.reflector import ReflectorSettings


class OneShotCluster:
    """One client for a run of the CLI; `connect` checks that the API server answers at all."""

    def __init__(self, client: KubeClient, timeout: float = 10.0) -> None:
        self._client = client
        self._timeout = timeout

    @classmethod
    def connect(
        cls, kubeconfig: str | None, context: str | None = None, timeout: float = 10.0
    ) -> OneShotCluster:
        """Raises KubeConfigError (no usable configuration) or ApiUnreachableError naming the address."""
        client = KubeClient(load_configuration(kubeconfig, context), connect_timeout=min(timeout, 5.0))
        try:
            client.get("/version", (), JSON, timeout)
        except ApiUnreachableError as exc:
            client.close()
            raise exc.about(client.address) from exc
        except ApiError:
            pass  # an answer, even a refusal, says the server is there
        return cls(client, timeout)

    @property
    def address(self) -> str:
        return self._client.address

    def configmap(self, namespace: str, name: str) -> dict[str, Any]:
        """GET one ConfigMap as a plain dict. Raises ApiError / ApiUnreachableError whose message names
        the ConfigMap (`configmap velero/node-agent-config: HTTP 404: ... not found`)."""
        path = f"/api/v1/namespaces/{quote(namespace, safe='')}/configmaps/{quote(name, safe='')}"
        try:
            body = self._client.get(path, (), JSON, self._timeout)
        except ApiError as exc:
            raise exc.about(f"configmap {namespace}/{name}") from exc
        if not isinstance(body, dict):
            raise ApiError(200, "the answer is not a JSON object", f"configmap {namespace}/{name}")
        return body

    def view(
        self, namespaces: Collection[str] = (), settings: ReflectorSettings | None = None
    ) -> ClusterView:
        """List every kind once (no watch, no retry) and return what was found: a kind that could not
        be listed is None in the view (its checks are skipped) and `unavailable` says why."""
        settings = settings or ReflectorSettings(list_timeout=self._timeout)
        inventory = Inventory(self._client, namespaces=namespaces, settings=settings)
        inventory.list_once()
        return inventory.view()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OneShotCluster:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
