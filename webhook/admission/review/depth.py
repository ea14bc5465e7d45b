"""How deeply a JSON text nests, measured on the bytes before anything parses them.

orjson refuses more than 1024 levels by itself, but the engine, the schema validator and the error
renderer walk objects recursively in Python; a body nested a few hundred levels deep could exhaust the
recursion limit there and turn hostile input into a 500. A Kubernetes object never nests deeply, so
anything beyond a small limit is refused up front with a 400.

The scan runs in C-level loops (regex, `bytes.translate`, `itertools.accumulate`): strings are cut
out first, since brackets inside them do not nest, and the remaining brackets become a running sum.
"""

from __future__ import annotations

import itertools
import operator
import re

# A JSON string: a quote, then runs of plain bytes or escape pairs, then a quote (the unrolled loop
# form, which a backtracking engine matches in linear time).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = b"[]{}"
_KEEP_ONLY_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)
# An opening bracket counts 2 and a closing one 0: after i+1 brackets the running sum minus (i+1)
# is the number of open brackets, so the depth is max(sum_i - i - 1) without a Python-level loop.
_WEIGHTS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in `body` (0 for a scalar); exact for valid JSON.

    For invalid JSON the result is only an estimate (an unterminated string, for instance); the
    parser that runs next reports such bodies as invalid anyway.
    """
    brackets = _STRING.sub(b"", body).translate(None, _KEEP_ONLY_BRACKETS)
    if not brackets:
        return 0
    sums = itertools.accumulate(brackets.translate(_WEIGHTS))
    depths = map(operator.sub, sums, range(1, len(brackets) + 1))
    return int(max(itertools.chain((0,), depths)))
