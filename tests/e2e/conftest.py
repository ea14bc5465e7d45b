"""Session fixtures of the end-to-end suite: one cluster for every test, and the latency report.

Starting etcd, kube-apiserver, the chart and the webhook costs tens of seconds on two cores, so it is
done once (tests/e2e/session.py). Tests share it and leave it as they found it: they write only the
node-agent ConfigMap names (removed by `clean`), and undo any Node or DaemonSet they change.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e import latency
from tests.e2e.processes import REPO
from tests.e2e.session import WEBHOOK_NAME, Cluster, start

REPORT = REPO / ".e2e" / "webhook-latency.txt"
LOGS = REPO / ".e2e" / "logs"  # every process's log of the last session, for a failed CI run
_report: list[str] = []


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = start(tmp_path_factory.mktemp("e2e"))
    try:
        yield started
        _report_latency(started)
    finally:
        started.stop()
        _keep_logs(started.workdir)


@pytest.fixture
def clean(cluster: Cluster) -> Iterator[Cluster]:
    """No node-agent ConfigMap in the Velero namespaces before the test, nor after it."""
    cluster.delete_node_agent_configmaps()
    yield cluster
    cluster.delete_node_agent_configmaps()


def _keep_logs(workdir: Path) -> None:
    """Copied over the previous session's (another session may be copying too: never fail on it)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    for log in workdir.glob("*.log"):
        with contextlib.suppress(OSError):
            shutil.copy(log, LOGS / log.name)


def _report_latency(cluster: Cluster) -> None:
    """What kube-apiserver measured for our webhook (and what the webhook measured itself), to a file.

    The apiserver's `rejected` label is true for denials and for failed calls alike (the failure-policy
    tests make a few); `rejected="false"` are answered allowances only.
    """
    text = cluster.apiserver.get("/metrics")
    status, own_text = cluster.webhook.probe("/metrics")
    histograms = [
        (f"kube-apiserver -> {WEBHOOK_NAME}, allowed", {"name": WEBHOOK_NAME, "rejected": "false"}, text),
        (f"kube-apiserver -> {WEBHOOK_NAME}, all calls", {"name": WEBHOOK_NAME}, text),
    ]
    _report[:] = [
        latency.describe(who, latency.histogram(t, latency.APISERVER_METRIC, labels))
        for who, labels, t in histograms
    ]
    own = latency.histogram(own_text if status == 200 else "", latency.WEBHOOK_METRIC, {})
    _report.append(latency.describe("the webhook's own measure, since its last start", own))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(_report) + "\n")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _report:
        terminalreporter.write_sep("-", f"webhook latency (written to {Path(REPORT).relative_to(REPO)})")
        for line in _report:
            terminalreporter.write_line(line)
