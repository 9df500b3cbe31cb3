"""RE2 screens in front of Python patterns: one linear pass rules out most texts.

Python's `re` tries every alternative of a large pattern at every position of a text. A screen
is an RE2 pattern that matches wherever the Python pattern matches, and more, in one pass over
the text; on a text that the screen does not match, the pattern cannot match either and is not
run. Where the screen matches, the Python pattern runs as before, so a screened pattern finds
exactly what the pattern alone finds.

Only ASCII text is screened: there RE2 and `re` read cases, word characters, digits and word
boundaries alike (`re`'s are Unicode-aware, RE2's are ASCII). Other text always goes to the
pattern.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

# A pattern is screened once it has been asked about this many characters of text (a run of
# many pages, or one large page): deriving and compiling a screen takes about as long as
# `re` takes to try writer-voice patterns on that much text, so a small one-page check does
# not pay for it.
SCREEN_AFTER = 50_000
# Repetition bounds above this are dropped from a screen (`{0,400}` becomes `*`): a wider
# screen, and a much smaller RE2 program.
MAX_BOUND = 100
# What Python's `\s` matches among ASCII characters (RE2's own `\s` leaves out `\v` and the
# four separator characters).
_ASCII_SPACE = r"\t\n\v\f\r\x1c-\x1f "
_TRANSLATED_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.ASCII


class Screen:
    """One RE2 screen for one or more Python patterns: where it does not match, none of them can.

    `source` is the screen's RE2 source; without it, one is derived from the patterns
    (`superset_source`) when it is first needed. Patterns that cannot be screened are simply
    always run.
    """

    def __init__(self, patterns: Sequence[object], source: str | None = None) -> None:
        self.patterns = tuple(patterns)
        self._source = source
        self._compiled: Any = None
        self._asked = 0

    def rules_out(self, text: str) -> bool:
        """Whether the screen shows that no pattern can match `text`."""
        if not text.isascii():
            return False
        compiled = self._compiled
        if compiled is None:
            self._asked += len(text)
            if self._asked < SCREEN_AFTER:
                return False
            compiled = self._compiled = self._build()
        return compiled is not False and compiled.search(text) is None

    @property
    def built(self) -> bool:
        """Whether the screen has been compiled and is in use."""
        return self._compiled not in (None, False)

    def _build(self) -> Any:
        if self._source is not None:
            return compile_screen(self._source)
        sources = [superset_source(pattern) for pattern in self.patterns]
        if not sources or None in sources:
            return False
        return compile_screen("|".join(f"(?:{source})" for source in sources))


class Screened:
    """A compiled Python pattern (`pattern`) behind its RE2 screen (`screen`)."""

    def __init__(self, pattern: re.Pattern[str], screen: str | None = None) -> None:
        self.pattern = pattern
        self.screen = Screen((pattern,), screen)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return iter(()) if self.screen.rules_out(text) else self.pattern.finditer(text)

    def search(self, text: str) -> re.Match[str] | None:
        return None if self.screen.rules_out(text) else self.pattern.search(text)

    def sub(self, replacement: str, text: str) -> str:
        return text if self.screen.rules_out(text) else self.pattern.sub(replacement, text)


@functools.lru_cache(maxsize=32)
def screen_for(patterns: tuple[object, ...]) -> Screen:
    """The screen of a rule's patterns (from its options), shared by every page of a run."""
    return Screen(patterns)


def compile_screen(source: str) -> Any:
    """The RE2 screen, or False when RE2 refuses it (then every text goes to the patterns).

    Cases are told apart unless the source says otherwise (`(?i:...)`)."""
    # Imported here: only a run of many pages builds a screen.
    import re2  # type: ignore[import-untyped, unused-ignore]  # noqa: PLC0415

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(source, options)
    except re2.error:
        return False


class _Untranslatable(Exception):
    pass


def superset_source(pattern: object) -> str | None:
    """RE2 source that matches, in ASCII text, wherever `pattern` matches; None if there is none.

    Each construct becomes the RE2 construct that matches the same ASCII text, except that
    lookarounds are dropped, atomic groups and possessive repeats become plain ones and
    repetition bounds over `MAX_BOUND` are dropped: all of which only widen what matches. A
    lookbehind that opens the pattern and a lookahead that closes it are matched as text
    instead, before and after the rest: the text around a match holds them. (A screen only
    tells whether a text may hold a match, not where.) Backreferences, conditionals, scoped
    flags and, under IGNORECASE, characters outside ASCII (which `re` and RE2 may fold to
    different ASCII letters) leave the pattern unscreened.
    """
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
        return None  # an RE2 pattern (a user's), or one of bytes
    if pattern.flags & ~_TRANSLATED_FLAGS:
        return None
    flags = pattern.flags
    try:
        source = _sequence(sre_parse.parse(pattern.pattern, flags), flags, True, True)
    except _Untranslatable:
        return None
    return f"(?i:{source})" if flags & re.IGNORECASE else source


_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)


def _edge(items: list[Any], flags: int, direction: int) -> tuple[str, int | None]:
    """The text of the first lookaround of `direction` (-1 behind, 1 ahead) among the
    zero-width items that open `items`, and its index (None if there is none)."""
    for index, (op, value) in enumerate(items):
        if op not in _ZERO_WIDTH:
            break
        if op is sre.ASSERT and value[0] == direction:
            return _sequence(value[1], flags), index
    return "", None


def _sequence(items: Any, flags: int, leading: bool = False, trailing: bool = False) -> str:
    """`items` in order; `leading` and `trailing` when nothing of the match stands before
    (or after) them, so that a lookbehind opening them (a lookahead closing them) is text."""
    items = list(items)
    head = tail = ""
    if leading:
        head, index = _edge(items, flags, -1)
        if index is not None:
            del items[index]
            leading = False
    if trailing:
        backwards = items[::-1]
        tail, index = _edge(backwards, flags, 1)
        if index is not None:
            del backwards[index]
            items = backwards[::-1]
            trailing = False
    # The first (last) item that matches text is at the edge too, unless an anchor or a word
    # boundary, which must stay where the match starts (ends), stands before (after) it.
    solid = [index for index, (op, _) in enumerate(items) if op not in _ZERO_WIDTH]
    anchors = [index for index, (op, _) in enumerate(items) if op is sre.AT]
    first = solid[0] if solid and leading and (not anchors or anchors[0] > solid[0]) else None
    last = solid[-1] if solid and trailing and (not anchors or anchors[-1] < solid[-1]) else None
    body = "".join(
        _item(op, value, flags, index == first, index == last)
        for index, (op, value) in enumerate(items)
    )
    return head + body + tail


def _char(code: int, flags: int) -> str:
    if code > 0x7F and flags & re.IGNORECASE:
        raise _Untranslatable(chr(code))
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\x{{{code:x}}}"


_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
    sre.CATEGORY_SPACE: f"[{_ASCII_SPACE}]",
    sre.CATEGORY_NOT_SPACE: f"[^{_ASCII_SPACE}]",
}
# The same inside a character class (a negated space has no form there).
_CLASS_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
    sre.CATEGORY_SPACE: _ASCII_SPACE,
}


def _class(members: Any, flags: int) -> str:
    if len(members) == 1 and members[0][0] is sre.CATEGORY:
        return _CATEGORIES[members[0][1]]
    negate = ""
    parts = []
    for op, value in members:
        if op is sre.NEGATE:
            negate = "^"
        elif op is sre.LITERAL:
            parts.append(_char(value, flags))
        elif op is sre.RANGE:
            parts.append(f"{_char(value[0], flags)}-{_char(value[1], flags)}")
        elif op is sre.CATEGORY and value in _CLASS_CATEGORIES:
            parts.append(_CLASS_CATEGORIES[value])
        else:
            raise _Untranslatable(op)
    return f"[{negate}{''.join(parts)}]"


_ANCHORS = {
    sre.AT_BEGINNING_STRING: r"\A",
    # `$` matches at the end and before a final line break: any line's end is wider.
    sre.AT_END: "(?m:$)",
    sre.AT_END_STRING: r"\z",
    sre.AT_BOUNDARY: r"\b",
    sre.AT_NON_BOUNDARY: r"\B",
}


def _item(op: Any, value: Any, flags: int, leading: bool, trailing: bool) -> str:
    if op is sre.LITERAL:
        return _char(value, flags)
    if op is sre.NOT_LITERAL:
        return f"[^{_char(value, flags)}]"
    if op is sre.ANY:
        return "(?s:.)" if flags & re.DOTALL else "."
    if op is sre.IN:
        return _class(value, flags)
    if op is sre.AT:
        if value is sre.AT_BEGINNING:
            return "(?m:^)" if flags & re.MULTILINE else r"\A"
        if value in _ANCHORS:
            return _ANCHORS[value]
        raise _Untranslatable(value)
    if op is sre.BRANCH:
        branches = (_sequence(branch, flags, leading, trailing) for branch in value[1])
        return "(?:" + "|".join(branches) + ")"
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, inner = value
        if add_flags or del_flags:
            raise _Untranslatable("scoped flags")
        return f"(?:{_sequence(inner, flags, leading, trailing)})"
    if op is sre.ATOMIC_GROUP:
        return f"(?:{_sequence(value, flags, leading, trailing)})"
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, inner = value
        low = min(low, MAX_BOUND)
        bound = f"{low}," if high is sre.MAXREPEAT or high > MAX_BOUND else f"{low},{high}"
        return f"(?:{_sequence(inner, flags)}){{{bound}}}"
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return ""  # elsewhere a lookaround only narrows where the pattern matches
    raise _Untranslatable(op)
