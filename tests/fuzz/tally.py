"""The figures of a fuzzing run, printed at the end of pytest's output (issue 8 asks for them).

Tests add what they tried to `TALLY`; `conftest.py` prints it in the terminal summary, so even
`pytest -q` shows how many inputs each class had and what came of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

TALLY: defaultdict[str, Counter[str]] = defaultdict(Counter)


def lines() -> list[str]:
    out = [f"{name}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(c.items())) for name, c in TALLY.items()]
    inputs = sum(c["inputs"] for c in TALLY.values())
    requests = sum(c["requests"] for c in TALLY.values())
    return [*out, f"in all: {inputs:,} engine inputs, {requests:,} requests to the server"] if out else []
