"""List, then watch from the list's resourceVersion, forever: one collection kept in step with the
API server (client-go's Reflector, kopf's `continuous_watch`), with none of the client's own watch.

The loop, in its own thread:  list (paged) -> sink.replace -> watch from resourceVersion -> each
event to sink.apply, resourceVersion tracked (BOOKMARKs too) -> the server ends the watch after
`timeoutSeconds` -> watch again from where it was. A 410 Gone, as a status or as an ERROR event,
means the resourceVersion was compacted away: relist at once. Any other failure: back off (capped,
jittered) and resume the watch from the last resourceVersion, so a dropped connection costs no
relist. Nothing is raised out of the thread; failures are recorded in `state` for readiness,
`ClusterView.unavailable` and metrics.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from webhook.inventory.backoff import Backoff
from webhook.inventory.client import KubeClient, Query, Stream
from webhook.inventory.errors import ApiError, ApiUnreachableError
from webhook.inventory.projection import metadata
from webhook.inventory.resources import Resource

log = logging.getLogger(__name__)


class Sink(Protocol):
    """Where a reflector delivers; every method runs in the reflector's thread."""

    def keep(self, obj: Any) -> Any:
        """What to hold of one listed object until its list is complete (`replace` gets these)."""
        ...

    def replace(self, kept: list[Any]) -> None: ...

    def apply(self, event_type: str, obj: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class ReflectorSettings:
    """Timing of every reflector. Defaults suit a real cluster; tests shrink them."""

    connect_timeout: float = 5.0  # seconds to open a connection (TCP + TLS)
    list_timeout: float = 60.0  # client read timeout while a list page arrives
    watch_seconds: int = 300  # server-side timeoutSeconds; each watch picks one in [n, 2n) (client-go)
    watch_read_slack: float = 30.0  # client read timeout = timeoutSeconds + this: a dead link is noticed
    page_size: int = 500  # list `limit`: big clusters arrive in pages, as client-go lists
    backoff_initial: float = 0.5  # first retry delay after a failure, seconds
    backoff_cap: float = 30.0  # longest retry delay

    def watch_timeout(self) -> int:
        return self.watch_seconds + random.randrange(max(1, self.watch_seconds))


class ExpiredError(Exception):
    """The watch's resourceVersion is gone (410): relist."""


class SyncState:
    """What one reflector has done, written by its thread only; readers get atomic attribute reads."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.listed = False  # a complete list has been delivered at least once
        self.watching = False
        self.failures = 0  # consecutive failed attempts; 0 after any success
        self.error: str | None = None  # the last failure, kept until the next success
        self.reason: str | None = None  # the same without the kind, for sentences naming several
        self.lists = 0
        self.events = 0
        self.last_list: float | None = None  # time.monotonic()
        self.last_event: float | None = None
        self.resource_version: str | None = None


class Reflector:
    """Keeps one `Sink` in step with one `Resource`; `start()` runs it in a daemon thread."""

    def __init__(
        self, client: KubeClient, resource: Resource, sink: Sink, settings: ReflectorSettings
    ) -> None:
        self.resource = resource
        self.state = SyncState(resource.kind)
        self._client = client
        self._sink = sink
        self._settings = settings
        self._metadata = resource.metadata_only  # False for good once the server answers 406
        self._backoff = Backoff(settings.backoff_initial, settings.backoff_cap)
        self._stop = threading.Event()
        self._stream: Stream | None = None
        self._thread: threading.Thread | None = None
        self._one_shot = False  # list_once: no retry follows, so a failure is not logged as one

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"inventory-{self.resource.kind}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end and unblock its pending read; `join` waits for it."""
        self._stop.set()
        stream = self._stream
        if stream is not None:
            stream.shutdown()

    def join(self, timeout: float) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    def list_once(self) -> bool:
        """One list, in the caller's thread (the CLI's one-shot view); True if it succeeded. A failure
        is recorded in `state` only: the caller reports it (the view's `unavailable`), nothing retries."""
        self._one_shot = True
        return self._attempt(self._list)

    # -- the loop --------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            needs_list = self.state.resource_version is None or not self.state.listed
            if not self._attempt(self._list if needs_list else self._watch):
                self._stop.wait(self._backoff.next_delay())

    def _attempt(self, step: Callable[[], None]) -> bool:
        """Run one step; record a failure instead of raising (a bug in a sink must not kill the loop)."""
        try:
            step()
            return True
        except ExpiredError:
            log.info(
                "%s: resourceVersion %s expired, relisting", self.resource.kind, self.state.resource_version
            )
            self.state.resource_version = None
            return True
        except ApiError as exc:
            if not self._stop.is_set():  # stop() breaks the stream on purpose: not a failure
                self._failed(self._describe(exc, step), str(exc))
        except Exception as exc:  # anything else is a bug: logged with its traceback, the loop goes on
            log.exception("%s: unexpected failure", self.resource.kind)
            self._failed(f"{self.resource.kind}: internal error: {exc!r}", f"internal error: {exc!r}")
        return False

    def _describe(self, exc: ApiError, step: Callable[[], None]) -> str:
        if isinstance(exc, ApiUnreachableError):
            return str(exc)
        verb = "list" if step == self._list else "watch"
        return str(exc.about(f"cannot {verb} {self.resource.kind}"))

    def _failed(self, text: str, reason: str) -> None:
        state = self.state
        state.failures += 1
        state.error, state.reason = text, reason
        if self._one_shot:
            return
        level = logging.WARNING if state.failures == 1 else logging.DEBUG
        log.log(level, "%s (attempt %d failed; retrying)", text, state.failures)

    def _succeeded(self) -> None:
        if self.state.failures:
            log.info("%s: in sync again after %d failed attempts", self.resource.kind, self.state.failures)
        self.state.failures = 0
        self.state.error = self.state.reason = None

    # -- list ------------------------------------------------------------------------------------

    def _list(self) -> None:
        kept: list[Any] = []
        token = ""
        while True:
            page = self._page(token)
            # Only the sink's projection of each object outlives its page: a big list never holds
            # every raw object (labels, annotations, managedFields) in memory at once.
            kept.extend(map(self._sink.keep, _items(page)))
            token = str(metadata(page).get("continue") or "")
            if not token or self._stop.is_set():
                break
        if self._stop.is_set():
            return
        self._sink.replace(kept)
        self._listed(str(metadata(page).get("resourceVersion") or ""))

    def _page(self, token: str) -> Any:
        query: list[tuple[str, str]] = [("limit", str(self._settings.page_size))]
        if token:
            query.append(("continue", token))
        return self._get(query, self._settings.list_timeout)

    def _get(self, query: Query, read_timeout: float) -> Any:
        accept = self.resource.accept(watch=False, metadata=self._metadata)
        try:
            return self._client.get(self.resource.path, query, accept, read_timeout)
        except ApiError as exc:
            if not self._not_acceptable(exc):
                raise
        return self._get(query, read_timeout)

    def _not_acceptable(self, exc: ApiError) -> bool:
        """406 to the metadata Accept header: from now on ask for plain JSON (True: ask again)."""
        if exc.status != 406 or not self._metadata:
            return False
        log.warning(
            "%s: the server refuses metadata-only answers (406); using full objects", self.resource.kind
        )
        self._metadata = False
        return True

    def _listed(self, resource_version: str) -> None:
        state = self.state
        state.resource_version = resource_version or None
        state.listed = True
        state.lists += 1
        state.last_list = time.monotonic()
        self._succeeded()
        self._backoff.reset()

    # -- watch -----------------------------------------------------------------------------------

    def _watch(self) -> None:
        with self._open_watch() as stream:
            self._stream = stream
            try:
                if not self._stop.is_set():  # stop() may have come before the stream was visible
                    self._follow(stream)
            finally:
                self._stream = None
                self.state.watching = False
        self._backoff.reset()  # the server ended the watch as agreed: the link is healthy

    def _open_watch(self) -> Stream:
        timeout = self._settings.watch_timeout()
        query = [
            ("watch", "1"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", self.state.resource_version or ""),
            ("timeoutSeconds", str(timeout)),
        ]
        accept = self.resource.accept(watch=True, metadata=self._metadata)
        try:
            stream = self._client.stream(
                self.resource.path, query, accept, timeout + self._settings.watch_read_slack
            )
        except ApiError as exc:
            if exc.gone:
                raise ExpiredError from exc
            if not self._not_acceptable(exc):
                raise
            return self._open_watch()
        self.state.watching = True
        self._succeeded()
        return stream

    def _follow(self, stream: Stream) -> None:
        for line in stream.lines():
            if self._stop.is_set():
                return
            self._event(line)

    def _event(self, line: bytes) -> None:
        try:
            event = orjson.loads(line)
            kind, obj = event["type"], event["object"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise ApiError(0, f"unreadable watch event: {exc}") from exc
        if kind == "ERROR":
            raise _error_event(obj)
        if kind != "BOOKMARK":
            self._sink.apply(kind, obj)
        self.state.resource_version = str(metadata(obj).get("resourceVersion") or self.state.resource_version)
        self.state.events += 1
        self.state.last_event = time.monotonic()
        self._backoff.reset()


def _items(page: Any) -> list[Any]:
    items = page.get("items") if isinstance(page, dict) else None
    return items if isinstance(items, list) else []


def _error_event(status: Any) -> Exception:
    """An ERROR event carries a Status; code 410 means the resourceVersion expired."""
    code = status.get("code") if isinstance(status, dict) else None
    if code == 410:
        return ExpiredError()
    message = status.get("message") if isinstance(status, dict) else None
    return ApiError(code if isinstance(code, int) else 0, str(message or "watch ERROR event"))
