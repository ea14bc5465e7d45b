"""cacheLimitMB (BR3, BR5): what the server and, from 1.18, node-agent make of it.

The server stores the value's `%v` text and kopia parses it at each connect with strconv.ParseInt
(kopialib/backend/common.go SetupConnectOptions); when that fails kopia logs `Ignore cacheLimitMB,
value [..] is invalid` (an Error of kopia's that Velero logs as a warning, pkg/kopia/kopia_log.go)
and uses 5000 MiB. node-agent 1.18 reads the JSON itself (kopialib/lib_repo.go
ClientSideCacheLimit): a number is truncated to an int64 of MiB, anything else warned and 5000 MiB.
So 1.5 is 5000 MiB on the server and 1 MiB in node-agent, 1000000 is 5000 and 1000000, "100" is
100 and 5000. A limit of 0 MiB or less turns kopia's cache off (kopia repo/caching.go, 0: no
caching options; internal/cache NewStorageOrNil, <= 0: no cache storage) and node-agent's cache
volume too (exposer/cache_volume.go getCacheVolumeSize).
"""

from __future__ import annotations

import math
from typing import Any

from webhook.engine.backuprepository.gotext import go_text, parse_int
from webhook.engine.backuprepository.repository_types import KOPIA
from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.versions import Version

NAME = "cacheLimitMB"
PATH = f.ROOT.child(NAME)
DEFAULT_MB = 5000  # kopialib/backend/common.go DefaultCacheLimitMB
NODE_AGENT_READS = Version(1, 18, 0)  # node-agent's --backup-repository-configmap
SHIFT_LIMIT = 2**43  # MiB << 20 must stay within an int64 of bytes
RANGE = "must be an integer from 1 to 999999"


def check(ctx: Context, out: Findings) -> None:
    if ctx.key not in (KOPIA, None) or NAME not in ctx.config:
        return
    value = ctx.config[NAME]
    server = parse_int(go_text(value))
    if server is None:
        out.error(f.invalid(PATH, value, _unparsed(value, ctx.version), "cacheLimitMB"))
    elif isinstance(value, str) and ctx.reads(NODE_AGENT_READS):
        detail = f"must be a number, not a string: node-agent ignores it and uses {DEFAULT_MB} MiB"
        out.error(f.invalid(PATH, value, detail, "cacheLimitMB"))
    elif abs(server) >= SHIFT_LIMIT:
        out.error(f.invalid(PATH, value, f"{RANGE}: in bytes it overflows an int64", "cacheLimitMB"))
    elif server <= 0:
        out.warn(PATH, f"{server} MiB: kopia keeps no cache")


def _unparsed(value: Any, version: Version) -> str:
    detail = f'{RANGE}: Velero reads "{go_text(value)}" and uses {DEFAULT_MB} MiB'
    if version < NODE_AGENT_READS or not _number(value):
        return detail  # node-agent warns about a non-number and uses 5000 MiB too
    return f"{detail}, node-agent {_node_agent_mib(float(value))}"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _node_agent_mib(number: float) -> str:
    """int64(v) << 20 of the float64: truncated toward zero; past int64 Go's conversion is undefined."""
    mib = math.trunc(number)
    return f"{mib} MiB" if abs(mib) < SHIFT_LIMIT else "overflows an int64"
