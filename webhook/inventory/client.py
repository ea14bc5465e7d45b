"""Authenticated raw GETs and watch streams through the `kubernetes` package, without its models.

The package is used for what it does well, configuration (kubeconfig, in-cluster service account,
token refresh, client certificates) and its authenticated urllib3 pool, and for nothing else: bodies
are parsed with orjson and never deserialized into the client's model classes, which costs seconds
and hundreds of MB on big lists (admission-webhooks.md §4.4, §5.3.4). Every call carries a
client-side (connect, read) timeout, because the server-side `timeoutSeconds` alone lets a watch
hang forever on a dead network (§5.3.2). One ApiClient serves every reflector; close it once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import urllib3
from kubernetes import client as _client
from kubernetes import config as _config
from kubernetes.config.config_exception import ConfigException

from webhook.inventory import gcpause
from webhook.inventory.errors import ApiError, ApiUnreachableError, KubeConfigError

# The package's annotations are partial; to mypy --strict it is untyped, so say so once, here.
k8s: Any = _client
k8s_config: Any = _config

Query = Sequence[tuple[str, str]]
JSON = "application/json"
_CHUNK = 1 << 16


def kubeconfig_in_use(explicit: str | None, environ: Mapping[str, str], home: Path) -> str | None:
    """kubectl's order: --kubeconfig, else $KUBECONFIG (a list of files, merged), else ~/.kube/config
    when it exists; None when there is none of them (then the in-cluster service account)."""
    if explicit:
        return explicit
    if environ.get("KUBECONFIG"):
        return environ["KUBECONFIG"]
    default = home / ".kube" / "config"
    return str(default) if default.is_file() else None


def load_configuration(kubeconfig: str | None, context: str | None = None) -> Any:
    """The kubeconfig file when one is given (its current context, or `context`), else the pod's
    service account (in-cluster). The kubeconfig is only read: refreshed tokens are not written back."""
    configuration = type.__call__(k8s.Configuration)  # a fresh one, not a copy of the global default
    try:
        if kubeconfig:
            k8s_config.load_kube_config(
                config_file=kubeconfig,
                context=context,
                client_configuration=configuration,
                persist_config=False,
            )
        elif context:
            raise ConfigException(f"--context {context} needs a kubeconfig, and none was found")
        else:
            k8s_config.load_incluster_config(client_configuration=configuration)
    except (ConfigException, OSError, ValueError, TypeError) as exc:
        where = kubeconfig or "in-cluster configuration (no kubeconfig given or found)"
        raise KubeConfigError(f"{where}: {exc}") from exc
    # The reflectors retry with their own backoff; urllib3's silent retries would only hide failures.
    configuration.retries = False
    return configuration


class KubeClient:
    """GET a JSON body, or open a stream of JSON lines, with (connect, read) timeouts."""

    def __init__(self, configuration: Any, connect_timeout: float = 5.0) -> None:
        self._api = k8s.ApiClient(configuration)
        self.connect_timeout = connect_timeout

    @classmethod
    def from_kubeconfig(cls, kubeconfig: str | None, connect_timeout: float = 5.0) -> KubeClient:
        return cls(load_configuration(kubeconfig), connect_timeout)

    def get(self, path: str, query: Query, accept: str, read_timeout: float) -> Any:
        """The parsed body of a 2xx answer; ApiError for another status, ApiUnreachableError for none."""
        response = self._open(path, query, accept, read_timeout)
        try:
            body = _guarded(response.read)
            with gcpause.paused():
                return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(response.status, f"unparsable body: {exc}") from exc
        finally:
            response.release_conn()

    def stream(self, path: str, query: Query, accept: str, read_timeout: float) -> Stream:
        return Stream(self._open(path, query, accept, read_timeout))

    @property
    def address(self) -> str:
        """The API server's URL, as the errors a person reads name it."""
        return str(self._api.configuration.host)

    def close(self) -> None:
        self._api.close()

    def _open(self, path: str, query: Query, accept: str, read_timeout: float) -> Any:
        method, url, headers, _, _ = self._api.param_serialize(
            "GET",
            path,
            query_params=list(query),
            header_params={"Accept": accept},
            auth_settings=["BearerToken"],
        )
        timeout = (self.connect_timeout, read_timeout)
        answer = _guarded(
            lambda: self._api.call_api(method, url, header_params=headers, _request_timeout=timeout)
        )
        response = answer.response  # the raw urllib3 response: never preloaded by this client generation
        if not 200 <= response.status <= 299:
            raise _status_error(response)
        return response


def _status_error(response: Any) -> ApiError:
    """An ApiError carrying the Status message the API server put in the body, if any."""
    try:
        body = orjson.loads(response.read())
        message = body.get("message") if isinstance(body, dict) else None
    except (orjson.JSONDecodeError, urllib3.exceptions.HTTPError, OSError):
        message = None
    finally:
        response.release_conn()
    return ApiError(response.status, str(message or response.reason or "error"))


class Stream:
    """A watch response read line by line; `shutdown()` from another thread unblocks a pending read."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._lock = threading.Lock()

    def lines(self) -> Iterator[bytes]:
        """Complete non-empty lines, as they arrive; ApiUnreachableError when the connection breaks."""
        pending: list[bytes] = []
        while chunk := _guarded(lambda: self._response.read1(_CHUNK)):
            *complete, rest = chunk.split(b"\n")
            if complete:
                complete[0] = b"".join([*pending, complete[0]])
                pending = []
                yield from (line for line in complete if line.strip())
            pending.append(rest)
        if b"".join(pending).strip():
            yield b"".join(pending)

    def shutdown(self) -> None:
        # ValueError, RuntimeError: already finished or released, so nothing is blocked on it.
        with self._lock, contextlib.suppress(ValueError, RuntimeError, OSError):
            self._response.shutdown()

    def close(self) -> None:
        with self._lock:
            self._response.close()
            self._response.release_conn()

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _guarded(call: Any) -> Any:
    """Run a network call, turning every transport failure into ApiUnreachableError with a short reason."""
    try:
        return call()
    except urllib3.exceptions.HTTPError as exc:
        raise ApiUnreachableError(describe(exc)) from exc
    except k8s.ApiException as exc:  # the REST layer wraps TLS failures this way, with status 0
        raise ApiUnreachableError(str(exc.reason).replace("\n", ": ")) from exc
    except OSError as exc:
        raise ApiUnreachableError(str(exc)) from exc


def describe(exc: BaseException) -> str:
    """urllib3's messages repeat the pool and the URL; keep the cause a person can act on."""
    if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
        return describe(exc.reason)
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return str(exc).rpartition("new connection: ")[2]
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        return "read timed out"
    if isinstance(exc, urllib3.exceptions.ConnectTimeoutError):
        return "connect timed out"
    if isinstance(exc, urllib3.exceptions.ProtocolError) and len(exc.args) > 1:
        return f"connection broken: {exc.args[1]!r}"
    return str(exc) or type(exc).__name__
