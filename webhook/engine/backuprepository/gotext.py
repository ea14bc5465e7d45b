"""What Velero's server makes of a value of the backup repository config: Go's `%v` text, then
strconv.ParseInt.

getBackupRepositoryConfig (pkg/controller/backup_repository_controller.go, v1.15.0-v1.18.2) decodes
each repository type's JSON into map[string]any and stores `fmt.Sprintf("%v", v)` of every value in
the BackupRepository's spec.repositoryConfig; kopia later parses `cacheLimitMB` from that text with
strconv.ParseInt(s, 10, 64) (kopialib/backend/utils.go optionalHaveIntWithDefault). So a JSON
number becomes a float64 printed the way fmt prints it: 1000000 is "1e+06", which no longer parses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_DECIMAL_INT = re.compile(r"[+-]?[0-9]+")  # ParseInt with base 10: no spaces, no underscores


def go_text(value: Any) -> str:
    """fmt.Sprintf("%v", v) of a value encoding/json decoded into `any` (given here as the decoder's
    plain Python value: every number stands for the float64 Go holds)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and -1_000_000 < value < 1_000_000:
        return str(value)  # what %v prints for any integer below the exponent form
    if isinstance(value, int | float):
        return float_text(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):  # fmt prints a map's keys sorted
        return "map[" + " ".join(f"{k}:{go_text(value[k])}" for k in sorted(value)) + "]"
    return "[" + " ".join(go_text(v) for v in value) + "]"


def float_text(x: float) -> str:
    """%v of a float64: strconv's shortest digits in %g form, where the shortest precision makes the
    exponent switch at 6 (strconv/ftoa.go: `if shortest { eprec = 6 }`): 999999 stays, 1e6 is 1e+06."""
    if not math.isfinite(x):  # not from JSON; as fmt prints it
        return "NaN" if math.isnan(x) else ("+Inf" if x > 0 else "-Inf")
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    assert isinstance(exponent, int)  # repr of a finite float
    text = "".join(map(str, digits))
    point = len(text) + exponent  # the value is 0.<text> x 10^point
    body = _e_form(text, point - 1) if not -4 <= point - 1 < 6 else _f_form(text, point)
    return ("-" if sign else "") + body


def _e_form(digits: str, exponent: int) -> str:
    mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _f_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return f"{digits[:point]}.{digits[point:]}"


def parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64), or None where it returns an error."""
    if not _DECIMAL_INT.fullmatch(text):
        return None
    n = int(text)
    return n if INT64_MIN <= n <= INT64_MAX else None
