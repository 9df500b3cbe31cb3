"""Refuse rule-pack regular expressions that can backtrack catastrophically.

Python's `re` backtracks, so a pattern such as `(a+)+$` takes time exponential in the length of
a text it almost matches. Patterns come from the rule pack, so they are checked once, when the
pack loads: a repeat that holds another unbounded repeat (`(a+)+`, `(a*b?)*`, `(\\w+\\s?)+`) is
refused, and so is any repeat that holds another repeat (`([^.]{0,80})+`). The per-page time limit (`limits.max-page-seconds`)
still stops a slow pattern that slips through, because `re` checks for signals while matching.

The check is conservative (it measures "star height", as safe-regex does): a safe pattern such
as `(?: [A-Z][a-z]+)*` is refused too. Write those without the inner repeat, or split them into
several patterns.
"""

from __future__ import annotations

import re
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


def _nested_repeat(pattern: Any) -> bool:
    for op, value in pattern:
        if op in _REPEATS and op != sre_constants.POSSESSIVE_REPEAT:
            _, maximum, body = value
            if maximum > 1 and _has_repeat(body):
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
