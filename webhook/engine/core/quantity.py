"""Kubernetes resource quantities, parsed as apimachinery's `resource.ParseQuantity` does.

Velero compares requests with limits and treats only the exact string "0" as "no limit"; to check
that before node-agent does, we need the exact value of a quantity, kept as a Fraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_ERROR = "unable to parse quantity's suffix"
_DIGITS = frozenset("0123456789")
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_MAX_EXPONENT = 400  # beyond this a Fraction would be astronomically large; Go caps too
# Python's int() of long digit strings is quadratic (300,000 digits took seconds, a denial of service
# in one ConfigMap): only this many significant digits are kept, and the mantissa's power of ten is
# capped like an exponent. Values that far out still compare as Go compares them with any sane value.
_MAX_DIGITS = 1000


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    value: Fraction

    @property
    def negative(self) -> bool:
        return self.value < 0


class QuantityError(ValueError):
    pass


def _digits(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _DIGITS:
        pos += 1
    return pos


def _split(text: str) -> tuple[bool, str, str, str]:
    """parseQuantityString: sign, integer digits, fraction digits, suffix."""
    pos, positive = 0, True
    if text[0] in "+-":
        positive, pos = text[0] == "+", 1
    end_num = _digits(text, pos)
    num, frac, pos = text[pos:end_num], "", end_num
    if pos < len(text) and text[pos] == ".":
        end_frac = _digits(text, pos + 1)
        frac, pos = text[pos + 1 : end_frac], end_frac
    suffix_start = pos
    while pos < len(text) and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < len(text) and text[pos] in "+-":
        pos += 1
    if _digits(text, pos) != len(text):
        raise QuantityError(FORMAT_ERROR)
    return positive, num or "0", frac, text[suffix_start:]


def _scale(suffix: str) -> Fraction:
    if suffix in _DECIMAL:
        return Fraction(10) ** _DECIMAL[suffix]
    if suffix in _BINARY:
        return Fraction(2) ** _BINARY[suffix]
    if len(suffix) > 1 and suffix[0] in "eE":
        exp_text = suffix[1:]
        if exp_text.lstrip("+-").isdigit() and exp_text.count("-") + exp_text.count("+") <= 1:
            exponent = max(-_MAX_EXPONENT, min(_MAX_EXPONENT, int(exp_text)))
            return Fraction(10) ** exponent
    raise QuantityError(SUFFIX_ERROR)


def _mantissa(num: str, frac: str) -> Fraction:
    """The value of `num.frac`, from at most _MAX_DIGITS significant digits."""
    digits, exponent = (num + frac).lstrip("0"), -len(frac)
    if len(digits) > _MAX_DIGITS:
        exponent += len(digits) - _MAX_DIGITS
        digits = digits[:_MAX_DIGITS]
    exponent = max(-_MAX_EXPONENT, min(_MAX_EXPONENT, exponent))
    return Fraction(int(digits or "0")) * Fraction(10) ** exponent


def parse_quantity(text: str) -> Quantity:
    if not text:
        raise QuantityError(FORMAT_ERROR)
    if text == "0":
        return Quantity(text, Fraction(0))
    positive, num, frac, suffix = _split(text)
    mantissa = _mantissa(num, frac)
    value = mantissa * _scale(suffix)
    return Quantity(text, value if positive else -value)


def is_unbounded(text: str) -> bool:
    """Velero compares the parsed limit with MustParse("0") field by field: only "0" itself matches."""
    return text == "0"


_HINT = re.compile(r"^([+-]?[0-9.]+)([A-Za-z]+)$")
_PREFIXES = "kmgtpe"


def quantity_problem(text: str) -> str | None:
    """Why `text` is not a quantity, in apimachinery's words, with a hint for the usual slips
    ("1GB", "2gi", "512MiB"); None when it parses."""
    try:
        parse_quantity(text)
    except QuantityError as exc:
        hint = _suggestion(text)
        return f"{exc}; did you mean {hint}?" if hint else str(exc)
    return None


def _suggestion(text: str) -> str:
    m = _HINT.match(text)
    if not m:
        return ""
    number, letters = m.groups()
    base = letters[:-1] if letters[-1] in "bB" and len(letters) > 1 else letters
    lower = base.lower()
    if len(lower) == 2 and lower[1] == "i" and lower[0] in _PREFIXES:
        return f"{number}{lower[0].upper()}i"
    if len(lower) == 1 and lower in _PREFIXES:
        decimal = "k" if lower == "k" else lower.upper()
        return f"{number}{decimal} or {number}{lower.upper()}i"
    return ""
