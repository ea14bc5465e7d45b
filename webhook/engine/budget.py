"""How many findings one config may produce before the engine stops looking for more.

The engine runs on the server's only event loop, and each finding costs time (a hint, a message,
a sort). A hostile 1 MB config can hold 100,000 mistakes: 200,000 errors took 6 s and made a denial
of 23 MB. Past these caps the engine counts what is cheap to count, skips the walks that would
only find more, and ends the list with one finding that says so, as apimachinery's TooMany does.
"""

from __future__ import annotations

MAX_ERRORS = 1000
MAX_WARNINGS = 1000


def more_errors_detail(listed: int, more: int) -> str:
    """The last error of a capped list: how many are listed and how many more were found (at least)."""
    return f"must have at most {MAX_ERRORS} errors: {listed} listed, at least {more} more not listed"


def more_warnings(more: int) -> str:
    return f"at least {more} more warnings not listed"
