"""Fakes and builders for the admission tests: an inventory, a certificate source, reviews."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from webhook.admission import Lifecycle, Settings, create_app
from webhook.admission.review.admit import by_operation
from webhook.engine import NO_CLUSTER, ClusterView
from webhook.inventory import InventoryStats, load_cluster_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NODES = load_cluster_file(EXAMPLES / "nodes.json")


class FakeInventory:
    changing = False

    def __init__(self, view: ClusterView = NODES, ready: bool = True, event_age: float | None = None) -> None:
        self._view = view
        self.ready = ready
        self.event_age = event_age
        self.calls: list[str] = []

    def view(self) -> ClusterView:
        return self._view

    def stats(self) -> InventoryStats:
        nodes = len(self._view.nodes) if self._view.nodes is not None else 0
        return InventoryStats(self.ready, nodes, None, self.event_age, ())

    def start(self) -> None:
        self.calls.append("start")

    def stop(self) -> None:
        self.calls.append("stop")


class FakeCerts:
    def __init__(self, healthy: bool = True, not_after: float | None = 1_900_000_000.0) -> None:
        self.healthy = healthy
        self.not_after = not_after
        self.watching = False

    async def watch(self) -> None:
        self.watching = True
        try:
            await asyncio.Event().wait()
        finally:
            self.watching = False


def settings(**overrides: Any) -> Settings:
    return Settings(tls_cert=Path("unused.crt"), tls_key=Path("unused.key"), **overrides)


class AppClient:
    """A synchronous client for an app, with its lifespan run, over httpx's ASGI transport.

    One event loop (an asyncio.Runner) for the lifespan and every request, as under uvicorn.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._runner = asyncio.Runner()
        self._lifespan = app.router.lifespan_context(app)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.http = httpx.AsyncClient(transport=transport, base_url="http://webhook.test")

    def __enter__(self) -> AppClient:
        self._runner.__enter__()
        self._runner.run(self._lifespan.__aenter__())
        return self

    def __exit__(self, *exc: object) -> None:
        self._runner.run(self.http.aclose())
        self._runner.run(self._lifespan.__aexit__(None, None, None))
        self._runner.__exit__(None, None, None)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._runner.run(self.http.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@contextmanager
def client(
    inventory: Any = None,
    certs: Any = None,
    decide: Callable[..., Any] = by_operation,
    lifecycle: Lifecycle | None = None,
    **setting_overrides: Any,
) -> Iterator[AppClient]:
    app = create_app(
        settings(**setting_overrides),
        inventory if inventory is not None else FakeInventory(),
        certs if certs is not None else FakeCerts(),
        lifecycle=lifecycle,
        decide=decide,
    )
    with AppClient(app) as c:
        yield c


def example(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return doc


def configmap(
    config: Mapping[str, Any] | str, name: str = "node-agent-config", namespace: str = "velero"
) -> dict[str, Any]:
    text = config if isinstance(config, str) else json.dumps(config)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": {"node-agent-config.json": text},
    }


def admission_review(
    operation: str = "CREATE",
    obj: Mapping[str, Any] | None = None,
    old: Mapping[str, Any] | None = None,
    *,
    uid: str = "0f3c8e0a-5b7e-4d1c-9a61-6c2f9b1d2e40",
    kind: Mapping[str, str] | None = None,
    name: str | None = None,
    namespace: str | None = None,
    dry_run: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    source = obj or old or {}
    meta = source.get("metadata", {})
    request: dict[str, Any] = {
        "uid": uid,
        "kind": dict(kind or {"group": "", "version": "v1", "kind": "ConfigMap"}),
        "resource": {"group": "", "version": "v1", "resource": "configmaps"},
        "name": name if name is not None else meta.get("name", ""),
        "namespace": namespace if namespace is not None else meta.get("namespace", ""),
        "operation": operation,
        "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters"]},
        "object": copy.deepcopy(obj) if obj is not None else None,
        "oldObject": copy.deepcopy(old) if old is not None else None,
        "dryRun": dry_run,
        **extra,
    }
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}


def post(c: AppClient, body: Any, **kwargs: Any) -> httpx.Response:
    """POST a review (a dict is sent as JSON) and return the response."""
    if isinstance(body, (dict, list)):
        return c.post("/validate", json=body, **kwargs)
    headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
    return c.post("/validate", content=body, headers=headers, **kwargs)


EMPTY_CLUSTER = NO_CLUSTER
