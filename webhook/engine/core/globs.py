"""Glob patterns as github.com/gobwas/glob v0.2.3 compiles and matches them (Velero's globs).

Velero matches namespace lists, resource filter names and a modifier's `groupResource` with
gobwas/glob: `*` (no separator), `**` (anything), `?`, `[a-z]`, `[!abc]`, `{a,b}` and `\\` escapes.
A pattern it cannot compile is an error where Velero validates it, and elsewhere a rule that
silently never matches. The lexer and parser are ported for their errors ("unexpected end of
input", "could not parse range", ...); matching goes through an equivalent regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


class GlobError(ValueError):
    """gobwas/glob's Compile error, in its words."""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: (
        str  # text, any, super, single, range_open/close, not, lo, between, hi, terms_open/close, sep, error
    )
    raw: str = ""


_TEXT_BREAKERS = "?*[{"
_TERMS_BREAKERS = _TEXT_BREAKERS + "},"


class _Lexer:
    """syntax/lexer: the tokens of a pattern; an error ends them."""

    def __init__(self, pattern: str) -> None:
        self.data, self.pos, self.terms = pattern, 0, 0
        self.tokens: list[_Token] = []

    def read(self) -> str:
        if self.pos >= len(self.data):
            return ""
        self.pos += 1
        return self.data[self.pos - 1]

    def lex(self) -> list[_Token]:
        """The tokens; an error is a token of its own, last, as the parser meets it in order."""
        try:
            while self.pos < len(self.data):
                self.item(self.read())
        except GlobError as exc:
            self.tokens.append(_Token("error", str(exc)))
        return self.tokens

    def item(self, r: str) -> None:
        if r == "{":
            self.terms += 1
            self.tokens.append(_Token("terms_open"))
        elif r == "," and self.terms:
            self.tokens.append(_Token("sep"))
        elif r == "}" and self.terms:
            self.tokens.append(_Token("terms_close"))
            self.terms -= 1
        elif r == "[":
            self.tokens.append(_Token("range_open"))
            self.range()
        elif r == "?":
            self.tokens.append(_Token("single"))
        elif r == "*":
            double = self.data[self.pos : self.pos + 1] == "*"
            self.pos += double
            self.tokens.append(_Token("super" if double else "any"))
        else:
            self.pos -= 1
            self.text(_TERMS_BREAKERS if self.terms else _TEXT_BREAKERS)

    def range(self) -> None:
        want_hi = want_close = seen_not = False
        while True:
            r = self.read()
            if not r:
                raise GlobError("unexpected end of input")
            if want_close:
                if r != "]":
                    raise GlobError("expected close range character")
                self.tokens.append(_Token("range_close"))
                return
            if want_hi:
                self.tokens.append(_Token("hi", r))
                want_close = True
            elif not seen_not and r == "!":
                self.tokens.append(_Token("not"))
                seen_not = True
            elif self.data[self.pos : self.pos + 1] == "-":
                self.pos += 1
                self.tokens += [_Token("lo", r), _Token("between")]
                want_hi = True
            else:
                self.pos -= 1
                self.text("]")
                want_close = True

    def text(self, breakers: str) -> None:
        data, escaped = [], False
        while self.pos < len(self.data):
            r = self.read()
            if not escaped and r == "\\":
                escaped = True
                continue
            if not escaped and r in breakers:
                self.pos -= 1
                break
            escaped = False
            data.append(r)
        if data:
            self.tokens.append(_Token("text", "".join(data)))


def _parse(tokens: list[_Token], separators: str) -> str:
    """syntax/ast's parser, producing the regular expression of what the pattern matches."""
    other = f"[^{re.escape(separators)}]" if separators else "."
    out, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "error":
            raise GlobError(token.raw)
        if token.kind == "range_open":
            end = next(j for j in range(i, len(tokens)) if tokens[j].kind in ("range_close", "error"))
            out.append(_range(tokens[i + 1 : end + 1]))
            i = end + 1
            continue
        out.append(_PIECES[token.kind] if token.kind in _PIECES else _other(token, other))
        i += 1
    return "".join(out)


_PIECES = {"super": ".*", "terms_open": "(?:", "sep": "|", "terms_close": ")"}


def _other(token: _Token, other: str) -> str:
    if token.kind == "text":
        return re.escape(token.raw)
    return f"{other}*" if token.kind == "any" else other  # any, single


def _range(tokens: list[_Token]) -> str:
    """parserRange: the tokens up to and with the closing one. The lexer reads a range in one go
    and an error there is all the parser gets of it."""
    if tokens[-1].kind == "error":
        raise GlobError(tokens[-1].raw)
    negated = any(t.kind == "not" for t in tokens)
    lo = next((t.raw for t in tokens if t.kind == "lo"), "")
    hi = next((t.raw for t in tokens if t.kind == "hi"), "")
    chars = next((t.raw for t in tokens if t.kind == "text"), "")
    if hi and lo and hi < lo:
        raise GlobError(f"hi character '{hi}' should be greater than lo '{lo}'")
    if bool(chars) == bool(lo and hi):
        raise GlobError("could not parse range")
    body = f"{re.escape(lo)}-{re.escape(hi)}" if lo and hi else "".join(re.escape(c) for c in chars)
    return f"[{'^' if negated else ''}{body}]"


@lru_cache(maxsize=1024)
def compile_glob(pattern: str, separators: str = "") -> re.Pattern[str]:
    """glob.Compile(pattern, separators...); raises GlobError as it would fail."""
    tokens = _Lexer(pattern).lex()
    unclosed = sum(t.kind == "terms_open" for t in tokens) - sum(t.kind == "terms_close" for t in tokens)
    return re.compile(_parse(tokens, separators) + ")" * unclosed, re.DOTALL)


def glob_error(pattern: str, separators: str = "") -> str | None:
    """Why gobwas/glob refuses the pattern, or None."""
    try:
        compile_glob(pattern, separators)
    except GlobError as exc:
        return str(exc)
    return None


def glob_matches(pattern: str, text: str, separators: str = "") -> bool:
    """Whether the pattern matches `text` whole (False for a pattern that does not compile)."""
    try:
        return compile_glob(pattern, separators).fullmatch(text) is not None
    except GlobError:
        return False
