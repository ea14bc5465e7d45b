"""The exceptions the inventory raises, in one place so callers can see the whole tree.

Only the one-shot helpers (`load_cluster_file`, `OneShotCluster`, building a client) raise: the CLI
prints the message and exits 2. The live `Inventory` never raises into its callers; it records the
same errors as text in its sync state instead.

    InventoryError
    ├── ClusterFileError   a static cluster file that cannot be read or understood
    ├── KubeConfigError    no usable kubeconfig or in-cluster configuration
    └── ApiError           the API server answered with a non-2xx status
        └── ApiUnreachableError  the API server could not be reached at all (status 0)
"""

from __future__ import annotations


class InventoryError(Exception):
    """Base class: every message is a complete sentence fragment fit for a terminal."""


class ClusterFileError(InventoryError):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class KubeConfigError(InventoryError):
    pass


class ApiError(InventoryError):
    """A non-2xx answer; `status` is the HTTP status, `reason` the Status message or the HTTP reason.

    `what` names the request ("list nodes", "configmap velero/node-agent-config") once a caller
    knows it; `about()` adds it without losing the class or the status.
    """

    def __init__(self, status: int, reason: str, what: str = "") -> None:
        super().__init__(status, reason, what)
        self.status = status
        self.reason = reason
        self.what = what

    def __str__(self) -> str:
        text = f"HTTP {self.status}: {self.reason}" if self.status else self.reason
        return f"{self.what}: {text}" if self.what else text

    @property
    def gone(self) -> bool:
        """410 Gone: the resourceVersion is too old (compacted); only a relist helps."""
        return self.status == 410

    def about(self, what: str) -> ApiError:
        clone = type(self).__new__(type(self))  # not copy.copy: subclasses take other arguments
        clone.__dict__.update(self.__dict__, what=what)
        clone.args = self.args
        return clone


class ApiUnreachableError(ApiError):
    """No HTTP answer at all: refused, reset, timed out, TLS failure. `status` is 0."""

    def __init__(self, reason: str, what: str = "") -> None:
        prefix = "API server unreachable: "
        super().__init__(0, reason if reason.startswith(prefix) else prefix + reason, what)
