"""Small text helpers shared by the page model and the rules."""

from __future__ import annotations

import functools
import re

_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t:.-\u2013\u2014*_"


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """The key a section name is matched by: case-folded, spaces collapsed, no parenthetical."""
    name = collapse_spaces(name)
    previous = None
    while previous != name:
        previous = name
        name = _PARENTHETICAL.sub("", name).strip(_EDGE_PUNCTUATION)
    return name.casefold()
