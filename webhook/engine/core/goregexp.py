"""Whether Go's regexp.Compile accepts a pattern, and its error when not (regexp/syntax, Perl flags).

Velero matches a modifier's `resourceNameRegex` with Go's `regexp.MatchString` only at restore
time; a pattern Go refuses fails every object the rule would see. Python's `re` accepts and refuses
different patterns (`(?<name>`, `\\Z`, `a**`, `x{1001}`), so the parse of Go's regexp/syntax is
ported here for its errors only: nothing is compiled or matched.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_REPEAT = 1000
MAX_DEPTH = 1000


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POSIX = _words(
    """
    alnum alpha ascii blank cntrl digit graph lower print punct space upper word xdigit
    """
)
# unicode.Categories, Scripts and CategoryAliases of Go 1.25-1.26 (Unicode 15.0), the Go that
# builds Velero 1.18 and main: \\p names are looked up by canonicalName (case and _ - ignored)
_CATEGORIES = _words(
    """
    C Cc Cf Cn Co Cs L LC Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl
    Zp Zs
    """
)

_SCRIPTS = _words(
    """
    Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali
    Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian
    Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret
    Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian
    Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo
    Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian
    Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi
    Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic
    Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive
    Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari
    New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic
    Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya
    Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic
    Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo
    Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut
    Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi
    Zanabazar_Square
    """
)

_ALIASES = _words(
    """
    Cased_Letter Close_Punctuation Combining_Mark Connector_Punctuation Control Currency_Symbol
    Dash_Punctuation Decimal_Number Enclosing_Mark Final_Punctuation Format Initial_Punctuation Letter
    Letter_Number Line_Separator Lowercase_Letter Mark Math_Symbol Modifier_Letter Modifier_Symbol
    Nonspacing_Mark Number Open_Punctuation Other Other_Letter Other_Number Other_Punctuation
    Other_Symbol Paragraph_Separator Private_Use Punctuation Separator Space_Separator Spacing_Mark
    Surrogate Symbol Titlecase_Letter Unassigned Uppercase_Letter cntrl digit punct
    """
)


class GoRegexpError(ValueError):
    """regexp/syntax's *Error: a code's words and the part of the pattern it is about."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")


MISSING_BRACKET = "missing closing ]"
MISSING_PAREN = "missing closing )"
UNEXPECTED_PAREN = "unexpected )"
MISSING_ARGUMENT = "missing argument to repetition operator"
NESTED_REPEAT = "invalid nested repetition operator"
REPEAT_SIZE = "invalid repeat count"
BAD_ESCAPE = "invalid escape sequence"
BAD_RANGE = "invalid character class range"
BAD_NAMED = "invalid named capture"
BAD_PERL = "invalid or unsupported Perl syntax"
BAD_UTF8 = "invalid UTF-8"


@dataclass
class _Item:
    """What parse keeps on its stack: a left parenthesis, a vertical bar, or an expression with the
    largest product of counted repetitions along any path inside it (repeatIsValid)."""

    kind: str  # "(", "|", "e"
    repeats: int = 1


def regexp_error(pattern: str) -> str | None:
    """regexp.Compile's error text for `pattern`, or None when Go accepts it."""
    try:
        _Parser(pattern).parse()
    except GoRegexpError as exc:
        return str(exc)
    return None


def _utf8(text: str) -> None:
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise GoRegexpError(BAD_UTF8, "")


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.whole = pattern
        self.stack: list[_Item] = []

    def parse(self) -> None:
        t, last_repeat = self.whole, ""
        while t:
            t, last_repeat = self.step(t, last_repeat)
        self.collapse()
        if any(item.kind == "(" for item in self.stack):
            raise GoRegexpError(MISSING_PAREN, self.whole)

    def step(self, t: str, last_repeat: str) -> tuple[str, str]:
        """One token of parse's big switch: the rest of the pattern, and the repetition it was."""
        c = t[0]
        if c in "*+?":
            after = self.repeat(t, t[1:], 0, last_repeat)
            return after, t
        if c == "{":
            counted = _parse_repeat(t)
            if counted is not None:
                low, high, after = counted
                if low < 0 or low > MAX_REPEAT or high > MAX_REPEAT or (high >= 0 and low > high):
                    raise GoRegexpError(REPEAT_SIZE, t[: len(t) - len(after)])
                count = high if high > 0 else low if high < 0 else 0  # repeatIsValid's m
                return self.repeat(t, after, count, last_repeat, low, high), t
        return self.atom(t), ""

    def atom(self, t: str) -> str:
        c = t[0]
        if c == "(":
            return self.open(t)
        if c == "|":
            self.collapse_branch()
            self.stack.append(_Item("|"))
            return t[1:]
        if c == ")":
            self.close()
            return t[1:]
        if c == "[":
            return self.push(_parse_class(t))
        if c == "\\":
            return self.push(_parse_backslash(t))
        _utf8(c)
        return self.push(t[1:])

    def push(self, rest: str) -> str:
        self.stack.append(_Item("e"))
        return rest

    def open(self, t: str) -> str:
        if len(t) >= 2 and t[1] == "?":
            rest, group = _perl_flags(t)
            if group:
                self.stack.append(_Item("("))
            return rest
        self.stack.append(_Item("("))
        if sum(item.kind == "(" for item in self.stack) > MAX_DEPTH:
            raise GoRegexpError("expression nests too deeply", self.whole)
        return t[1:]

    def repeat(self, before: str, after: str, count: int, last: str, low: int = 0, high: int = 0) -> str:
        """parser.repeat with PerlX: a trailing ? is non-greedy; two repetitions in a row fail."""
        if after.startswith("?"):
            after = after[1:]
        if last:
            raise GoRegexpError(NESTED_REPEAT, last[: len(last) - len(after)])
        if not self.stack or self.stack[-1].kind != "e":
            raise GoRegexpError(MISSING_ARGUMENT, before[: len(before) - len(after)])
        top = self.stack[-1]
        counted = before[0] == "{"
        if counted and (low >= 2 or high >= 2) and count and count * top.repeats > MAX_REPEAT:
            raise GoRegexpError(REPEAT_SIZE, before[: len(before) - len(after)])
        if counted:  # a {0} repetition hides what it holds from repeatIsValid
            top.repeats = top.repeats * count if count else 1
        return after

    def collapse_branch(self) -> None:
        """concat: the expressions since the last ( or | become one."""
        repeats = 1
        while self.stack and self.stack[-1].kind == "e":
            repeats = max(repeats, self.stack.pop().repeats)
        self.stack.append(_Item("e", repeats))

    def collapse(self) -> int:
        """concat and alternate: everything since the last ( becomes one expression."""
        repeats = 1
        while self.stack and self.stack[-1].kind != "(":
            repeats = max(repeats, self.stack.pop().repeats)
        self.stack.append(_Item("e", repeats))
        return repeats

    def close(self) -> None:
        repeats = self.collapse()
        if len(self.stack) < 2 or self.stack[-2].kind != "(":
            raise GoRegexpError(UNEXPECTED_PAREN, self.whole)
        del self.stack[-2:]
        self.stack.append(_Item("e", repeats))


def _parse_repeat(s: str) -> tuple[int, int, str] | None:
    """parseRepeat: {n}, {n,} (high -1) or {n,m}; None when it is not one (then { is a literal);
    a number too large reads as low -1."""
    low, rest = _parse_int(s[1:])
    if low is None or not rest:
        return None
    high = low
    if rest[0] == ",":
        rest = rest[1:]
        if not rest:
            return None
        if rest[0] == "}":
            high = -1
        else:
            upper, rest = _parse_int(rest)
            if upper is None:
                return None
            high = upper
            if high < 0:
                low = -1
    if not rest or rest[0] != "}":
        return None
    return low, high, rest[1:]


def _parse_int(s: str) -> tuple[int | None, str]:
    """parseInt: decimal digits without a leading zero; -1 past 1e8."""
    digits = len(s) - len(s.lstrip("0123456789"))
    if digits == 0 or (digits >= 2 and s[0] == "0"):
        return None, s
    value = int(s[:digits]) if digits <= 9 else -1
    return (value if value < 10**8 or digits <= 8 else -1), s[digits:]


def _perl_flags(s: str) -> tuple[str, bool]:
    """parsePerlFlags: a named group, a non-capturing group (True), or flags alone (False)."""
    if (len(s) > 4 and s[2] == "P" and s[3] == "<") or (len(s) > 3 and s[2] == "<"):
        start = 4 if s[2] == "P" else 3
        end = s.find(">")
        if end < 0:
            _utf8(s)
            raise GoRegexpError(BAD_NAMED, s)
        name = s[start:end]
        _utf8(name)
        if not name or not all(c == "_" or (c.isascii() and c.isalnum()) for c in name):
            raise GoRegexpError(BAD_NAMED, s[: end + 1])
        return s[end + 1 :], True
    return _flags(s)


def _flags(s: str) -> tuple[str, bool]:
    t, negated, saw = s[2:], False, False
    while t:
        c, t = t[0], t[1:]
        _utf8(c)
        if c in "imsU":
            saw = True
        elif c == "-" and not negated:
            negated, saw = True, False
        elif c in ":)" and not (negated and not saw):
            return t, c == ":"
        else:
            break
    raise GoRegexpError(BAD_PERL, s[: len(s) - len(t)])


def _parse_backslash(t: str) -> str:
    """A backslash outside a class: \\A \\b \\B \\z \\Q...\\E, a Unicode or Perl class, an escape."""
    if len(t) >= 2:
        if t[1] in "AbBz":
            return t[2:]
        if t[1] == "C":
            raise GoRegexpError(BAD_ESCAPE, t[:2])
        if t[1] == "Q":
            literal, _, rest = t[2:].partition("\\E")
            _utf8(literal)
            return rest
        if t[1] in "pP":
            return _unicode_class(t)
        if t[1] in "dDsSwW":
            return t[2:]
    return _escape(t)[1]


def _escape(s: str) -> tuple[int, str]:
    """parseEscape: the rune an escape stands for, and the rest."""
    t = s[1:]
    if not t:
        raise GoRegexpError("trailing backslash at end of expression", "")
    c, t = t[0], t[1:]
    _utf8(c)
    simple = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
    if c in simple:
        return simple[c], t
    if c in "01234567":
        if c == "0" or (t and "0" <= t[0] <= "7"):
            digits = len(t) - len(t.lstrip("01234567"))
            take = min(digits, 2)
            return int(c + t[:take], 8), t[take:]
    elif c == "x":
        rune, t = _hex_escape(t)
        if rune is not None:
            return rune, t
    elif ord(c) < 0x80 and not c.isalnum():
        return ord(c), t
    raise GoRegexpError(BAD_ESCAPE, s[: len(s) - len(t)])


def _hex_escape(t: str) -> tuple[int | None, str]:
    """\\x: two hex digits or {hex...}; the rune (None: invalid) and how far Go read."""
    if not t:
        return None, t
    c, t = t[0], t[1:]
    if c != "{":
        y, rest = (t[0], t[1:]) if t else ("", t)
        pair = c + y
        ok = len(pair) == 2 and all(d in _HEX for d in pair)
        return (int(pair, 16) if ok else None), rest
    value, digits = 0, 0
    while t:
        c, t = t[0], t[1:]
        if c == "}":
            return (value, t) if digits else (None, t)
        if c not in _HEX:
            return None, t
        value, digits = value * 16 + int(c, 16), digits + 1
        if value > 0x10FFFF:
            return None, t
    return None, t


_HEX = frozenset("0123456789abcdefABCDEF")


def _unicode_class(s: str) -> str:
    """parseUnicodeClass: \\pL, \\p{Greek}, \\P{^Lu}; the rest of the pattern."""
    if len(s) < 3 or s[2] != "{":
        seq, rest = s[:3], s[3:]
        name = seq[2:]
    else:
        end = s.find("}")
        if end < 0:
            _utf8(s)
            raise GoRegexpError(BAD_RANGE, s)
        seq, rest, name = s[: end + 1], s[end + 1 :], s[3:end]
    name = name.removeprefix("^")
    if not _known_group(name):
        raise GoRegexpError(BAD_RANGE, seq)
    return rest


def _canonical(name: str) -> str:
    """canonicalName: separators dropped, the first letter upper-case, the others lower-case."""
    out, first = [], True
    for c in name:
        if c in "_- ":
            continue
        if first:
            out.append(c.upper() if "a" <= c <= "z" else c)
            first = False
        else:
            out.append(c.lower() if "A" <= c <= "Z" else c)
    return "".join(out)


_ALIAS_NAMES = frozenset(_canonical(a) for a in _ALIASES)


def _known_group(name: str) -> bool:
    """unicodeTable: Any, Assigned, ASCII, LC, a category, a script (as its key is written: Go
    1.25 canonicalizes the name first, so Old_Italic is not found) or a category alias."""
    name = _canonical(name)
    return (
        name in ("Any", "Assigned", "Ascii", "Lc")
        or name in _CATEGORIES
        or name in _SCRIPTS
        or name in _ALIAS_NAMES
    )


def _parse_class(s: str) -> str:
    """parseClass: [...] with ranges, escapes, [:posix:], \\p classes and Perl classes."""
    t = s[1:]
    if t.startswith("^"):
        t = t[1:]
    first = True
    while not t or t[0] != "]" or first:
        first = False
        if len(t) > 2 and t[0] == "[" and t[1] == ":":
            named = _named_class(t)
            if named is not None:
                t = named
                continue
        if len(t) >= 2 and t[0] == "\\" and t[1] in "pP":
            t = _unicode_class(t)
            continue
        if len(t) >= 2 and t[0] == "\\" and t[1] in "dDsSwW":
            t = t[2:]
            continue
        t = _class_range(t, s)
    return t[1:]


def _named_class(t: str) -> str | None:
    end = t.find(":]", 2)
    if end < 0:
        return None
    name = t[2:end].removeprefix("^")
    if name not in _POSIX:
        raise GoRegexpError(BAD_RANGE, t[: end + 2])
    return t[end + 2 :]


def _class_range(t: str, whole: str) -> str:
    start = t
    lo, t = _class_char(t, whole)
    if len(t) >= 2 and t[0] == "-" and t[1] != "]":
        hi, t = _class_char(t[1:], whole)
        if hi < lo:
            raise GoRegexpError(BAD_RANGE, start[: len(start) - len(t)])
    return t


def _class_char(t: str, whole: str) -> tuple[int, str]:
    if not t:
        raise GoRegexpError(MISSING_BRACKET, whole)
    if t[0] == "\\":
        return _escape(t)
    _utf8(t[0])
    return ord(t[0]), t[1:]
