"""fullMaintenanceInterval (BR4): from 1.16 the one other key the whitelist keeps
(pkg/repository/provider/unified_repo.go getStorageVariables).

kopia reads it only when Velero initialises a repository in the storage location
(writeInitParameters: kopialib/lib_repo.go on 1.16-1.17, kopialib/repo_init.go on 1.18): the
`%v` text must be exactly normalGC, fastGC or eagerGC ("" keeps kopia's default); anything else,
null ("<nil>") included, is `invalid full maintenance interval option`, the initialisation fails and
the BackupRepository turns NotReady. On 1.18 every retry fails the same way (the repository stays
uninitialised). On 1.16-1.17 the repository was already created in the storage location, so the next
readiness check connects and it turns Ready, but without maintenance parameters: their owner is
empty, so kopia refuses every later maintenance run (NotOwnedError, repo/maintenance of Velero's kopia
fork) - traced in the code, not run.
"""

from __future__ import annotations

import json

from webhook.engine.backuprepository.gotext import go_text
from webhook.engine.backuprepository.repository_types import KOPIA
from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.versions import Version

NAME = "fullMaintenanceInterval"
PATH = f.ROOT.child(NAME)
READ_FROM = Version(1, 16, 0)
SUPPORTED = ("normalGC", "fastGC", "eagerGC")  # 24h, 12h, 6h (udmrepo/repo_options.go)
COST = "a new repository fails to initialise (NotReady)"


def check(ctx: Context, out: Findings) -> None:
    if ctx.key not in (KOPIA, None) or NAME not in ctx.config or not ctx.reads(READ_FROM):
        return
    value = ctx.config[NAME]
    text = go_text(value)
    if text in SUPPORTED or text == "":
        return  # a number or a list never prints as one of these, nor as ""
    supported = ", ".join(json.dumps(s) for s in SUPPORTED)
    detail = f"supported values: {supported}: {COST}"
    near = [s for s in SUPPORTED if s.lower() == text.lower()]
    if near and isinstance(value, str):
        detail += f'; did you mean "{near[0]}"?'
    out.error(f.FieldError(f.ErrorType.NOT_SUPPORTED, PATH, detail, value, "fullMaintenanceInterval"))
