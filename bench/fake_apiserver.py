"""The fake API server of the inventory tests, as a process, with realistic nodes for the benchmark.

tests/inventory/fakeapi.py serves paged lists and watches of EKS-shaped Nodes (labels, annotations,
managedFields, status). One change for the benchmark: POST /_fake/churn makes its label changes
while holding the cluster's lock, so the watch delivers them as one burst afterwards and the
inventory's event rate is measured, not the rate at which this process invents events.
"""

from __future__ import annotations

import sys
from typing import Any

from tests.inventory import fakeapi

_churn = fakeapi.churn


def churn_at_once(cluster: fakeapi.FakeCluster, count: int) -> Any:
    with cluster.cond:
        return _churn(cluster, count)


if __name__ == "__main__":
    fakeapi.churn = churn_at_once  # looked up by the control handler at each call
    sys.exit(fakeapi.main(sys.argv[1:]))
