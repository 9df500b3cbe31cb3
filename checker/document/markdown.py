"""One shared markdown-it-py parser per process, configured once.

Pages are parsed in two steps. `parse_blocks` runs the block parser only: inline tokens keep
their `content` but get no `children`. `parse_inline` then runs the inline parser on the one
token a rule asks about. Most rules read only block structure, and the inline pass is nearly
half of a full parse, so inline content is parsed only where something reads it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

CoreRule = Callable[[StateCore], None]


@functools.lru_cache(maxsize=4)
def parser(max_nesting: int) -> MarkdownIt:
    """CommonMark plus GFM tables; `max_nesting` bounds how deep blocks may nest."""
    return MarkdownIt("commonmark", {"maxNesting": max_nesting}).enable("table")


@functools.lru_cache(maxsize=4)
def _core_rules(max_nesting: int) -> tuple[tuple[CoreRule, ...], tuple[CoreRule, ...]]:
    """The parser's active core rules, split into those up to `block` and those after it."""
    ruler = parser(max_nesting).core.ruler
    names = ruler.get_active_rules()
    rules = ruler.getRules("")
    split = names.index("block") + 1
    return tuple(rules[:split]), tuple(rules[split:])


def _block_rules(max_nesting: int) -> tuple[CoreRule, ...]:
    return _core_rules(max_nesting)[0]


def _inline_rules(max_nesting: int) -> tuple[CoreRule, ...]:
    return _core_rules(max_nesting)[1]


def parse_markdown(body: str, max_nesting: int) -> list[Token]:
    """A full parse: blocks and every inline token's children."""
    return parser(max_nesting).parse(body)


def parse_blocks(body: str, max_nesting: int, env: dict[str, Any]) -> list[Token]:
    """The block step alone; `env` receives what inline parsing needs later (link references)."""
    state = StateCore(body, parser(max_nesting), env)
    for rule in _block_rules(max_nesting):
        rule(state)
    return state.tokens


def parse_inline(token: Token, max_nesting: int, env: dict[str, Any]) -> None:
    """Fill in `token.children` exactly as a full parse would."""
    md = parser(max_nesting)
    token.children = []
    state = StateCore("", md, env, [token])
    for rule in _inline_rules(max_nesting):
        rule(state)
