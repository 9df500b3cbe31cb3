"""One shared markdown-it-py parser per process, configured once.

Pages are parsed in two steps. `parse_blocks` runs the block parser only: inline tokens keep
their `content` but get no `children`. `parse_inline` then runs the inline parser on the one
token a rule asks about. Most rules read only block structure, and the inline pass is nearly
half of a full parse, so inline content is parsed only where something reads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from checker.document.text import before_break

CoreRule = Callable[[StateCore], None]


@functools.lru_cache(maxsize=4)
def parser(max_nesting: int) -> MarkdownIt:
    """CommonMark plus GFM tables; `max_nesting` bounds how deep blocks may nest."""
    md = MarkdownIt("commonmark", {"maxNesting": max_nesting}).enable("table")
    require_commonmark_inline(md)
    return md


def require_commonmark_inline(md: MarkdownIt) -> None:
    """Refuse a parser whose inline tokens are not the commonmark preset's: they are the ones
    `bold_label_children` builds. Links found in plain text, typographic replacements or
    strikethrough would make other ones."""
    rules = {*md.core.ruler.get_active_rules(), *md.inline.ruler.get_active_rules()}
    rules |= {*md.inline.ruler2.get_active_rules()}
    changed = sorted({"linkify", "replacements", "smartquotes", "strikethrough"} & rules)
    if md.options["linkify"] or md.options["typographer"] or changed:
        raise RuntimeError(f"bold_label_children builds commonmark's inline tokens, not {changed}")


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
    children = bold_label_children(token.content)
    if children is not None:
        token.children = children
        return
    run_inline_parser(token, max_nesting, env)


def run_inline_parser(token: Token, max_nesting: int, env: dict[str, Any]) -> None:
    """Fill in `token.children` with the inline parser's rules."""
    md = parser(max_nesting)
    token.children = []
    state = StateCore("", md, env, [token])
    for rule in _inline_rules(max_nesting):
        rule(state)


# Inline content that is one bold label and plain text (`**Usage:** Take it with food.`) is
# nearly all the inline markup of drug pages. Its children are built here, as the inline
# parser builds them, without running it; other content, and a label whose `**` cannot open or
# close (`**Usage:**text`, `** Usage**`), goes to the parser.
# No character that starts inline markup (see `prose.INLINE_MARKUP`) in the label or the text;
# line breaks only in the text.
_BOLD_LABEL = re.compile(r"\*\*([^\\`*_\[\]!<&\n]+)\*\*([^\\`*_\[\]!<&]*)")


def _is_punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def bold_label_children(content: str) -> list[Token] | None:
    """The children the inline parser gives `**label**text`, or None for any other content."""
    match = _BOLD_LABEL.fullmatch(content)
    if match is None:
        return None
    label, rest = match.groups()
    # The delimiter rules of CommonMark, as markdown-it's `scanDelims` applies them: the
    # content's start and end count as spaces.
    if isWhiteSpace(ord(label[0])):
        return None  # the opening `**` is not left-flanking
    last, after = label[-1], rest[:1] or " "
    if isWhiteSpace(ord(last)) or (
        _is_punctuation(last) and not (isWhiteSpace(ord(after)) or _is_punctuation(after))
    ):
        return None  # the closing `**` is not right-flanking
    children = [
        _text(""),  # what is left of the first `*`
        Token("strong_open", "strong", 1, markup="**"),
        _text(label, 1),
        Token("strong_close", "strong", -1, markup="**"),
    ]
    # The text, line by line, as the `newline` rule breaks it: spaces before a break dropped
    # (two or more make a hard break), spaces and tabs opening the next line skipped. The
    # first line always has a text token: the last `*` left an empty one, which it joins.
    lines = rest.split("\n")
    end = len(lines) - 1
    for number, source in enumerate(lines):
        line = source.lstrip(" \t") if number else source
        kind = "softbreak"
        if number < end:
            trimmed = before_break(line)
            if len(line) - len(trimmed) >= 2:
                kind = "hardbreak"
            line = trimmed
        if line or not number:
            children.append(_text(line))
        if number < end:
            children.append(Token(kind, "br", 0))
    return children


def _text(content: str, level: int = 0) -> Token:
    return Token("text", "", 0, level=level, content=content)
