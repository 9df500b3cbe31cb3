"""Small text helpers shared by the page model and the rules."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable

_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")
_EDGE_PUNCTUATION = " \t:.-\u2013\u2014*_"
# A word as every count of words reads it: letters, digits, apostrophes and hyphens.
WORD = re.compile("[\\w'\u2019-]+")


def split_lines(text: str) -> list[str]:
    """The lines of `text`: LF, CRLF or a lone CR ends a line, and nothing else does.

    The one definition of a line everywhere: `str.splitlines` also breaks on form feed,
    `\\x1c`-`\\x1e`, `\\x85` and U+2028/U+2029, which editors and Markdown show inside a line.
    A final line break does not open one more, empty line.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def before_break(pending: str) -> str:
    """The text before a line break, as markdown-it's `newline` rule trims it: two or more
    spaces at its end (a hard break) all go; one space goes."""
    last = len(pending) - 1
    if last < 0 or pending[last] != " ":
        return pending
    if last >= 1 and pending[last - 1] == " ":
        cut = last - 1
        while cut >= 1 and pending[cut - 1] == " ":
            cut -= 1
        return pending[:cut]
    return pending[:-1]


def collapse_spaces(text: str) -> str:
    """Runs of whitespace as one space, none at the ends. `str.split` and `\\s` know the
    same whitespace (`str.isspace`), and splitting is several times faster than a regex."""
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """The key a section name is matched by: case-folded, spaces collapsed, no parenthetical."""
    name = collapse_spaces(name)
    previous = None
    while previous != name:
        previous = name
        name = _PARENTHETICAL.sub("", name).strip(_EDGE_PUNCTUATION)
    return name.casefold()


def plural(count: int, noun: str, number: Callable[[int], str] = str) -> str:
    """`1 line`, `2 lines`, `3 entries`: a count and its noun, in the right number."""
    return f"{number(count)} {noun if count == 1 else _many(noun)}"


def _many(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def share_of(count: int, total: int, noun: str = "page") -> str:
    """How a person says how many of `total` there are: `every page`, `no page`, a count when
    it is a few or the total is small (`3 pages`), else a percentage (`40% of pages`)."""
    if count == total:
        return f"every {noun}"
    if count == 0:
        return f"no {noun}"
    if count / total < 0.01 or total < 20:
        return plural(count, noun)
    return f"{count / total:.0%} of {_many(noun)}"


def words(text: str) -> list[str]:
    """The words of a text, case-folded: what a disclaimer's wording is compared by."""
    return [word.casefold() for word in WORD.findall(text)]


def similarity(a: list[str], b: list[str]) -> float:
    """How alike two texts' words are, from 0 to 1: the one measure of a wording, so that a
    threshold learned from a site's texts means the same to the rules that apply it."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
