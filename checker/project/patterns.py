"""Regular expressions a user supplies (rule pack, rule options) and how they are run.

One policy for every such pattern: it runs on RE2 (`google-re2`), whose matching time is
linear in the text whatever the pattern, or it is refused when the pack or config loads
(exit code 2, naming the key). RE2 has no lookaround and no backreferences; a pattern that
needs them is refused, with what to write instead. So that a pattern means what it means in
Python, `\\w`, `\\d` and `\\s` are widened to their Unicode meaning before RE2 compiles
them; `\\b` stays RE2's (a boundary between ASCII word characters and the rest).

The patterns built into the rules (which use lookbehind) are the project's own, reviewed and
tested: they keep running on Python's `re`, and a user pattern equal to one of them does too.

`check_pattern` below is the earlier structural guard for Python `re` (it refuses a repeat
that holds another repeat). No pattern is loaded through it any more; it is kept for code that
still calls it, and it cannot see the ambiguous alternations and adjacent repeats
(`(a|aa)+$`, `\\s*\\s*x`) that made a linear-time engine necessary. Python's `re` backtracks,
so `(a+)+$` takes time exponential in the length of a text it almost matches.

In that guard, a repeat whose every pass opens with a character that no inner repeat can start
with, such as `(?: [A-Z][a-z]+)*`, is allowed: its passes cannot trade characters. Otherwise
the check is conservative (it measures "star height", as safe-regex does).
"""

from __future__ import annotations

import functools
import re
import re._compiler as sre_compiler  # type: ignore[import-not-found, unused-ignore]
import re._constants as sre_constants  # type: ignore[import-not-found, unused-ignore]
import re._parser as sre_parse  # type: ignore[import-not-found, unused-ignore]
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, cast

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


class UnsafePattern(ValueError):
    """A pattern that does not compile, or that nests unbounded repeats."""


def _items(value: Any) -> list[Any]:
    """The sub-patterns held by one parsed item's argument."""
    found: list[Any] = []
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, sre_parse.SubPattern):
            found.append(current)
        elif isinstance(current, (list, tuple)):
            stack.extend(current)
    return found


def _has_repeat(pattern: Any) -> bool:
    """Whether `pattern` holds a repeat that can match more than once."""
    for op, value in pattern:
        if op in _REPEATS and value[1] > 1:
            return True
        if any(_has_repeat(sub) for sub in _items(value)):
            return True
    return False


_SINGLE_CHAR = {
    sre_constants.LITERAL,
    sre_constants.NOT_LITERAL,
    sre_constants.IN,
    sre_constants.ANY,
    sre_constants.CATEGORY,
}


def _inner_repeats(pattern: Any) -> list[Any]:
    """The bodies of every repeat (that can match more than once) inside `pattern`."""
    found = []
    for op, value in pattern:
        if op in _REPEATS and value[1] > 1:
            found.append(value[2])
        for sub in _items(value):
            found.extend(_inner_repeats(sub))
    return found


def _separated(body: Any) -> bool:
    """Whether each pass of a repeat over `body` opens with a character no inner repeat can
    start with, as in `(?:, [a-z]+)*`: then the passes cannot trade characters and the repeat
    cannot backtrack catastrophically."""
    items = list(body)
    while len(items) == 1 and items[0][0] == sre_constants.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items or items[0][0] != sre_constants.LITERAL:
        return False
    separator = chr(items[0][1])
    for inner in _inner_repeats(sre_parse.SubPattern(body.state, items[1:])):
        first = list(inner)[:1]
        if not first or first[0][0] not in _SINGLE_CHAR:
            return False
        start = sre_parse.SubPattern(inner.state, first)
        if sre_compiler.compile(start, 0).match(separator):
            return False
    return True


def _nested_repeat(pattern: Any) -> bool:
    for op, value in pattern:
        if op in _REPEATS and op != sre_constants.POSSESSIVE_REPEAT:
            _, maximum, body = value
            if maximum > 1 and _has_repeat(body) and not _separated(body):
                return True
        if any(_nested_repeat(sub) for sub in _items(value)):
            return True
    return False


def check_pattern(pattern: str) -> re.Pattern[str]:
    """Compile `pattern`, or raise UnsafePattern saying what is wrong and what to write instead."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise UnsafePattern(f"invalid regular expression {pattern!r}: {error}") from None
    if _nested_repeat(sre_parse.parse(pattern)):
        raise UnsafePattern(
            f"regular expression {pattern!r} nests a repeat inside a repeat (like `(a+)+`), "
            "which can take exponential time on some texts; rewrite it with a single repeat "
            "or a bounded one such as `{0,80}`"
        )
    return compiled


# Python's meaning of the class escapes, written in RE2's syntax (the body of a class).
_UNICODE_CLASSES = {
    "w": r"\p{L}\p{N}_",
    "d": r"\p{Nd}",
    "s": r"\t-\r\x{1c}-\x{1f}\x{85}\p{Z}",
}
# Not supported by RE2: worth a plain answer rather than RE2's parser message.
_PYTHON_ONLY = (("(?<", "lookbehind"), ("(?=", "lookahead"), ("(?!", "lookahead"))


class Matcher(Protocol):
    """What the rules use of a compiled pattern (both `re.Pattern` and RE2's have it)."""

    @property
    def pattern(self) -> str: ...

    def search(self, text: str) -> Any: ...

    def finditer(self, text: str) -> Iterator[Any]: ...


def to_re2(pattern: str) -> str:
    """`pattern` with `\\w`, `\\d`, `\\s` (and their negations, outside classes) widened to
    Unicode, as Python reads them."""
    out: list[str] = []
    index, in_class, class_start = 0, False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            body = _UNICODE_CLASSES.get(escaped.lower())
            if body is not None and escaped.islower():
                out.append(body if in_class else f"[{body}]")
            elif body is not None and not in_class:
                out.append(f"[^{body}]")
            else:
                out.append(char + escaped)
            index += 2
            continue
        if in_class:
            # A `]` right after `[` or `[^` is a literal, as in Python.
            if char == "]" and index > class_start:
                in_class = False
        elif char == "[":
            in_class = True
            class_start = index + 1
            if pattern.startswith("^", class_start):
                out.append("[^")
                index += 2
                class_start += 1
                continue
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def user_pattern(pattern: str, ignore_case: bool = False) -> Matcher:
    """Compile a user-supplied pattern for RE2, or raise UnsafePattern saying what to write."""
    # Imported on first use (about 15 ms): commands that load no pattern never pay for it.
    import re2  # type: ignore[import-untyped, unused-ignore]  # noqa: PLC0415

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return cast(Matcher, _Re2Pattern(re2.compile(to_re2(pattern), options), pattern))
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        for marker, feature in _PYTHON_ONLY:
            if marker in pattern:
                detail = (
                    f"it uses {feature}, which the linear-time engine does not run; match the "
                    "text around it instead, or drop it"
                )
                break
        if "backreference" in str(detail) or re.search(r"\\[1-9]|\(\?P=", pattern):
            detail = "it uses a backreference, which the linear-time engine does not run"
        raise UnsafePattern(f"invalid regular expression {pattern!r}: {detail}") from None


class _Re2Pattern:
    """An RE2 pattern that shows the pattern as the user wrote it."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, compiled: Any, pattern: str) -> None:
        self._compiled = compiled
        self.pattern = pattern

    def search(self, text: str) -> Any:
        return self._compiled.search(text)

    def finditer(self, text: str) -> Iterator[Any]:
        return cast(Iterator[Any], self._compiled.finditer(text))


def compile_user(pattern: str, ignore_case: bool = False, trusted: Iterable[str] = ()) -> Matcher:
    """A user pattern on RE2; a built-in (`trusted`) one on Python's `re`."""
    if pattern in trusted:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    return user_pattern(pattern, ignore_case)


def makes_statement(ways: Sequence[str], text: str) -> bool:
    """Whether `text` makes a statement of a disclaimer: any of its ways of saying it (user
    patterns, any case) matches. The disclaimer rules and the wording `checker init` learns
    read a statement by this one test."""
    return any(user_pattern(way, ignore_case=True).search(text) for way in ways)
