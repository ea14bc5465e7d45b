"""A cheap look at a ConfigMap's text: which keys it writes, without decoding it.

A ConfigMap nothing references yet is checked only if its content looks like a kind's (a resource
policy writes `version` and `volumePolicies`, a modifier `resourceModifierRules`); this runs on
every ConfigMap write, so it only scans: a key at the start of a line (YAML) or after `{` or `,`
(JSON, YAML flow), quoted or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=64)
def _keys(names: tuple[str, ...], fold: bool) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in names)
    flags = re.MULTILINE | (re.IGNORECASE if fold else 0)
    return re.compile(rf"""(?:^|[{{,])[ \t]*(?:-[ \t]+)?["']?({alternatives})["']?[ \t]*:""", flags)


def written_keys(data: Mapping[str, Any], names: Iterable[str], fold: bool = False) -> set[str]:
    """Which of `names` some data value of the ConfigMap writes as a key (lower-cased if `fold`)."""
    pattern = _keys(tuple(sorted(names)), fold)
    found: set[str] = set()
    for value in data.values():
        if isinstance(value, str):
            found.update(m.lower() if fold else m for m in pattern.findall(value))
    return found
