"""One shared markdown-it-py parser per process, configured once."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markdown_it.token import Token


@functools.lru_cache(maxsize=4)
def parser(max_nesting: int) -> MarkdownIt:
    """CommonMark plus GFM tables; `max_nesting` bounds how deep blocks may nest."""
    return MarkdownIt("commonmark", {"maxNesting": max_nesting}).enable("table")


def parse_markdown(body: str, max_nesting: int) -> list[Token]:
    return parser(max_nesting).parse(body)
