"""Go's number and time texts, as the YAML readers of Velero's configs parse and print them.

gopkg.in/yaml.v3 and sigs.k8s.io/yaml's yaml.v2 resolve a plain scalar with Go's `strconv`
(`ParseInt(s, 0, 64)`: `0x`, `0o`, `0b` and a leading `0` for octal; `ParseFloat`, which takes
`inf`, underscores and hexadecimal mantissas) and `time.Parse`; they print numbers back with
`strconv.FormatFloat` (yaml.v3's encoder: 64-bit; sigs.k8s.io/yaml's number-to-string coercion:
32-bit) and encoding/json's float format. Python's own parsing and `repr` differ in each of these
(`float("1_0")`, `repr(1e6)`), so a value would silently read differently: here they are Go's.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from decimal import Decimal

INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1


class GoSyntaxError(ValueError):
    """strconv's ErrSyntax or ErrRange: the text is not a number of that kind."""


def _digit(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    if "a" <= c.lower() <= "z":
        return ord(c.lower()) - 87
    return 99


def _underscore_ok(s: str) -> bool:
    """strconv.underscoreOK: an underscore only between digits, or between a base prefix and a digit."""
    saw, i = "^", 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i, saw, hexa = 2, "0", s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if c.isascii() and (c.isdigit() or (hexa and c.lower() in "abcdef")):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_uint(s: str, base: int = 0) -> int:
    """strconv.ParseUint(s, base, 64)."""
    if not s:
        raise GoSyntaxError(s)
    base0, body = base == 0, s
    if base0:
        base = 10
        if s[0] == "0":
            prefix = s[1:2].lower() if len(s) >= 3 else ""
            base = {"b": 2, "o": 8, "x": 16}.get(prefix, 8)
            body = s[2:] if prefix in ("b", "o", "x") else s[1:]
    value, underscores = 0, False
    for c in body:
        if c == "_" and base0:
            underscores = True
            continue
        d = _digit(c) if c.isascii() else 99
        if d >= base:
            raise GoSyntaxError(s)
        value = value * base + d
        if value > UINT64_MAX:
            raise GoSyntaxError(s)  # ErrRange
    if underscores and not _underscore_ok(s):
        raise GoSyntaxError(s)
    return value


def parse_int(s: str, base: int = 0) -> int:
    """strconv.ParseInt(s, base, 64)."""
    if not s:
        raise GoSyntaxError(s)
    negative, body = s[0] == "-", s[1:] if s[0] in "+-" else s
    magnitude = parse_uint(body, base)
    if magnitude > INT64_MAX + negative:
        raise GoSyntaxError(s)  # ErrRange
    return -magnitude if negative else magnitude


_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+")
_SPECIAL = {"inf": math.inf, "infinity": math.inf, "nan": math.nan}


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64); ErrRange (1e400) is an error here, as Go returns one."""
    signed = s[:1] in ("+", "-")
    special = _SPECIAL.get((s[1:] if signed else s).lower())
    if special is not None and not (math.isnan(special) and signed):
        return -special if s.startswith("-") else special
    digits = any(c.isdigit() for c in s)
    if not digits or ("_" in s and not _underscore_ok(s)):
        raise GoSyntaxError(s)
    if _DECIMAL_FLOAT.fullmatch(s):
        value = float(s.replace("_", ""))
    elif _HEX_FLOAT.fullmatch(s):
        value = _hex_float(s.replace("_", ""))
    else:
        raise GoSyntaxError(s)
    if math.isinf(value):
        raise GoSyntaxError(s)  # ErrRange
    return value


def _hex_float(s: str) -> float:
    sign = -1.0 if s.startswith("-") else 1.0
    mantissa, _, exponent = s.lstrip("+-")[2:].lower().partition("p")
    whole, _, frac = mantissa.partition(".")
    value = int(whole or "0", 16) + (int(frac, 16) / 16 ** len(frac) if frac else 0)
    try:
        return sign * math.ldexp(value, int(exponent))
    except OverflowError:
        return sign * math.inf


def _float32(value: float) -> float:
    """Go's float32(value): rounded to the nearest float32, infinite past its range."""
    try:
        return float(struct.unpack("f", struct.pack("f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def _shortest32(value: float) -> tuple[str, int]:
    """The shortest decimal digits that read back as this float32, and the decimal point position:
    what strconv's shortest formatting of a float32 finds (the closest, when several are shortest)."""
    for precision in range(1, 10):
        text = f"{value:.{precision - 1}e}"
        exponent = text.split("e")[1]
        candidates = [Decimal(text)]
        step = Decimal(f"1e{int(exponent) - precision + 1}")
        candidates += [candidates[0] - step, candidates[0] + step]
        fits = [c for c in candidates if _float32(float(c)) == value]
        if fits:
            best = min(fits, key=lambda c: abs(c - Decimal(value)))
            return _digits_of(best)
    return _digits_of(Decimal(repr(value)))


def _digits_of(number: Decimal) -> tuple[str, int]:
    _, digit_tuple, exponent = abs(number).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    return digits, len(digit_tuple) + int(exponent)


def _shortest64(value: float) -> tuple[str, int]:
    return _digits_of(Decimal(repr(abs(value))))


def format_g(value: float, bits: int = 64) -> str:
    """strconv.FormatFloat(value, 'g', -1, bits)."""
    if bits == 32:
        value = _float32(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    digits, point = _shortest32(abs(value)) if bits == 32 else _shortest64(abs(value))
    exponent = point - 1
    if exponent < -4 or exponent >= 6:  # shortest 'g' decides with precision 6
        return sign + _e_form(digits, exponent)
    return sign + _f_form(digits, point)


def _e_form(digits: str, exponent: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _f_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def format_json(value: float) -> str:
    """encoding/json's float64: shortest digits, an exponent only below 1e-6 or from 1e21."""
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits, point = _shortest64(abs(value))
    sign = "-" if value < 0 else ""
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        text = _e_form(digits, point - 1)
        return sign + (text[:-2] + text[-1] if text[-4:-1] == "e-0" else text)  # e-07 -> e-7
    return sign + _f_form(digits, point)


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A YAML timestamp as Go's time.Time holds it: the instant and the zone offset written."""

    year: int
    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    nanosecond: int = 0
    offset: int | None = None  # minutes east of UTC; None for UTC

    def rfc3339nano(self) -> str:
        """time.Time.Format(time.RFC3339Nano)."""
        fraction = f".{self.nanosecond:09d}".rstrip("0") if self.nanosecond else ""
        date = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        clock = f"{self.hour:02d}:{self.minute:02d}:{self.second:02d}"
        return f"{date}T{clock}{fraction}{_zone(self.offset)}"


def _zone(offset: int | None) -> str:
    if not offset:
        return "Z"
    sign = "-" if offset < 0 else "+"
    return f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


# time.Parse with the layouts yaml.v2 and yaml.v3 try, in order (resolve.go allowedTimestampFormats)
_LAYOUTS = (
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?)T(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?(Z|[+-]\d\d:\d\d)", re.ASCII),
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?)t(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?(Z|[+-]\d\d:\d\d)", re.ASCII),
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?) (\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?()", re.ASCII),
    re.compile(r"(\d{4})-(\d\d?)-(\d\d?)()()()()()", re.ASCII),
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_timestamp(text: str) -> Timestamp | None:
    """resolve.go's parseTimestamp: four digits and a dash, then the first layout time.Parse takes."""
    if len(text) < 5 or not (text[:4].isascii() and text[:4].isdigit()) or text[4] != "-":
        return None
    for layout in _LAYOUTS:
        m = layout.fullmatch(text)
        found = _timestamp(m.groups()) if m else None
        if found is not None:
            return found
    return None


def _timestamp(groups: tuple[str, ...]) -> Timestamp | None:
    year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    hour, minute, second = (int(g) if g else 0 for g in groups[3:6])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS[month - 1] if 1 <= month <= 12 else 0
    if not (1 <= day <= days and hour < 24 and minute < 60 and second < 60):
        return None
    nanos = int((groups[6] or "")[:9].ljust(9, "0")) if groups[6] else 0
    zone = groups[7]
    if zone and zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 24 or minutes > 60:
            return None
        offset: int | None = (hours * 60 + minutes) * (-1 if zone[0] == "-" else 1)
    else:
        offset = None
    return Timestamp(year, month, day, hour, minute, second, nanos, offset)
