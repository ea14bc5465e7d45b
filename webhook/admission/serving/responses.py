"""HTTP responses that are not reviews: JSON bodies of the probes and of refused requests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

JSON = "application/json"


def json_response(
    content: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type=JSON, headers=headers)


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A request that is not an AdmissionReview gets an HTTP error, not a review: `{"error": ...}`."""
    return json_response({"error": message}, status, headers)
