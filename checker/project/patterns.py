"""Refuse rule-pack regular expressions that can backtrack catastrophically.

Python's `re` backtracks, so a pattern such as `(a+)+$` takes time exponential in the length of
a text it almost matches. Patterns come from the rule pack, so they are checked once, when the
pack loads: a repeat that holds another unbounded repeat (`(a+)+`, `(a*b?)*`, `(\\w+\\s?)+`) is
refused, and so is any repeat that holds another repeat (`([^.]{0,80})+`). The per-page time limit (`limits.max-page-seconds`)
still stops a slow pattern that slips through, because `re` checks for signals while matching.

A repeat whose every pass opens with a character that no inner repeat can start with, such as
`(?: [A-Z][a-z]+)*`, is allowed: its passes cannot trade characters. Otherwise the check is
conservative (it measures "star height", as safe-regex does) and may refuse a safe pattern:
write it without the inner repeat, or split it into several patterns.
"""

from __future__ import annotations

import re
import re._compiler as sre_compiler  # type: ignore[import-not-found, unused-ignore]
import re._constants as sre_constants  # type: ignore[import-not-found, unused-ignore]
import re._parser as sre_parse  # type: ignore[import-not-found, unused-ignore]
from typing import Any

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
