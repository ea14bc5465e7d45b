"""A small fake Kubernetes API server on 127.0.0.1, enough for the inventory's list-then-watch.

It serves list (paged with limit/continue) and watch (chunked JSON lines, BOOKMARKs) for Nodes,
DaemonSets (all namespaces or one), StorageClasses and PriorityClasses, answers metadata-only Accept
headers with PartialObjectMetadata(List), and can misbehave on demand: 406 to metadata requests, 410
on a watch (as a status or as an ERROR event), 403 to every request for one resource (RBAC), a
connection dropped mid-stream, refused connections (stopped) and a restart on the same port with the
same cluster state.

Self-contained (stdlib, orjson, cryptography) so that it also runs as a separate process:
`python fakeapi.py --nodes 10000` prints the port, then serves; see `measure.py`.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import http.server
import ipaddress
import itertools
import socket
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

TOKEN = "fake-token"
Key = tuple[str, str]

ROUTES = {
    "/api/v1/nodes": ("nodes", None),
    "/apis/apps/v1/daemonsets": ("daemonsets", None),
    "/apis/apps/v1/deployments": ("deployments", None),
    "/apis/storage.k8s.io/v1/storageclasses": ("storageclasses", None),
    "/apis/scheduling.k8s.io/v1/priorityclasses": ("priorityclasses", None),
}


VELERO = ("backupstoragelocations", "backuprepositories")


def route(path: str) -> tuple[str, str | None] | None:
    """(resource, namespace) for a collection path, None for anything else."""
    if path in ROUTES:
        return ROUTES[path]
    parts = path.strip("/").split("/")
    if parts[:3] == ["apis", "velero.io", "v1"] and parts[-1] in VELERO and len(parts) in (4, 6):
        return (parts[-1], parts[4] if len(parts) == 6 else None)
    if (
        len(parts) == 6
        and parts[:3] == ["apis", "apps", "v1"]
        and parts[3] == "namespaces"
        and parts[5] in ("daemonsets", "deployments")
    ):
        return (parts[5], parts[4])
    return None


# -- the cluster state ---------------------------------------------------------------------------


@dataclass
class Event:
    rv: int
    resource: str
    type: str
    obj: dict[str, Any]


@dataclass
class FakeCluster:
    """Objects and their event history; survives server restarts (it plays etcd)."""

    objects: dict[str, dict[Key, dict[str, Any]]] = field(
        default_factory=lambda: {r: {} for r in [*(r for r, _ in ROUTES.values()), *VELERO]}
    )
    history: list[Event] = field(default_factory=list)
    rv: int = 100
    cond: threading.Condition = field(default_factory=threading.Condition)

    def put(self, resource: str, obj: dict[str, Any], *, event: bool = True) -> None:
        """Create or replace an object; ADDED or MODIFIED unless `event=False` (a change whose
        event was compacted away: only a relist can see it)."""
        with self.cond:
            self.rv += 1
            meta = obj.setdefault("metadata", {})
            meta["resourceVersion"] = str(self.rv)
            key = (meta.get("namespace", ""), meta["name"])
            kind = "MODIFIED" if key in self.objects[resource] else "ADDED"
            self.objects[resource][key] = obj
            if event:
                self.history.append(Event(self.rv, resource, kind, obj))
            self.cond.notify_all()

    def delete(self, resource: str, name: str, namespace: str = "") -> None:
        with self.cond:
            obj = self.objects[resource].pop((namespace, name))
            self.rv += 1
            obj = {**obj, "metadata": {**obj["metadata"], "resourceVersion": str(self.rv)}}
            self.history.append(Event(self.rv, resource, "DELETED", obj))
            self.cond.notify_all()

    def set_labels(self, name: str, labels: Mapping[str, str], *, event: bool = True) -> None:
        with self.cond:
            node = orjson.loads(orjson.dumps(self.objects["nodes"][("", name)]))
            node["metadata"]["labels"] = dict(labels)
            self.put("nodes", node, event=event)

    def labels(self, name: str) -> dict[str, str]:
        with self.cond:
            return dict(self.objects["nodes"][("", name)]["metadata"].get("labels", {}))

    def events_after(self, resource: str, namespace: str | None, rv: int) -> list[Event]:
        """Events newer than rv (caller holds `cond`); history is append-only and ordered by rv."""
        lo, hi = 0, len(self.history)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.history[mid].rv <= rv:
                lo = mid + 1
            else:
                hi = mid
        return [
            e
            for e in self.history[lo:]
            if e.resource == resource
            and (namespace is None or e.obj["metadata"].get("namespace") == namespace)
        ]


# -- objects -------------------------------------------------------------------------------------

ZONES = ("eu-west-1a", "eu-west-1b", "eu-west-1c")
TYPES = ("m6i.xlarge", "m6i.2xlarge", "c6i.4xlarge", "r6i.2xlarge", "g5.xlarge")


def realistic_node(i: int) -> dict[str, Any]:
    """A Node shaped like an EKS node: 16 labels, the usual annotations, managedFields and a status."""
    name = f"ip-10-{i // 65536 % 256}-{i // 256 % 256}-{i % 256}.eu-west-1.compute.internal"
    zone, itype, group = ZONES[i % 3], TYPES[i % 5], f"ng-{i % 20:02d}"
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": itype,
        "beta.kubernetes.io/os": "linux",
        "eks.amazonaws.com/capacityType": "ON_DEMAND" if i % 4 else "SPOT",
        "eks.amazonaws.com/nodegroup": group,
        "eks.amazonaws.com/nodegroup-image": f"ami-0{i % 20:015x}",
        "failure-domain.beta.kubernetes.io/region": "eu-west-1",
        "failure-domain.beta.kubernetes.io/zone": zone,
        "k8s.io/cloud-provider-aws": "a3f1c0e9d2b84c6f",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": itype,
        "topology.ebs.csi.aws.com/zone": zone,
        "topology.kubernetes.io/region": "eu-west-1",
        "topology.kubernetes.io/zone": zone,
    }
    managed = {f"f:{k}": {} for k in labels}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": f"{i:08x}-6c1e-4b4f-9d3a-2f0e5c7b{i % 65536:04x}",
            "creationTimestamp": "2025-11-02T08:14:31Z",
            "labels": labels,
            "annotations": {
                "alpha.kubernetes.io/provided-node-ip": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
                "csi.volume.kubernetes.io/nodeid": orjson.dumps({"ebs.csi.aws.com": f"i-0{i:016x}"}).decode(),
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "managedFields": [
                {
                    "manager": "kubelet",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2025-11-02T08:14:31Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:metadata": {"f:annotations": {".": {}}, "f:labels": {".": {}, **managed}}
                    },
                },
                {
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2025-11-02T08:15:02Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:annotations": {"f:node.alpha.kubernetes.io/ttl": {}}}},
                    "subresource": "status",
                },
            ],
        },
        "spec": {"providerID": f"aws:///{zone}/i-0{i:016x}"},
        "status": {
            "capacity": {"cpu": "4", "memory": "16069932Ki", "pods": "58"},
            "nodeInfo": {"kubeletVersion": "v1.33.5-eks-113cf36", "osImage": "Amazon Linux 2023"},
        },
    }


def node(name: str, labels: Mapping[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": dict(labels)}}


def storage_class(name: str, reclaim: str | None = None) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
    }
    if reclaim:
        obj["reclaimPolicy"] = reclaim
    return obj


def priority_class(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": 1,
    }


def daemonset(namespace: str, name: str, image: str, args: list[str]) -> dict[str, Any]:
    container = {"name": "node-agent", "image": image, "command": ["/velero"], "args": args}
    template = {"metadata": {"labels": {"name": name}}, "spec": {"containers": [container]}}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": template},
    }


def deployment(namespace: str, name: str, image: str, args: list[str]) -> dict[str, Any]:
    """A Deployment as Velero installs its server: the container named like the Deployment."""
    obj = daemonset(namespace, name, image, args)
    obj["kind"] = "Deployment"
    obj["spec"]["template"]["spec"]["containers"][0]["name"] = name
    return obj


def storage_location(namespace: str, name: str) -> dict[str, Any]:
    return {
        "apiVersion": "velero.io/v1",
        "kind": "BackupStorageLocation",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"provider": "aws", "objectStorage": {"bucket": "b"}},
    }


def repository(namespace: str, volume_namespace: str, location: str, kind: str = "kopia") -> dict[str, Any]:
    return {
        "apiVersion": "velero.io/v1",
        "kind": "BackupRepository",
        "metadata": {"name": f"{volume_namespace}-{location}-{kind}", "namespace": namespace},
        "spec": {
            "volumeNamespace": volume_namespace,
            "backupStorageLocation": location,
            "repositoryType": kind,
            "resticIdentifier": "s3:x",
            "repositoryConfig": {"cacheLimitMB": "2048"},
        },
    }


def partial(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"]}


def forbidden(resource: str) -> str:
    """The message of the API server's 403 when RBAC does not grant a list or watch."""
    return (
        f'{resource} is forbidden: User "system:serviceaccount:velero:node-agent-webhook" '
        f'cannot list resource "{resource}" at the cluster scope'
    )


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


# -- the server ----------------------------------------------------------------------------------


class FakeApiServer:
    """The HTTP(S) front of a FakeCluster, with switches for misbehaviour."""

    def __init__(
        self, cluster: FakeCluster | None = None, *, tls: bool = False, port: int = 0, control: bool = False
    ) -> None:
        self.cluster = cluster or FakeCluster()
        self.control = control  # serve POST /_fake/churn, for a measuring process in another process
        self.port = port
        self.tls = _self_signed() if tls else None
        self.refuse_metadata = False  # 406 to the PartialObjectMetadata Accept headers
        self.forbidden: set[str] = set()  # resources ("storageclasses") every request for gets 403
        self.missing: set[str] = set()  # resources whose API is not installed (no CRD): 404
        self.bookmark_interval = 0.5  # seconds between BOOKMARKs on a quiet watch; 0: none
        self.requests: list[tuple[str, dict[str, list[str]], str]] = []  # (path, query, accept)
        self._gone: dict[str, list[str]] = {}  # for the next watches, by resource: "status" or "event"
        self._epoch = 0  # bumped to end every open watch: cleanly (kick) or not (drop)
        self._drop = False
        # A paged list is one snapshot, as etcd gives the apiserver: the pages after the first
        # come from the objects and the version the first page saw, whatever changed since.
        self.snapshots: dict[str, tuple[list[dict[str, Any]], int]] = {}
        self.snapshot_ids = itertools.count()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._handler: type[_Handler] | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeApiServer:
        self._handler = _handler(self)
        httpd = _Server(("127.0.0.1", self.port), self._handler)
        if self.tls is not None:
            httpd.socket = self.tls.context().wrap_socket(httpd.socket, server_side=True)
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket (connections are then refused) and break every open watch."""
        if self._httpd is None or self._handler is None:
            return
        # A connection accepted just before the stop may start its watch after the drop below: the
        # flag ends it too, as a real server going away would, instead of streaming to its deadline.
        self._handler.stopped = True
        self.drop_watches()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    # -- misbehaviour --------------------------------------------------------------------------

    def gone_next_watches(self, count: int = 1, *, resource: str = "nodes", as_event: bool = False) -> None:
        """The next `count` watches of `resource` get 410: as the HTTP status, or as an ERROR event."""
        with self.cluster.cond:
            self._gone.setdefault(resource, []).extend(["event" if as_event else "status"] * count)

    def drop_watches(self) -> None:
        """Break every open watch mid-stream: half a chunk, then the socket is shut."""
        self._end_watches(drop=True)

    def kick_watches(self) -> None:
        """End every open watch cleanly, as the server does when timeoutSeconds is up."""
        self._end_watches(drop=False)

    def _end_watches(self, *, drop: bool) -> None:
        with self.cluster.cond:
            self._drop = drop
            self._epoch += 1
            self.cluster.cond.notify_all()

    def take_gone(self, resource: str) -> str | None:
        with self.cluster.cond:
            waiting = self._gone.get(resource)
            return waiting.pop(0) if waiting else None

    def watch_count(self) -> int:
        return sum(1 for _, query, _ in self.requests if query.get("watch") == ["1"])

    # -- kubeconfig ----------------------------------------------------------------------------

    def kubeconfig(self, path: Path) -> Path:
        cluster: dict[str, Any] = {"server": self.url}
        if self.tls is not None:
            cluster["certificate-authority-data"] = base64.b64encode(self.tls.cert_pem).decode()
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "fake", "cluster": cluster}],
            "users": [{"name": "fake", "user": {"token": TOKEN}}],
            "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
            "current-context": "fake",
        }
        path.write_bytes(orjson.dumps(config))  # JSON is YAML: kubeconfig loaders read it
        return path


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-stream (stop(), dropped watches) are the point of these tests.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def _handler(server: FakeApiServer) -> type[_Handler]:
    base = _ControlHandler if server.control else _Handler

    class Handler(base):  # type: ignore[valid-type,misc]
        fake = server
        stopped = False  # set when this server stops: its connections end

    return Handler


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeApiServer
    stopped: bool

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        accept = self.headers.get("Accept", "")
        self.fake.requests.append((url.path, query, accept))
        if self.stopped:
            return self._abort()
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._json(401, status(401, "Unauthorized", "Unauthorized"))
        if url.path.startswith("/api/v1/namespaces/") and "/configmaps/" in url.path:
            return self._configmap(url.path)
        found = route(url.path)
        if found is None:
            return self._json(404, status(404, "NotFound", f"the server could not find {url.path}"))
        if found[0] in self.fake.forbidden:
            return self._json(403, status(403, "Forbidden", forbidden(found[0])))
        if found[0] in self.fake.missing:
            return self._json(
                404, status(404, "NotFound", "the server could not find the requested resource")
            )
        metadata_only = "as=PartialObjectMetadata" in accept
        if metadata_only and self.fake.refuse_metadata:
            return self._json(406, status(406, "NotAcceptable", "only application/json is served here"))
        if query.get("watch") == ["1"]:
            return self._watch(*found, query, metadata_only)
        return self._list(*found, query, metadata_only)

    def _configmap(self, path: str) -> None:
        _, _, _, namespace, _, name = path.strip("/").split("/")
        obj = self.fake.cluster.objects.get("configmaps", {}).get((namespace, name))
        if obj is None:
            return self._json(404, status(404, "NotFound", f'configmaps "{name}" not found'))
        return self._json(200, obj)

    def _json(self, code: int, body: Any) -> None:
        data = orjson.dumps(body)
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # -- list ----------------------------------------------------------------------------------

    def _list(self, resource: str, namespace: str | None, query: dict[str, list[str]], meta: bool) -> None:
        token = query.get("continue", [""])[0]
        objects, rv = self._snapshot(resource, namespace, token)
        offset = int(token.rpartition(":")[2] or 0)
        limit = int(query.get("limit", ["0"])[0] or 0) or len(objects)
        page = objects[offset : offset + limit]
        more = offset + limit < len(objects)
        snapshot_id = token.rpartition(":")[0] or f"{resource}-{next(self.fake.snapshot_ids)}"
        if more:
            self.fake.snapshots[snapshot_id] = (objects, rv)
        body = {
            "kind": "PartialObjectMetadataList" if meta else "List",
            "apiVersion": "meta.k8s.io/v1" if meta else "v1",
            "metadata": {
                "resourceVersion": str(rv),
                **({"continue": f"{snapshot_id}:{offset + limit}"} if more else {}),
            },
            "items": [partial(o) for o in page] if meta else page,
        }
        self._json(200, body)

    def _snapshot(self, resource: str, namespace: str | None, token: str) -> tuple[list[dict[str, Any]], int]:
        if token:
            return self.fake.snapshots[token.rpartition(":")[0]]
        cluster = self.fake.cluster
        with cluster.cond:
            objects = [
                o for (ns, _), o in sorted(cluster.objects[resource].items()) if namespace in (None, ns)
            ]
            return objects, cluster.rv

    # -- watch ---------------------------------------------------------------------------------

    def _watch(self, resource: str, namespace: str | None, query: dict[str, list[str]], meta: bool) -> None:
        # The epoch is taken before the 410s are looked at: a kick that comes after that look must
        # end this stream, or a 410 asked for with the kick waits for the next watch (a flaky test).
        epoch = self.fake._epoch
        gone = self.fake.take_gone(resource)
        if gone == "status":
            return self._json(410, status(410, "Expired", "too old resource version"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if gone == "event":
            self._chunk(orjson.dumps({"type": "ERROR", "object": status(410, "Expired", "too old")}) + b"\n")
            return self._chunk(b"")
        timeout = float(query.get("timeoutSeconds", ["60"])[0])
        rv = int(query.get("resourceVersion", ["0"])[0] or 0)
        self._stream(resource, namespace, rv, time.monotonic() + timeout, meta, epoch)

    def _stream(
        self, resource: str, namespace: str | None, rv: int, deadline: float, meta: bool, epoch: int
    ) -> None:
        cluster, bookmark_at = self.fake.cluster, time.monotonic()
        while time.monotonic() < deadline:
            with cluster.cond:
                events = cluster.events_after(resource, namespace, rv)
                if not events and self.fake._epoch == epoch:
                    cluster.cond.wait(0.05)
                    events = cluster.events_after(resource, namespace, rv)
                ended, drop = self.fake._epoch != epoch or self.stopped, self.fake._drop or self.stopped
                # Read under the lock with the events: a bookmark may only name a version whose
                # events this stream has sent, or a client that rewatches from it loses one.
                delivered = cluster.rv
            if events:
                rv = events[-1].rv
                self._chunk(b"".join(_event_line(e, meta) for e in events))
            if ended:
                return self._abort() if drop else self._chunk(b"")
            if self.fake.bookmark_interval and time.monotonic() - bookmark_at > self.fake.bookmark_interval:
                bookmark_at = time.monotonic()
                self._chunk(_bookmark(resource, max(rv, delivered)))
        self._chunk(b"")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def _abort(self) -> None:
        """Half a chunk, then the socket is shut: the client sees a broken stream, not an end."""
        self.wfile.write(b'400\r\n{"type":"MODIFIED","obj')
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _event_line(event: Event, meta: bool) -> bytes:
    obj = partial(event.obj) if meta else event.obj
    return orjson.dumps({"type": event.type, "object": obj}) + b"\n"


def _bookmark(resource: str, rv: int) -> bytes:
    kind = {"nodes": "Node", "daemonsets": "DaemonSet", "deployments": "Deployment"}.get(resource, "Object")
    obj = {"kind": kind, "metadata": {"resourceVersion": str(rv)}}
    return orjson.dumps({"type": "BOOKMARK", "object": obj}) + b"\n"


# -- TLS -----------------------------------------------------------------------------------------


@dataclass
class _SelfSigned:
    cert_pem: bytes
    key_pem: bytes

    def context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
            cert.write_bytes(self.cert_pem)
            key.write_bytes(self.key_pem)
            context.load_cert_chain(cert, key)
        return context


def _self_signed() -> _SelfSigned:
    """A self-signed certificate for 127.0.0.1, which is then its own CA in the kubeconfig."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-apiserver")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _SelfSigned(cert.public_bytes(serialization.Encoding.PEM), key_pem)


# -- as a process ----------------------------------------------------------------------------------


def populate(cluster: FakeCluster, nodes: int) -> None:
    """`nodes` realistic nodes, without events (as if they had always been there)."""
    for i in range(nodes):
        cluster.put("nodes", realistic_node(i), event=False)


def churn(cluster: FakeCluster, count: int) -> None:
    """`count` label changes spread over the nodes, appended to the history at once."""
    names = [name for _, name in sorted(cluster.objects["nodes"])]
    for i in range(count):
        name = names[i % len(names)]
        cluster.set_labels(name, {**cluster.labels(name), "churn": str(i)})


class _ControlHandler(_Handler):
    """Adds POST /_fake/churn?count=N for a measuring process that cannot call methods."""

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/_fake/churn":
            return self._json(404, status(404, "NotFound", url.path))
        count = int(parse_qs(url.query).get("count", ["1"])[0])
        churn(self.fake.cluster, count)
        return self._json(200, {"rv": self.fake.cluster.rv})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    cluster = FakeCluster()
    populate(cluster, args.nodes)
    server = FakeApiServer(cluster, port=args.port, control=True)
    server.start()
    print(server.port, flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
