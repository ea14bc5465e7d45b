"""Fixtures for the inventory tests: a fake API server on 127.0.0.1, kubeconfigs pointing at it,
and inventories with timings shrunk from minutes to fractions of a second."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from webhook.inventory import Inventory, ReflectorSettings

from .fakeapi import FakeApiServer

T = TypeVar("T")

FAST = ReflectorSettings(
    connect_timeout=1.0,
    list_timeout=5.0,
    watch_seconds=5,
    watch_read_slack=2.0,
    page_size=2,  # small pages, so that every list in these tests exercises `continue`
    backoff_initial=0.05,
    backoff_cap=0.2,
)


class Serial:
    """The tests' stand-in for the event loop: mutations and reads take turns under one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __call__(self, mutation: Callable[[], None]) -> None:
        with self._lock:
            mutation()

    def read(self, read: Callable[[], T]) -> T:
        with self._lock:
            return read()


def eventually(check: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.01)
    pytest.fail(f"{what} not reached within {timeout}s")


@pytest.fixture
def fake() -> Iterator[FakeApiServer]:
    server = FakeApiServer().start()
    yield server
    server.stop()


@pytest.fixture
def kubeconfig(fake: FakeApiServer, tmp_path: Path) -> str:
    return str(fake.kubeconfig(tmp_path / "kubeconfig"))


@pytest.fixture
def serial() -> Serial:
    return Serial()


@pytest.fixture
def make_inventory(kubeconfig: str, serial: Serial) -> Iterator[Callable[..., Inventory]]:
    made: list[Inventory] = []

    def make(**kwargs: Any) -> Inventory:
        kwargs.setdefault("settings", FAST)
        kwargs.setdefault("dispatch", serial)
        inventory = Inventory.from_kubeconfig(kwargs.pop("kubeconfig", kubeconfig), **kwargs)
        made.append(inventory)
        return inventory

    yield make
    for inventory in made:
        assert inventory.stop(timeout=5.0), "a reflector thread did not end"
