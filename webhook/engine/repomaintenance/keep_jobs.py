"""keepLatestMaintenanceJobs: how many finished jobs survive each reconcile.

DeleteOldJobs (pkg/repository/maintenance/maintenance.go, v1.17+) runs after every Ready reconcile
and deletes all but the newest `keep` Jobs of the repository, the one that just finished included:
0 leaves no job to read a failure from. A negative number indexes past the list and panics (the
schema's minimum and x-invalid say so).
"""

from __future__ import annotations

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings

PATH = f.ROOT.child("keepLatestMaintenanceJobs")
NONE_KEPT = "0 deletes every maintenance job as soon as it ends: none is left to inspect (default 3)"


def check(ctx: Context, out: Findings) -> None:
    if ctx.section("keepLatestMaintenanceJobs") == 0:
        out.warn(PATH, NONE_KEPT)
