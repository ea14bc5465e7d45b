"""The webhook as a real process: `node-agent-webhook serve` with the chart's own arguments.

The arguments are those of the chart's Deployment, rendered with the session's values, so a flag the
chart passes and the server does not know fails here. Only what differs outside a pod is replaced:
the certificate paths, the port (a free one, kept across restarts because the webhook configuration's
URL names it), loopback only, a kubeconfig instead of the in-cluster account, a short shutdown delay.
"""

from __future__ import annotations

import json
import re
import signal
import ssl
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.cluster import Pki
from tests.e2e.processes import VENV_BIN, Child, free_port, require_tool

REPLACED = ("--tls-cert", "--tls-key", "--port", "--host", "--shutdown-delay", "--kubeconfig")
READY_TIMEOUT = 60


def local_args(chart_args: list[str], pki: Pki, port: int, kubeconfig: Path) -> list[str]:
    kept = [a for a in chart_args if not a.startswith(REPLACED)]
    return [
        *kept,
        f"--tls-cert={pki.cert}",
        f"--tls-key={pki.key}",
        "--host=127.0.0.1",
        f"--port={port}",
        f"--kubeconfig={kubeconfig}",
        "--shutdown-delay=0",
    ]


class WebhookServer(Child):
    def __init__(
        self, name: str, chart_args: list[str], pki: Pki, kubeconfig: Path, log: Path, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        binary = require_tool(VENV_BIN / "node-agent-webhook", "install")
        argv = [str(binary), "serve", *local_args(chart_args, pki, self.port, kubeconfig)]
        super().__init__(name, argv, log)
        self.context = ssl.create_default_context(cafile=str(pki.ca))

    def stop_gracefully(self) -> None:
        self.stop(signal.SIGTERM)

    def probe(self, path: str) -> tuple[int, str]:
        """(status, body) of a GET; (0, reason) when nothing answers."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=5, context=self.context) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            with e:  # an error response is a response too: close it
                return e.code, e.read().decode()
        except OSError as e:
            return 0, str(e)

    def wait_serving(self) -> None:
        """Answering at all, ready or not."""
        self.wait_until(lambda: self.probe("/readyz")[0] != 0, "serving", READY_TIMEOUT)

    def wait_ready(self) -> None:
        self.wait_until(lambda: self.probe("/readyz")[0] == 200, "ready", READY_TIMEOUT)

    def metric(self, name: str, **labels: str) -> float:
        """The sum of every sample of `name` whose labels include `labels` (0 when there is none)."""
        status, text = self.probe("/metrics")
        assert status == 200, text
        return sum_samples(text, name, labels)

    def review(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST an AdmissionReview directly, as the apiserver would, and return the response part."""
        data = json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + "/validate", data=data, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(req, timeout=10, context=self.context) as r:
            answer: dict[str, Any] = json.loads(r.read())
        return dict(answer["response"])


_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """Every sample of one metric in the Prometheus text format: (labels, value)."""
    found = []
    for line in text.splitlines():
        m = _SAMPLE.match(line)
        if m and m.group("name") == name:
            found.append((dict(_LABEL.findall(m.group("labels") or "")), float(m.group("value"))))
    return found


def sum_samples(text: str, name: str, labels: dict[str, str]) -> float:
    return sum(v for got, v in samples(text, name) if labels.items() <= got.items())
