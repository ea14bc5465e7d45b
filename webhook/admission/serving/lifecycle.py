"""Whether the server is shutting down: set by the server on SIGTERM, read by /readyz and responses.

From that moment /readyz fails (so the endpoint is removed) while requests are still answered, and
every response carries `Connection: close`: the apiserver keeps idle connections to a pod that left
its endpoints (kubernetes#127335), so closing each one after its answer sends the next request to
another replica instead of onto a socket that is about to close.
"""

from __future__ import annotations

CLOSE = {"Connection": "close"}


class Lifecycle:
    def __init__(self) -> None:
        self.shutting_down = False

    def begin_shutdown(self) -> None:
        self.shutting_down = True

    def headers(self) -> dict[str, str] | None:
        """Extra response headers: `Connection: close` once shutting down."""
        return CLOSE if self.shutting_down else None
